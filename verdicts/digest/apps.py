from django.apps import AppConfig


class DigestConfig(AppConfig):
    name = "verdicts.digest"
    verbose_name = "Weekly digest"

    def ready(self) -> None:
        from verdicts.digest import checks  # noqa: F401  (registers the system checks)
