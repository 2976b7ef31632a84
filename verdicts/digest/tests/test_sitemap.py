"""sitemap.xml lists the index pages and the rankings beside the database-backed pages."""

from xml.etree import ElementTree

import pytest

pytestmark = pytest.mark.django_db
SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def test_sitemap_lists_rankings_and_the_index_pages(client, settings):
    settings.SITE_URL = "https://verdicts.example"
    response = client.get("/sitemap.xml")
    locations = {
        node.text for node in ElementTree.fromstring(response.content).iter(f"{SITEMAP_NS}loc")
    }
    for path in ("/", "/tools/", "/categories/", "/compare/", "/rankings/", "/panel/"):
        assert f"https://verdicts.example{path}" in locations
        assert client.get(path).status_code == 200
