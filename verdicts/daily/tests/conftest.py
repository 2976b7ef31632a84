"""The daily pipeline's fixtures: a feed and its pages on loopback, a JSON source, a scripted
model, one persona, a published rival and a stand-in for the similar app's rival search."""

import io
import json

import pytest
from PIL import Image

from testkit.panel import (  # noqa: F401 (fixtures, registered here)
    QUOTE,
    builder,
    no_worker,
    panel_settings,
    review_answer,
    script,
    slug_of,
)
from verdicts.catalog.tests.factories import CategoryFactory, ToolFactory
from verdicts.ingest.import_sources import import_source_add
from verdicts.ingest.tests.test_importers_file import entry
from verdicts.similar.selectors import Alternative
from verdicts.similar.services import EmbeddingRefresh

FEED_TOOLS = ("probe-one", "probe-two")
LOGO_TOOL = "probe-one"  # the one feed page that names a logo (og:image)


def logo_png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (16, 16), (20, 90, 200)).save(out, format="PNG")
    return out.getvalue()


def page_html(slug: str) -> str:
    name = slug.replace("-", " ").title()
    logo = f'<meta property="og:image" content="/logos/{slug}.png">' if slug == LOGO_TOOL else ""
    return (
        f"<html><head><title>{name} | Launches</title>{logo}"
        f'<meta name="description" content="{name} reads receipts. {QUOTE}"></head>'
        f"<body><p>{name} reads your receipts. {QUOTE}</p></body></html>"
    )


def feed_xml(base: str) -> str:
    items = "".join(
        f"<item><title>{slug}</title><link>{base}/tools/{slug}</link></item>" for slug in FEED_TOOLS
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Launches'
        f"</title><link>{base}/</link>{items}</channel></rss>"
    )


def answer(messages, info):
    """A valid review, or for a head-to-head question, a pick of whichever tool comes first."""
    if "Which would you ship with" in str(messages[0]):
        return {"pick": "first", "for_whom": "Small teams.", "reason": "Simpler to run."}
    return review_answer(slug_of(info))


@pytest.fixture
def feed(httpserver, settings, tmp_path):
    """A launches feed of two tools (one with a logo) and a source that fails, all configured
    as sources; stored logos go to this test's own VAR_DIR."""
    settings.VERDICTS_FETCH_ALLOW_HOSTS = [f"{httpserver.host}:{httpserver.port}"]
    settings.VAR_DIR = tmp_path
    base = httpserver.url_for("").rstrip("/")
    httpserver.expect_request("/feed.xml").respond_with_data(
        feed_xml(base), content_type="application/rss+xml"
    )
    httpserver.expect_request("/broken.xml").respond_with_data("down", status=503)
    for slug in FEED_TOOLS:
        httpserver.expect_request(f"/tools/{slug}").respond_with_data(
            page_html(slug), content_type="text/html"
        )
    httpserver.expect_request(f"/logos/{LOGO_TOOL}.png").respond_with_data(
        logo_png(), content_type="image/png"
    )
    import_source_add(target=f"{base}/feed.xml")
    import_source_add(target=f"{base}/broken.xml")
    return httpserver


@pytest.fixture
def tools_file(db, tmp_path):
    """A JSON source of one categorised tool, configured as a source."""
    CategoryFactory(slug="coding-assistants", name="Coding assistants")
    path = tmp_path / "tools.json"
    description = f"Acme Coder writes code for small teams. {QUOTE}"
    path.write_text(json.dumps([entry("acme-coder", description=description)]))
    import_source_add(target=str(path))
    return path


@pytest.fixture
def rival(db):
    category = CategoryFactory(slug="coding-assistants", name="Coding assistants")
    return ToolFactory(
        slug="cursor",
        name="Cursor",
        category=category,
        description=f"An editor built around a model. {QUOTE}",
    )


@pytest.fixture
def rivals(monkeypatch, rival):
    """The similar app's answers, scripted: every tool's rival is Cursor, except probe-two."""
    refreshed: list[list[int] | None] = []

    def refresh(*, tool_ids=None):
        refreshed.append(tool_ids)
        return EmbeddingRefresh(embedded=3, unchanged=1)

    def closest(*, tool):
        if tool.slug == "probe-two" or tool.pk == rival.pk:
            return None
        return Alternative(tool=rival, score=0.81, reasons=["same category"])

    monkeypatch.setattr("verdicts.daily.steps.rivals.tool_embeddings_refresh", refresh)
    monkeypatch.setattr("verdicts.daily.steps.rivals.tool_closest_rival", closest)
    return refreshed


@pytest.fixture
def model(script):  # noqa: F811 (the fixture imported above)
    script.default = answer
    return script


@pytest.fixture
def pipeline(feed, tools_file, rivals, builder, model, settings):  # noqa: F811
    """Everything a full run needs, publishing on its own."""
    settings.VERDICTS_DAILY_PUBLISH = "auto"
    return model
