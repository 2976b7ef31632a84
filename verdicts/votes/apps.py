from django.apps import AppConfig


class VotesConfig(AppConfig):
    name = "verdicts.votes"
    verbose_name = "Community votes"

    def ready(self) -> None:
        from verdicts.common.content_versions import content_stamps_source_add
        from verdicts.votes.stamps import tally_stamps

        content_stamps_source_add(tally_stamps)
