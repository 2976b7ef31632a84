"""sitemap.xml: an index of section files listing every public page at the site URL, each file
within the protocol's limit, every entry with its lastmod, in a fixed number of queries."""

from urllib.parse import urlsplit
from xml.etree import ElementTree

import pytest

from verdicts.catalog.models import Tool
from verdicts.catalog.tests.factories import ComparisonFactory, ToolFactory
from verdicts.pages.sitemaps import SITEMAPS, ToolSitemap

pytestmark = pytest.mark.django_db
SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@pytest.fixture(autouse=True)
def https_site(settings):
    settings.SITE_URL = "https://verdicts.example"


def locations_of(response) -> set[str]:
    return {node.text for node in ElementTree.fromstring(response.content).iter(f"{SITEMAP_NS}loc")}


def section_files(client, *, lastmod: bool = True, **headers) -> list[str]:
    """The section files the index lists, as paths, after checking it is a valid index (and
    that each file listing pages has its lastmod)."""
    response = client.get("/sitemap.xml", **headers)
    assert response.status_code == 200
    root = ElementTree.fromstring(response.content)
    assert root.tag == f"{SITEMAP_NS}sitemapindex"
    entries = list(root.iter(f"{SITEMAP_NS}sitemap"))
    assert entries and root.find(f"{SITEMAP_NS}url") is None
    paths = []
    for entry in entries:
        path = urlsplit(entry.find(f"{SITEMAP_NS}loc").text)._replace(scheme="", netloc="")
        paths.append(path.geturl())
        if lastmod and entry.find(f"{SITEMAP_NS}lastmod") is None:
            section = ElementTree.fromstring(client.get(path.geturl(), **headers).content)
            assert section.find(f"{SITEMAP_NS}url") is None, f"{path} lists pages, no lastmod"
    return paths


def all_locations(client, **headers) -> set[str]:
    locations = set()
    for path in section_files(client, lastmod=False, **headers):
        locations |= locations_of(client.get(path, **headers))
    return locations


def test_sitemap_index_points_at_each_section_at_the_site_url(client, starter):
    paths = section_files(client, HTTP_HOST="localhost")
    assert {path.split("?")[0] for path in paths} == {f"/sitemap-{name}.xml" for name in SITEMAPS}
    index = client.get("/sitemap.xml").content.decode()
    assert "<loc>https://verdicts.example/sitemap-tools.xml</loc>" in index


def test_each_section_file_stays_within_the_limit_with_a_lastmod_on_every_entry(
    client, starter, monkeypatch, django_assert_num_queries
):
    monkeypatch.setattr(ToolSitemap, "limit", 10)
    published = Tool.objects.published().count()
    paths = [path for path in section_files(client) if path.startswith("/sitemap-tools.xml")]
    assert len(paths) == -(-published // 10) > 1
    tools = set()
    for path in paths:
        # The kept category counts (never a count of the tool table) and the page of tools.
        with django_assert_num_queries(2):
            response = client.get(path)
        urls = list(ElementTree.fromstring(response.content).iter(f"{SITEMAP_NS}url"))
        assert 0 < len(urls) <= 10
        assert all(url.find(f"{SITEMAP_NS}lastmod").text for url in urls)
        tools |= {url.find(f"{SITEMAP_NS}loc").text for url in urls}
    assert len(tools) == published
    every = client.get("/sitemap-pages.xml").content
    assert all(url.find(f"{SITEMAP_NS}lastmod").text for url in ElementTree.fromstring(every))


def test_sitemap_lists_public_pages_at_the_site_url(client, django_assert_num_queries):
    catalog = ComparisonFactory.create_batch(3)
    ComparisonFactory(published_at=None, title="Draft pair")
    ToolFactory(name="Hidden tool", status=Tool.Status.DRAFT)
    # A count and a lastmod for each section (the tools' count is kept), whatever the size.
    with django_assert_num_queries(12):
        client.get("/sitemap.xml")
    catalog += ComparisonFactory.create_batch(5)
    with django_assert_num_queries(12):
        client.get("/sitemap.xml")
    locations = all_locations(client, HTTP_HOST="localhost")
    assert "https://verdicts.example/" in locations
    assert "https://verdicts.example/digest/" in locations
    for comparison in catalog:
        assert f"https://verdicts.example{comparison.get_absolute_url()}" in locations
    assert not any("draft-pair" in loc or "/admin/" in loc for loc in locations)


def test_sitemap_lists_rankings_and_the_index_pages(client):
    locations = all_locations(client)
    for path in ("/", "/tools/", "/categories/", "/compare/", "/rankings/", "/panel/"):
        assert f"https://verdicts.example{path}" in locations
        assert client.get(path).status_code == 200
