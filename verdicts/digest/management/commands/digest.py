"""`verdicts digest build` and `verdicts digest send [<number>]`."""

import time

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from verdicts.digest.selectors import issue_get, issue_progress
from verdicts.digest.services.issues import NothingToBuild, issue_build
from verdicts.digest.services.outbox import issue_send, issue_send_start
from verdicts.digest.tasks import digest_send_task


class Command(BaseCommand):
    help = "Build the weekly issue, or send it to confirmed subscribers."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="{build,send}")
        actions.add_parser(
            "build", help="Compose the next issue from comparisons published since the last one."
        )
        send = actions.add_parser(
            "send",
            help="Send an issue (default: the oldest not fully sent) as a background job and "
            "show its progress. Safe to run again after a crash: it resumes.",
        )
        send.add_argument("number", nargs="?", type=int, help="The issue number.")
        send.add_argument(
            "--foreground",
            action="store_true",
            help="Send from this process instead of queueing a job for a worker.",
        )
        send.add_argument(
            "--no-wait", action="store_true", help="Queue the job and return at once."
        )

    def handle(self, *args, **options):
        if options["action"] == "build":
            self.build()
        else:
            self.send(options["number"], options["foreground"], options["no_wait"])

    def build(self) -> None:
        try:
            issue = issue_build()
        except NothingToBuild as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Built issue #{issue.number}: {issue.subject} ({len(issue.items)} comparisons). "
                f"Send it with `verdicts digest send {issue.number}`."
            )
        )

    def send(self, number: int | None, foreground: bool, no_wait: bool) -> None:
        issue = issue_get(number=number)
        if issue is None:
            raise CommandError(
                f"No issue #{number}." if number else "Every issue is sent; build one first."
            )
        issue = issue_send_start(number=issue.number)
        progress = issue_progress(issue_id=issue.pk)
        bar = tqdm(total=progress.total, initial=progress.done, unit="msg", desc=f"#{issue.number}")
        if foreground:
            with bar:
                report = issue_send(number=issue.number, progress=bar.update)
        else:
            digest_send_task(issue.number)
            if no_wait:
                bar.close()
                self.stdout.write(f"Queued issue #{issue.number}; a worker sends it.")
                return
            self.stdout.write("Queued; a worker (`verdicts worker` or `verdicts serve`) sends it.")
            with bar:
                while progress.status != issue.Status.SENT:
                    time.sleep(1)
                    progress = issue_progress(issue_id=issue.pk)
                    bar.update(progress.done - bar.n)
        progress = issue_progress(issue_id=issue.pk)
        if progress.status != issue.Status.SENT:
            raise CommandError(
                f"Issue #{issue.number} is not finished ({progress.done} of {progress.total}); "
                "run the command again to resume."
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Issue #{issue.number} sent: {progress.sent} delivered, {progress.failed} refused "
                f"by the server, {progress.skipped} skipped (unsubscribed)."
            )
        )
        if foreground and report.failed:
            self.stdout.write(f"{report.failed} addresses were refused in this run; see the admin.")
