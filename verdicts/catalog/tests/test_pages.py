import pytest

from verdicts.catalog.models import EntryTier, PlanKind, Tool, entry_tier_from_plan_kinds
from verdicts.catalog.tests.factories import CategoryFactory, PricingPlanFactory, ToolFactory
from verdicts.compare.tests.test_pages import grow_catalog, text_of


@pytest.mark.parametrize(
    ("kinds", "tier"),
    [
        ([], ""),
        ([PlanKind.SELF_HOSTED], EntryTier.FREE),
        ([PlanKind.FREE, PlanKind.SELF_HOSTED], EntryTier.FREE),
        ([PlanKind.FREE, PlanKind.TIERED], EntryTier.FREEMIUM),
        ([PlanKind.USAGE], EntryTier.PAID),
        ([PlanKind.PER_SEAT, PlanKind.CONTACT], EntryTier.PAID),
    ],
)
def test_entry_tier_derives_from_plan_kinds(kinds, tier):
    assert entry_tier_from_plan_kinds(kinds) == tier


@pytest.mark.django_db
def test_editor_override_beats_the_derived_entry_tier():
    tool = ToolFactory(entry_tier_override=EntryTier.PAID)
    PricingPlanFactory(tool=tool, kind=PlanKind.FREE)
    assert tool.entry_tier_label == "Paid"
    assert ToolFactory().entry_tier_label == "—"


@pytest.mark.django_db
def test_tool_page_shows_the_full_panel(client, starter, django_assert_num_queries):
    with django_assert_num_queries(6):
        response = client.get("/tools/smolvlm-3b/")
    assert response.status_code == 200
    text = text_of(response)
    assert "SmolVLM-3B" in text and "Hugging Face" in text and "Open weights" in text
    assert "Panel ship 75% 3 of 4 ship" in text
    assert "Community — no votes yet" in text
    assert text.count("Written by Verdicts editorial") == 4
    assert "Claude 4 Sonnet vs SmolVLM-3B" in text
    grow_catalog(3)
    with django_assert_num_queries(6):
        client.get("/tools/smolvlm-3b/")


@pytest.mark.django_db
def test_category_page_lists_its_published_tools(client, starter, django_assert_num_queries):
    with django_assert_num_queries(6):
        response = client.get("/categories/developer-tools/")
    text = text_of(response)
    assert "Claude 4 Sonnet" in text and "SmolVLM-3B" in text
    assert "75% (3 of 4)" in text
    for _ in range(60):
        ToolFactory(category=response.context["category"])
    with django_assert_num_queries(6):
        response = client.get("/categories/developer-tools/")
    assert len(response.context["rows"]) == 50
    assert "Page 1 of 2" in text_of(response)
    with django_assert_num_queries(6):
        response = client.get("/categories/developer-tools/", {"page": 2})
    assert len(response.context["rows"]) == 12


@pytest.mark.django_db
def test_category_without_published_tools_is_not_found(client, starter):
    category = CategoryFactory()
    ToolFactory(category=category, status=Tool.Status.DRAFT)
    assert client.get(f"/categories/{category.slug}/").status_code == 404
    assert client.get("/categories/no-such-category/").status_code == 404


@pytest.mark.django_db
def test_search_matches_every_word_across_fields(client, starter, django_assert_num_queries):
    with django_assert_num_queries(3):
        response = client.get("/search", {"q": "hugging face vision"})
    text = text_of(response)
    assert "SmolVLM-3B" in text
    assert "Claude 4 Sonnet Developer Tools" not in text
    assert "Claude 4 Sonnet vs SmolVLM-3B" in text_of(client.get("/search", {"q": "sonnet"}))


@pytest.mark.django_db
def test_search_without_a_query_or_with_junk_is_calm(client, starter):
    assert "Search the catalog" in text_of(client.get("/search"))
    response = client.get("/search", {"q": "x" * 5000 + "<script>"})
    assert response.status_code == 200
    assert "<script>x" not in response.content.decode()
    assert "No tool matches" in text_of(response)
