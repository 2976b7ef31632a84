"""`verdicts search rebuild`: index every tool and comparison again."""

from django.core.management.base import BaseCommand

from verdicts.search.services import search_index_rebuild


class Command(BaseCommand):
    help = "Manage the full-text search index (kept current by database triggers)."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        actions.add_parser("rebuild", help="Index every tool and comparison from scratch.")

    def handle(self, *args, **options):
        rebuilt = search_index_rebuild()
        self.stdout.write(f"Indexed {rebuilt.tools} tools and {rebuilt.comparisons} comparisons.")
