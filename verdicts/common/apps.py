from django.apps import AppConfig


class CommonConfig(AppConfig):
    """Holds the shared page layout (base.html, error pages, the pager); no models."""

    name = "verdicts.common"
    label = "common"
