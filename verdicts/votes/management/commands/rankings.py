"""`verdicts rankings`: recompute and store the community rankings now."""

from django.conf import settings
from django.core.management.base import BaseCommand
from tqdm import tqdm

from verdicts.votes.services.rankings import rankings_recompute


class Command(BaseCommand):
    help = (
        "Refit the head-to-head (Bradley-Terry with bootstrap intervals) and ship-share "
        "rankings from the stored votes and store them. The worker also does this periodically."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--samples",
            type=int,
            default=settings.VOTES_BOOTSTRAP_SAMPLES,
            help="Bootstrap resamples (VOTES_BOOTSTRAP_SAMPLES, default 200).",
        )
        parser.add_argument("--seed", type=int, default=0, help="Random seed (0).")

    def handle(self, *args, **options):
        with tqdm(total=options["samples"], desc="bootstrap", unit="fit") as bar:
            stored = rankings_recompute(
                samples=options["samples"], seed=options["seed"], progress=bar.update
            )
        self.stdout.write(f"Stored {stored} ranking entries.")
