"""Fact keys read as labels on tool pages: "Context window", not "Contextwindow"."""

import re

import pytest

from verdicts.catalog.models import Tool
from verdicts.catalog.templatetags.facts import fact_label


@pytest.mark.parametrize(
    ("key", "label"),
    [
        ("context_window", "Context window"),
        ("contextWindow", "Context window"),
        ("max_output", "Max output"),
        ("maxOutput", "Max output"),
        ("MaxOutput", "Max output"),
        ("api_status", "API status"),
        ("parameters", "Parameters"),
        ("training_tokens", "Training tokens"),
    ],
)
def test_fact_label_reads_snake_and_camel_case_keys(key, label):
    assert fact_label(key) == label


@pytest.mark.django_db
def test_every_starter_tool_page_labels_its_facts_word_by_word(client, starter):
    tools = list(Tool.objects.published())
    assert any("context_window" in tool.facts and "max_output" in tool.facts for tool in tools)
    for tool in tools:
        html = client.get(tool.get_absolute_url()).content.decode()
        labels = re.findall(r"<dt>([^<]+)</dt>", html.split('class="facts"')[1].split("</dl>")[0])
        for key in tool.facts:
            words = key.split("_")
            label = " ".join([words[0].capitalize(), *words[1:]]).replace("Api", "API")
            assert label in labels, (tool.slug, key, labels)


@pytest.mark.django_db
def test_claude_page_says_context_window_and_max_output(client, starter):
    html = client.get("/tools/claude-4-sonnet/").content.decode()
    assert "<dt>Context window</dt>" in html and "<dt>Max output</dt>" in html
    assert "Contextwindow" not in html and "Maxoutput" not in html
