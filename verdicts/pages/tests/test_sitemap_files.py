"""Section files written straight out say what Django's sitemap template would, entry for entry,
in a fixed number of queries at any size."""

from xml.etree import ElementTree

import pytest
from django.contrib.sitemaps.views import sitemap
from django.test import RequestFactory

from verdicts.core.generate import catalog_generate
from verdicts.pages.sitemaps import SITEMAPS

pytestmark = pytest.mark.django_db


def entries(content: bytes) -> list[dict[str, str]]:
    root = ElementTree.fromstring(content)
    return [{child.tag.split("}")[1]: child.text for child in url} for url in root]


@pytest.mark.parametrize("section", sorted(SITEMAPS))
def test_each_section_file_matches_djangos_template(client, starter, section):
    catalog_generate(tools=30, comparisons=10, seed=2, rankings=False)
    request = RequestFactory().get(f"/sitemap-{section}.xml", HTTP_HOST="127.0.0.1")
    expected = sitemap(request, sitemaps=SITEMAPS, section=section).render()

    response = client.get(f"/sitemap-{section}.xml")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml"
    assert response.get("Last-Modified") == expected.get("Last-Modified")
    assert response["X-Robots-Tag"] == expected["X-Robots-Tag"]
    assert entries(response.content) == entries(expected.content)
    assert entries(response.content) or section == "digest"  # no issue sent yet


def test_a_page_past_the_last_is_a_404(client, starter):
    assert client.get("/sitemap-tools.xml?p=2").status_code == 404
    assert client.get("/sitemap-tools.xml?p=x").status_code == 404
    assert client.get("/sitemap-nothing.xml").status_code == 404


def test_the_tool_file_costs_two_queries_at_any_size(client, starter, django_assert_num_queries):
    with django_assert_num_queries(2):
        small = client.get("/sitemap-tools.xml")
    catalog_generate(tools=200, seed=3, rankings=False)
    with django_assert_num_queries(2):
        large = client.get("/sitemap-tools.xml")
    assert len(entries(large.content)) == len(entries(small.content)) + 200
