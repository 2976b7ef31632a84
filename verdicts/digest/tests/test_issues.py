from datetime import timedelta

import pytest
from django.template.defaultfilters import date as date_format
from django.utils import timezone

from verdicts.catalog.tests.factories import ComparisonFactory
from verdicts.digest.services.issues import NothingToBuild, issue_build
from verdicts.digest.services.outbox import issue_send
from verdicts.digest.tests.factories import reviewed_comparison

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def https_site(settings):
    settings.SITE_URL = "https://verdicts.example"


def test_build_takes_what_was_published_since_the_last_issue():
    old = reviewed_comparison(published_at=timezone.now() - timedelta(days=3))
    ComparisonFactory(published_at=None)

    first = issue_build()
    assert first.number == 1
    [item] = first.items
    assert item["title"] == old.title
    assert [side["panel"]["count"] for side in item["sides"]] == [1, 0]
    assert [side["panel"]["total"] for side in item["sides"]] == [2, 2]
    assert item["lines"][0] == {
        "persona": "The Builder",
        "verdicts": f"Ships {old.tool_a.name}, skips {old.tool_b.name}",
        "about": old.tool_a.name,
        "line": "Ships fast.",
        "kind": "editorial",
        "badge": "Editorial",
        "label": "Written by Verdicts editorial · "
        f"{date_format(timezone.now(), 'j M Y')}. An editorial review by the Verdicts editors, "
        "not a model.",
    }
    with pytest.raises(NothingToBuild):
        issue_build()

    new = ComparisonFactory()
    second = issue_build()
    assert (second.number, [i["title"] for i in second.items]) == (2, [new.title])
    assert second.covers_from == first.covers_until


def test_issue_pages_cost_fixed_queries_and_drafts_stay_private(
    client, smtp, django_assert_num_queries
):
    for _ in range(3):
        reviewed_comparison()
    issue_build()
    assert client.get("/digest/1/").status_code == 404
    issue_send(number=1)
    with django_assert_num_queries(1):
        page = client.get("/digest/1/")
    assert page.status_code == 200 and "The Builder" in page.text
    with django_assert_num_queries(1):
        archive = client.get("/digest/")
    assert "#1:" in archive.text
