"""`verdicts worker`: run a background-job consumer alone."""

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run a Huey consumer that works through background jobs (panel runs, digests)."

    def handle(self, *args, **options):
        # Huey's consumer must be the main thread of its own process.
        call_command("run_huey")
