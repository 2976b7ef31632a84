"""/tools/ facets and sorts: each narrows as it says, choices combine, bad input is a notice."""

import datetime

import pytest
from django.utils import timezone

from testkit.pages import text_of
from verdicts.catalog.facets import facet_values, licence_kind
from verdicts.catalog.models import Tool
from verdicts.catalog.models.tools import ToolFacet
from verdicts.ingest.models import ToolRegistryCheck
from verdicts.panel.models import Persona
from verdicts.panel.services.editorial import review_create
from verdicts.votes.models import ToolVoteTally

pytestmark = pytest.mark.django_db


def slugs(client, query: str = "") -> list[str]:
    response = client.get(f"/tools/{query}")
    assert response.status_code == 200
    return [row.tool.slug for row in response.context["page"].rows]


def published(**filters) -> set[str]:
    return set(Tool.objects.published().filter(**filters).values_list("slug", flat=True))


def test_licences_fold_into_three_kinds():
    assert licence_kind("Apache-2.0") == "open-source"
    assert licence_kind("MIT") == "open-source"
    assert licence_kind("GPL-3.0-or-later") == "open-source"
    assert licence_kind("Proprietary") == "proprietary"
    assert licence_kind("FLUX.1 [dev] Non-Commercial License") == "restricted"
    assert licence_kind("Mistral Research License") == "restricted"
    assert licence_kind("") == ""


def test_modality_and_deployment_come_from_the_facts_else_the_category():
    pairs = facet_values(
        facts={"modalities": "Text, image, audio and video input", "deployment": "On-device"},
        licence="Proprietary",
        open_weights=False,
        category_slug="developer-tools",
    )
    assert pairs == {
        ("modality", "text"),
        ("modality", "image"),
        ("modality", "audio"),
        ("modality", "video"),
        ("deployment", "on-device"),
        ("deployment", "hosted"),
        ("licence", "proprietary"),
    }
    by_category = facet_values(facts={}, licence="", open_weights=True, category_slug="speech")
    assert by_category == {("modality", "audio"), ("deployment", "self-hosted")}


def test_facet_rows_follow_a_saved_tool(starter):
    tool = Tool.objects.get(slug="gpt-4o")
    assert ("modality", "image") in set(tool.facet_values.values_list("facet", "value"))
    tool.facts = {"modalities": "Audio in, audio out"}
    tool.licence = "MIT"
    tool.save()
    assert set(tool.facet_values.values_list("facet", "value")) == {
        ("modality", "audio"),
        ("licence", "open-source"),
        ("deployment", "self-hosted"),
    }
    # A save that touches none of the facet fields leaves the rows alone (and costs nothing).
    before = list(ToolFacet.objects.filter(tool=tool).values_list("pk", flat=True))
    tool.save(update_fields=["status", "updated_at"])
    assert list(ToolFacet.objects.filter(tool=tool).values_list("pk", flat=True)) == before


def test_each_facet_narrows_the_list_to_the_tools_that_have_it(client, starter):
    everything = set(slugs(client))
    assert everything == published()
    smol = "smolvlm-3b"
    cases = {
        "?category=developer-tools": published(category__slug="developer-tools"),
        "?open_weights=yes": published(open_weights=True),
        "?open_weights=no": published(open_weights=False),
        "?licence=proprietary": published(licence="Proprietary"),
        "?modality=audio": {"deepgram-nova-3", "elevenlabs", "gemini-2-5-pro", "whisper-large-v3"},
        "?deployment=on-device": {"moondream-2", smol},
        "?tier=paid": {t.slug for t in Tool.objects.published() if t.entry_tier == "paid"},
        "?tier=free": {t.slug for t in Tool.objects.published() if t.entry_tier == "free"},
        "?tier=freemium": {t.slug for t in Tool.objects.published() if t.entry_tier == "freemium"},
    }
    for query, expected in cases.items():
        found = set(slugs(client, query))
        assert found == expected, query
        assert found < everything, query
    assert {"claude-4-sonnet", smol} <= set(slugs(client, "?modality=image"))
    assert "llama-3-3-70b" not in slugs(client, "?modality=image")


def test_verification_narrows_by_the_registries_answers(client, starter):
    now = timezone.now()
    for slug, found in (("ollama", True), ("vllm", False)):
        ToolRegistryCheck.objects.create(
            tool=Tool.objects.get(slug=slug),
            registry="GitHub",
            artifact=slug,
            checked_url=f"https://api.github.com/repos/x/{slug}",
            found=found,
            checked_at=now,
        )
    assert slugs(client, "?verification=verified") == ["ollama"]
    assert slugs(client, "?verification=unverified") == ["vllm"]
    unchecked = set(slugs(client, "?verification=unchecked"))
    assert unchecked == published() - {"ollama", "vllm"}


def test_choices_combine_and_every_option_is_a_link_to_its_normalised_address(client, starter):
    found = slugs(client, "?open_weights=yes&modality=image&licence=open-source")
    assert found == ["moondream-2", "pixtral-12b", "qwen2-5-vl-7b", "smolvlm-3b"]
    html = client.get("/tools/?modality=image&open_weights=yes").content.decode()
    # Options link to addresses with the parameters in one order, whatever this one said.
    assert 'href="/tools/?licence=open-source&amp;open_weights=yes&amp;modality=image"' in html
    # "Any" drops that facet's choice, keeping the others.
    assert 'href="/tools/?modality=image"' in html


def test_the_canonical_link_is_the_normalised_address(client, starter, settings):
    settings.SITE_URL = "https://verdicts.example"
    html = client.get("/tools/?sort=name&modality=image&page=1&open_weights=yes").content.decode()
    canonical = "https://verdicts.example/tools/?open_weights=yes&amp;modality=image"
    assert f'<link rel="canonical" href="{canonical}">' in html
    plain = client.get("/tools/?bogus=1").content.decode()
    assert '<link rel="canonical" href="https://verdicts.example/tools/">' in plain


def test_sorts_order_by_panel_share_community_share_and_newest(client, starter):
    skeptic = Persona.objects.get(slug="skeptic")
    # Ollama: four current reviews, all ship; then whisper, one ship of one: the same share
    # on fewer reviews comes after.
    ollama, whisper = Tool.objects.get(slug="ollama"), Tool.objects.get(slug="whisper-large-v3")
    for persona in Persona.objects.all():
        review_create(tool=ollama, persona=persona, verdict="ship", body="Ship it.")
    by_panel = slugs(client, "?sort=panel")
    shares = client.get("/tools/?sort=panel").context["page"].rows
    ratios = [row.panel.share.ratio for row in shares if row.panel.share.has_data]
    assert ratios == sorted(ratios, reverse=True)
    reviewed = [row.tool.slug for row in shares if row.panel.share.has_data]
    assert by_panel[: len(reviewed)] == reviewed  # tools without reviews come last
    review_create(tool=whisper, persona=skeptic, verdict="ship", body="Ship it.")
    assert slugs(client, "?sort=panel").index("ollama") < slugs(client, "?sort=panel").index(
        "whisper-large-v3"
    )

    ToolVoteTally.objects.update_or_create(tool=whisper, defaults={"ship": 9, "skip": 1})
    ToolVoteTally.objects.update_or_create(tool=ollama, defaults={"ship": 1, "skip": 9})
    by_community = slugs(client, "?sort=community")
    assert by_community[:2] == ["whisper-large-v3", "ollama"]

    Tool.objects.filter(slug="vllm").update(created_at=timezone.now() + datetime.timedelta(days=1))
    assert slugs(client, "?sort=newest")[0] == "vllm"
    assert slugs(client, "?sort=newest&open_weights=no")[0] == "vllm"
    assert slugs(client)[0] == "aider"  # A to Z by default


def test_bad_input_is_ignored_with_a_one_line_notice_and_never_fails(client, starter):
    everything = slugs(client)
    for query, notice in (
        ("?colour=blue", "Ignored “colour”: not a filter of this page."),
        ("?tier=cheap", "Ignored entry tier “cheap”: no tool has it."),
        ("?category=nowhere", "Ignored category “nowhere”: no tool has it."),
        ("?sort=random", "Ignored sort “random”: sorted A to Z."),
        ("?page=two", "Ignored page “two”: showing page 1."),
        ("?modality=" + "x" * 300, "Ignored modality “" + "x" * 40 + "…”: no tool has it."),
    ):
        response = client.get(f"/tools/{query}")
        assert response.status_code == 200, query
        assert [row.tool.slug for row in response.context["page"].rows] == everything, query
        assert response.context["page"].notice == notice
        assert notice in response.content.decode()
    response = client.get("/tools/?licence=proprietary&licence=open-source")
    assert "One licence at a time" in response.context["page"].notice
    assert set(row.tool.slug for row in response.context["page"].rows) == published(
        licence="Proprietary"
    )
    for query in ("?page=99999999999999999999", "?open_weights=%00", "?tier=free&page=-3"):
        assert client.get(f"/tools/{query}").status_code == 200, query


def test_pages_stop_at_a_bound_with_a_notice(client, starter):
    response = client.get("/tools/?modality=image&page=99999999999999999999")
    assert response.status_code == 200
    page = response.context["page"]
    assert page.window.number == 100
    assert page.notice == "Lists stop at page 100: narrow this one to reach the rest."
    assert 'rel="next"' not in response.content.decode()


def test_a_choice_nothing_matches_says_so_and_links_back(client, starter):
    text = text_of(client.get("/tools/?category=speech&modality=code"))
    assert "No published tool matches these choices." in text


def test_counts_are_shown_on_the_unfiltered_page_only(client, starter):
    page = client.get("/tools/").context["page"]
    licences = next(facet for facet in page.facets if facet.name == "licence")
    counts = {option.value: option.count for option in licences.options}
    assert counts["proprietary"] == len(published(licence="Proprietary"))
    assert sum(counts.values()) == len(published())
    weights = next(facet for facet in page.facets if facet.name == "open_weights")
    assert {o.value: o.count for o in weights.options}["yes"] == len(published(open_weights=True))
    filtered = client.get("/tools/?modality=image").context["page"]
    assert all(option.count is None for facet in filtered.facets for option in facet.options)


def test_filtered_pages_cost_a_fixed_number_of_queries(client, starter, django_assert_num_queries):
    # Categories, tools, plans, panel reviews, votes.
    for query in (
        "?modality=image",
        "?tier=freemium&sort=panel",
        "?verification=unchecked&sort=community",
        "?open_weights=yes&licence=open-source&deployment=self-hosted&sort=newest",
    ):
        with django_assert_num_queries(5):
            assert client.get(f"/tools/{query}").status_code == 200


def test_pages_keep_the_choices(client, starter):
    for index in range(60):
        tool = Tool.objects.get(slug="smolvlm-3b")
        tool.pk = None
        tool.slug = f"smol-copy-{index:02}"
        tool.name = f"Smol copy {index:02}"
        tool.save()
    response = client.get("/tools/?modality=image")
    assert len(response.context["page"].rows) == 50
    html = response.content.decode()
    assert 'href="/tools/?modality=image&amp;page=2" rel="next"' in html
    second = client.get("/tools/?modality=image&page=2")
    assert len(second.context["page"].rows) == 70 - 50
    assert 'href="/tools/?modality=image" rel="prev"' in second.content.decode()
