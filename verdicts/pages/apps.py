from django.apps import AppConfig


class PagesConfig(AppConfig):
    """Every page a reader sees, built from the read-models in pages.read_models."""

    name = "verdicts.pages"
    verbose_name = "Reader pages"
