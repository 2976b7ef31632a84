from django.apps import AppConfig


class SimilarConfig(AppConfig):
    name = "verdicts.similar"
    verbose_name = "Similar tools"
