from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "verdicts.api"
    verbose_name = "JSON API"
