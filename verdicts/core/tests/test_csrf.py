"""Form posts are checked by Fetch Metadata and Origin, and by Django's token only without them."""

import pytest
from django.middleware.csrf import get_token
from django.test import Client

VOTE = "/votes/tools/claude-4-sonnet/"


@pytest.fixture
def browser(starter):
    return Client(enforce_csrf_checks=True)


def test_a_post_from_the_sites_own_page_needs_no_token(browser):
    response = browser.post(VOTE, {"choice": "ship"}, headers={"Sec-Fetch-Site": "same-origin"})
    assert response.status_code == 303


@pytest.mark.parametrize("site", ["cross-site", "same-site"])
def test_a_post_a_browser_says_came_from_elsewhere_is_refused(browser, site):
    response = browser.post(VOTE, {"choice": "ship"}, headers={"Sec-Fetch-Site": site})
    assert response.status_code == 403


def test_the_origin_decides_when_fetch_metadata_is_missing(browser):
    ours = browser.post(VOTE, {"choice": "ship"}, headers={"Origin": "http://testserver"})
    assert ours.status_code == 303
    theirs = browser.post(VOTE, {"choice": "skip"}, headers={"Origin": "https://evil.example"})
    assert theirs.status_code == 403


def test_a_trusted_origin_is_let_through(browser, settings):
    settings.CSRF_TRUSTED_ORIGINS = ["https://partner.example"]
    response = browser.post(
        VOTE,
        {"choice": "ship"},
        headers={"Sec-Fetch-Site": "cross-site", "Origin": "https://partner.example"},
    )
    assert response.status_code == 303


def test_without_either_header_the_token_is_still_required(browser, rf):
    refused = browser.post(VOTE, {"choice": "ship"})
    assert refused.status_code == 403
    request = rf.get("/")
    token = get_token(request)
    browser.cookies["csrftoken"] = request.META["CSRF_COOKIE"]
    accepted = browser.post(VOTE, {"choice": "ship", "csrfmiddlewaretoken": token})
    assert accepted.status_code == 303
