"""One mailbox is one subscriber, whether its domain is written in Unicode or in punycode."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from verdicts.digest.models import Subscriber
from verdicts.digest.services.subscriptions import (
    SignupRefused,
    email_normalize,
    subscriber_signup,
)

pytestmark = pytest.mark.django_db

UNICODE = "user@bücher.example"
PUNYCODE = "user@xn--bcher-kva.example"


@pytest.mark.parametrize(
    "email",
    [
        UNICODE,
        PUNYCODE,
        "User@BÜCHER.example",
        "user@XN--BCHER-KVA.EXAMPLE",
        " user@bücher.example ",
    ],
)
def test_every_spelling_of_the_domain_is_stored_as_lower_case_punycode(email):
    assert email_normalize(email=email) == PUNYCODE


def test_an_ascii_address_is_only_lower_cased():
    assert email_normalize(email="New.Reader@Example.COM") == "new.reader@example.com"


def test_a_domain_idna_cannot_encode_is_refused():
    with pytest.raises(SignupRefused, match="Enter a valid email address"):
        email_normalize(email=f"user@{'ü' * 70}.example")


@pytest.mark.django_db
def test_signing_up_as_unicode_then_as_punycode_makes_one_subscriber(
    smtp, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        subscriber_signup(email=UNICODE, client_key="one")
        subscriber_signup(email=PUNYCODE, client_key="two")
        subscriber_signup(email="USER@Bücher.Example", client_key="three")

    assert list(Subscriber.objects.values_list("email", flat=True)) == [PUNYCODE]
    assert smtp.count() == 1  # the later signups came within the resend window


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_the_migration_normalises_stored_rows_and_merges_the_two_spellings():
    old = migrate([("digest", "0001_initial")])
    subscriber = old.get_model("digest", "Subscriber")
    issue = old.get_model("digest", "Issue").objects.create(
        number=1, subject="One", covers_until="2026-11-01T00:00Z"
    )
    delivery = old.get_model("digest", "Delivery")
    alone = subscriber.objects.create(email="solo@bücher.example", status="confirmed")
    punycode = subscriber.objects.create(email=PUNYCODE, status="pending")
    unicode = subscriber.objects.create(email=UNICODE, status="confirmed")
    delivery.objects.create(issue=issue, subscriber=unicode, message_id="<1@x>", status="sent")
    plain = subscriber.objects.create(email="plain@example.com", status="unsubscribed")

    new = migrate([("digest", "0002_subscriber_email_idna")])

    rows = {row.email: row for row in new.get_model("digest", "Subscriber").objects.order_by("pk")}
    assert sorted(rows) == sorted(["solo@xn--bcher-kva.example", PUNYCODE, "plain@example.com"])
    assert rows["solo@xn--bcher-kva.example"].pk == alone.pk
    merged = rows[PUNYCODE]
    assert merged.pk == punycode.pk and merged.status == "confirmed"
    assert new.get_model("digest", "Delivery").objects.get().subscriber_id == merged.pk
    assert rows["plain@example.com"].pk == plain.pk
    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
