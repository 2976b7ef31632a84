"""Generated votes in bulk: as many as asked, tallies that a recount agrees with, and the tally
triggers back at work afterwards."""

import pytest
from django.db.models import Count

from verdicts.catalog.models import Tool, ToolFacet
from verdicts.common.content_versions import content_clock
from verdicts.core.generate import catalog_generate
from verdicts.votes.models import (
    TALLY_STAMP_LEAD_SECONDS,
    PairVote,
    PairVoteTally,
    ToolChoice,
    ToolVote,
    ToolVoteTally,
)
from verdicts.votes.services.tallies import vote_tallies_recount

pytestmark = pytest.mark.django_db


def test_bulk_votes_are_counted_once_and_tallied(starter):
    report = catalog_generate(tools=120, comparisons=30, votes=5000, seed=3, rankings=False)

    assert report.votes == ToolVote.objects.count() + PairVote.objects.count() == 5000
    assert PairVote.objects.count() == 2500
    recount = vote_tallies_recount(fix=False)
    assert recount.ok, recount.drift[:3]
    assert recount.checked > 100
    # Both sides of every choice occur, and no voter votes twice on one target.
    assert set(ToolVote.objects.values_list("choice", flat=True)) == {"ship", "skip"}
    assert set(PairVote.objects.values_list("pick", flat=True)) == {"a", "b", "tie"}
    twice = ToolVote.objects.values("tool", "voter_key").annotate(n=Count("id")).filter(n__gt=1)
    assert not twice.exists()


def test_tally_triggers_work_after_a_bulk_load(starter):
    catalog_generate(tools=20, comparisons=5, votes=400, seed=4, rankings=False)
    vote = ToolVote.objects.order_by("id").last()
    before = ToolVoteTally.objects.get(tool_id=vote.tool_id)

    ToolVote.objects.create(tool_id=vote.tool_id, voter_key="after-bulk", choice=ToolChoice.SHIP)
    pair = PairVote.objects.order_by("id").last()
    pair_before = PairVoteTally.objects.get(comparison_id=pair.comparison_id)
    PairVote.objects.create(comparison_id=pair.comparison_id, voter_key="after-bulk", pick="tie")

    after = ToolVoteTally.objects.get(tool_id=vote.tool_id)
    assert (after.ship, after.skip) == (before.ship + 1, before.skip)
    assert PairVoteTally.objects.get(comparison_id=pair.comparison_id).tie == pair_before.tie + 1
    assert vote_tallies_recount(fix=False).ok


def test_bulk_tallies_carry_the_stamp_a_vote_would_give_them(starter):
    before = content_clock()
    catalog_generate(tools=20, comparisons=5, votes=400, seed=7, rankings=False)
    after = content_clock()

    stamps = [
        *ToolVoteTally.objects.values_list("changed_at", flat=True),
        *PairVoteTally.objects.values_list("changed_at", flat=True),
    ]
    assert len(stamps) > 10
    lead = TALLY_STAMP_LEAD_SECONDS
    assert all(before + lead <= stamp <= after + lead for stamp in stamps), stamps[:3]


def test_a_failed_load_leaves_the_triggers_in_place(starter, monkeypatch):
    from verdicts.core import generate_votes

    def broken(kind):
        return "INSERT INTO no_such_table VALUES (%s, %s, %s)"

    monkeypatch.setattr(generate_votes, "_insert_sql", broken)
    with pytest.raises(Exception, match="no_such_table"):
        catalog_generate(tools=10, votes=100, seed=5, rankings=False)
    monkeypatch.undo()

    catalog_generate(tools=10, votes=100, seed=6, rankings=False)
    vote = ToolVote.objects.order_by("id").last()
    tally = ToolVoteTally.objects.get(tool_id=vote.tool_id)
    ToolVote.objects.create(tool_id=vote.tool_id, voter_key="after-failure", choice="skip")
    assert ToolVoteTally.objects.get(tool_id=vote.tool_id).skip == tally.skip + 1


def test_generated_tools_carry_the_facet_rows_a_save_would_write(starter):
    before = Tool.objects.count()
    catalog_generate(tools=40, comparisons=0, votes=0, seed=5, rankings=False)
    generated = list(Tool.objects.select_related("category").order_by("pk")[before:])
    assert len(generated) == 40
    assert ToolFacet.objects.filter(tool__in=generated).values("tool").distinct().count() > 20
    for tool in generated:
        stored = set(tool.facet_values.values_list("facet", "value"))
        # A save recomputes the rows from the tool's fields: it finds nothing to change.
        tool.save()
        assert set(tool.facet_values.values_list("facet", "value")) == stored
