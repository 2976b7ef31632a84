"""Editors' review: the concentration page, voiding a run, counting a held one."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from verdicts.catalog.tests.factories import ComparisonFactory, ToolFactory
from verdicts.votes.identity import Voter, address_hash
from verdicts.votes.models import PairVote, RankingEntry, ToolVote, VoteStatus
from verdicts.votes.selectors import community_shares, pick_counts
from verdicts.votes.services.casting import pair_vote_cast, tool_vote_cast
from verdicts.votes.services.errors import VoteError
from verdicts.votes.services.review import votes_review_by_address, votes_review_by_id

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("caps")]

STUFFER = address_hash("203.0.113.66")
URL = "/admin/votes/toolvote/concentration/"


@pytest.fixture
def caps(settings):
    settings.VOTES_RATE_PER_VOTER = 10**6
    settings.VOTES_RATE_PER_ADDRESS = 10**6
    settings.VOTES_BALLOTS_PER_ADDRESS = 4
    settings.VOTES_NEW_VOTERS_PER_ADDRESS = 1000
    settings.VOTES_BOOTSTRAP_SAMPLES = 10


def stuff(tool, pair, *, where: str, voters: int, start: int = 0) -> None:
    for i in range(start, start + voters):
        voter = Voter(key=f"anon:{where[:8]}-{i}", address_hash=where)
        tool_vote_cast(voter=voter, tool_slug=tool.slug, choice="ship")
        if pair is not None:
            pair_vote_cast(voter=voter, comparison_slug=pair.slug, pick="a")


@pytest.fixture
def run():
    """A stuffing run (9 ballots from one address: 4 counted, 5 held) and two honest voters."""
    tool, rival = ToolFactory(name="Stuffed"), ToolFactory(name="Rival")
    pair = ComparisonFactory(tool_a=tool, tool_b=rival)
    stuff(tool, pair, where=STUFFER, voters=9)
    for index in range(2):
        honest = Voter(key=f"anon:honest-{index}", address_hash=address_hash(f"198.51.100.{index}"))
        tool_vote_cast(voter=honest, tool_slug=tool.slug, choice="skip")
        pair_vote_cast(voter=honest, comparison_slug=pair.slug, pick="b")
    return tool, pair


def test_voiding_a_run_takes_it_out_of_shares_picks_and_rankings(run):
    tool, pair = run
    assert community_shares(tool_ids=[tool.pk])[tool.pk].total == 6
    report = votes_review_by_address(address_hash=STUFFER, status=VoteStatus.VOIDED)
    assert report.changed == 18 and report.ranking_rows > 0
    share = community_shares(tool_ids=[tool.pk])[tool.pk]
    assert (share.count, share.total) == (0, 2)
    assert pick_counts(comparison_ids=[pair.pk])[pair.pk].as_dict() == {"a": 0, "b": 2, "tie": 0}
    ship = RankingEntry.objects.get(method=RankingEntry.Method.SHIP_SHARE, scope="", tool=tool)
    assert (ship.votes, ship.score) == (2, 0)
    # Counting the run after all lets the held ballots in too.
    votes_review_by_address(
        address_hash=STUFFER, status=VoteStatus.COUNTED, kind="tool", target_id=tool.pk
    )
    assert community_shares(tool_ids=[tool.pk])[tool.pk].total == 11
    assert pick_counts(comparison_ids=[pair.pk])[pair.pk].a == 0


def test_a_review_names_an_address_and_a_real_status(run):
    with pytest.raises(VoteError):
        votes_review_by_address(address_hash="", status=VoteStatus.VOIDED)
    with pytest.raises(VoteError):
        votes_review_by_address(address_hash=STUFFER, status=VoteStatus.HELD)
    with pytest.raises(VoteError):
        votes_review_by_address(address_hash=STUFFER, status=VoteStatus.VOIDED, kind="tool")
    ids = list(ToolVote.objects.filter(status=VoteStatus.HELD).values_list("pk", flat=True))
    report = votes_review_by_id(tool_vote_ids=ids, pair_vote_ids=[], status=VoteStatus.VOIDED)
    assert report.changed == 5
    assert ToolVote.objects.filter(status=VoteStatus.HELD).count() == 0


def page_text(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def test_the_concentration_page_shows_the_run_and_voids_it(run, admin_client):
    tool, _ = run
    response = admin_client.get(URL)
    assert response.status_code == 200
    text = page_text(response)
    tools = response.context["concentration"].tools
    top = tools[0]
    assert (top.label, top.address_hash, top.voters, top.ballots) == ("Stuffed", STUFFER, 9, 9)
    assert (top.counted, top.held, top.voided, top.share) == (4, 5, 0, 67)
    assert f"Stuffed {STUFFER[:16]}… 9 9 4 5 0 67% of 6" in text
    assert "Stuffed vs Rival" in text
    assert "5 on tools and 5 on comparisons" in text
    assert "11 in the past hour" in text

    answer = admin_client.post(
        URL,
        {"address_hash": STUFFER, "kind": "tool", "target_id": tool.pk, "review": "void"},
    )
    assert answer.status_code == 302
    assert ToolVote.objects.filter(address_hash=STUFFER, status=VoteStatus.VOIDED).count() == 9
    assert PairVote.objects.filter(address_hash=STUFFER, status=VoteStatus.VOIDED).count() == 0
    after = admin_client.get(URL)
    assert "9 votes changed." in page_text(after)
    assert after.context["concentration"].tools[0].voided == 9
    assert community_shares(tool_ids=[tool.pk])[tool.pk].total == 2


def test_the_concentration_page_runs_a_fixed_number_of_queries(run, admin_client):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert admin_client.get(URL).status_code == 200
        return len(captured)

    few = queries()
    tool, _ = run
    for index in range(6):
        other = ToolFactory()
        stuff(
            other,
            ComparisonFactory(tool_a=other, tool_b=tool),
            where=address_hash(f"192.0.2.{index}"),
            voters=3,
        )
    assert queries() == few
    assert few <= 12


def test_only_staff_see_it_and_only_editors_who_may_change_votes_void(
    run, client, django_user_model
):
    assert client.get(URL).status_code == 302  # to the admin login
    viewer = django_user_model.objects.create_user("viewer", is_staff=True)
    from django.contrib.auth.models import Permission

    viewer.user_permissions.add(Permission.objects.get(codename="view_toolvote"))
    client.force_login(viewer)
    assert client.get(URL).status_code == 200
    refused = client.post(URL, {"address_hash": STUFFER, "review": "void"})
    assert refused.status_code == 403
    assert not ToolVote.objects.filter(status=VoteStatus.VOIDED).exists()


def test_the_changelist_action_voids_the_selected_votes(run, admin_client):
    held = list(ToolVote.objects.filter(status=VoteStatus.HELD).values_list("pk", flat=True))
    response = admin_client.post(
        reverse("admin:votes_toolvote_changelist"),
        {"action": "votes_voided_tool", "_selected_action": held},
    )
    assert response.status_code == 302
    listing = admin_client.get(reverse("admin:votes_toolvote_changelist") + "?status__exact=held")
    assert URL in listing.content.decode()
    assert "0 tool votes" in page_text(listing)
    assert set(
        ToolVote.objects.filter(status=VoteStatus.VOIDED).values_list("pk", flat=True)
    ) == set(held)


def test_the_concentration_page_says_when_there_is_nothing_to_review(admin_client):
    text = page_text(admin_client.get(URL, {"days": "30"}))
    assert "No votes in this window." in text
    assert "No new anonymous voters in this window." in text
    assert "0 in the past hour, 0 in the past day." in text
