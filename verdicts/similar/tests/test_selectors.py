"""Alternatives and rivals: ordering, reasons, threshold, drafts, the per-process index."""

import pytest

from verdicts.catalog.models import Tool
from verdicts.catalog.tests.factories import CategoryFactory, PricingPlanFactory, ToolFactory
from verdicts.similar.index import W_CATEGORY, W_COSINE
from verdicts.similar.selectors import (
    tool_alternatives,
    tool_category_guess,
    tool_closest_rival,
)
from verdicts.similar.services import tool_embeddings_refresh
from verdicts.similar.tests.conftest import embedding_put, unit

pytestmark = pytest.mark.django_db


def slugs(alternatives) -> list[str]:
    return [alternative.tool.slug for alternative in alternatives]


@pytest.fixture
def trio(db):
    """A tool, a same-category tool pointing elsewhere, and another category's twin."""
    home, away = CategoryFactory(), CategoryFactory()
    tool = ToolFactory(slug="tool", category=home)
    sibling = ToolFactory(slug="sibling", category=home)
    twin = ToolFactory(slug="twin", category=away)
    embedding_put(tool, unit(1, 0))
    embedding_put(sibling, unit(0, 1))
    embedding_put(twin, unit(1, 0))
    return tool, sibling, twin


def test_same_category_comes_first_even_below_a_closer_tool(trio):
    tool = trio[0]
    alternatives = tool_alternatives(tool=tool)
    assert slugs(alternatives) == ["sibling", "twin"]
    # The tool states no facts: it is scored over the description and category alone.
    assert alternatives[0].score == pytest.approx(W_CATEGORY / (W_COSINE + W_CATEGORY), abs=1e-4)
    assert alternatives[1].score == pytest.approx(W_COSINE / (W_COSINE + W_CATEGORY), abs=1e-4)
    assert alternatives[0].reasons == ["same category"]
    assert alternatives[1].reasons == ["similar description"]


def test_the_limit_cuts_the_list(trio):
    assert slugs(tool_alternatives(tool=trio[0], limit=1)) == ["sibling"]
    assert tool_alternatives(tool=trio[0], limit=0) == []


def test_drafts_are_never_alternatives_but_find_their_own(trio):
    tool, sibling, _ = trio
    Tool.objects.filter(pk=sibling.pk).update(status=Tool.Status.DRAFT)
    assert slugs(tool_alternatives(tool=tool)) == ["twin"]
    draft = Tool.objects.get(pk=sibling.pk)
    assert slugs(tool_alternatives(tool=draft)) == ["tool", "twin"]


def test_a_tool_without_an_embedding_has_no_alternatives(trio):
    assert tool_alternatives(tool=ToolFactory()) == []
    assert tool_closest_rival(tool=ToolFactory()) is None


def test_the_index_sees_a_newly_embedded_tool(trio):
    tool = trio[0]
    assert len(tool_alternatives(tool=tool)) == 2
    embedding_put(ToolFactory(slug="newcomer", category=tool.category), unit(1, 0.1))
    assert slugs(tool_alternatives(tool=tool))[0] == "newcomer"


def test_facts_add_to_the_score_and_say_why(db):
    category = CategoryFactory()
    facts = {
        "modalities": "Text and image input, text output",
        "tasks": "Captioning, reading documents",
        "deployment": "On-device and edge",
    }
    tool = ToolFactory(category=category, open_weights=True, facts=facts)
    rival = ToolFactory(slug="rival", category=category, open_weights=True, facts=facts)
    plain = ToolFactory(slug="plain", category=category)
    for each in (tool, rival, plain):
        embedding_put(each, unit(1, 0))
        PricingPlanFactory(tool=each, kind="free")
    tool = Tool.objects.prefetch_related("plans").get(pk=tool.pk)
    best, other = tool_alternatives(tool=tool)
    assert best.tool.slug == "rival" and best.score == pytest.approx(1.0)
    assert best.reasons == [
        "same category",
        "both do captioning",
        "both do reading documents",
        "both take image input",
        "both open weights",
        "both self-hosted",
        "both free",
        "similar description",
    ]
    assert other.reasons == ["same category", "both free", "similar description"]
    assert other.score < best.score


def test_the_closest_rival_must_reach_the_threshold(trio, settings):
    tool = trio[0]
    twin_score = W_COSINE / (W_COSINE + W_CATEGORY)
    settings.VERDICTS_RIVAL_THRESHOLD = twin_score
    rival = tool_closest_rival(tool=tool)
    assert rival is not None and rival.tool.slug == "twin"
    settings.VERDICTS_RIVAL_THRESHOLD = twin_score + 0.01
    assert tool_closest_rival(tool=tool) is None


def test_alternatives_cost_two_queries_once_the_index_is_warm(trio, django_assert_num_queries):
    # The page has the tool's plans already; its entry tier is one of the facts compared.
    tool = Tool.objects.prefetch_related("plans").get(pk=trio[0].pk)
    with django_assert_num_queries(4):  # the stamp, the index's two reads, the tools
        tool_alternatives(tool=tool)
    with django_assert_num_queries(2):
        tool_alternatives(tool=tool)


def test_starter_rivals_on_the_real_model(starter, settings):
    tool_embeddings_refresh()
    cursor = Tool.objects.prefetch_related("plans").get(slug="cursor")
    alternatives = tool_alternatives(tool=cursor)
    assert set(slugs(alternatives)[:3]) == {"github-copilot", "claude-code", "aider"}
    assert tool_closest_rival(tool=cursor).tool.slug == "github-copilot"
    smol = Tool.objects.prefetch_related("plans").get(slug="smolvlm-3b")
    moondream = next(a for a in tool_alternatives(tool=smol) if a.tool.slug == "moondream-2")
    assert "both open weights" in moondream.reasons and "both self-hosted" in moondream.reasons
    # Midjourney's nearest tools share only its category: no rival at the default threshold.
    midjourney = Tool.objects.prefetch_related("plans").get(slug="midjourney-v7")
    assert tool_closest_rival(tool=midjourney) is None


def test_the_default_threshold_finds_only_same_category_rivals_in_the_starter(starter):
    tool_embeddings_refresh()
    rivals = {}
    for tool in Tool.objects.select_related("category").prefetch_related("plans"):
        rival = tool_closest_rival(tool=tool)
        if rival is not None:
            assert rival.tool.category_id == tool.category_id, (tool.slug, rival.tool.slug)
            rivals[tool.slug] = rival.tool.slug
    assert len(rivals) == 24
    assert rivals["deepseek-v3"] in {"llama-3-3-70b", "mistral-large-2"}
    # The reference comparison's pair: both are now scored over the facts they state.
    assert rivals["claude-4-sonnet"] == "smolvlm-3b"


def test_a_tool_without_a_category_takes_the_one_its_nearest_tools_agree_on(db):
    speech, code = CategoryFactory(slug="speech"), CategoryFactory(slug="code")
    placeholder = CategoryFactory(slug="uncategorised")
    newcomer = ToolFactory(slug="newcomer", category=placeholder, status=Tool.Status.DRAFT)
    embedding_put(newcomer, unit(1, 0.1))
    for slug, category, vector in [
        ("voice-a", speech, unit(1, 0.2)),
        ("voice-b", speech, unit(1, 0.3)),
        ("coder", code, unit(1, 0.4)),
        ("far-coder", code, unit(0, 1)),
    ]:
        embedding_put(ToolFactory(slug=slug, category=category), vector)

    guess = tool_category_guess(tool=newcomer)

    assert guess.category == speech and guess.neighbours == ["voice-a", "voice-b"]
    assert guess.note == "category speech from its nearest tools (voice-a, voice-b)"


def test_no_category_is_guessed_when_the_nearest_tools_disagree(db):
    placeholder = CategoryFactory(slug="uncategorised")
    newcomer = ToolFactory(slug="newcomer", category=placeholder, status=Tool.Status.DRAFT)
    embedding_put(newcomer, unit(1, 0))
    for number, vector in enumerate([unit(1, 0.1), unit(1, 0.2), unit(1, 0.3)]):
        embedding_put(ToolFactory(slug=f"other-{number}", category=CategoryFactory()), vector)

    assert tool_category_guess(tool=newcomer) is None
