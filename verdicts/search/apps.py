from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "verdicts.search"
    verbose_name = "Search"
