from django.apps import AppConfig


class DigestConfig(AppConfig):
    name = "verdicts.digest"
    verbose_name = "Weekly digest"
