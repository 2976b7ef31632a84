"""The whole reader journey in a real browser against a real SMTP server."""

import re
import urllib.request

import pytest
from django.core.management import call_command

from testkit.browser import save_screenshot
from verdicts.digest.models import Subscriber
from verdicts.digest.tests.factories import reviewed_comparison
from verdicts.digest.tokens import unsubscribe_token_make

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def url_in(message, pattern: str) -> str:
    text = message.get_body(preferencelist=("plain",)).get_content()
    return re.search(pattern, text).group(0)


def test_a_reader_subscribes_confirms_receives_the_issue_and_unsubscribes(
    live_server, browser_page, smtp, settings
):
    settings.SITE_URL = live_server.url
    comparison = reviewed_comparison()
    page = browser_page

    page.goto(f"{live_server.url}{comparison.get_absolute_url()}")
    signup = page.locator("#newsletter-comparison")
    signup.get_by_label("Email address").fill("reader@example.com")
    signup.get_by_role("button", name="Subscribe").click()
    # In the form, not the page: the live region announces the same words.
    signup.get_by_text("a confirmation link is on its way").wait_for()
    assert page.url == f"{live_server.url}{comparison.get_absolute_url()}", "htmx swaps in place"
    save_screenshot(page, "digest-signup")

    [confirmation] = smtp.to("reader@example.com")
    page.goto(url_in(confirmation, rf"{re.escape(live_server.url)}/digest/confirm/\S+/"))
    page.get_by_role("button", name="Yes, subscribe me").click()
    page.get_by_role("heading", name="You are subscribed").wait_for()
    assert Subscriber.objects.get().status == Subscriber.Status.CONFIRMED

    call_command("digest", "build")
    call_command("digest", "send", "--foreground")
    issue = smtp.to("reader@example.com")[1]
    assert comparison.title in issue["Subject"]
    unsubscribe = issue["List-Unsubscribe"].strip("<>")
    assert issue["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    page.goto(url_in(issue, rf"{re.escape(live_server.url)}/digest/1/"))
    page.get_by_role("heading", name=comparison.title, level=2).wait_for()

    page.goto(unsubscribe)
    assert Subscriber.objects.get().status == Subscriber.Status.CONFIRMED, "a visit changes nothing"
    page.get_by_role("button", name="Unsubscribe").click()
    page.get_by_role("heading", name="You are unsubscribed").wait_for()
    assert Subscriber.objects.get().status == Subscriber.Status.UNSUBSCRIBED


def test_one_click_unsubscribe_over_real_http_without_cookies_or_redirect(live_server, smtp):
    subscriber = Subscriber.objects.create(email="one@example.com", status="confirmed")
    token = unsubscribe_token_make(subscriber_id=subscriber.pk)
    url = f"{live_server.url}/digest/unsubscribe/{token}/"
    request = urllib.request.Request(
        url,
        data=b"List-Unsubscribe=One-Click",
        method="POST",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        assert (response.status, response.geturl()) == (200, url)
        assert response.headers.get("Set-Cookie") is None
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.UNSUBSCRIBED


def test_the_footer_form_works_with_javascript_switched_off(live_server, browser_page, smtp):
    context = browser_page.context.browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/")
    footer = page.locator("#newsletter-footer")
    footer.get_by_label("Email address").fill("no-js@example.com")
    footer.get_by_role("button", name="Subscribe").click()
    page.get_by_text("a confirmation link is on its way").wait_for()
    assert page.url == f"{live_server.url}/digest/subscribe/"
    assert len(smtp.to("no-js@example.com")) == 1
    context.close()
