from django.apps import AppConfig


class CompareConfig(AppConfig):
    name = "verdicts.compare"
    verbose_name = "Comparisons"
