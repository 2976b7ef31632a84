from django.apps import AppConfig


class CommonConfig(AppConfig):
    """Holds the shared page layout (base.html, error pages, the pager) and content versions."""

    name = "verdicts.common"
    label = "common"
