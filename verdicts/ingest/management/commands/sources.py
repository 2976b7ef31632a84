"""`verdicts sources add|list|remove|run`: the sources the daily pipeline imports from."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from tqdm import tqdm

from verdicts.ingest.import_sources import (
    import_source_add,
    import_source_remove,
    import_source_run,
)
from verdicts.ingest.models import ImportSource
from verdicts.ingest.pipeline import LineKind


class Command(BaseCommand):
    help = "Manage the configured import sources (feeds, Hub searches, GitHub topics) and run them."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="action")
        add = actions.add_parser("add", help="Configure a source.")
        add.add_argument("target", help="A feed URL, hf-search:<query> or github-topic:<topic>")
        actions.add_parser("list", help="List the configured sources and their last run.")
        remove = actions.add_parser("remove", help="Remove a configured source.")
        remove.add_argument("target")
        run = actions.add_parser("run", help="Import from every source (or the ones named).")
        run.add_argument("targets", nargs="*", metavar="target")

    def handle(self, *args, **options):
        action = options["action"]
        if action == "add":
            try:
                source = import_source_add(target=options["target"])
            except ValidationError as error:
                raise CommandError(" ".join(error.messages)) from error
            self.stdout.write(f"added {source.target} ({source.get_kind_display()})")
        elif action == "remove":
            if not import_source_remove(target=options["target"]):
                raise CommandError(f"{options['target']} is not a configured source.")
            self.stdout.write(f"removed {options['target']}")
        elif action == "list":
            self.sources_list()
        else:
            self.sources_run(options["targets"])

    def sources_list(self) -> None:
        sources = list(ImportSource.objects.order_by("target"))
        if not sources:
            self.stdout.write("No sources configured; add one with `verdicts sources add`.")
        for source in sources:
            when = (
                timezone.localtime(source.last_run_at).strftime("%Y-%m-%d %H:%M")
                if source.last_run_at
                else "never run"
            )
            outcome = f": {source.last_outcome}" if source.last_outcome else ""
            self.stdout.write(f"{source.target}\t{source.kind}\t{when}{outcome}")

    def sources_run(self, targets: list[str]) -> None:
        sources = ImportSource.objects.order_by("target")
        if targets:
            sources = sources.filter(target__in=targets)
            missing = set(targets) - set(sources.values_list("target", flat=True))
            if missing:
                raise CommandError(f"not configured: {', '.join(sorted(missing))}")
        refused = 0
        for source in tqdm(list(sources), desc="sources", unit="source", file=self.stderr):
            run = import_source_run(
                source=source, on_line=lambda line: self.stdout.write(str(line))
            )
            refused += sum(line.kind == LineKind.REFUSED for line in run.lines)
            self.stdout.write(f"{source.target}: {run.summary}")
        if refused:
            raise CommandError(f"{refused} refused; the rest was imported.")
