"""The panel reads Builder, Skeptic, Futurist, Operator everywhere it is listed."""

import re

import pytest

from verdicts.core.starter import starter_files_read
from verdicts.digest.messages import IssueMailing
from verdicts.digest.services.issues import issue_build
from verdicts.digest.services.outbox import issue_send_start
from verdicts.panel.models import Persona

PANEL = ["Builder", "Skeptic", "Futurist", "Operator"]
REFERENCE = "claude-4-sonnet-vs-smolvlm-3b"


def in_order_of_appearance(text: str) -> list[str]:
    """The persona names in the order the text first mentions them."""
    found = {name: text.find(name) for name in PANEL if name in text}
    return sorted(found, key=found.get)


def test_the_persona_files_set_the_panel_order():
    _, personas, _, _ = starter_files_read()
    assert [entry.name for entry in sorted(personas, key=lambda entry: entry.order)] == PANEL


@pytest.mark.django_db
def test_the_starter_panel_is_not_alphabetical_in_the_database(starter):
    # Rows are created in file-name order, so neither pk nor slug order gives the panel's.
    assert list(Persona.objects.order_by("pk").values_list("name", flat=True)) != PANEL
    assert list(Persona.objects.in_panel_order().values_list("name", flat=True)) == PANEL


@pytest.mark.django_db
def test_the_panel_page_lists_personas_in_panel_order(client, starter):
    html = client.get("/panel/").content.decode()
    assert re.findall(r'<h2><a href="/panel/[^"]*">([^<]+)</a></h2>', html) == PANEL


@pytest.mark.django_db
def test_the_comparison_scorecard_is_in_panel_order(client, starter):
    html = client.get(f"/compare/{REFERENCE}/").content.decode()
    names = re.findall(r'class="persona-name"[^>]*>(?:<a [^>]*>)?([A-Z][a-z]+)', html)
    assert names == PANEL


@pytest.mark.django_db
def test_the_tool_page_lists_reviews_in_panel_order(client, starter):
    html = client.get("/tools/smolvlm-3b/").content.decode()
    names = re.findall(r'class="persona-name"><a [^>]*>([^<]+)</a>', html)
    assert names == PANEL


@pytest.mark.django_db
def test_the_digest_lists_personas_in_panel_order_in_every_version(client, starter):
    issue = issue_build()
    for item in issue.items:
        assert [line["persona"] for line in item["lines"]] == PANEL
    mailing = IssueMailing(issue)
    first_item_text = mailing.text.split("== ")[1]
    assert in_order_of_appearance(first_item_text) == PANEL
    first_item_html = mailing.html.split("<h2")[1]
    assert in_order_of_appearance(first_item_html) == PANEL
    issue_send_start(number=issue.number)
    web = client.get(issue.get_absolute_url()).content.decode()
    assert in_order_of_appearance(web.split('class="digest-lines"')[1]) == PANEL


@pytest.mark.django_db
def test_the_api_lists_reviews_in_panel_order(client, starter):
    body = client.get(f"/api/comparisons/{REFERENCE}").json()
    for side in ("side_a", "side_b"):
        slugs = [review["persona"] for review in body[side]["reviews"]]
        assert slugs == [name.lower() for name in PANEL]
