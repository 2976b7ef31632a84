"""`verdicts similar`: embed the catalog's tools, and show a tool's alternatives."""

import sys

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from verdicts.catalog.models import Tool
from verdicts.similar.selectors import tool_alternatives
from verdicts.similar.services import tool_embeddings_refresh


class Command(BaseCommand):
    help = "Embed tools for the similar-tools score, and show a tool's nearest alternatives."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        actions.add_parser("embed", help="Embed every tool whose text or model changed.")
        show = actions.add_parser("show", help="A tool's alternatives, with score and reasons.")
        show.add_argument("slug")
        show.add_argument("--limit", type=int, default=5)

    def handle(self, *args, **options):
        if options["action"] == "embed":
            self.embed()
        else:
            self.show(slug=options["slug"], limit=options["limit"])

    def embed(self) -> None:
        with tqdm(total=Tool.objects.count(), unit="tool", file=sys.stderr) as bar:
            refresh = tool_embeddings_refresh(on_progress=bar.update)
        self.stdout.write(f"{refresh.embedded} embedded, {refresh.unchanged} unchanged.")

    def show(self, *, slug: str, limit: int) -> None:
        tool = Tool.objects.select_related("category").prefetch_related("plans").filter(slug=slug)
        tool = tool.first()
        if tool is None:
            raise CommandError(f"No tool with the slug {slug!r}.")
        alternatives = tool_alternatives(tool=tool, limit=limit)
        if not alternatives:
            self.stdout.write(f"No alternatives for {slug} yet: run `verdicts similar embed`.")
        for alternative in alternatives:
            reasons = ", ".join(alternative.reasons) or "nearest description"
            self.stdout.write(f"{alternative.score:.3f}  {alternative.tool.slug}  {reasons}")
