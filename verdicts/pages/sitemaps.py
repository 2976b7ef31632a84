"""sitemap.xml: an index of section files, with SITE_URL as the base whatever host was asked.

Each section is paginated at the protocol's 50,000 URLs a file (Sitemap.limit) and every entry
carries a lastmod. The index gives each section file its latest lastmod from the top of an
index, never by reading every item; the tools section counts its pages from the kept category
counts, the comparisons section its pages and lastmod from figures kept until the catalog
changes (pages/read_models/counts.py), rather than counting on each request.
"""

from datetime import datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import SitemapIndexItem, index
from django.core.paginator import Paginator
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.functional import cached_property

from verdicts.catalog.models import Tool
from verdicts.catalog.selectors import category_list_with_counts, category_tool_count
from verdicts.common.urls import absolute_url
from verdicts.digest.selectors import issue_list_public
from verdicts.pages.read_models.comparisons import comparison_list_published
from verdicts.pages.read_models.counts import comparison_count_published, comparison_last_changed
from verdicts.panel.models import Persona


class SiteSitemap(Sitemap):
    def get_protocol(self, protocol=None) -> str:
        return urlsplit(settings.SITE_URL).scheme

    def get_domain(self, site=None) -> str:
        return urlsplit(settings.SITE_URL).netloc

    def get_latest_lastmod(self) -> datetime | None:
        """The newest lastmod in the section, in one query (Django's reads every item)."""
        return _latest(self.items())

    def lastmod(self, item) -> datetime:
        return item.updated_at


def _latest(items) -> datetime | None:
    """The newest updated_at: the top of an index, where MAX() would read the whole range."""
    return items.order_by("-updated_at").values_list("updated_at", flat=True).first()


def _tools_published():
    return Tool.objects.published().only("slug", "updated_at")


class PagesSitemap(SiteSitemap):
    changefreq = "daily"

    def items(self) -> list[str]:
        return [
            "pages:home",
            "pages:tool-index",
            "pages:category-index",
            "pages:comparison-index",
            "pages:panel",
            "pages:methodology",
            "pages:rankings",
            "digest:archive",
        ]

    def location(self, item: str) -> str:
        return reverse(item)

    @cached_property
    def latest(self) -> datetime | None:
        """The listing pages change with whatever they list: the newest tool or comparison."""
        stamps = [_latest(_tools_published()), comparison_last_changed()]
        return max((stamp for stamp in stamps if stamp), default=None)

    def get_latest_lastmod(self) -> datetime | None:
        return self.latest

    def lastmod(self, item: str) -> datetime | None:
        return self.latest


class ComparisonSitemap(SiteSitemap):
    changefreq = "weekly"

    def items(self):
        return (
            comparison_list_published()
            .select_related(None)
            .only("slug", "updated_at")
            .order_by("pk")
        )

    def get_latest_lastmod(self) -> datetime | None:
        return comparison_last_changed()

    @property
    def paginator(self) -> Paginator:
        pages = Paginator(self._items(), self.limit)
        pages.count = comparison_count_published()  # kept, not counted per request
        return pages


class ToolSitemap(SiteSitemap):
    changefreq = "weekly"

    def items(self):
        return _tools_published().order_by("slug")

    @property
    def paginator(self) -> Paginator:
        pages = Paginator(self._items(), self.limit)
        pages.count = category_tool_count()  # a cached_property: set, it is never counted
        return pages


class CategorySitemap(SiteSitemap):
    def items(self):
        return category_list_with_counts().order_by("pk")


class PersonaSitemap(SiteSitemap):
    def items(self):
        return Persona.objects.active().order_by("pk")


class IssueSitemap(SiteSitemap):
    def items(self):
        return issue_list_public().order_by("number")

    def get_latest_lastmod(self) -> datetime | None:
        return max((self.lastmod(issue) for issue in self.items()), default=None)

    def lastmod(self, item):
        return item.sent_at or item.send_started_at


SITEMAPS = {
    "pages": PagesSitemap,
    "comparisons": ComparisonSitemap,
    "tools": ToolSitemap,
    "categories": CategorySitemap,
    "personas": PersonaSitemap,
    "digest": IssueSitemap,
}


def sitemap_index(request: HttpRequest) -> TemplateResponse:
    """Django's sitemap index, each file's address at SITE_URL as its entries are."""
    response = index(request, sitemaps=SITEMAPS, sitemap_url_name="pages:sitemap-section")
    response.context_data["sitemaps"] = [
        SitemapIndexItem(
            absolute_url(urlsplit(item.location)._replace(scheme="", netloc="").geturl()),
            item.last_mod,
        )
        for item in response.context_data["sitemaps"]
    ]
    return response
