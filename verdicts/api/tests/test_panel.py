"""The panel API: head-to-head picks for a comparison."""

import pytest

from testkit.panel import builder_picks_beta_skeptic_flips, execute_all
from verdicts.catalog.tests.factories import ComparisonFactory, ToolFactory
from verdicts.panel.services.runs import panel_run_create


@pytest.mark.django_db
def test_head_to_head_picks_are_served_with_ties_at_a_fixed_query_count(
    client, script, builder, skeptic, django_assert_num_queries
):
    tool_a, tool_b = ToolFactory(name="Alpha"), ToolFactory(name="Beta")
    comparison = ComparisonFactory(tool_a=tool_a, tool_b=tool_b)

    script.default = builder_picks_beta_skeptic_flips
    run, _ = panel_run_create(tools=[tool_a, tool_b], personas=[builder, skeptic])
    execute_all(run)

    url = f"/api/panel/comparisons/{comparison.slug}/head-to-head"
    with django_assert_num_queries(2):
        response = client.get(url)
    assert response.status_code == 200
    assert response.json() == [
        {"persona": "builder", "pick": tool_b.slug, "tie": False, "for_whom": "Small teams."},
        {"persona": "skeptic", "pick": None, "tie": True, "for_whom": ""},
    ]
    assert client.get("/api/panel/comparisons/nope/head-to-head").status_code == 404
