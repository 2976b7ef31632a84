"""`verdicts catalog generate`: fill the database with a generated catalog, for scale tests."""

import sys

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from verdicts.core.generate import catalog_generate


class Command(BaseCommand):
    help = "Generate published tools, comparisons, reviews and votes (`catalog generate`)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        generate = sub.add_parser(
            "generate", help="Add generated published tools with plans, comparisons and votes."
        )
        generate.add_argument("--tools", type=int, required=True, help="Tools to add.")
        generate.add_argument("--comparisons", type=int, default=0, help="Comparisons (0).")
        generate.add_argument("--votes", type=int, default=0, help="Community votes (0).")
        generate.add_argument("--seed", type=int, default=0, help="Random seed (0).")
        generate.add_argument(
            "--samples",
            type=int,
            default=None,
            help="Bootstrap resamples for the rankings refit (VOTES_BOOTSTRAP_SAMPLES).",
        )
        generate.add_argument(
            "--no-rankings",
            dest="rankings",
            action="store_false",
            help="Leave the rankings refit to the worker's next periodic run.",
        )

    def handle(self, *args, **options):
        if min(options["tools"], options["comparisons"], options["votes"]) < 0:
            raise CommandError("--tools, --comparisons and --votes cannot be negative.")
        bars: list[tqdm] = []

        def progress(name: str, total: int):
            if bars:
                bars[-1].close()
            bars.append(tqdm(total=total, desc=name, unit="row", file=sys.stderr))
            return bars[-1].update

        report = catalog_generate(
            tools=options["tools"],
            comparisons=options["comparisons"],
            votes=options["votes"],
            seed=options["seed"],
            samples=options["samples"],
            rankings=options["rankings"],
            progress=progress,
        )
        if bars:
            bars[-1].close()
        self.stdout.write(str(report))
