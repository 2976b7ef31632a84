from django.apps import AppConfig


class VotesConfig(AppConfig):
    name = "verdicts.votes"
    verbose_name = "Community votes"
