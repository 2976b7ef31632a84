"""The configured sources the daily pipeline imports from, and one run of each.

A run holds its source by a lease (`running_since`), taken with one conditional UPDATE, so two
runs never read the same source at once; a killed run's lease expires after SOURCE_LEASE. The
validators (ETag, Last-Modified) are stored only once every entry has been through the import,
so a run killed half-way reads the whole source again next time and loses nothing.
"""

import datetime
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from verdicts.ingest.importers import ImportRefused, importer_for
from verdicts.ingest.importers.base import Validators
from verdicts.ingest.models import ImportSource
from verdicts.ingest.pipeline import ImportLine, LineKind, items_import

SOURCE_LEASE = datetime.timedelta(hours=1)
KIND_OF_PREFIX = {
    "hf-search:": ImportSource.Kind.HUB_SEARCH,
    "github-topic:": ImportSource.Kind.GITHUB_TOPIC,
    "http://": ImportSource.Kind.FEED,
    "https://": ImportSource.Kind.FEED,
}


@dataclass(frozen=True)
class SourceRun:
    source: ImportSource
    lines: list[ImportLine]
    not_modified: bool = False
    busy: bool = False  # another run holds the source; nothing was read

    @property
    def summary(self) -> str:
        if self.busy:
            return "skipped: another run is reading this source"
        if self.not_modified:
            return "not modified since the last run"
        counts = Counter(line.kind for line in self.lines)
        parts = [f"{counts[kind]} {kind}" for kind in LineKind if counts[kind]]
        return ", ".join(parts) or "no entries"


def import_source_add(*, target: str) -> ImportSource:
    """Configure a source; ValidationError when no importer reads it or it is already there."""
    target = target.strip()
    try:
        importer_for(target)
    except ImportRefused as error:
        raise ValidationError(f"{target!r} is {error}") from error
    kind = next(
        (kind for prefix, kind in KIND_OF_PREFIX.items() if target.lower().startswith(prefix)),
        ImportSource.Kind.OTHER,
    )
    try:
        with transaction.atomic():
            return ImportSource.objects.create(target=target, kind=kind)
    except IntegrityError as error:
        raise ValidationError(f"{target} is already a configured source.") from error


def import_source_remove(*, target: str) -> bool:
    """Remove a configured source; False when there was none."""
    deleted, _ = ImportSource.objects.filter(target=target.strip()).delete()
    return bool(deleted)


def lease_take(source: ImportSource, now: datetime.datetime) -> bool:
    free = Q(running_since__isnull=True) | Q(running_since__lt=now - SOURCE_LEASE)
    return bool(ImportSource.objects.filter(Q(pk=source.pk) & free).update(running_since=now))


def import_source_run(
    *, source: ImportSource, on_line: Callable[[ImportLine], None] | None = None
) -> SourceRun:
    """Read a source (conditionally), import every entry, and record the outcome."""
    started = timezone.now()
    if not lease_take(source, started):
        return SourceRun(source=source, lines=[], busy=True)
    lines: list[ImportLine] = []

    def record(line: ImportLine) -> None:
        lines.append(line)
        if on_line is not None:
            on_line(line)

    validators = Validators(etag=source.etag, last_modified=source.last_modified)
    not_modified = False
    try:
        try:
            read = importer_for(source.target).read_conditional(
                source.target, validators=validators
            )
        except ImportRefused as error:
            read = None
            record(ImportLine(LineKind.REFUSED, source.target, str(error)))
        if read is not None and read.items is None:
            not_modified = True
        elif read is not None:
            for line in items_import(items=read.items):
                record(line)
            validators = read.validators
    finally:
        run = SourceRun(source=source, lines=lines, not_modified=not_modified)
        ImportSource.objects.filter(pk=source.pk, running_since=started).update(
            running_since=None,
            last_run_at=timezone.now(),
            last_outcome=run.summary[:300],
            etag=validators.etag[:300],
            last_modified=validators.last_modified[:100],
        )
    source.refresh_from_db()
    return SourceRun(source=source, lines=lines, not_modified=not_modified)
