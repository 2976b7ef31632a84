"""`verdicts init`: create or migrate the database and load the starter catalog."""

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from verdicts.common.datafiles import DataFileError
from verdicts.core.services import database_migrate
from verdicts.core.starter import starter_catalog_load


class Command(BaseCommand):
    help = (
        "Create or migrate the database, collect static files and load the starter catalog. "
        "Safe to run again: it loads only entries it has never loaded, so editor changes stay."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-static", action="store_true", help="Skip collecting static files."
        )

    def handle(self, *args, **options):
        self.stdout.write(str(database_migrate()))
        if not options["no_static"]:
            call_command("collectstatic", interactive=False, verbosity=0)
            self.stdout.write("Static files collected.")
        try:
            report = starter_catalog_load()
        except DataFileError as error:
            raise CommandError(f"Starter catalog not loaded: {error}") from error
        if report.total:
            loaded = ", ".join(f"{count} {kind}" for kind, count in report.created.items())
            self.stdout.write(self.style.SUCCESS(f"Starter catalog loaded: {loaded}."))
        else:
            self.stdout.write("Starter catalog already loaded; nothing to add.")
