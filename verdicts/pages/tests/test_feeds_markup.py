"""Vendor text in the feeds reaches a feed reader as text, never as live markup.

Every payload below goes into tool names, taglines, descriptions, vendor and category names and
comparison titles; each feed is fetched from its real URL, parsed by feedparser with its own
sanitiser off (as an unsanitising reader would), and every field a reader renders as HTML is
parsed again: it must hold no element at all, and the payload must still be there as text.
"""

import html
from html.parser import HTMLParser

import feedparser
import pytest

from verdicts.catalog.tests.factories import (
    CategoryFactory,
    ComparisonFactory,
    ToolFactory,
    VendorFactory,
)

pytestmark = pytest.mark.django_db

PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '<svg onload="alert(1)">',
    '<a href="javascript:alert(1)">click</a>',
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "&#60;img src=x onerror=alert(1)&#62;",
    "&#x3C;svg/onload=alert(1)&#x3E;",
    '"><script>alert(1)</script>',
    "'><img src=x onerror=alert(1)>",
    '" onmouseover="alert(1)',
    "<iframe src=javascript:alert(1)></iframe>",
    "<![CDATA[<script>alert(1)</script>]]>",
    "]]><script>alert(1)</script>",
    "<body onload=alert(1)>",
    "AT&T <b>bold</b> & co",
]

FEEDS = [
    ("/feeds/comparisons.rss", "rss20"),
    ("/feeds/comparisons.atom", "atom10"),
    ("/feeds/tools.rss", "rss20"),
    ("/feeds/tools.atom", "atom10"),
]


class MarkupFinder(HTMLParser):
    """Every start or end tag, every attribute and every javascript: URL in some HTML."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.handlers: list[str] = []
        self.javascript_urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        for name, value in attrs:
            if name.lower().startswith("on"):
                self.handlers.append(name)
            if value and "javascript:" in value.replace(" ", "").lower():
                self.javascript_urls.append(value)

    def handle_endtag(self, tag):
        self.tags.append(f"/{tag}")

    handle_startendtag = handle_starttag

    def unknown_decl(self, data):
        self.tags.append(f"<![{data}")


def live_markup(markup: str) -> MarkupFinder:
    finder = MarkupFinder()
    finder.feed(markup)
    finder.close()
    return finder


@pytest.fixture(autouse=True)
def https_site(settings):
    settings.SITE_URL = "https://verdicts.example"


@pytest.fixture
def hostile_catalog():
    """One comparison per payload, its tools, vendors and categories all carrying it."""
    for n, payload in enumerate(PAYLOADS):
        tools = [
            ToolFactory(
                slug=f"hostile-{n}-{side}",
                name=f"{side} {payload}"[:120],
                tagline=payload,
                description=f"Does {payload} well.",
                vendor=VendorFactory(name=f"Vendor {n}{side} {payload}"[:120]),
                category=CategoryFactory(name=f"Cat {n}{side} {payload}"[:80]),
            )
            for side in "ab"
        ]
        ComparisonFactory(tool_a=tools[0], tool_b=tools[1], title=f"Pair {n}: {payload}")


def rendered_fields(entry: feedparser.FeedParserDict) -> list[tuple[str, str]]:
    """(type, value) of each entry field a reader shows: title and summary."""
    fields = []
    for key in ("title_detail", "summary_detail"):
        detail = entry.get(key)
        if detail is not None:
            fields.append((detail.type, detail.value))
    return fields


@pytest.mark.parametrize(("path", "version"), FEEDS)
def test_no_payload_reaches_a_reader_as_markup(client, hostile_catalog, path, version):
    response = client.get(path)
    assert response.status_code == 200
    feed = feedparser.parse(response.content, sanitize_html=False)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == version
    assert len(feed.entries) >= len(PAYLOADS)

    for entry in feed.entries:
        fields = rendered_fields(entry)
        assert len(fields) == 2, entry
        for content_type, value in fields:
            if content_type != "text/plain":
                assert content_type in {"text/html", "application/xhtml+xml"}, content_type
                found = live_markup(value)
                assert found.tags == [], (path, value)
                assert found.handlers == [], (path, value)
                assert found.javascript_urls == [], (path, value)


@pytest.mark.parametrize(("path", "version"), FEEDS)
def test_a_reader_shows_each_payload_as_its_characters(client, hostile_catalog, path, version):
    feed = feedparser.parse(client.get(path).content, sanitize_html=False)
    shown = []
    for entry in feed.entries:
        for content_type, value in rendered_fields(entry):
            shown.append(value if content_type == "text/plain" else html.unescape(value))
    everything = "\n".join(shown)
    for payload in PAYLOADS:
        if path.startswith("/feeds/tools"):
            assert payload in everything, payload  # the tagline, whole
        else:
            assert f": {payload}" in everything, payload  # the comparison's title
