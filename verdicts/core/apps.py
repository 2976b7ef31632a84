from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "verdicts.core"
    verbose_name = "Site"
