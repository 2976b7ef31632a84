"""The verdict timeline on the tool page and in the API, at a fixed number of queries."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from testkit.pages import text_of
from testkit.panel import DESCRIPTION, execute_all, review_answer
from verdicts.catalog.models import PlanKind
from verdicts.catalog.tests.factories import PricingPlanFactory, ToolFactory
from verdicts.panel.services.editorial import review_create
from verdicts.panel.services.runs import panel_run_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def tool(db):
    return ToolFactory(slug="smolvlm-3b", name="SmolVLM-3B", description=DESCRIPTION)


def review_run(script, tool, personas, verdict: str) -> None:
    def answer(messages, info):
        slug = "skeptic" if "You are Skeptic," in info.instructions else "builder"
        return review_answer(slug, verdict=verdict)

    script.default = answer
    run, _ = panel_run_create(tools=[tool], personas=personas)
    execute_all(run)


def page_queries(client, path: str) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(path).status_code == 200
    return len(context)


def test_the_timeline_shows_each_version_and_what_changed(client, script, builder, tool):
    plan = PricingPlanFactory(tool=tool, name="Pro", kind=PlanKind.TIERED, price=Decimal("20"))
    review_run(script, tool, [builder], "skip")
    plan.price = Decimal("12")
    plan.save()
    review_run(script, tool, [builder], "ship")

    response = client.get(tool.get_absolute_url())
    text = text_of(response)
    section = text.split("Verdict timeline", 1)[1]
    assert section.startswith(" Every version of each persona's review")
    assert "Builder: skip," in section and "; ship," in section
    assert "What changed in the dossier since the version before: pricing plan Pro" in section
    assert "20" in section and "12" in section
    assert "AI analysis, not a person" in section and "Builder is an AI reviewer persona" in section
    html = response.content.decode()
    assert 'type="application/atom+xml" title="Verdicts: verdict changes (Atom)"' in html
    assert 'href="/feeds/verdict-changes.rss"' in html


def test_an_old_review_without_a_snapshot_says_not_recorded(client, script, builder, tool):
    review_create(tool=tool, persona=builder, verdict="ship", body="The editors' view.")
    review_run(script, tool, [builder], "skip")

    text = text_of(client.get(tool.get_absolute_url()))
    assert "What changed in the dossier: not recorded" in text
    assert "An editorial review by the Verdicts editors" in text


def test_the_page_costs_the_same_queries_however_long_the_history(
    client, script, builder, skeptic, tool, django_assert_num_queries
):
    review_run(script, tool, [builder], "ship")
    path = tool.get_absolute_url()
    client.get(path)  # caches that fill once per process
    queries = page_queries(client, path)
    for verdict in ("skip", "ship", "skip"):
        review_run(script, tool, [builder, skeptic], verdict)
    with django_assert_num_queries(queries):
        response = client.get(path)
    [builder_line, skeptic_line] = response.context["timeline"]
    assert len(builder_line.entries) == 4 and len(skeptic_line.entries) == 3


def test_the_api_tool_detail_has_the_timeline(client, script, builder, tool):
    review_create(tool=tool, persona=builder, verdict="ship", body="The editors' view.")
    review_run(script, tool, [builder], "ship")
    review_run(script, tool, [builder], "skip")

    body = client.get(f"/api/tools/{tool.slug}").json()
    [timeline] = body["timeline"]
    assert timeline["persona"] == "builder"
    editorial, first, second = timeline["entries"]
    assert [e["verdict"] for e in timeline["entries"]] == ["ship", "ship", "skip"]
    assert (editorial["kind"], first["kind"], second["kind"]) == ("editorial", "ai", "ai")
    assert editorial["dossier_changes"] is None and first["dossier_changes"] is None
    assert second["dossier_changes"] == []
    assert "AI analysis" in second["label"]


def test_methodology_publishes_the_boundary_the_timeline_links(client):
    text = text_of(client.get("/methodology/"))
    assert "When a verdict changes" in text
    assert "more than half saying ship, exactly half, and fewer than half" in text
