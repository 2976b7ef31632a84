"""Every page's id references resolve and its landmarks can be told apart (issue #9)."""

import pytest
from django.core.management import call_command

from verdicts.core.tests.accessibility import broken_id_references, landmarks_sharing_a_name

REFERENCE = "/compare/claude-4-sonnet-vs-smolvlm-3b/"
PAGES = [
    "/",
    REFERENCE,
    f"{REFERENCE}?seats=0&requests=-1",
    f"{REFERENCE}?preset=nope",
    "/compare/",
    "/tools/",
    "/tools/smolvlm-3b/",
    "/categories/",
    "/categories/developer-tools/",
    "/search",
    "/search?q=sonnet",
    "/panel/",
    "/panel/skeptic/",
    "/rankings/",
    "/rankings/developer-tools/",
    "/digest/",
    "/digest/1/",
    "/digest/subscribe/",
    "/no-such-page/",
]


@pytest.fixture
def site(starter):
    call_command("digest", "build")


@pytest.mark.django_db
@pytest.mark.parametrize("url", PAGES)
def test_every_id_a_page_points_at_exists(client, site, url):
    response = client.get(url)
    assert response.status_code in (200, 404)
    assert broken_id_references(response.text) == []


@pytest.mark.django_db
@pytest.mark.parametrize("url", PAGES)
def test_no_two_landmarks_of_one_role_share_a_name(client, site, url):
    assert landmarks_sharing_a_name(client.get(url).text) == []


@pytest.mark.django_db
@pytest.mark.parametrize("email", ["", "not-an-address"])
def test_a_refused_signup_points_its_field_at_its_error(client, site, email):
    response = client.post("/digest/subscribe/", {"email": email, "place": "footer"})
    assert response.status_code == 400
    assert 'aria-describedby="newsletter-error-footer"' in response.text
    assert broken_id_references(response.text) == []


def test_the_checkers_see_what_they_look_for():
    page = """<header><form role="search"><input aria-describedby="gone"></form></header>
    <main><form role="search" aria-label="x"></form><form role="search" aria-label="x"></form>
    <section aria-labelledby="t"><h2 id="t">T</h2></section><label for="t">T</label></main>"""
    assert broken_id_references(page) == [
        '<input aria-describedby="gone">: no element has id "gone"'
    ]
    assert landmarks_sharing_a_name(page) == [("search", "x")]
    assert broken_id_references('<p id="a"></p><p id="a"></p>') == ['id "a" is used 2 times']
