"""`verdicts import <file-or-target>...`: import tools from files, registries, pages and feeds."""

from django.core.management.base import BaseCommand, CommandError

from verdicts.ingest.pipeline import LineKind, target_import


class Command(BaseCommand):
    help = (
        "Import tools from starter-format files, the package index (pypi:<name>), the Hugging "
        "Face Hub (hf:<owner>/<name>), GitHub (github:<owner>/<repo>), web pages and feeds; new "
        "tools arrive as drafts, re-imports update what changed."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "targets",
            nargs="+",
            metavar="file-or-target",
            help="A .json/.toml file or feed file, pypi:<name>, hf:<owner>/<name>, "
            "github:<owner>/<repo>, hf-search:<query>, github-topic:<topic>, or an http(s) "
            "page or feed URL",
        )
        parser.add_argument(
            "--no-check",
            action="store_true",
            help="Do not check new tools at the registries their facts name.",
        )

    def handle(self, *args, **options):
        refused = 0
        for target in options["targets"]:
            for line in target_import(target=target, check_registries=not options["no_check"]):
                refused += line.kind == LineKind.REFUSED
                self.stdout.write(str(line))
        if refused:
            raise CommandError(f"{refused} refused; the rest was imported.")
