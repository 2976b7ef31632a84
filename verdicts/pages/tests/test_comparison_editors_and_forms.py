"""The editors' bottom line on a comparison (#14), and the page's two GET forms (lens weights,
cost calculator) each carrying the other's values, as a browser without JavaScript sends them."""

import datetime
from html import unescape
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from selectolax.lexbor import LexborHTMLParser

from testkit.pages import REFERENCE, text_of
from verdicts.catalog.models import Comparison

pytestmark = pytest.mark.django_db

EDITORIAL = "Choose Claude 4 Sonnet for long agentic work; SmolVLM-3B if it must run on a laptop."
PANEL_WORDS = "In the words of the AI reviewer personas"
API = "/api/comparisons/claude-4-sonnet-vs-smolvlm-3b"


def reference() -> Comparison:
    return Comparison.objects.get(slug=REFERENCE.strip("/").split("/")[-1])


def bottom_line_of(response) -> str:
    text = unescape(text_of(response))
    start = text.index("The bottom line")
    return text[start : start + 400]


def test_the_editors_bottom_line_is_signed_by_them_and_not_called_ai(client, starter):
    comparison = reference()
    comparison.bottom_line = EDITORIAL
    comparison.bottom_line_updated_at = timezone.make_aware(datetime.datetime(2026, 11, 30, 9))
    comparison.save()

    line = bottom_line_of(client.get(REFERENCE))
    assert line.startswith(
        f"The bottom line {EDITORIAL} By the Verdicts editors, updated 30 Nov 2026"
    )
    assert "written by people, not AI analysis" in line
    assert PANEL_WORDS not in line

    api = client.get(API).json()["bottom_line"]
    assert (api["source"], api["text"]) == ("editors", EDITORIAL)
    assert api["updated_at"].startswith("2026-11-30T09:00:00")


def test_without_editorial_text_the_panel_derived_line_stays(client, starter):
    line = bottom_line_of(client.get(REFERENCE))
    assert line.startswith("The bottom line The panel has not been asked head to head yet.")
    assert "By the Verdicts editors" not in line
    api = client.get(API).json()["bottom_line"]
    assert (api["source"], api["updated_at"]) == ("unasked", None)


def test_the_admin_edits_the_bottom_line_and_dates_it(client, starter):
    editor = get_user_model().objects.create_superuser("editor", "e@example.com", "pw")
    client.force_login(editor)
    comparison = reference()
    url = f"/admin/catalog/comparison/{comparison.pk}/change/"
    form = LexborHTMLParser(client.get(url).content.decode()).css_first("#comparison_form")
    assert form.css_first("textarea[name=bottom_line]") is not None
    data = {
        "tool_a": comparison.tool_a_id,
        "tool_b": comparison.tool_b_id,
        "slug": comparison.slug,
        "title": comparison.title,
        "question": comparison.question,
        "published_at_0": comparison.published_at.strftime("%Y-%m-%d"),
        "published_at_1": comparison.published_at.strftime("%H:%M:%S"),
        "bottom_line": EDITORIAL,
    }
    before = timezone.now()
    assert client.post(url, data).status_code == 302
    comparison.refresh_from_db()
    assert comparison.bottom_line == EDITORIAL
    assert comparison.bottom_line_updated_at >= before

    # Emptied, the text is gone and so is its date: the panel's line is back.
    assert client.post(url, data | {"bottom_line": ""}).status_code == 302
    comparison.refresh_from_db()
    assert (comparison.bottom_line, comparison.bottom_line_updated_at) == ("", None)


def submitted(html: str, form_selector: str, changes: dict[str, str]) -> str:
    """The URL a browser without JavaScript goes to when the form is submitted with
    `changes` made to its fields: every named input and select, in document order."""
    form = LexborHTMLParser(html).css_first(form_selector)
    assert form is not None, form_selector
    pairs = []
    for field in form.css("input[name], select[name]"):
        name = field.attributes["name"]
        if field.tag == "select":
            chosen = field.css_first("option[selected]") or field.css_first("option")
            value = chosen.attributes.get("value", "")
        else:
            value = field.attributes.get("value") or ""
        pairs.append((name, changes.pop(name, value)))
    assert not changes, f"no such field: {changes}"
    return f"{form.attributes['action']}?{urlencode(pairs)}"


def query_of(url: str) -> dict[str, str]:
    return dict(parse_qsl(urlsplit(url).query, keep_blank_values=True))


def test_the_cost_form_keeps_the_lens_weights(client, starter):
    html = client.get(REFERENCE, {"w-builder": "3", "w-operator": "0"}).content.decode()
    url = submitted(html, "#cost-panel form", {"requests": "5000"})
    query = query_of(url)
    assert (query["w-builder"], query["w-operator"], query["requests"]) == ("3", "0", "5000")

    page = client.get(url)
    text = unescape(text_of(page))
    assert "weighted: 2.3 effective reviews of 4" in text
    assert "5,000 requests a month" in text
    # And a preset chip carries them too.
    chip = LexborHTMLParser(page.content.decode()).css_first(".cost-presets a")
    carried = query_of(chip.attributes["href"])
    assert (carried["w-builder"], carried["w-operator"]) == ("3", "0")


def test_the_weights_form_keeps_the_cost_scenario(client, starter):
    html = client.get(REFERENCE, {"requests": "5000"}).content.decode()
    costed = query_of(submitted(html, "#cost-panel form", {}))
    html = client.get(REFERENCE, costed).content.decode()
    url = submitted(html, "#lens-weights form", {"w-builder": "3", "w-operator": "0"})
    assert costed.items() <= query_of(url).items()
    assert query_of(url)["w-builder"] == "3"

    text = unescape(text_of(client.get(url)))
    assert "weighted: 2.3 effective reviews of 4" in text
    assert "5,000 requests a month" in text


def test_with_htmx_each_form_also_redraws_the_other(client, starter):
    parser = LexborHTMLParser(client.get(REFERENCE).content.decode())
    assert parser.css_first("#lens-weights form").attributes["hx-select-oob"] == "#cost-panel"
    assert parser.css_first("#cost-panel form").attributes["hx-select-oob"] == "#lens-weights"
