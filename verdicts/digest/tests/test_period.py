"""An issue says the span it really covers: "this week" only when it is within seven days."""

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from verdicts.digest.messages import IssueMailing
from verdicts.digest.services.issues import issue_build
from verdicts.digest.services.outbox import issue_send_start
from verdicts.digest.tests.factories import reviewed_comparison


def every_version(client, issue) -> list[str]:
    """The issue's text part, its HTML part and its web page."""
    mailing = IssueMailing(issue)
    issue_send_start(number=issue.number)
    return [mailing.text, mailing.html, client.get(issue.get_absolute_url()).content.decode()]


@pytest.mark.django_db
def test_the_first_starter_issue_names_its_two_month_span(client, starter):
    issue = issue_build(now=datetime(2026, 11, 28, 9, tzinfo=UTC))
    assert len(issue.items) == 10
    for version in every_version(client, issue):
        assert "10 new comparisons from 1 Oct to 20 Nov" in version
        assert "this week" not in version


@pytest.mark.django_db
def test_an_issue_of_the_last_few_days_says_this_week(client):
    now = timezone.now()
    reviewed_comparison(published_at=now - timedelta(days=6))
    issue = issue_build(now=now)
    for version in every_version(client, issue):
        assert "1 new comparison this week" in version


@pytest.mark.django_db
def test_a_span_across_new_year_names_the_years(client):
    now = datetime(2027, 1, 20, 9, tzinfo=UTC)
    reviewed_comparison(published_at=datetime(2026, 12, 30, 9, tzinfo=UTC))
    assert issue_build(now=now).period == "on 30 Dec 2026"
