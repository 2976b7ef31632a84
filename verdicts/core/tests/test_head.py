"""What every page's head and main navigation carry: icons, feeds, index links."""

import re
import struct

import pytest

from verdicts.compare.tests.test_pages import REFERENCE
from verdicts.digest.feeds import ComparisonFeed, ToolFeed

pytestmark = pytest.mark.django_db

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


def test_favicon_ico_is_a_real_icon_served_at_the_root(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("image/")
    assert "max-age=31536000" in response["Cache-Control"]
    icon = b"".join(response.streaming_content) if response.streaming else response.content
    reserved, kind, count = struct.unpack_from("<HHH", icon)
    assert (reserved, kind) == (0, 1) and count >= 2
    sizes = set()
    for index in range(count):
        width, height, _, _, _, bits, length, offset = struct.unpack_from(
            "<BBBBHHII", icon, 6 + 16 * index
        )
        assert bits == 32 and offset + length <= len(icon)
        sizes.add((width, height))
    assert {(16, 16), (32, 32)} <= sizes


def test_svg_icon_is_served(client):
    response = client.get("/static/common/favicon.svg")
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode()  # whitenoise streams files
    assert body.lstrip().startswith("<svg") and 'viewBox="0 0 32 32"' in body


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


def test_main_nav_links_the_index_pages(client, starter):
    html = client.get("/").content.decode()
    nav = html.split('<nav aria-label="Main">', 1)[1].split("</nav>", 1)[0]
    for href in ("/tools/", "/categories/", "/compare/", "/panel/", "/rankings/"):
        assert f'href="{href}"' in nav
