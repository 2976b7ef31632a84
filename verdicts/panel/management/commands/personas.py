"""`verdicts personas`: compare the persona files with the database, and sync them."""

from django.core.management.base import BaseCommand, CommandError

from verdicts.common.datafiles import DataFileError
from verdicts.panel.charters import SyncState, personas_sync


class Command(BaseCommand):
    help = (
        "Compare the persona charters in verdicts/panel/personas/*.toml with the database. "
        "With --sync, create new personas and overwrite the charter of changed ones, which "
        "gives their next reviews a new prompt version."
    )

    def add_arguments(self, parser):
        parser.add_argument("--sync", action="store_true", help="Apply the files to the database.")

    def handle(self, *args, **options):
        try:
            found = personas_sync(apply=options["sync"])
        except DataFileError as error:
            raise CommandError(str(error)) from error
        verbs = {
            SyncState.NEW: "created",
            SyncState.CHANGED: "updated",
            SyncState.SAME: "unchanged",
        }
        for synced in found:
            if options["sync"]:
                self.stdout.write(f"{synced.slug}: {verbs[synced.state]}")
            else:
                self.stdout.write(f"{synced.slug}: {synced.state} in the files")
        pending = [synced.slug for synced in found if synced.state != SyncState.SAME]
        if pending and not options["sync"]:
            self.stdout.write("Run `verdicts personas --sync` to apply these files.")
