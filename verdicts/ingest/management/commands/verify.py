"""`verdicts verify [slug...]`: check tools at the registries their facts name."""

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from verdicts.catalog.models import Tool
from verdicts.ingest.pipeline import LineKind, tool_registries_check


class Command(BaseCommand):
    help = (
        "Ask GitHub, the Hugging Face Hub and the package index for the repository, model and "
        "package each tool names; a tool whose artifact does not exist is marked unverified."
    )

    def add_arguments(self, parser):
        parser.add_argument("slugs", nargs="*", metavar="tool-slug", help="Default: every tool.")
        parser.add_argument(
            "--unchecked",
            action="store_true",
            help="Only the registries that have not answered for a tool yet.",
        )

    def handle(self, *args, **options):
        tools = Tool.objects.order_by("slug")
        if options["slugs"]:
            tools = tools.filter(slug__in=options["slugs"])
            missing = set(options["slugs"]) - set(tools.values_list("slug", flat=True))
            if missing:
                raise CommandError(f"no such tool: {', '.join(sorted(missing))}")
        counts = {kind: 0 for kind in LineKind}
        for tool in tqdm(list(tools), desc="tools", unit="tool", file=self.stderr):
            for line in tool_registries_check(tool=tool, only_unchecked=options["unchecked"]):
                counts[line.kind] += 1
                self.stdout.write(str(line))
        self.stdout.write(
            f"{counts[LineKind.VERIFIED]} verified, {counts[LineKind.UNVERIFIED]} unverified, "
            f"{counts[LineKind.REFUSED]} not checked"
        )
        if counts[LineKind.REFUSED]:
            raise CommandError(f"{counts[LineKind.REFUSED]} could not be checked; try again later.")
