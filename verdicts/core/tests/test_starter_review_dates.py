"""Starter editorial reviews are dated the day they were written, before their comparisons."""

import datetime
import re

import pytest
from django.utils import timezone

from verdicts.catalog.models import Comparison
from verdicts.common.datafiles import DataFileError
from verdicts.core.starter import starter_catalog_load, starter_files_read
from verdicts.core.tests.test_init import copy_starter
from verdicts.panel.models import Review


@pytest.mark.django_db
def test_no_starter_review_is_dated_after_a_comparison_it_appears_in(starter):
    comparisons = list(Comparison.objects.published())
    assert comparisons
    for comparison in comparisons:
        reviews = Review.objects.filter(tool__in=comparison.tools)
        assert reviews.count() == 8
        for review in reviews:
            assert review.created_at < comparison.published_at, (comparison, review)


@pytest.mark.django_db
def test_starter_review_dates_come_from_the_data_not_today(starter):
    _, _, tools, _ = starter_files_read()
    written = {
        (tool.slug, review.persona): review.written_on for tool in tools for review in tool.reviews
    }
    loaded = {
        (review.tool.slug, review.persona.slug): review.created_at.date()
        for review in Review.objects.select_related("tool", "persona")
    }
    assert loaded == written
    assert timezone.localdate() not in set(loaded.values())


@pytest.mark.django_db
def test_the_tool_page_shows_the_written_date(client, starter):
    html = client.get("/tools/smolvlm-3b/").content.decode()
    assert "Written by Verdicts editorial · 14 Nov 2026" in html


def dated(starter_dir, slug: str, day: str) -> None:
    """Give the first review in a tool file another written_on."""
    path = starter_dir / "tools" / f"{slug}.toml"
    text = path.read_text()
    first = re.search(r"^written_on = .*$", text, flags=re.M)
    path.write_text(text[: first.start()] + f"written_on = {day}" + text[first.end() :])


@pytest.mark.django_db
def test_a_review_written_after_its_comparison_is_refused(tmp_path):
    starter_dir = copy_starter(tmp_path)
    dated(starter_dir, "smolvlm-3b", "2026-11-20")
    with pytest.raises(DataFileError, match=r"smolvlm-3b.*builder.*2026-11-20"):
        starter_catalog_load(starter_dir=starter_dir)
    assert Review.objects.count() == 0


@pytest.mark.django_db
def test_a_review_dated_in_the_future_is_refused(tmp_path):
    starter_dir = copy_starter(tmp_path)
    future = timezone.now().date() + datetime.timedelta(days=2)
    dated(starter_dir, "deepgram-nova-3", future.isoformat())
    with pytest.raises(DataFileError, match="in the future"):
        starter_catalog_load(starter_dir=starter_dir)


@pytest.mark.django_db
def test_a_review_without_a_written_date_is_refused_with_its_file(tmp_path):
    starter_dir = copy_starter(tmp_path)
    path = starter_dir / "tools" / "cursor.toml"
    lines = path.read_text().splitlines(keepends=True)
    path.write_text("".join(line for line in lines if not line.startswith("written_on")))
    with pytest.raises(DataFileError, match=r"cursor\.toml.*\n?.*written_on"):
        starter_catalog_load(starter_dir=starter_dir)
