"""List pages by cursor: `next` walks every item once, in the list's order, at a fixed cost."""

import pytest
from django.utils import timezone

from verdicts.catalog.models import Comparison
from verdicts.core.generate import catalog_generate

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalog(starter):
    catalog_generate(tools=120, comparisons=40, seed=11, rankings=False)
    # Ties on published_at: the cursor must order them by id, as the list does.
    tied = list(Comparison.objects.order_by("pk").values_list("pk", flat=True)[:15])
    Comparison.objects.filter(pk__in=tied).update(published_at=timezone.now())


def walk(client, path: str, limit: int) -> tuple[list[str], int]:
    """Every slug the `next` links give, and how many pages it took."""
    slugs, pages, url = [], 0, f"{path}?limit={limit}"
    while url:
        body = client.get(url).json()
        slugs += [item["slug"] for item in body["items"]]
        pages += 1
        url = body["next"]
    return slugs, pages


@pytest.mark.parametrize("path", ["/api/tools", "/api/comparisons"])
def test_next_walks_every_item_once_in_the_lists_order(client, catalog, path):
    everything = []
    for offset in range(0, 10_000, 200):
        items = client.get(path, {"limit": 200, "offset": offset}).json()["items"]
        if not items:
            break
        everything += [item["slug"] for item in items]

    slugs, pages = walk(client, path, limit=7)

    assert slugs == everything
    assert len(set(slugs)) == len(slugs) == client.get(path).json()["count"]
    assert pages == -(-len(slugs) // 7)


def test_next_is_an_absolute_url_with_the_limit_and_the_last_slug(client, catalog, settings):
    body = client.get("/api/tools", {"limit": 3}).json()
    last = body["items"][-1]["slug"]
    assert body["next"] == f"{settings.SITE_URL}/api/tools?limit=3&after={last}"
    assert client.get("/api/tools", {"limit": 3, "offset": 10_000}).json()["next"] is None


def test_an_after_that_names_no_comparison_is_a_404(client, catalog):
    response = client.get("/api/comparisons", {"after": "no-such-vs-pair"})
    assert response.status_code == 404
    assert response.json() == {"detail": "No published comparison with that slug to start after."}


def test_an_after_with_other_characters_is_refused_by_the_schema(client, catalog):
    response = client.get("/api/tools", {"after": "bad slug\x00"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "after"]


@pytest.mark.parametrize(
    ("path", "first", "after"),
    # The comparisons' cursor finds where its comparison stands: one query more.
    [("/api/tools", 3, 3), ("/api/comparisons", 2, 3)],
)
def test_a_page_after_a_cursor_costs_a_fixed_number_of_queries(
    client, catalog, django_assert_num_queries, path, first, after
):
    with django_assert_num_queries(first):
        deep = client.get(path, {"limit": 10}).json()["next"]
    for _ in range(3):
        with django_assert_num_queries(after):
            deep = client.get(deep).json()["next"]
