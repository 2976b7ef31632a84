from django.apps import AppConfig


class PanelConfig(AppConfig):
    name = "verdicts.panel"
    verbose_name = "Reviewer panel"
