"""The periodic job's schedule, the resumer's trigger, and the read-only admin."""

import datetime
from unittest import mock

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse
from django.utils import timezone
from huey.contrib.djhuey import HUEY

from verdicts.daily import tasks
from verdicts.daily.models import DailyItem, DailyRun, DailyStatus, ItemStatus
from verdicts.daily.tasks import daily_schedule


def test_the_schedule_is_a_utc_time_or_off():
    assert daily_schedule("05:30") == {"hour": "5", "minute": "30"}
    assert daily_schedule(" 23:59 ") == {"hour": "23", "minute": "59"}
    assert daily_schedule("off") is None
    for bad in ("5.30", "24:00", "mon 05:30", "noon"):
        with pytest.raises(ImproperlyConfigured):
            daily_schedule(bad)


def test_the_worker_has_the_daily_job_and_its_resumer():
    names = set(HUEY._registry._registry)
    assert {"verdicts.daily.tasks.daily_task", "verdicts.daily.tasks.daily_resume_task"} <= names


@pytest.mark.django_db
def test_the_resumer_runs_the_pipeline_only_when_a_run_was_left_dead():
    with mock.patch.object(tasks, "daily_run_logged") as run:
        tasks.daily_resume_task.call_local()
        assert not run.called
        an_hour_ago = timezone.now() - datetime.timedelta(hours=1)
        DailyRun.objects.create(
            started_at=an_hour_ago, heartbeat_at=an_hour_ago, publish_mode="auto"
        )
        tasks.daily_resume_task.call_local()
        assert run.called


@pytest.mark.django_db
def test_the_admin_shows_a_run_with_its_summary_and_items_read_only(admin_client):
    now = timezone.now()
    run = DailyRun.objects.create(
        started_at=now,
        heartbeat_at=now,
        finished_at=now,
        status=DailyStatus.DONE,
        publish_mode="review",
        summary={
            "sources": [], "rivals": [], "notes": [], "errors": [], "embeddings": None,
            "tools": {"created": 2, "updated": 0, "unchanged": 1, "refused": 0},
            "verification": {"verified": 0, "unverified": 0, "not_checked": 0},
            "reviews": {"panel_runs": 1, "written": 4, "spend_usd": "0.0100"},
            "comparisons": {"drafted": [], "published": [], "waiting": []},
        },
    )  # fmt: skip
    DailyItem.objects.create(run=run, step="sources", key="feed", status=ItemStatus.DONE)

    page = admin_client.get(reverse("admin:daily_dailyrun_change", args=[run.pk]))
    listing = admin_client.get(reverse("admin:daily_dailyrun_changelist"))

    assert page.status_code == 200 and listing.status_code == 200
    assert "Reviews: 4 written in 1 panel run(s), $0.0100 spent" in page.text
    assert "feed" in page.text and 'name="_save"' not in page.text
    assert admin_client.get(reverse("admin:daily_dailyrun_add")).status_code == 403
