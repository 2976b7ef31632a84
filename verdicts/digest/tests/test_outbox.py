import re

import pytest
from django.core.management import CommandError, call_command

from verdicts.digest.models import Delivery, Issue, Subscriber
from verdicts.digest.services.issues import issue_build
from verdicts.digest.services.outbox import (
    delivery_claim,
    digest_weekly,
    issue_send,
    issue_send_start,
)
from verdicts.digest.services.subscriptions import subscriber_unsubscribe
from verdicts.digest.tests.factories import SubscriberFactory, reviewed_comparison
from verdicts.digest.tokens import message_id_make, unsubscribe_token_make

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def https_site(settings):
    settings.SITE_URL = "https://verdicts.example"


def test_send_reaches_only_confirmed_readers_with_both_parts_and_list_headers(smtp, client):
    comparison = reviewed_comparison()
    readers = SubscriberFactory.create_batch(3)
    SubscriberFactory(email="pending@example.com", status=Subscriber.Status.PENDING)
    SubscriberFactory(email="gone@example.com", status=Subscriber.Status.UNSUBSCRIBED)
    issue = issue_build()

    call_command("digest", "send", str(issue.number), "--foreground")

    assert sorted(smtp.per_recipient()) == sorted(r.email for r in readers)
    assert set(smtp.per_recipient().values()) == {1}
    reader = readers[0]
    [message] = smtp.to(reader.email)
    assert message["Subject"] == f"Weekly AI Tool Verdicts #1: {comparison.title}"
    expected_id = message_id_make(kind="digest", number=1, subscriber_id=reader.pk)
    assert message["Message-ID"] == expected_id
    assert Delivery.objects.get(subscriber=reader).message_id == expected_id
    unsubscribe = re.fullmatch(r"<(https://verdicts\.example/\S+)>", message["List-Unsubscribe"])
    assert unsubscribe
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    for part in (text, html):
        assert comparison.title in part
        assert "The Skeptic" in part
        assert unsubscribe.group(1) in part
        assert "https://verdicts.example/digest/1/" in part
    assert "1 of 2" in html and "Lock-in risk is real!" in text

    # The one-click POST a mail client makes unsubscribes at once.
    path = unsubscribe.group(1).removeprefix("https://verdicts.example")
    assert (
        client.post(path, "List-Unsubscribe=One-Click", content_type="text/plain").status_code
        == 200
    )
    reader.refresh_from_db()
    assert reader.status == Subscriber.Status.UNSUBSCRIBED

    issue.refresh_from_db()
    assert issue.status == Issue.Status.SENT
    call_command("digest", "send", "1", "--foreground")
    assert smtp.count() == 3, "a second run sends nothing again"


def test_message_id_is_stable_and_differs_per_reader(settings):
    first = message_id_make(kind="digest", number=4, subscriber_id=7)
    assert first == message_id_make(kind="digest", number=4, subscriber_id=7)
    assert first != message_id_make(kind="digest", number=4, subscriber_id=8)
    assert first.endswith("@verdicts.example>") and "-7" not in first


def test_unsubscribing_during_a_send_takes_effect_at_once(smtp):
    reviewed_comparison()
    *_, last = SubscriberFactory.create_batch(4)
    issue = issue_build()

    def progress(step: int) -> None:
        if smtp.count() == 1:
            subscriber_unsubscribe(token=unsubscribe_token_make(subscriber_id=last.pk))

    report = issue_send(number=issue.number, progress=progress)

    assert report.sent == 3 and report.finished
    assert smtp.to(last.email) == []
    assert Delivery.objects.get(subscriber=last).status == Delivery.Status.SKIPPED


def test_a_refused_address_is_recorded_and_the_rest_still_get_the_issue(smtp):
    reviewed_comparison()
    readers = SubscriberFactory.create_batch(3)
    smtp.refuse.add(readers[1].email)
    issue = issue_build()

    report = issue_send(number=issue.number)

    assert (report.sent, report.failed, report.finished) == (2, 1, True)
    refused = Delivery.objects.get(subscriber=readers[1])
    assert refused.status == Delivery.Status.FAILED and "550" in refused.error


def test_a_send_left_claimed_by_a_dead_sender_is_resent_once_the_claim_lapses(smtp, settings):
    settings.VERDICTS_DIGEST_LEASE_SECONDS = 0
    reviewed_comparison()
    reader = SubscriberFactory()
    issue = issue_build()

    issue_send_start(number=issue.number)
    delivery = Delivery.objects.get()
    assert delivery_claim(delivery_id=delivery.pk)

    report = issue_send(number=issue.number)

    assert report.sent == 1 and len(smtp.to(reader.email)) == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (Delivery.Status.SENT, 2)


def test_the_command_queues_a_job_and_reports(smtp, capsys):
    reviewed_comparison()
    SubscriberFactory.create_batch(2)
    call_command("digest", "build")
    call_command("digest", "send")
    assert "Issue #1 sent: 2 delivered" in capsys.readouterr().out
    assert smtp.count() == 2
    with pytest.raises(CommandError, match="Every issue is sent"):
        call_command("digest", "send")
    with pytest.raises(CommandError, match="nothing to send"):
        call_command("digest", "build")


def test_the_weekly_job_builds_and_sends_and_then_rests(smtp):
    reviewed_comparison()
    SubscriberFactory.create_batch(2)
    [report] = digest_weekly()
    assert report.sent == 2
    assert digest_weekly() == []
    assert smtp.count() == 2
