from django.apps import AppConfig


class DailyConfig(AppConfig):
    name = "verdicts.daily"
    verbose_name = "Daily pipeline"
