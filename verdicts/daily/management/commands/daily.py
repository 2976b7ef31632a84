"""`verdicts daily` runs (or resumes) the daily pipeline; `verdicts daily status` lists runs."""

import logging

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from verdicts.daily.pipeline import daily_run_execute
from verdicts.daily.runs import PUBLISH_MODES, LeaseLost
from verdicts.daily.selectors import daily_run_list, daily_summary_lines


class Command(BaseCommand):
    help = (
        "Run the daily pipeline: sources, verification, embeddings, rivals, panel, "
        "head-to-head, publish (`daily`), or list its runs (`daily status`)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--publish",
            choices=PUBLISH_MODES,
            default="",
            help="auto or review: overrides VERDICTS_DAILY_PUBLISH for this run.",
        )
        sub = parser.add_subparsers(dest="subcommand")
        status = sub.add_parser("status", help="List the latest daily runs, newest first.")
        status.add_argument("--limit", type=int, default=10, help="How many runs to list (10).")

    def handle(self, *args, **options):
        # The HTTP client logs every request at INFO, which would bury the pipeline's lines.
        logging.getLogger("httpx2").setLevel(logging.WARNING)
        if options["subcommand"] == "status":
            self.status(limit=options["limit"])
            return
        try:
            outcome = daily_run_execute(publish_mode=options["publish"], say=self.stdout.write)
        except (ImproperlyConfigured, LeaseLost) as error:
            raise CommandError(str(error)) from error
        if outcome.busy is not None:
            self.stdout.write(
                f"Daily run {outcome.busy.pk} is under way (step {outcome.busy.step or '?'}, "
                f"started {outcome.busy.started_at:%Y-%m-%d %H:%M} UTC): not starting another."
            )
            return
        run = outcome.run
        self.stdout.write(f"Daily run {run.pk}: {run.get_status_display()}.")
        for line in daily_summary_lines(summary=outcome.summary):
            self.stdout.write(line)
        if outcome.summary["errors"]:
            raise CommandError(f"{len(outcome.summary['errors'])} error(s); the rest was done.")

    def status(self, *, limit: int) -> None:
        runs = list(daily_run_list(limit=limit))
        if not runs:
            self.stdout.write("No daily runs yet. Start one with `verdicts daily`.")
        for run in runs:
            finished = f"{run.finished_at:%H:%M}" if run.finished_at else "-"
            step = f" at step {run.step}" if run.step else ""
            self.stdout.write(
                f"{run.pk:>5}  {run.started_at:%Y-%m-%d %H:%M}-{finished}  "
                f"{run.get_status_display()}{step}  publish {run.publish_mode}"
            )
            if run.summary:
                for line in daily_summary_lines(summary=run.summary):
                    self.stdout.write(f"       {line}")
