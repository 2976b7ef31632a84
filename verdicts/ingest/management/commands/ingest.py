"""`verdicts ingest docs <tool-slug> <path-or-url>` imports a tool's documentation text."""

import re
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from verdicts.catalog.models import Tool
from verdicts.ingest.models import ToolDocument
from verdicts.ingest.services import ImportOutcome, tool_document_import
from verdicts.ingest.sources import NotARegularFile, text_from_file, text_from_url

TITLE_MAX = ToolDocument._meta.get_field("title").max_length


class Command(BaseCommand):
    help = "Import documentation for the panel to read (`ingest docs`)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        docs = sub.add_parser(
            "docs",
            help="Import a tool's documentation from a UTF-8 file or an http(s) URL; importing "
            "the same source again updates it.",
        )
        docs.add_argument("tool", metavar="tool-slug")
        docs.add_argument("source", metavar="path-or-url")
        docs.add_argument(
            "--title",
            default="",
            help="The document's title (default: the page's <title>, the URL, or the file name). "
            "A file's document is identified by its title.",
        )

    def handle(self, *args, **options):
        tool = Tool.objects.filter(slug=options["tool"]).first()
        if tool is None:
            raise CommandError(f"Unknown tool slug {options['tool']!r}.")
        source = options["source"]
        is_url = re.match(r"https?://", source, flags=re.I) is not None
        try:
            if is_url:
                fetched = text_from_url(
                    source,
                    max_bytes=settings.VERDICTS_DOCUMENT_MAX_BYTES,
                    timeout=settings.VERDICTS_DOCUMENT_FETCH_TIMEOUT,
                )
            else:
                fetched = text_from_file(
                    Path(source), max_bytes=settings.VERDICTS_DOCUMENT_MAX_BYTES
                )
            title = options["title"] or (fetched.title or source)[:TITLE_MAX]
            result = tool_document_import(
                tool=tool, title=title, text=fetched.text, source_url=source if is_url else ""
            )
        except NotARegularFile as error:
            raise CommandError(error.message) from error
        except ValidationError as error:
            raise CommandError(f"Nothing imported: {' '.join(error.messages)}") from error
        document = result.document
        summary = (
            f"{tool.slug} / {document.title!r}: {len(document.text)} characters, "
            f"sha256 {document.content_sha256[:12]}"
        )
        if result.outcome == ImportOutcome.UPDATED:
            summary += f" (was {result.previous_chars} characters)"
        self.stdout.write(f"{result.outcome}: {summary}")
