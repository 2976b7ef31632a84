"""Search finds published tools and comparisons by their words, the item named first, on
SQLite and on PostgreSQL alike (run this file under both: see docs/search.md)."""

import re
import unicodedata

import pytest

from verdicts.catalog.models import Comparison, Tool
from verdicts.catalog.tests.factories import (
    CategoryFactory,
    ComparisonFactory,
    ToolFactory,
    VendorFactory,
)
from verdicts.search.selectors import search_query, search_terms

pytestmark = pytest.mark.django_db


def tool_names(text: str) -> list[str]:
    return [tool.name for tool in search_query(text=text).tools]


def comparison_titles(text: str) -> list[str]:
    return [comparison.title for comparison in search_query(text=text).comparisons]


def test_a_tools_own_name_ranks_it_first_however_often_others_say_it():
    ToolFactory(name="Aardvark", tagline="Claude, Claude and Claude", description="Claude " * 20)
    ToolFactory(name="Claude Code", tagline="An agent in the terminal")
    ToolFactory(name="Claude", tagline="A general model")
    ToolFactory(name="Zed", tagline="An editor")
    assert tool_names("claude") == ["Claude", "Claude Code", "Aardvark"]
    assert tool_names("Claude code") == ["Claude Code"]


def test_name_outranks_tagline_which_outranks_description():
    ToolFactory(name="Aardvark", tagline="A tool", description="Plays the zephyr flute all day.")
    ToolFactory(name="Mole", tagline="Zephyr flute player", description="A long story.")
    ToolFactory(name="Zephyr Flutes", tagline="A tool", description="Music.")
    assert tool_names("zephyr") == ["Zephyr Flutes", "Mole", "Aardvark"]


def test_each_tier_is_ranked_oldest_first_and_cut_inside_the_index():
    """Many more matches than the limit: the page holds the best tiers, each in id order."""
    category = CategoryFactory(name="Quill pens")
    by_description = [
        ToolFactory(name=f"D{n}", description="Writes with a quill.") for n in range(30)
    ]
    by_category = [ToolFactory(name=f"C{n}", category=category) for n in range(30)]
    by_tagline = [ToolFactory(name=f"T{n}", tagline="A quill") for n in range(30)]
    named = ToolFactory(name="Quill")
    found = search_query(text="quill", tool_limit=50).tools
    assert found == [named, *by_tagline, *by_category[:19]]
    assert search_query(text="quill", tool_limit=100).tools[-30:] == by_description


def test_words_match_as_prefixes_of_words_not_inside_them():
    ToolFactory(name="Claude", tagline="A general model")
    ToolFactory(name="SmolVLM-3B", tagline="A small vision model")
    assert tool_names("clau") == ["Claude"]
    assert tool_names("smolv 3b") == ["SmolVLM-3B"]
    assert tool_names("laude") == []


def test_every_word_must_match_some_field():
    vendor = VendorFactory(name="Hugging Face")
    category = CategoryFactory(name="Vision-Language Models")
    ToolFactory(name="SmolVLM", vendor=vendor, category=category)
    ToolFactory(name="Other", category=category)
    assert tool_names("hugging face vision") == ["SmolVLM"]
    assert tool_names("vision") == ["SmolVLM", "Other"]  # both by category: oldest first
    assert tool_names("hugging face midjourney") == []


def test_only_published_tools_and_comparisons_are_found():
    shown = ToolFactory(name="Quokka One")
    draft = ToolFactory(name="Quokka Two", status=Tool.Status.DRAFT)
    other = ToolFactory(name="Quokka Three")
    ComparisonFactory(tool_a=shown, tool_b=draft)
    ComparisonFactory(tool_a=shown, tool_b=other, published_at=None)
    ComparisonFactory(tool_a=other, tool_b=ToolFactory(name="Wombat"))
    assert tool_names("quokka") == ["Quokka One", "Quokka Three"]
    assert comparison_titles("quokka") == ["Quokka Three vs Wombat"]


def test_comparisons_are_found_by_their_tools_taglines_vendors_and_categories():
    vendor = VendorFactory(name="Anthropic")
    category = CategoryFactory(name="Coding Agents")
    a = ToolFactory(name="Claude Code", vendor=vendor, category=category, tagline="Agentic")
    b = ToolFactory(name="Aider", tagline="Pair programming in your terminal")
    comparison = ComparisonFactory(tool_a=a, tool_b=b, title="Which terminal agent?")
    for text in ("anthropic", "coding agents", "pair programming", "claude aider", "terminal"):
        assert comparison_titles(text) == [comparison.title], text


def test_the_query_count_is_fixed(django_assert_num_queries):
    for _ in range(3):
        ComparisonFactory(tool_a=ToolFactory(), tool_b=ToolFactory())
    with django_assert_num_queries(3):  # tools, their plans, comparisons
        results = search_query(text="tool")
    assert len(results.tools) == 6 and len(results.comparisons) == 3


def test_limits_cut_the_ranked_lists():
    for n in range(5):
        ToolFactory(name=f"Ibex {n}")
    results = search_query(text="ibex", tool_limit=2)
    assert [tool.name for tool in results.tools] == ["Ibex 0", "Ibex 1"]


# Query syntax of FTS5 and of tsquery, quotes, NUL bytes and floods: none may raise. Those
# whose only word is "claude" find it; the rest ask for other words too, which nothing has.
FINDS_CLAUDE = [
    '"claude', "claude'", "claude*", "^claude", "(claude)", "'claude':*", "claude\x00",
    "\x00claude", "🙂 claude", "claude; --", "-claude", "claude" + " " * 5000,
]  # fmt: skip
FINDS_NOTHING = [
    '"', "'", "*", "AND", "OR NOT", "NEAR(", "(", ")", ":*", "'':*", "&|!", "<->", "\\",
    "\\'", "%_", "name:claude", "claude AND OR", "NEAR(claude", "{name}:claude", "claude -x",
    "claude' & 'x", "claude;DROP TABLE catalog_tool;--", "c" * 10_000, "claude " + "x " * 500,
]  # fmt: skip


@pytest.mark.parametrize("text", FINDS_CLAUDE + FINDS_NOTHING)
def test_no_query_text_breaks_the_search(text):
    ToolFactory(name="Claude", tagline="A general model")
    found = tool_names(text)
    assert found == (["Claude"] if text in FINDS_CLAUDE else []), found
    assert Tool.objects.filter(name="Claude").exists()


@pytest.mark.parametrize("text", ["", "   ", "\x00", "!?*\"'()", "\n\t"])
def test_a_query_without_words_finds_nothing_and_asks_nothing(text, django_assert_num_queries):
    ToolFactory(name="Claude")
    with django_assert_num_queries(0):
        results = search_query(text=text)
    assert results.tools == [] and results.comparisons == [] and results.terms == []


def test_terms_are_words_lowercased_once_each_and_capped():
    assert search_terms(text='Claude "Code" claude; SmolVLM-3B') == [
        "claude",
        "code",
        "smolvlm",
        "3b",
    ]
    assert len(search_terms(text="a b c d e f g h i j")) == 8
    assert search_terms(text="x" * 5000) == ["x" * 100]


def test_the_starter_catalog_names_its_own_tools_first(starter):
    for text, first in [
        ("ollama", "Ollama"),
        ("claude", "Claude Code"),
        ("claude 4", "Claude 4 Sonnet"),
        ("gpt", "GPT-4o"),
        ("llama", "llama.cpp"),
        ("llama 3", "Llama 3.3 70B"),
        ("vllm", "vLLM"),
    ]:
        assert tool_names(text)[0] == first, text
    assert "vLLM" in tool_names("pagedattention")
    assert comparison_titles("ollama vllm")[0] == "Ollama vs vLLM"


def words_of(*fields: str) -> list[str]:
    text = unicodedata.normalize("NFKC", " ".join(fields)).lower()
    return re.findall(r"[^\W_]+", text)


def prefix_match(terms: list[str], words: list[str]) -> bool:
    return all(any(word.startswith(term) for word in words) for term in terms)


@pytest.mark.parametrize(
    "text",
    ["vision", "open", "3", "claude code", "gpt 4o", "llama cpp", "hugging face", "self host",
     "a", "model", "api", "serving", "anthropic", "image generation"],
)  # fmt: skip
def test_both_databases_find_exactly_the_items_every_word_prefixes(starter, text):
    """A plain reference in Python: the same items on SQLite and PostgreSQL, since both
    equal it."""
    terms = search_terms(text=text)
    tools = Tool.objects.published().select_related("category", "vendor")
    expected_tools = {
        tool.name
        for tool in tools
        if prefix_match(terms, words_of(tool.name, tool.tagline, tool.description,
                                        tool.category.name, tool.vendor.name))
    }  # fmt: skip
    comparisons = Comparison.objects.published().with_tools()
    expected_comparisons = {
        c.title
        for c in comparisons
        if prefix_match(terms, words_of(c.title, *(f"{t.name} {t.tagline} {t.vendor.name} "
                                                    f"{t.category.name}" for t in c.tools)))
    }  # fmt: skip
    results = search_query(text=text, tool_limit=100, comparison_limit=100)
    assert {tool.name for tool in results.tools} == expected_tools
    assert {c.title for c in results.comparisons} == expected_comparisons
    assert expected_tools or expected_comparisons
