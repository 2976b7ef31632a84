"""`verdicts votes recount`: the integrity check of the vote tallies."""

from django.core.management.base import BaseCommand, CommandError

from verdicts.votes.services.tallies import vote_tallies_recount

SHOWN = 20


class Command(BaseCommand):
    help = "Check the community vote counts: `verdicts votes recount`."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="{recount}")
        recount = actions.add_parser(
            "recount",
            help="Count the counted votes afresh, compare every tool's and comparison's tally, "
            "and rebuild the tallies that drifted.",
        )
        recount.add_argument(
            "--check",
            action="store_true",
            help="Only report drift (exit status 1 when there is any); change nothing.",
        )

    def handle(self, *args, **options):
        report = vote_tallies_recount(fix=not options["check"])
        for drift in report.drift[:SHOWN]:
            self.stdout.write(f"  {drift}")
        if len(report.drift) > SHOWN:
            self.stdout.write(f"  … and {len(report.drift) - SHOWN} more")
        if report.ok:
            self.stdout.write(self.style.SUCCESS(f"Tallies OK: {report.checked} targets checked."))
        elif report.fixed:
            self.stdout.write(
                f"Rebuilt {len(report.drift)} drifted tallies of {report.checked} checked."
            )
        else:
            raise CommandError(f"{len(report.drift)} of {report.checked} tallies drifted.")
