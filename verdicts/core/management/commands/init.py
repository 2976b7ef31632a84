"""`verdicts init`: create or migrate the database and load the starter catalog."""

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from verdicts.common.datafiles import DataFileError
from verdicts.core.services import database_migrate
from verdicts.core.starter import starter_catalog_load
from verdicts.similar.services import tool_embeddings_refresh


class Command(BaseCommand):
    help = (
        "Create or migrate the database, collect static files, load the starter catalog and "
        "embed its new tools. "
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
            # New tools get their embeddings now, so tool pages show Alternatives at once
            # (about a second for the starter catalog, on the CPU, offline).
            embedded = tool_embeddings_refresh().embedded
            self.stdout.write(f"Embedded {embedded} tools for their alternatives.")
        else:
            self.stdout.write("Starter catalog already loaded; nothing to add.")
