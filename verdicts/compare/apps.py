from django.apps import AppConfig


class CompareConfig(AppConfig):
    """Holds only the Comparison model's migration history; the model lives in catalog.

    migrations/0002 handed the model to catalog without touching its table. The app stays
    installed because catalog's and votes' migrations depend on those two steps.
    """

    name = "verdicts.compare"
    verbose_name = "Comparisons"
