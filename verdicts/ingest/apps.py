from django.apps import AppConfig


class IngestConfig(AppConfig):
    name = "verdicts.ingest"
    verbose_name = "Importers"
