"""Runs of the daily pipeline: taking the one run's lease, recording items, finishing it.

Only one run is under way at a time (a partial unique constraint on the running status). A run
whose heartbeat stopped for longer than VERDICTS_DAILY_LEASE_SECONDS was killed: the next start
takes its lease with one conditional UPDATE and resumes it, skipping the items it finished.
"""

import datetime
import uuid
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import IntegrityError, transaction
from django.utils import timezone

from verdicts.common.heartbeat import heartbeat_beating
from verdicts.daily.models import DailyItem, DailyRun, DailyStatus, ItemStatus

PUBLISH_MODES = ("auto", "review")


class LeaseLost(BaseException):
    """Another process took this run over (its heartbeat had stopped): stop at once. A
    BaseException, so the steps' per-item error handling lets it through."""


def lease() -> datetime.timedelta:
    return datetime.timedelta(seconds=settings.VERDICTS_DAILY_LEASE_SECONDS)


@dataclass
class DailyContext:
    """What a step works with: its run, the lease token, and where to print progress."""

    run: DailyRun
    token: str
    say: Callable[[str], None] = lambda line: None
    done_keys: set[tuple[str, str]] = field(default_factory=set)

    @property
    def publish_mode(self) -> str:
        return self.run.publish_mode

    def is_done(self, step: str, key: str) -> bool:
        return (step, key) in self.done_keys

    def item(self, step: str, key: str) -> DailyItem | None:
        return DailyItem.objects.filter(run=self.run, step=step, key=key).first()

    def record(
        self, step: str, key: str, *, data: dict, status: str = ItemStatus.DONE
    ) -> DailyItem:
        """Store an item's outcome (in the caller's transaction, if any) and renew the lease."""
        item, _ = DailyItem.objects.update_or_create(
            run=self.run, step=step, key=key, defaults={"status": status, "data": data}
        )
        if status == ItemStatus.DONE:
            self.done_keys.add((step, key))
        daily_run_heartbeat(run=self.run, token=self.token)
        return item

    def error(self, step: str, key: str, error: BaseException | str) -> None:
        message = str(error).strip().splitlines()[0] if str(error).strip() else repr(error)
        self.record(step, key, data={"error": message[:500]}, status=ItemStatus.ERROR)
        self.say(f"error {step} {key}: {message}")


@dataclass(frozen=True)
class DailyStart:
    """A started or resumed run, or the run already under way (`busy`)."""

    context: DailyContext | None
    resumed: bool = False
    busy: DailyRun | None = None


def daily_run_heartbeat(*, run: DailyRun, token: str) -> None:
    """Renew the lease; LeaseLost when another process has taken the run."""
    if not DailyRun.objects.filter(pk=run.pk, owner=token).update(heartbeat_at=timezone.now()):
        raise LeaseLost(f"Daily run {run.pk} was taken over by another process.")


def daily_run_start(
    *,
    publish_mode: str,
    say: Callable[[str], None] = lambda line: None,
    now: datetime.datetime | None = None,
) -> DailyStart:
    """Resume the killed run, start a new one, or report the one under way."""
    if publish_mode not in PUBLISH_MODES:
        raise ImproperlyConfigured(
            f'VERDICTS_DAILY_PUBLISH must be "auto" or "review", got {publish_mode!r}'
        )
    now = now or timezone.now()
    token = uuid.uuid4().hex
    running = DailyRun.objects.filter(status=DailyStatus.RUNNING).first()
    if running is not None:
        taken = DailyRun.objects.filter(
            pk=running.pk, status=DailyStatus.RUNNING, heartbeat_at__lt=now - lease()
        ).update(owner=token, heartbeat_at=now)
        if not taken:
            return DailyStart(context=None, busy=running)
        running.refresh_from_db()
        return DailyStart(context=context_load(run=running, token=token, say=say), resumed=True)
    try:
        with transaction.atomic():
            run = DailyRun.objects.create(
                started_at=now, heartbeat_at=now, owner=token, publish_mode=publish_mode
            )
    except IntegrityError:
        # Another process started a run a moment ago: that one stands.
        return DailyStart(
            context=None, busy=DailyRun.objects.filter(status=DailyStatus.RUNNING).first()
        )
    return DailyStart(context=DailyContext(run=run, token=token, say=say))


def context_load(*, run: DailyRun, token: str, say: Callable[[str], None]) -> DailyContext:
    done = DailyItem.objects.filter(run=run, status=ItemStatus.DONE).values_list("step", "key")
    return DailyContext(run=run, token=token, say=say, done_keys=set(done))


def daily_run_step_set(*, context: DailyContext, step: str) -> None:
    context.run.step = step
    DailyRun.objects.filter(pk=context.run.pk, owner=context.token).update(step=step)


def daily_run_finish(*, context: DailyContext, summary: dict) -> DailyRun:
    """Close the run with its summary; the lease is released with it."""
    run = context.run
    run.status = DailyStatus.ERRORS if summary.get("errors") else DailyStatus.DONE
    run.finished_at = timezone.now()
    run.summary, run.step, run.owner = summary, "", ""
    updated = DailyRun.objects.filter(pk=run.pk, owner=context.token).update(
        status=run.status, finished_at=run.finished_at, summary=summary, step="", owner=""
    )
    if not updated:
        raise LeaseLost(f"Daily run {run.pk} was taken over by another process.")
    return run


def heartbeat_kept(*, context: DailyContext) -> AbstractContextManager[None]:
    """Renew the lease from a thread while the run works, so a long model call never lets it
    lapse; only a dead process stops the heartbeat."""
    return heartbeat_beating(
        beat=lambda: DailyRun.objects.filter(pk=context.run.pk, owner=context.token).update(
            heartbeat_at=timezone.now()
        ),
        every=max(0.5, settings.VERDICTS_DAILY_LEASE_SECONDS / 4),
        name=f"daily-{context.run.pk}-heartbeat",
    )
