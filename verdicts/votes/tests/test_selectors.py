import pytest
from django.test import Client

from verdicts.catalog.tests.factories import ToolFactory
from verdicts.votes.models import ToolVote
from verdicts.votes.selectors import community_shares
from verdicts.votes.tests.voting import vote


def fresh_count(tool) -> tuple[int, int]:
    votes = ToolVote.objects.filter(tool=tool)
    return votes.filter(choice="ship").count(), votes.count()


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
