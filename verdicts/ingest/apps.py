from django.apps import AppConfig


class IngestConfig(AppConfig):
    name = "verdicts.ingest"
    verbose_name = "Importers"

    def ready(self) -> None:
        from verdicts.ingest import dossier  # noqa: F401  (adds imported documents and provenance to dossiers)
