"""A stored URL becomes a link only when it is http(s), whatever skipped the model's checks."""

import datetime
from html.parser import HTMLParser

import pytest
from django.utils.html import escape

from testkit.ingest import READ_AT, fact_source_add, registry_check_add
from verdicts.catalog.models import PricingPlan, Tool
from verdicts.catalog.tests.factories import ComparisonFactory, PricingPlanFactory, ToolFactory
from verdicts.ingest.models import ToolFactChange, ToolFactSource, ToolRegistryCheck

pytestmark = pytest.mark.django_db

HOSTILE = [
    "javascript:alert(1)",
    "JavaScript:alert(document.cookie)",
    " javascript:alert(1)",
    "java\tscript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
]


class Hrefs(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.hrefs += [value or "" for name, value in attrs if name in {"href", "src", "action"}]


def hrefs_of(response) -> list[str]:
    assert response.status_code == 200
    parser = Hrefs()
    parser.feed(response.content.decode())
    return parser.hrefs


def assert_only_site_or_web_links(hrefs: list[str]) -> None:
    for href in hrefs:
        lowered = "".join(href.split()).lower()
        assert not lowered.startswith(("javascript:", "data:", "vbscript:")), href
        assert href.startswith(("/", "#", "?", "http://", "https://")), href


def hostile_tool(url: str) -> Tool:
    """A tool whose every stored URL is `url`, written past the model's validation."""
    tool = ToolFactory(licence="MIT")
    plan = PricingPlanFactory(tool=tool, checked_on=datetime.date(2026, 11, 1))
    PricingPlan.objects.filter(pk=plan.pk).update(source_url=url)
    Tool.objects.filter(pk=tool.pk).update(homepage=url, docs_url=url, repository_url=url)
    fact_source_add(tool, "licence", "GPL-3.0")  # contradicts the editors: a conflict row
    fact_source_add(tool, "version", "1.0")
    ToolFactSource.objects.filter(tool=tool).update(source_url=url)
    ToolFactChange.objects.create(
        tool=tool, fact="version", old_value="", new_value="1.0", source_url=url, read_at=READ_AT
    )
    registry_check_add(tool, checked_url="https://api.github.com/repos/acme/widget")
    ToolRegistryCheck.objects.filter(tool=tool).update(checked_url=url)
    return Tool.objects.get(pk=tool.pk)


@pytest.mark.parametrize("url", HOSTILE)
def test_the_tool_page_links_no_stored_url_that_is_not_http(client, url):
    tool = hostile_tool(url)
    response = client.get(tool.get_absolute_url())
    hrefs = hrefs_of(response)
    assert_only_site_or_web_links(hrefs)
    body = response.content.decode()
    assert f"<dt>Homepage</dt><dd>{escape(url)}</dd>" in body  # shown as text, not dropped


@pytest.mark.parametrize("url", HOSTILE)
def test_the_comparison_page_links_no_stored_url_that_is_not_http(client, url):
    comparison = ComparisonFactory(tool_a=hostile_tool(url), tool_b=hostile_tool(url))
    assert_only_site_or_web_links(hrefs_of(client.get(comparison.get_absolute_url())))


def test_http_and_https_urls_stay_links(client):
    tool = hostile_tool("https://acme.example/docs")
    Tool.objects.filter(pk=tool.pk).update(homepage="http://acme.example/")
    hrefs = hrefs_of(client.get(tool.get_absolute_url()))
    assert "http://acme.example/" in hrefs
    # docs, repository, plan source, fact source, conflict, change and registry check
    assert hrefs.count("https://acme.example/docs") >= 7
