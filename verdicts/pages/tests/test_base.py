"""What every page carries (icons, feeds, index links) and the site's own error pages."""

import re

import pytest
from django.test import RequestFactory
from django.views.defaults import server_error

from testkit.pages import REFERENCE
from verdicts.pages.feeds import ComparisonFeed, ToolFeed

PAGES = [
    "/",
    REFERENCE,
    "/tools/smolvlm-3b/",
    "/categories/developer-tools/",
    "/search?q=sonnet",
    "/panel/",
    "/rankings/",
    "/digest/",
    "/tools/",
    "/compare/",
    "/categories/",
    "/no-such-page/",
]


def head_of(client, url: str) -> str:
    html = client.get(url).content.decode()
    return html.split("</head>", 1)[0]


@pytest.mark.django_db
@pytest.mark.parametrize("url", PAGES)
def test_every_page_links_the_icons_and_the_feeds(client, starter, url):
    head = head_of(client, url)
    assert re.search(
        r'<link rel="icon" href="/static/common/favicon\.svg" type="image/svg\+xml">', head
    )
    assert '<link rel="icon" href="/favicon.ico" sizes="any">' in head
    for feed, name in ((ComparisonFeed, "comparisons"), (ToolFeed, "tools")):
        for kind, label in (("rss", "RSS"), ("atom", "Atom")):
            link = (
                f'<link rel="alternate" type="application/{kind}+xml" '
                f'title="{feed.title} ({label})" href="/feeds/{name}.{kind}">'
            )
            assert link in head


@pytest.mark.django_db
def test_main_nav_links_the_index_pages(client, starter):
    html = client.get("/").content.decode()
    nav = html.split('<nav aria-label="Main">', 1)[1].split("</nav>", 1)[0]
    for href in ("/tools/", "/categories/", "/compare/", "/panel/", "/rankings/"):
        assert f'href="{href}"' in nav


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url", ["/compare/nope-vs-nothing/", "/compare/nope/", "/tools/nope/", "/panel/nope/"]
)
def test_unknown_slugs_get_the_sites_own_404(client, starter, url):
    response = client.get(url)
    assert response.status_code == 404
    assert "We could not find that page" in response.content.decode()


def test_the_500_page_is_the_sites_own_and_needs_no_database():
    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    html = response.content.decode()
    assert "Something went wrong on our side" in html
    assert 'href="/"' in html
