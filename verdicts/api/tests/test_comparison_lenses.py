"""The API comparison's head-to-head picks, order-swap consistency, lens weights and bottom
line."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from testkit.panel import builder_picks_beta_skeptic_flips, execute_all
from verdicts.catalog.tests.factories import ComparisonFactory, ToolFactory
from verdicts.common.share import Share
from verdicts.panel.services.runs import panel_run_create
from verdicts.panel.weighting import weighted_share

pytestmark = pytest.mark.django_db
REFERENCE = "/api/comparisons/claude-4-sonnet-vs-smolvlm-3b"


def test_equal_weights_are_the_panel_share_and_an_unasked_pair_says_so(client, starter):
    body = client.get(REFERENCE).json()
    weighted = body["weighted"]
    assert weighted["weights"] == {"builder": 1, "skeptic": 1, "futurist": 1, "operator": 1}
    assert weighted["side_b"]["percent"] == body["side_b"]["panel"]["percent"] == 75
    assert weighted["side_b"]["interval_low"] == body["side_b"]["panel"]["interval_low"]
    assert weighted["side_b"]["interval_high"] == body["side_b"]["panel"]["interval_high"]
    assert weighted["side_b"]["effective_reviews"] == 4 and weighted["side_b"]["reviews"] == 4
    assert weighted["too_close"] is True and weighted["notice"] == ""
    assert body["head_to_head"] == []
    assert body["order_consistent"]["total"] == 0
    assert body["bottom_line"] == {
        "source": "unasked",
        "text": "The panel has not been asked head to head yet.",
        "updated_at": None,
        "choices": [],
        "too_close": True,
    }


def test_weights_recompute_the_share_with_the_effective_reviews(client, starter):
    body = client.get(REFERENCE, {"weights": "builder:3,operator:0"}).json()
    assert body["weighted"]["weights"] == {"builder": 3, "skeptic": 1, "futurist": 1, "operator": 0}
    side_b = body["weighted"]["side_b"]
    expected = weighted_share(verdicts=[(3, True), (1, True), (1, True), (0, False)])
    assert side_b["percent"] == 100
    assert side_b["effective_reviews"] == round(25 / 11, 4)
    assert (side_b["interval_low"], side_b["interval_high"]) == tuple(
        round(bound, 4) for bound in expected.interval
    )
    # The sides keep the panel's own figures.
    assert body["side_b"]["panel"]["percent"] == 75


@pytest.mark.parametrize(
    ("weights", "notice"),
    [
        ("nobody:2", 'No lens "nobody" on this comparison.'),
        ("builder:1,builder:2", 'The lens "builder" is weighted twice.'),
        ("builder:0,skeptic:0,futurist:0,operator:0", "At least one lens must weigh more than 0."),
    ],
)
def test_weights_the_pair_cannot_use_give_equal_weights_with_a_notice(
    client, starter, weights, notice
):
    response = client.get(REFERENCE, {"weights": weights})
    assert response.status_code == 200
    weighted = response.json()["weighted"]
    assert weighted["notice"] == notice
    assert set(weighted["weights"].values()) == {1}
    assert weighted["side_b"]["percent"] == 75


@pytest.mark.parametrize(
    "weights", ["builder2", "builder:9", "builder:2,", "builder: 2", "a:1;b:2"]
)
def test_malformed_weights_are_a_422_naming_the_parameter(client, starter, weights):
    response = client.get(REFERENCE, {"weights": weights})
    assert response.status_code == 422
    assert [issue["loc"] for issue in response.json()["detail"]] == [["query", "weights"]]


def test_weights_cost_no_query_more(client, starter, django_assert_num_queries):
    client.get(REFERENCE)
    with CaptureQueriesContext(connection) as plain:
        client.get(REFERENCE)
    with django_assert_num_queries(len(plain)):
        assert client.get(REFERENCE, {"weights": "skeptic:2"}).status_code == 200


def test_picks_say_whether_the_orders_agreed_and_the_bottom_line_uses_the_consistent_ones(
    client, script, builder, skeptic
):
    tool_a, tool_b = ToolFactory(name="Alpha"), ToolFactory(name="Beta")
    comparison = ComparisonFactory(tool_a=tool_a, tool_b=tool_b)
    script.default = builder_picks_beta_skeptic_flips
    run, _ = panel_run_create(tools=[tool_a, tool_b], personas=[builder, skeptic])
    execute_all(run)

    body = client.get(f"/api/comparisons/{comparison.slug}").json()
    assert body["head_to_head"] == [
        {"persona": "builder", "pick": tool_b.slug, "tie": False, "for_whom": "Small teams."},
        {"persona": "skeptic", "pick": None, "tie": True, "for_whom": ""},
    ]
    consistent = Share(1, 2)
    assert body["order_consistent"]["count"] == 1 and body["order_consistent"]["total"] == 2
    assert body["order_consistent"]["interval_low"] == round(consistent.interval[0], 4)
    line = body["bottom_line"]
    assert line["source"] == "panel"
    assert line["choices"] == [
        {"tool": tool_b.slug, "for_whom": ["Small teams"], "personas": [["builder"]]}
    ]
    assert line["text"] == (
        "Choose Beta if this is you: “Small teams” (Builder)."
        " No persona picked Alpha in both orders."
    )
