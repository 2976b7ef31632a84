import re
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from verdicts.compare.tests.factories import ComparisonFactory
from verdicts.digest.models import Delivery, Issue, Subscriber
from verdicts.digest.services import NothingToBuild, digest_weekly, issue_build, issue_send
from verdicts.digest.tasks import weekly_schedule
from verdicts.digest.tests.factories import SubscriberFactory, reviewed_comparison
from verdicts.digest.tokens import message_id_make

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def https_site(settings):
    settings.SITE_URL = "https://verdicts.example"


def test_build_takes_what_was_published_since_the_last_issue():
    old = reviewed_comparison(published_at=timezone.now() - timedelta(days=3))
    ComparisonFactory(published_at=None)

    first = issue_build()
    assert first.number == 1
    [item] = first.items
    assert item["title"] == old.title
    assert [side["panel"]["count"] for side in item["sides"]] == [1, 0]
    assert [side["panel"]["total"] for side in item["sides"]] == [2, 2]
    assert item["lines"][0] == {
        "persona": "The Builder",
        "verdicts": f"Ships {old.tool_a.name}, skips {old.tool_b.name}",
        "about": old.tool_a.name,
        "line": "Ships fast.",
    }
    with pytest.raises(NothingToBuild):
        issue_build()

    new = ComparisonFactory()
    second = issue_build()
    assert (second.number, [i["title"] for i in second.items]) == (2, [new.title])
    assert second.covers_from == first.covers_until


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
    from verdicts.digest.services import subscriber_unsubscribe
    from verdicts.digest.tokens import unsubscribe_token_make

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
    from verdicts.digest.services import delivery_claim, issue_send_start

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


def test_weekly_schedule_parses_and_refuses_nonsense():
    assert weekly_schedule("mon 08:00") == {"day_of_week": "1", "hour": "8", "minute": "0"}
    assert weekly_schedule("Sunday 23:59") == {"day_of_week": "0", "hour": "23", "minute": "59"}
    assert weekly_schedule("off") is None
    from django.core.exceptions import ImproperlyConfigured

    for bad in ("monday", "mon 25:00", "funday 08:00", "mon 8"):
        with pytest.raises(ImproperlyConfigured):
            weekly_schedule(bad)


def test_issue_pages_cost_fixed_queries_and_drafts_stay_private(
    client, smtp, django_assert_num_queries
):
    for _ in range(3):
        reviewed_comparison()
    issue_build()
    assert client.get("/digest/1/").status_code == 404
    issue_send(number=1)
    with django_assert_num_queries(1):
        page = client.get("/digest/1/")
    assert page.status_code == 200 and "The Builder" in page.text
    with django_assert_num_queries(1):
        archive = client.get("/digest/")
    assert "#1:" in archive.text


def test_a_check_warns_when_real_mail_would_carry_http_links(settings):
    from verdicts.digest.checks import site_url_is_https

    settings.EMAIL_URL = "smtp://mail.example:587"
    settings.SITE_URL = "http://verdicts.example"
    assert [warning.id for warning in site_url_is_https(None)] == ["digest.W001"]
    settings.SITE_URL = "https://verdicts.example"
    assert site_url_is_https(None) == []
