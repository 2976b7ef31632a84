import pytest

from verdicts.catalog.tests.factories import ComparisonFactory, ToolFactory
from verdicts.panel.services.runs import panel_run_create
from verdicts.panel.tests.test_runs import execute_all, valid


def builder_picks_beta_skeptic_flips(messages, info):
    """Reviews as usual; on head-to-head the builder picks Beta in both orders, while the
    skeptic always picks whichever tool comes first."""
    prompt = str(messages[0])
    if "Which would you ship with" not in prompt:
        return valid(messages, info)
    if "You are Skeptic," in info.instructions:
        pick = "first"
    else:
        pick = "first" if prompt.index("name: Beta") < prompt.index("name: Alpha") else "second"
    return {"pick": pick, "for_whom": "Small teams.", "reason": "Simpler to run."}


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
