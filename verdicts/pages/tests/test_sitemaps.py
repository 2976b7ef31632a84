"""sitemap.xml: every public page at the site URL, in a fixed number of queries."""

from xml.etree import ElementTree

import pytest

from verdicts.catalog.models import Tool
from verdicts.catalog.tests.factories import ComparisonFactory, ToolFactory

pytestmark = pytest.mark.django_db
SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@pytest.fixture(autouse=True)
def https_site(settings):
    settings.SITE_URL = "https://verdicts.example"


def locations_of(response) -> set[str]:
    return {node.text for node in ElementTree.fromstring(response.content).iter(f"{SITEMAP_NS}loc")}


def test_sitemap_lists_public_pages_at_the_site_url(client, django_assert_num_queries):
    catalog = ComparisonFactory.create_batch(3)
    ComparisonFactory(published_at=None, title="Draft pair")
    ToolFactory(name="Hidden tool", status=Tool.Status.DRAFT)
    # A count and a page for each database-backed section, however big the catalog.
    with django_assert_num_queries(8):
        client.get("/sitemap.xml")
    catalog += ComparisonFactory.create_batch(5)
    with django_assert_num_queries(8):
        response = client.get("/sitemap.xml", HTTP_HOST="localhost")
    assert response.status_code == 200
    locations = locations_of(response)
    assert "https://verdicts.example/" in locations
    assert "https://verdicts.example/digest/" in locations
    for comparison in catalog:
        assert f"https://verdicts.example{comparison.get_absolute_url()}" in locations
    assert not any("draft-pair" in loc or "/admin/" in loc for loc in locations)


def test_sitemap_lists_rankings_and_the_index_pages(client):
    locations = locations_of(client.get("/sitemap.xml"))
    for path in ("/", "/tools/", "/categories/", "/compare/", "/rankings/", "/panel/"):
        assert f"https://verdicts.example{path}" in locations
        assert client.get(path).status_code == 200
