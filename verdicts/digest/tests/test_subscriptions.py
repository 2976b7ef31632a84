import re
import time
from unittest import mock

import pytest
from django.test import Client

from verdicts.catalog.tests.factories import ComparisonFactory
from verdicts.digest.models import Subscriber
from verdicts.digest.tests.factories import SubscriberFactory
from verdicts.digest.tokens import confirm_token_make, unsubscribe_url

pytestmark = pytest.mark.django_db

THANKS = "a confirmation link is on its way"


@pytest.fixture(autouse=True)
def https_site(settings):
    settings.SITE_URL = "https://verdicts.example"


def signup(client, capture, email, **extra):
    with capture(execute=True):
        return client.post("/digest/subscribe/", {"email": email, "place": "footer", **extra})


def link_in(message, kind: str) -> str:
    text = message.get_body(preferencelist=("plain",)).get_content()
    return re.search(rf"https://verdicts\.example(/digest/{kind}/[^/\s]+/)", text).group(1)


def test_signup_mails_a_confirmation_whose_link_works_once(
    client, smtp, django_capture_on_commit_callbacks
):
    response = signup(client, django_capture_on_commit_callbacks, "New.Reader@Example.com")

    assert response.status_code == 200
    assert THANKS in response.text
    [message] = smtp.to("new.reader@example.com")
    assert message["Subject"] == "Confirm your subscription to Weekly AI Tool Verdicts"
    assert message["List-Unsubscribe"].startswith("<https://verdicts.example/digest/unsubscribe/")
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "Confirm my subscription" in message.get_body(preferencelist=("html",)).get_content()
    path = link_in(message, "confirm")
    subscriber = Subscriber.objects.get(email="new.reader@example.com")
    assert subscriber.status == Subscriber.Status.PENDING

    page = client.get(path)
    assert page.status_code == 200 and "Yes, subscribe me" in page.text
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.PENDING, "a GET must not confirm"

    assert client.post(path).status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.CONFIRMED

    replay = client.post(path)
    assert replay.status_code == 410 and "already used" in replay.text
    assert client.get(path).status_code == 410


def test_the_reply_is_the_same_for_a_new_and_an_existing_address(
    smtp, django_capture_on_commit_callbacks
):
    SubscriberFactory(email="known@example.com")
    new = signup(Client(), django_capture_on_commit_callbacks, "stranger@example.com")
    known = signup(Client(), django_capture_on_commit_callbacks, "KNOWN@example.com")

    def visible(response) -> str:
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.text)

    assert (new.status_code, visible(new)) == (known.status_code, visible(known))
    assert smtp.to("known@example.com") == [], "a confirmed reader gets no confirmation mail"
    assert len(smtp.to("stranger@example.com")) == 1


def test_an_expired_link_confirms_nothing(client, smtp):
    subscriber = SubscriberFactory(status=Subscriber.Status.PENDING, confirm_nonce="n0nce")
    with mock.patch("django.core.signing.time.time", return_value=time.time() - 49 * 3600):
        token = confirm_token_make(subscriber_id=subscriber.pk, nonce="n0nce")

    for response in (
        client.get(f"/digest/confirm/{token}/"),
        client.post(f"/digest/confirm/{token}/"),
    ):
        assert response.status_code == 410
        assert "expired" in response.text
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.PENDING


def test_a_newer_confirmation_replaces_the_older_link(client, smtp):
    subscriber = SubscriberFactory(status=Subscriber.Status.PENDING, confirm_nonce="second")
    old = confirm_token_make(subscriber_id=subscriber.pk, nonce="first")
    assert client.post(f"/digest/confirm/{old}/").status_code == 410
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.PENDING


def test_tampered_tokens_get_a_404_that_reveals_nothing(client):
    subscriber = SubscriberFactory(email="private@example.com", confirm_nonce="n")
    good_confirm = confirm_token_make(subscriber_id=subscriber.pk, nonce="n")
    good_unsub = unsubscribe_url(subscriber_id=subscriber.pk).rstrip("/").rsplit("/", 1)[1]
    for kind, token in (("confirm", good_confirm), ("unsubscribe", good_unsub)):
        for forged in (token[:-1] + ("A" if token[-1] != "A" else "B"), "MQ:forged", "x"):
            for method in (client.get, client.post):
                response = method(f"/digest/{kind}/{forged}/")
                assert response.status_code == 404
                assert "private@example.com" not in response.text
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.CONFIRMED


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"email": "not-an-address"}, "Enter a valid email address"),
        ({"email": "a@example.com\r\nBcc: victim@example.com"}, "Line breaks are not allowed"),
        ({"email": "a@example.com\n"}, "Line breaks are not allowed"),
        ({"email": "a@example.com", "place": "footer\r\nX-Injected: 1"}, "Line breaks are not"),
        ({"email": ""}, "Enter your email address"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message(
    client, smtp, django_capture_on_commit_callbacks, fields, error
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/digest/subscribe/", fields)
    assert response.status_code == 400
    assert error in response.text
    assert not Subscriber.objects.exists()
    assert smtp.count() == 0


def test_signups_are_rate_limited_per_client(client, settings, smtp):
    settings.VERDICTS_SIGNUPS_PER_HOUR = 3
    statuses = [
        client.post("/digest/subscribe/", {"email": f"r{n}@example.com"}).status_code
        for n in range(4)
    ]
    assert statuses == [200, 200, 200, 429]
    assert Subscriber.objects.count() == 3


def test_behind_a_trusted_proxy_each_reader_has_their_own_signup_limit(client, settings, smtp):
    settings.VERDICTS_SIGNUPS_PER_HOUR = 1
    settings.TRUSTED_PROXIES = ["127.0.0.1"]

    def signup_from(address: str, email: str) -> int:
        return client.post(
            "/digest/subscribe/", {"email": email}, HTTP_X_FORWARDED_FOR=address
        ).status_code

    assert signup_from("203.0.113.7", "a@example.com") == 200
    assert signup_from("198.51.100.9", "b@example.com") == 200
    assert signup_from("203.0.113.7", "c@example.com") == 429
    # Without a trusted proxy the header is ignored: everyone is the connection's address.
    settings.TRUSTED_PROXIES = []
    assert signup_from("192.0.2.44", "d@example.com") == 200
    assert signup_from("192.0.2.45", "e@example.com") == 429


def test_a_second_signup_soon_after_sends_no_second_mail(
    client, smtp, django_capture_on_commit_callbacks
):
    signup(client, django_capture_on_commit_callbacks, "twice@example.com")
    signup(client, django_capture_on_commit_callbacks, "twice@example.com")
    assert len(smtp.to("twice@example.com")) == 1


def test_unsubscribe_get_changes_nothing_and_post_needs_no_cookie(smtp):
    subscriber = SubscriberFactory()
    path = unsubscribe_url(subscriber_id=subscriber.pk).removeprefix("https://verdicts.example")
    scanner = Client(enforce_csrf_checks=True)

    page = scanner.get(path)
    assert page.status_code == 200 and "<button" in page.text
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.CONFIRMED

    response = scanner.post(
        path, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.UNSUBSCRIBED
    assert scanner.post(path).status_code == 200, "unsubscribing twice is harmless"


def test_an_unsubscribed_reader_can_sign_up_again_with_a_fresh_link(
    client, smtp, django_capture_on_commit_callbacks
):
    SubscriberFactory(email="back@example.com", status=Subscriber.Status.UNSUBSCRIBED)
    signup(client, django_capture_on_commit_callbacks, "back@example.com")
    [message] = smtp.to("back@example.com")
    assert client.post(link_in(message, "confirm")).status_code == 200
    assert Subscriber.objects.get(email="back@example.com").status == "confirmed"


def test_htmx_signup_returns_only_the_section(client, smtp):
    response = client.post(
        "/digest/subscribe/",
        {"email": "htmx@example.com", "place": "comparison"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert response.text.lstrip().startswith(
        '<section class="newsletter" id="newsletter-comparison"'
    )
    assert THANKS in response.text


def test_the_form_is_in_the_footer_and_on_comparison_pages(client):
    comparison = ComparisonFactory()
    for path, place in (("/", "footer"), (comparison.get_absolute_url(), "comparison")):
        page = client.get(path).text
        assert f'id="newsletter-{place}"' in page
        assert 'action="/digest/subscribe/"' in page
        assert "Weekly AI Tool Verdicts" in page
        assert "Get the next comparison in your inbox" in page


def test_the_signup_page_works_without_javascript(client):
    page = client.get("/digest/subscribe/")
    assert page.status_code == 200
    assert 'method="post" action="/digest/subscribe/"' in page.text


@pytest.mark.parametrize("email", ["", "not-an-address"])
def test_a_refused_htmx_signup_is_marked_to_be_shown_in_place(client, smtp, email):
    response = client.post(
        "/digest/subscribe/",
        {"email": email, "place": "comparison", "next": "/compare/a-vs-b/"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 400
    assert response["HX-Reswap"] == "outerHTML"
    assert response.text.lstrip().startswith(
        '<section class="newsletter" id="newsletter-comparison"'
    )
    assert 'id="newsletter-error-comparison"' in response.text
    assert 'name="next" value="/compare/a-vs-b/"' in response.text, "the form keeps its page"


def test_an_accepted_htmx_signup_needs_no_mark(client, smtp, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/digest/subscribe/",
            {"email": "ok@example.com", "place": "footer"},
            HTTP_HX_REQUEST="1",
        )
    assert response.status_code == 200
    assert "HX-Reswap" not in response


@pytest.mark.parametrize(
    ("next_url", "back"),
    [
        ("/compare/a-vs-b/?preset=team", "/compare/a-vs-b/?preset=team#newsletter-comparison"),
        ("https://evil.example/", "/"),
        ("/digest/subscribe/", "/"),
        ("", "/"),
    ],
)
def test_the_plain_signup_result_links_back_to_the_form_it_came_from(
    client, smtp, django_capture_on_commit_callbacks, next_url, back
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/digest/subscribe/",
            {"email": "back@example.com", "place": "comparison", "next": next_url},
        )
    assert THANKS in response.text
    assert f'<a href="{back}">Back to the page you were reading</a>' in response.text.replace(
        "&amp;", "&"
    )
