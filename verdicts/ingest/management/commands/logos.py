"""`verdicts logos [slug...]`: fetch the logo the intake found for each tool, once per URL."""

from django.core.management.base import BaseCommand, CommandError

from verdicts.catalog.models import Tool
from verdicts.ingest.logos import LOGO_FACT, tool_logo_fetch


class Command(BaseCommand):
    help = (
        "Fetch each tool's logo from the logo URL its import found, through the safe fetcher, "
        "and store it to be served from this site; a URL already fetched is not asked again, "
        "and one that gave no logo is noted on the tool and asked again a week later."
    )

    def add_arguments(self, parser):
        parser.add_argument("slugs", nargs="*", metavar="tool-slug", help="Default: every tool.")

    def handle(self, *args, **options):
        tools = Tool.objects.filter(fact_sources__fact=LOGO_FACT).order_by("slug")
        if options["slugs"]:
            tools = tools.filter(slug__in=options["slugs"])
            missing = set(options["slugs"]) - set(
                Tool.objects.filter(slug__in=options["slugs"]).values_list("slug", flat=True)
            )
            if missing:
                raise CommandError(f"no such tool: {', '.join(sorted(missing))}")
        stored = failed = 0
        for tool in tools:
            note = tool_logo_fetch(tool=tool)
            if note:
                self.stdout.write(f"{tool.slug}: {note}")
                stored += note.startswith("logo stored")
                failed += note.startswith("logo not kept")
        self.stdout.write(f"{stored} logo(s) stored, {failed} not kept")
