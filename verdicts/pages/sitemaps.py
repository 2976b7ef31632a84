"""sitemap.xml: every public page, with SITE_URL as the base whatever host was asked."""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from verdicts.catalog.models import Category, Comparison, Tool
from verdicts.digest.selectors import issue_list_public
from verdicts.panel.models import Persona


class SiteSitemap(Sitemap):
    def get_protocol(self, protocol=None) -> str:
        return urlsplit(settings.SITE_URL).scheme

    def get_domain(self, site=None) -> str:
        return urlsplit(settings.SITE_URL).netloc


class PagesSitemap(SiteSitemap):
    changefreq = "daily"

    def items(self) -> list[str]:
        return [
            "pages:home",
            "pages:tool-index",
            "pages:category-index",
            "pages:comparison-index",
            "pages:panel",
            "pages:rankings",
            "digest:archive",
        ]

    def location(self, item: str) -> str:
        return reverse(item)


class ComparisonSitemap(SiteSitemap):
    changefreq = "weekly"

    def items(self):
        return Comparison.objects.published().only("slug", "updated_at").order_by("pk")

    def lastmod(self, item: Comparison):
        return item.updated_at


class ToolSitemap(SiteSitemap):
    changefreq = "weekly"

    def items(self):
        return Tool.objects.published().only("slug", "updated_at").order_by("pk")

    def lastmod(self, item: Tool):
        return item.updated_at


class CategorySitemap(SiteSitemap):
    def items(self):
        return (
            Category.objects.filter(tools__status=Tool.Status.PUBLISHED).distinct().order_by("pk")
        )

    def lastmod(self, item: Category):
        return item.updated_at


class PersonaSitemap(SiteSitemap):
    def items(self):
        return Persona.objects.active().order_by("pk")

    def lastmod(self, item: Persona):
        return item.updated_at


class IssueSitemap(SiteSitemap):
    def items(self):
        return issue_list_public().order_by("number")

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
