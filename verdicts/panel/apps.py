from django.apps import AppConfig


class PanelConfig(AppConfig):
    name = "verdicts.panel"
    verbose_name = "Reviewer panel"

    def ready(self) -> None:
        from verdicts.panel import checks  # noqa: F401  (registers the system checks)
