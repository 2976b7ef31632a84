"""The comparison page's head-to-head section: each persona's own pick."""

import pytest

from testkit.pages import text_of
from testkit.panel import builder_picks_beta_skeptic_flips, execute_all
from verdicts.catalog.tests.factories import ComparisonFactory, ToolFactory
from verdicts.panel.services.runs import panel_run_create


@pytest.mark.django_db
def test_the_comparison_page_shows_each_personas_pick_and_calls_a_flip_a_tie(
    client, script, builder, skeptic
):
    tool_a, tool_b = ToolFactory(name="Alpha"), ToolFactory(name="Beta")
    comparison = ComparisonFactory(tool_a=tool_a, tool_b=tool_b)
    assert "Head to head: the panel" not in text_of(client.get(comparison.get_absolute_url()))

    script.default = builder_picks_beta_skeptic_flips
    run, _ = panel_run_create(tools=[tool_a, tool_b], personas=[builder, skeptic])
    execute_all(run)

    response = client.get(comparison.get_absolute_url())
    html, text = response.content.decode(), text_of(response)
    assert "Head to head: the panel's own pick" in text
    # Its own section, after the split and before the cost panel, with a link to it.
    where = html.index
    assert where('id="split"') < where('id="head-to-head"') < where('id="cost-panel"')
    assert '<a href="#head-to-head">Head to head</a>' in html
    assert "Builder: Beta (Small teams.)" in text
    assert "Skeptic: a tie (the pick changed with the order)" in text
