"""The comparison page's lens weights, order-swap line and bottom line."""

from html import unescape

import pytest
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from testkit.pages import REFERENCE, text_of
from testkit.panel import builder_picks_beta_skeptic_flips, execute_all, valid
from verdicts.catalog.tests.factories import ComparisonFactory, ToolFactory
from verdicts.panel.models import Verdict
from verdicts.panel.services.runs import panel_run_create
from verdicts.panel.tests.factories import PersonaFactory, ReviewFactory

pytestmark = pytest.mark.django_db


def page_text(response) -> str:
    return unescape(text_of(response))


def weighted_line(tool: str, percent: int, low: int, high: int, how: str, reviews: str) -> str:
    """A side's weighted figure as the page words it."""
    interval = f"95% CI {low}\u2013{high}%"
    return f"{tool} : {percent}% ship · {interval} · {how}: {reviews} effective reviews of 4"


def test_equal_weights_show_the_panel_share_with_every_review_counted(client, starter):
    text = page_text(client.get(REFERENCE))
    assert "Weigh the lenses yourself" in text
    assert weighted_line("Claude 4 Sonnet", 100, 51, 100, "equal weights", "4") in text
    assert weighted_line("SmolVLM-3B", 75, 30, 95, "equal weights", "4") in text
    assert "With these weights: too close to call" in text


def test_weights_in_the_url_recompute_the_share_and_the_effective_reviews(client, starter):
    # The Operator is the one persona that skips SmolVLM-3B.
    response = client.get(REFERENCE, {"w-builder": "3", "w-operator": "0"})
    text = page_text(response)
    assert weighted_line("SmolVLM-3B", 100, 37, 100, "weighted", "2.3") in text
    assert weighted_line("Claude 4 Sonnet", 100, 37, 100, "weighted", "2.3") in text
    html = response.content.decode()
    assert '<option value="3" selected>' in html and '<option value="0" selected>' in html
    assert 'name="w-skeptic"' in html and 'hx-push-url="true"' in html
    # The sides keep the panel's own, unweighted figures.
    assert "Panel ship 75% 3 of 4 ship" in text


@pytest.mark.parametrize(
    ("query", "notice"),
    [
        ({"w-builder": "9"}, 'A lens weight is one of 0, 1, 2, 3; got "9".'),
        ({"w-builder": "two"}, 'A lens weight is one of 0, 1, 2, 3; got "two".'),
        ({"w-builder": "\x00"}, "A lens weight is one of 0, 1, 2, 3"),
        ({"w-nobody": "2"}, 'No lens "nobody" on this comparison.'),
        ({"w-builder": ["2", "3"]}, 'The lens "builder" is weighted twice.'),
        (
            {"w-builder": "0", "w-skeptic": "0", "w-futurist": "0", "w-operator": "0"},
            "At least one lens must weigh more than 0.",
        ),
    ],
)
def test_bad_weights_give_the_default_with_a_one_line_notice(client, starter, query, notice):
    response = client.get(REFERENCE, query)
    assert response.status_code == 200
    text = page_text(response)
    assert notice in text and "Showing equal weights." in text
    assert weighted_line("SmolVLM-3B", 75, 30, 95, "equal weights", "4") in text


def test_weighing_costs_no_query_more(client, starter, django_assert_num_queries):
    client.get(REFERENCE)
    with CaptureQueriesContext(connection) as plain:
        client.get(REFERENCE)
    for query in ({"w-builder": "3", "w-operator": "0"}, {"w-builder": "nine"}):
        with django_assert_num_queries(len(plain)):
            client.get(REFERENCE, query)


def test_the_page_cache_keeps_each_weighting_apart(client, starter, settings):
    settings.PAGE_CACHE_ENABLED = True
    caches[settings.PAGE_CACHE_ALIAS].clear()
    weighted = f"{REFERENCE}?w-operator=0"
    assert "equal weights" in page_text(client.get(REFERENCE))
    assert "weighted: 3 effective reviews of 4" in page_text(client.get(weighted))
    assert "weighted: 3 effective reviews of 4" in page_text(Client().get(weighted))
    assert "weighted:" not in page_text(Client().get(REFERENCE))


def test_the_bottom_line_of_a_pair_never_asked_says_so_and_names_no_false_winner(client, starter):
    text = page_text(client.get(REFERENCE))
    line = text[text.index("The bottom line") :]
    assert line.startswith("The bottom line The panel has not been asked head to head yet.")
    assert "On ship share the panel is too close to call" in line
    assert "Choose" not in line[:200]


def test_no_too_close_sentence_when_the_intervals_part(client):
    alpha, beta = ToolFactory(name="Alpha"), ToolFactory(name="Beta")
    for position in range(4):
        persona = PersonaFactory(position=position)
        ReviewFactory(tool=alpha, persona=persona, verdict=Verdict.SHIP)
        ReviewFactory(tool=beta, persona=persona, verdict=Verdict.SKIP)
    comparison = ComparisonFactory(tool_a=alpha, tool_b=beta)
    text = page_text(client.get(comparison.get_absolute_url()))
    assert "The panel has not been asked head to head yet." in text
    assert "too close to call" not in text
    assert "With these weights the 95% intervals do not overlap." in text


def picks_alpha_and_beta(messages, info):
    """The Builder picks Beta and the Skeptic Alpha, each in both orders."""
    prompt = str(messages[0])
    if "Which would you ship with" not in prompt:
        return valid(messages, info)
    wanted, whom = (
        ("Alpha", "Regulated shops.")
        if "Skeptic," in info.instructions
        else ("Beta", "Small teams.")
    )
    other = "Beta" if wanted == "Alpha" else "Alpha"
    first = prompt.index(f"name: {wanted}") < prompt.index(f"name: {other}")
    return {"pick": "first" if first else "second", "for_whom": whom, "reason": "It fits."}


def run_head_to_head(personas):
    tool_a, tool_b = ToolFactory(name="Alpha"), ToolFactory(name="Beta")
    comparison = ComparisonFactory(tool_a=tool_a, tool_b=tool_b)
    run, _ = panel_run_create(tools=[tool_a, tool_b], personas=personas)
    execute_all(run)
    return comparison


def test_each_persona_says_whether_the_orders_agreed_and_the_line_counts_them(
    client, script, builder, skeptic
):
    script.default = builder_picks_beta_skeptic_flips
    comparison = run_head_to_head([builder, skeptic])
    response = client.get(comparison.get_absolute_url())
    text = page_text(response)
    assert "Builder: Beta (Small teams.) same pick in both orders" in text
    assert "Skeptic: a tie (the pick changed with the order) the two orders disagreed" in text
    assert "1 of 2 personas picked the same tool in both orders." in text
    html = response.content.decode()
    line = html[html.index('class="order-consistency"') :].split("</p>")[0]
    assert 'href="/methodology/#tests-title"' in line and 'href="/panel/audit/"' in line
    # The flipped pick counts as a tie: only the Builder's words make the bottom line.
    assert (
        "The bottom line Choose Beta if this is you: “Small teams” (Builder)."
        " No persona picked Alpha in both orders." in text
    )


def test_the_bottom_line_names_who_should_choose_each_tool(client, script, builder, skeptic):
    script.default = picks_alpha_and_beta
    comparison = run_head_to_head([builder, skeptic])
    text = page_text(client.get(comparison.get_absolute_url()))
    assert (
        "Choose Alpha if this is you: “Regulated shops” (Skeptic);"
        " choose Beta if this is you: “Small teams” (Builder)." in text
    )
    assert "2 of 2 personas picked the same tool in both orders." in text


def test_the_bottom_line_names_no_choice_when_every_pick_flipped(client, script, skeptic):
    script.default = builder_picks_beta_skeptic_flips
    comparison = run_head_to_head([skeptic])
    text = page_text(client.get(comparison.get_absolute_url()))
    assert "The panel names no choice: every persona's head-to-head pick changed" in text
    assert "0 of 1 persona picked the same tool in both orders." in text
