from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "verdicts.catalog"
    verbose_name = "Catalog"
