"""Search finds tools by every word (each also as a prefix), the tool named first, and
comparisons by their tools' names, taglines, vendors and categories, through the search index."""

import re

import pytest

from testkit.pages import grow_catalog, text_of
from verdicts.catalog.models import Comparison

pytestmark = pytest.mark.django_db


def comparison_results(response) -> list[str]:
    html = response.content.decode().split('id="comparison-results"')[1]
    return re.findall(r'<li class="comparison-item"><a href="[^"]+">([^<]+)</a>', html)


def tool_results(response) -> list[str]:
    html = (
        response.content.decode().split('id="tool-results"')[1].split('id="comparison-results"')[0]
    )
    return re.findall(r'<li><a href="/tools/[^"]+">([^<]+)</a>', html)


def test_a_prefix_finds_a_tool_and_its_own_name_ranks_it_first(client, starter):
    assert tool_results(client.get("/search", {"q": "clau"}))[:2] == [
        "Claude Code",
        "Claude 4 Sonnet",
    ]
    assert tool_results(client.get("/search", {"q": "Ollama"}))[0] == "Ollama"
    assert tool_results(client.get("/search", {"q": '"ollama" (*:^'}))[0] == "Ollama"


def test_search_matches_every_word_across_fields(client, starter, django_assert_num_queries):
    with django_assert_num_queries(3):
        response = client.get("/search", {"q": "hugging face vision"})
    text = text_of(response)
    assert "SmolVLM-3B" in text
    assert "Claude 4 Sonnet Developer Tools" not in text
    assert "Claude 4 Sonnet vs SmolVLM-3B" in text_of(client.get("/search", {"q": "sonnet"}))


def test_search_without_a_query_or_with_junk_is_calm(client, starter):
    assert "Search the catalog" in text_of(client.get("/search"))
    response = client.get("/search", {"q": "x" * 5000 + "<script>"})
    assert response.status_code == 200
    assert "<script>x" not in response.content.decode()
    assert "No tool matches" in text_of(response)


def test_vision_finds_the_comparison_filed_under_vision_language_models(client, starter):
    filed = Comparison.objects.get(
        tool_a__category__name="Vision-Language Models",
        tool_b__category__name="Vision-Language Models",
    )
    assert "vision" not in filed.title.lower()
    assert filed.title in comparison_results(client.get("/search", {"q": "vision"}))


def test_comparisons_are_found_by_a_tools_tagline_and_vendor(client, starter):
    assert "Ollama vs vLLM" in comparison_results(client.get("/search", {"q": "pagedattention"}))
    assert "Claude 4 Sonnet vs SmolVLM-3B" in comparison_results(
        client.get("/search", {"q": "hugging face"})
    )


def test_every_word_must_match_some_field_of_the_comparison(client, starter):
    assert comparison_results(client.get("/search", {"q": "vision midjourney"})) == []


def test_search_costs_the_same_queries_however_large_the_catalog(
    client, starter, django_assert_num_queries
):
    with django_assert_num_queries(3):
        client.get("/search", {"q": "vision"})
    grow_catalog(5)
    with django_assert_num_queries(3):
        response = client.get("/search", {"q": "tool tests"})
    assert len(comparison_results(response)) == 5


def test_the_search_box_keeps_the_query(client, starter):
    assert 'value="sonnet"' in client.get("/search", {"q": "sonnet"}).content.decode()
