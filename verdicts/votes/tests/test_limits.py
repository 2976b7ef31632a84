import pytest
from django.test import Client, override_settings

from verdicts.catalog.tests.factories import ToolFactory
from verdicts.votes.models import ToolVote
from verdicts.votes.tests.voting import vote


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
