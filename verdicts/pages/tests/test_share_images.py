"""Share images: a PNG of each comparison's and tool's own figures, stored by what it draws."""

import io
import re
from html import unescape

import pytest
from PIL import Image

from verdicts.catalog.models import Tool
from verdicts.pages.share.store import share_dir
from verdicts.panel.models import Persona
from verdicts.panel.services.editorial import review_create
from verdicts.votes.models import ToolVoteTally

pytestmark = pytest.mark.django_db

PAIR_SLUG = "claude-4-sonnet-vs-smolvlm-3b"
PAIR = f"/share/compare/{PAIR_SLUG}.png"
SMOL = "/share/tools/smolvlm-3b.png"


@pytest.fixture(autouse=True)
def var_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    return tmp_path


def stored(kind: str, slug: str) -> list[str]:
    return sorted(path.name for path in share_dir(kind=kind, slug=slug).glob("*"))


@pytest.mark.parametrize("path", [PAIR, SMOL])
def test_a_share_image_is_a_1200_by_630_png(client, starter, path):
    response = client.get(path)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    image = Image.open(io.BytesIO(response.content))
    image.verify()
    assert (image.format, image.size) == ("PNG", (1200, 630))
    assert "public" in response["Cache-Control"] and "s-maxage=" in response["Cache-Control"]


def test_it_is_drawn_once_and_again_only_when_a_figure_changes(
    client, starter, django_assert_num_queries
):
    # The comparison with its tools, their plans, current reviews, vote tallies.
    with django_assert_num_queries(4):
        first = client.get(PAIR)
    files = stored("compare", PAIR_SLUG)
    assert files == [f"{first['ETag'].strip('"')}.png"]
    mtime = (share_dir(kind="compare", slug=PAIR_SLUG) / files[0]).stat().st_mtime_ns

    again = client.get(PAIR)
    assert again.content == first.content and again["ETag"] == first["ETag"]
    assert (share_dir(kind="compare", slug=PAIR_SLUG) / files[0]).stat().st_mtime_ns == mtime

    tool = Tool.objects.get(slug="smolvlm-3b")
    ToolVoteTally.objects.update_or_create(tool=tool, defaults={"ship": 7, "skip": 2})
    voted = client.get(PAIR)
    assert voted["ETag"] != first["ETag"] and voted.content != first.content
    # The older image of the page is gone; only the current one is kept.
    assert stored("compare", PAIR_SLUG) == [f"{voted['ETag'].strip('"')}.png"]

    review_create(
        tool=tool, persona=Persona.objects.get(slug="operator"), verdict="ship", body="Ship."
    )
    reviewed = client.get(PAIR)
    assert reviewed["ETag"] not in (first["ETag"], voted["ETag"])


def test_a_tool_image_follows_its_own_figures_only(client, starter, django_assert_num_queries):
    # The tool with its category, its plans, current reviews, its vote tally.
    with django_assert_num_queries(4):
        first = client.get(SMOL)
    other = Tool.objects.get(slug="claude-4-sonnet")
    ToolVoteTally.objects.update_or_create(tool=other, defaults={"ship": 3, "skip": 1})
    assert client.get(SMOL)["ETag"] == first["ETag"]
    tool = Tool.objects.get(slug="smolvlm-3b")
    Tool.objects.filter(pk=tool.pk).update(name="SmolVLM 3B")
    assert client.get(SMOL)["ETag"] != first["ETag"]


def test_an_unchanged_image_answers_304_without_drawing(client, starter, var_dir):
    etag = client.get(SMOL)["ETag"]
    for path in share_dir(kind="tools", slug="smolvlm-3b").glob("*.png"):
        path.unlink()
    again = client.get(SMOL, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    assert again["ETag"] == etag
    assert stored("tools", "smolvlm-3b") == []


def test_unknown_or_unpublished_pages_have_no_image(client, starter):
    Tool.objects.filter(slug="smolvlm-3b").update(status=Tool.Status.DRAFT)
    assert client.get(SMOL).status_code == 404
    assert client.get(PAIR).status_code == 404
    assert client.get("/share/tools/no-such-tool.png").status_code == 404
    assert client.get("/share/compare/no-vs-such.png").status_code == 404
    assert client.post("/share/tools/claude-4-sonnet.png").status_code == 405


def meta(html: str) -> dict[str, str]:
    pairs = re.findall(r'<meta (?:property|name)="([^"]+)" content="([^"]*)"', html)
    return {key: unescape(value) for key, value in pairs}


def test_pages_name_their_image_with_absolute_urls(client, starter, settings):
    settings.SITE_URL = "https://verdicts.example"
    page = meta(client.get(f"/compare/{PAIR_SLUG}/").content.decode())
    assert page["og:image"] == f"https://verdicts.example{PAIR}"
    assert page["twitter:image"] == page["og:image"]
    assert (page["og:image:width"], page["og:image:height"]) == ("1200", "630")
    assert page["twitter:card"] == "summary_large_image"
    assert page["og:image:alt"] == (
        "Claude 4 Sonnet: AI panel 4 of 4 say ship (95% interval 51 to 100%);"
        " community no counted votes yet; entry Paid."
        " SmolVLM-3B: AI panel 3 of 4 say ship (95% interval 30 to 95%);"
        " community no counted votes yet; entry Free."
    )
    tool = meta(client.get("/tools/smolvlm-3b/").content.decode())
    assert tool["og:image"] == f"https://verdicts.example{SMOL}"
    assert tool["og:image:alt"].startswith("SmolVLM-3B: AI panel 3 of 4 say ship")
    assert tool["twitter:card"] == "summary_large_image"
    # Pages without an image of their own keep the small card.
    home = meta(client.get("/").content.decode())
    assert "og:image" not in home and home["twitter:card"] == "summary"
