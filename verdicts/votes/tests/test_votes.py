import re

import pytest
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from verdicts.catalog.models import Tool
from verdicts.catalog.tests.factories import ToolFactory
from verdicts.compare.tests.factories import ComparisonFactory
from verdicts.votes.identity import VOTER_COOKIE, address_hash
from verdicts.votes.models import PairVote, ToolVote, VoteReceipt
from verdicts.votes.selectors import community_shares


def vote(client, tool, choice, **extra):
    return client.post(f"/votes/tools/{tool.slug}/", {"choice": choice, **extra})


def fresh_count(tool) -> tuple[int, int]:
    votes = ToolVote.objects.filter(tool=tool)
    return votes.filter(choice="ship").count(), votes.count()


def text_of(response) -> str:
    html = re.sub(r"<[^>]+>", " ", response.content.decode())
    return " ".join(html.split())


@pytest.mark.django_db
def test_a_plain_form_vote_redirects_back_and_sets_a_safe_voter_cookie(client):
    tool = ToolFactory()
    response = vote(client, tool, "ship", next=f"/tools/{tool.slug}/")
    assert response.status_code == 303
    assert response["Location"] == f"/tools/{tool.slug}/#vote-{tool.pk}"
    cookie = response.cookies[VOTER_COOKIE]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    assert ToolVote.objects.get().choice == "ship"
    page = text_of(client.get(f"/tools/{tool.slug}/"))
    assert "100% 1 of 1 ship" in page
    assert "provisional" in page
    assert "Your vote: ship." in page


@pytest.mark.django_db
def test_voting_again_changes_the_vote_and_withdrawing_removes_it(client):
    tool = ToolFactory()
    vote(client, tool, "ship")
    vote(client, tool, "skip")
    assert list(ToolVote.objects.values_list("choice", flat=True)) == ["skip"]
    assert community_shares(tool_ids=[tool.pk])[tool.pk].total == 1
    vote(client, tool, "withdraw")
    assert not ToolVote.objects.exists()
    assert "—" in text_of(client.get(f"/tools/{tool.slug}/"))


@pytest.mark.django_db
def test_an_offsite_next_is_ignored(client):
    tool = ToolFactory()
    response = vote(client, tool, "ship", next="https://evil.example/")
    assert response["Location"] == f"/tools/{tool.slug}/#vote-{tool.pk}"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("next_url", "page"),
    [
        ("/compare/x-vs-y/?preset=team", "/compare/x-vs-y/?preset=team"),
        ("/compare/x-vs-y/#elsewhere", "/compare/x-vs-y/"),
        ("//evil.example/", None),
        ("javascript:alert(1)", None),
    ],
)
def test_a_plain_form_vote_lands_back_on_its_form(client, next_url, page):
    comparison = ComparisonFactory()
    tool = comparison.tool_a
    response = vote(client, tool, "ship", next=next_url)
    assert response["Location"] == f"{page or tool.get_absolute_url()}#vote-{tool.pk}"
    response = client.post(
        f"/votes/comparisons/{comparison.slug}/", {"pick": "a", "next": next_url}
    )
    assert response.status_code == 303
    assert response["Location"] == f"{page or comparison.get_absolute_url()}#pick-{comparison.pk}"


@pytest.mark.django_db
def test_shares_equal_a_fresh_count_of_many_voters():
    tool, other = ToolFactory(), ToolFactory()
    for index in range(13):
        vote(Client(REMOTE_ADDR=f"10.0.0.{index}"), tool, "ship" if index % 3 else "skip")
    vote(Client(), other, "skip")
    shares = community_shares(tool_ids=[tool.pk, other.pk, 999999])
    assert (shares[tool.pk].count, shares[tool.pk].total) == fresh_count(tool) == (8, 13)
    assert (shares[other.pk].count, shares[other.pk].total) == (0, 1)
    assert shares[999999].total == 0


@pytest.mark.django_db
def test_community_shares_is_one_query_for_any_number_of_tools(django_assert_num_queries):
    tools = [ToolFactory() for _ in range(6)]
    with django_assert_num_queries(1):
        community_shares(tool_ids=[tool.pk for tool in tools])


@pytest.mark.django_db
def test_a_get_never_votes(client):
    tool = ToolFactory()
    response = client.get(f"/votes/tools/{tool.slug}/", {"choice": "ship"})
    assert response.status_code == 405
    comparison = ComparisonFactory()
    assert client.get(f"/votes/comparisons/{comparison.slug}/", {"pick": "a"}).status_code == 405
    assert not ToolVote.objects.exists() and not PairVote.objects.exists()


@pytest.mark.django_db
def test_a_post_without_the_csrf_token_is_refused():
    tool = ToolFactory()
    strict = Client(enforce_csrf_checks=True)
    assert vote(strict, tool, "ship").status_code == 403
    assert not ToolVote.objects.exists()
    # The same client succeeds once it sends the token the page gave it.
    strict.get(f"/tools/{tool.slug}/")
    token = strict.cookies["csrftoken"].value
    assert vote(strict, tool, "ship", csrfmiddlewaretoken=token).status_code == 303
    assert ToolVote.objects.count() == 1


@pytest.mark.django_db
def test_votes_on_unpublished_tools_and_comparisons_are_refused(client):
    draft = ToolFactory(status=Tool.Status.DRAFT)
    assert vote(client, draft, "ship").status_code == 404
    comparison = ComparisonFactory(tool_b=draft)
    response = client.post(f"/votes/comparisons/{comparison.slug}/", {"pick": "a"})
    assert response.status_code == 404
    assert not ToolVote.objects.exists() and not PairVote.objects.exists()


@pytest.mark.django_db
def test_a_bad_choice_gets_a_clear_error_and_changes_nothing(client):
    tool = ToolFactory()
    vote(client, tool, "ship")
    response = vote(client, tool, "maybe")
    assert response.status_code == 400
    assert "ship, skip" in text_of(response)
    assert ToolVote.objects.get().choice == "ship"


@pytest.mark.django_db
def test_a_replayed_idempotency_key_gives_the_same_answer_and_no_new_effect(client):
    tool = ToolFactory()
    first = client.post(
        f"/api/votes/tools/{tool.slug}",
        {"choice": "ship"},
        "application/json",
        headers={"Idempotency-Key": "k-1"},
    )
    Client(REMOTE_ADDR="10.9.9.9").post(f"/votes/tools/{tool.slug}/", {"choice": "skip"})
    vote(client, tool, "skip")  # the first voter changes their mind after the first answer
    replay = client.post(
        f"/api/votes/tools/{tool.slug}",
        {"choice": "ship"},
        "application/json",
        headers={"Idempotency-Key": "k-1"},
    )
    assert replay.status_code == 200
    assert replay.json() == first.json()
    assert first.json()["community"]["total"] == 1
    assert ToolVote.objects.filter(choice="skip").count() == 2
    assert VoteReceipt.objects.count() == 1


@pytest.mark.django_db
def test_the_same_key_with_another_payload_is_refused(client):
    tool = ToolFactory()
    vote(client, tool, "ship", idempotency_key="form-1")
    response = vote(client, tool, "skip", idempotency_key="form-1")
    assert response.status_code == 422
    assert ToolVote.objects.get().choice == "ship"


@pytest.mark.django_db
def test_keys_are_per_voter(client):
    tool = ToolFactory()
    vote(client, tool, "ship", idempotency_key="same")
    assert vote(Client(), tool, "skip", idempotency_key="same").status_code == 303
    assert sorted(ToolVote.objects.values_list("choice", flat=True)) == ["ship", "skip"]


@pytest.mark.django_db
@override_settings(VOTES_RATE_PER_VOTER=5, VOTES_RATE_PER_ADDRESS=1000)
def test_a_flood_from_one_voter_gets_429_with_retry_after(client):
    tool = ToolFactory()
    statuses = [vote(client, tool, "ship" if i % 2 else "skip").status_code for i in range(8)]
    assert statuses[:5] == [303] * 5
    assert statuses[5:] == [429] * 3
    refused = vote(client, tool, "ship")
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert ToolVote.objects.count() == 1


@pytest.mark.django_db
@override_settings(VOTES_RATE_PER_VOTER=1000, VOTES_RATE_PER_ADDRESS=4)
def test_a_flood_of_fresh_cookies_from_one_address_gets_429():
    tool = ToolFactory()
    statuses = [vote(Client(), tool, "ship").status_code for _ in range(6)]
    assert statuses == [303] * 4 + [429] * 2
    assert ToolVote.objects.count() == 4


@pytest.mark.django_db
def test_a_spoofed_forwarded_address_is_ignored_without_a_trusted_proxy():
    tool = ToolFactory()
    Client(REMOTE_ADDR="203.0.113.5").post(
        f"/votes/tools/{tool.slug}/", {"choice": "ship"}, headers={"X-Forwarded-For": "1.2.3.4"}
    )
    stored = ToolVote.objects.get().address_hash
    assert stored == address_hash("203.0.113.5")
    assert "203.0.113.5" not in stored


@pytest.mark.django_db
@override_settings(TRUSTED_PROXIES=["127.0.0.1"])
def test_behind_a_trusted_proxy_the_rightmost_untrusted_hop_is_the_client():
    tool = ToolFactory()
    # The client prepended a fake hop; the proxy appended the real one.
    Client(REMOTE_ADDR="127.0.0.1").post(
        f"/votes/tools/{tool.slug}/",
        {"choice": "ship"},
        headers={"X-Forwarded-For": "1.2.3.4, 198.51.100.7"},
    )
    assert ToolVote.objects.get().address_hash == address_hash("198.51.100.7")
    # A direct connection from elsewhere cannot claim an address at all.
    Client(REMOTE_ADDR="192.0.2.1").post(
        f"/votes/tools/{tool.slug}/", {"choice": "skip"}, headers={"X-Forwarded-For": "1.2.3.4"}
    )
    assert ToolVote.objects.filter(address_hash=address_hash("192.0.2.1")).exists()


@pytest.mark.django_db
def test_a_tampered_voter_cookie_is_not_trusted(client):
    tool = ToolFactory()
    vote(client, tool, "ship")
    value = client.cookies[VOTER_COOKIE].value
    forged = Client()
    forged.cookies[VOTER_COOKIE] = value.replace(value[5], "x" if value[5] != "x" else "y")
    vote(forged, tool, "skip")
    assert ToolVote.objects.count() == 2


@pytest.mark.django_db
def test_signed_in_users_vote_as_themselves(client, django_user_model):
    tool = ToolFactory()
    user = django_user_model.objects.create_user("reader", password="pw-reader-1")
    client.force_login(user)
    vote(client, tool, "ship")
    assert ToolVote.objects.get().voter_key == f"user:{user.pk}"


@pytest.mark.django_db
def test_htmx_vote_swaps_the_form_and_the_community_figure(client):
    tool = ToolFactory()
    response = client.post(
        f"/votes/tools/{tool.slug}/", {"choice": "ship"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert f'id="vote-{tool.pk}"' in html
    assert f'id="community-{tool.pk}" hx-swap-oob="true"' in html
    assert "1 of 1 ship" in text_of(response)


@pytest.mark.django_db
def test_head_to_head_picks_and_too_close_to_call(client):
    comparison = ComparisonFactory()
    url = comparison.get_absolute_url()
    assert "No picks yet." in text_of(client.get(url))
    for index in range(6):
        Client(REMOTE_ADDR=f"10.1.0.{index}").post(
            f"/votes/comparisons/{comparison.slug}/", {"pick": "a" if index < 4 else "b"}
        )
    page = text_of(client.get(url))
    assert "Too close to call: 4 to 2" in page
    for index in range(30):
        Client(REMOTE_ADDR=f"10.2.0.{index}").post(
            f"/votes/comparisons/{comparison.slug}/", {"pick": "a"}
        )
    page = text_of(client.get(url))
    assert f"Readers pick {comparison.tool_a.name}: 34 of 36" in page
    response = client.post(
        f"/votes/comparisons/{comparison.slug}/", {"pick": "tie"}, headers={"HX-Request": "true"}
    )
    assert f'id="pick-{comparison.pk}"' in response.content.decode()
    assert "Your pick: too close to call." in text_of(response)


@pytest.mark.django_db
def test_the_comparison_says_too_close_when_ship_intervals_overlap(client):
    comparison = ComparisonFactory()
    for index in range(4):
        voter = Client(REMOTE_ADDR=f"10.3.0.{index}")
        vote(voter, comparison.tool_a, "ship")
        vote(voter, comparison.tool_b, "ship" if index % 2 else "skip")
    page = text_of(client.get(comparison.get_absolute_url()))
    assert "Community ship share: too close to call. With 4 and 4 votes" in page
    for index in range(40):
        voter = Client(REMOTE_ADDR=f"10.4.0.{index}")
        vote(voter, comparison.tool_a, "ship")
        vote(voter, comparison.tool_b, "skip")
    page = text_of(client.get(comparison.get_absolute_url()))
    assert f"Community ship share: {comparison.tool_a.name} leads" in page


@pytest.mark.django_db
def test_pages_cost_a_fixed_number_of_queries_with_votes(client):
    comparison = ComparisonFactory()
    tool = comparison.tool_a
    vote(client, tool, "ship")
    client.post(f"/votes/comparisons/{comparison.slug}/", {"pick": "a"})

    def counts():
        with CaptureQueriesContext(connection) as compare:
            client.get(comparison.get_absolute_url())
        with CaptureQueriesContext(connection) as tool_page:
            client.get(tool.get_absolute_url())
        with CaptureQueriesContext(connection) as anonymous:
            Client().get(comparison.get_absolute_url())
        return len(compare), len(tool_page), len(anonymous)

    before = counts()
    for index in range(20):
        other = Client(REMOTE_ADDR=f"10.5.0.{index}")
        vote(other, tool, "skip")
        vote(other, ToolFactory(), "ship")
        other.post(f"/votes/comparisons/{ComparisonFactory().slug}/", {"pick": "b"})
    assert counts() == before


@pytest.mark.django_db
def test_htmx_vote_from_a_comparison_also_refreshes_its_ship_verdict(client):
    comparison = ComparisonFactory()
    tool_a, tool_b = comparison.tool_a, comparison.tool_b
    page = client.get(comparison.get_absolute_url()).content.decode()
    assert f'name="comparison" value="{comparison.slug}"' in page
    vote(client, tool_a, "ship")
    response = client.post(
        f"/votes/tools/{tool_b.slug}/",
        {"choice": "skip", "comparison": comparison.slug},
        headers={"HX-Request": "true"},
    )
    html = response.content.decode()
    assert f'id="ship-verdict-{comparison.pk}"' in html and 'hx-swap-oob="true"' in html
    assert "too close to call. With 1 and 1 votes" in text_of(response)
    # A comparison that does not show the tool is ignored.
    other = ComparisonFactory()
    response = client.post(
        f"/votes/tools/{tool_b.slug}/",
        {"choice": "ship", "comparison": other.slug},
        headers={"HX-Request": "true"},
    )
    assert "ship-verdict" not in response.content.decode()


@pytest.mark.django_db
@override_settings(VOTES_RATE_PER_VOTER=1)
def test_a_refused_htmx_vote_is_retargeted_to_the_forms_status_line(client):
    tool = ToolFactory()
    htmx = {"HX-Request": "true"}
    client.post(f"/votes/tools/{tool.slug}/", {"choice": "ship"}, headers=htmx)
    response = client.post(f"/votes/tools/{tool.slug}/", {"choice": "skip"}, headers=htmx)
    assert response.status_code == 429
    assert response["HX-Retarget"] == "find .vote-status"
    assert response["HX-Reswap"] == "innerHTML", "marks the 4xx answer as one to show"
    assert "Not counted: Too many votes" in text_of(response)
    assert "<html" not in response.content.decode()


@pytest.mark.django_db
@override_settings(VOTES_RECEIPT_HOURS=1)
def test_old_idempotency_receipts_are_pruned(client):
    from datetime import timedelta

    from django.utils import timezone

    from verdicts.votes.services import vote_receipts_prune

    tool = ToolFactory()
    vote(client, tool, "ship", idempotency_key="old")
    vote(client, tool, "skip", idempotency_key="new")
    VoteReceipt.objects.filter(key="old").update(created_at=timezone.now() - timedelta(hours=2))
    assert vote_receipts_prune() == 1
    assert list(VoteReceipt.objects.values_list("key", flat=True)) == ["new"]


@pytest.mark.django_db
def test_the_database_itself_refuses_a_second_vote_of_one_voter():
    from django.db import IntegrityError, transaction

    tool = ToolFactory()
    comparison = ComparisonFactory()
    ToolVote.objects.create(tool=tool, voter_key="anon:x", choice="ship")
    PairVote.objects.create(comparison=comparison, voter_key="anon:x", pick="a")
    with pytest.raises(IntegrityError), transaction.atomic():
        ToolVote.objects.create(tool=tool, voter_key="anon:x", choice="skip")
    with pytest.raises(IntegrityError), transaction.atomic():
        PairVote.objects.create(comparison=comparison, voter_key="anon:x", pick="b")
