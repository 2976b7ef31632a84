"""The weekly job runs on every worker at once: one issue is built and each reader gets it once."""

import threading

import pytest
from django.db import connection

from verdicts.catalog.tests.factories import ComparisonFactory
from verdicts.digest.models import Issue
from verdicts.digest.services.issues import issue_build
from verdicts.digest.services.outbox import digest_weekly
from verdicts.digest.tests.factories import SubscriberFactory


def weekly_on_two_workers() -> list[Exception]:
    """Run the weekly job in two threads started together; what either raised."""
    start = threading.Barrier(2)
    raised: list[Exception] = []

    def worker() -> None:
        try:
            start.wait()
            digest_weekly()
        except Exception as error:
            raised.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
        assert not thread.is_alive(), "the weekly job never finished"
    return raised


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("issues_before", [0, 1])
def test_the_weekly_job_on_two_workers_builds_one_issue_and_mails_each_reader_once(
    smtp, settings, issues_before
):
    # A sender that finds the other's claims open waits for them to lapse: keep that short.
    settings.VERDICTS_DIGEST_LEASE_SECONDS = 2
    for _ in range(issues_before):
        ComparisonFactory()
        issue_build()
        Issue.objects.update(status=Issue.Status.SENT)
    ComparisonFactory()
    readers = SubscriberFactory.create_batch(5)
    smtp.received.clear()

    assert weekly_on_two_workers() == []

    number = issues_before + 1
    assert list(Issue.objects.values_list("number", flat=True)) == list(range(number, 0, -1))
    assert Issue.objects.get(number=number).status == Issue.Status.SENT
    assert smtp.per_recipient() == {reader.email: 1 for reader in readers}
