"""`verdicts import <file-or-target>...`: import tools from files and registries as drafts."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from verdicts.ingest.importers import ImportRefused, Refusal, importer_for
from verdicts.ingest.intake import FactsOutcome, tool_facts_import


def validation_reason(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        return "; ".join(
            f"{name}: {' '.join(messages)}" for name, messages in error.message_dict.items()
        )
    return " ".join(error.messages)


class Command(BaseCommand):
    help = (
        "Import tools from files in the starter format (.json, .toml) and from the package "
        "index (pypi:<name>); new tools arrive as drafts, re-imports update what changed."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "targets",
            nargs="+",
            metavar="file-or-target",
            help="A .json or .toml file of tools, pypi:<name>, or https://pypi.org/project/<name>/",
        )

    def handle(self, *args, **options):
        refused = 0
        for target in options["targets"]:
            try:
                items = importer_for(target).read(target)
            except ImportRefused as error:
                self.stdout.write(f"refused {target}: {error}")
                refused += 1
                continue
            for item in items:
                if isinstance(item, Refusal):
                    self.stdout.write(f"refused {item.target}: {item.reason}")
                    refused += 1
                    continue
                try:
                    result = tool_facts_import(facts=item)
                except ValidationError as error:
                    self.stdout.write(f"refused {item.target}: {validation_reason(error)}")
                    refused += 1
                    continue
                except DatabaseError as error:
                    self.stdout.write(f"refused {item.target}: {error}")
                    refused += 1
                    continue
                line = f"{result.outcome} {result.tool.slug}"
                if result.outcome == FactsOutcome.UPDATED:
                    line += f" ({', '.join(result.changed)})"
                self.stdout.write(line)
        if refused:
            raise CommandError(f"{refused} refused; the rest was imported.")
