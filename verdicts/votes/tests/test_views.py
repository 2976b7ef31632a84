import pytest
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from testkit.pages import text_of
from verdicts.catalog.tests.factories import ComparisonFactory, ToolFactory
from verdicts.votes.identity import VOTER_COOKIE
from verdicts.votes.models import PairVote, ToolVote
from verdicts.votes.tests.voting import vote


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
    # A browser says where the form was posted from: another site's page is refused, the
    # site's own page needs no token (the page holds none, so one cached copy serves all).
    foreign = {"Sec-Fetch-Site": "cross-site", "Origin": "https://elsewhere.example"}
    assert vote(strict, tool, "ship", headers=foreign).status_code == 403
    assert not ToolVote.objects.exists()
    assert vote(strict, tool, "ship", headers={"Sec-Fetch-Site": "same-origin"}).status_code == 303
    assert ToolVote.objects.count() == 1


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
    # The page's pinned pair bar shows the same share as the figure it repeats.
    assert f'<span id="pair-votes-{tool_b.pk}">Votes —</span>' in page
    assert f'<span id="pair-votes-{tool_b.pk}" hx-swap-oob="true">Votes 0%</span>' in html
    # A comparison that does not show the tool is ignored.
    other = ComparisonFactory()
    response = client.post(
        f"/votes/tools/{tool_b.slug}/",
        {"choice": "ship", "comparison": other.slug},
        headers={"HX-Request": "true"},
    )
    assert "ship-verdict" not in response.content.decode()
    assert "pair-votes" not in response.content.decode()


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
