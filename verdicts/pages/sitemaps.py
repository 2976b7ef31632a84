"""sitemap.xml: an index of section files, with SITE_URL as the base whatever host was asked.

Each section is paginated at the protocol's 50,000 URLs a file (Sitemap.limit) and every entry
carries a lastmod. The big sections read two columns a row, not models, build each path from
one reverse(), and a section file is written straight out rather than through a template
(together they were most of a full file's three seconds). The index gives each section file
its latest lastmod from the top of an index, never by reading every item; the tools section
counts its pages from the kept category counts, the comparisons section its pages and lastmod
from figures kept until the catalog changes (pages/read_models/counts.py), rather than
counting on each request.
"""

from collections.abc import Callable, Iterable
from datetime import date, datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import SitemapIndexItem, index, sitemap, x_robots_tag
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import escape
from django.utils.http import http_date

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


def _paths(name: str) -> Callable[[str], str]:
    """The path of the named page for a slug, from one reverse() rather than one a row."""
    prefix, suffix = reverse(name, kwargs={"slug": "SLUG"}).split("SLUG")
    return lambda slug: f"{prefix}{slug}{suffix}"


class RowSitemap(SiteSitemap):
    """A section of (slug, updated_at) rows, a page path for each slug."""

    page_name = ""

    @cached_property
    def path_of(self) -> Callable[[str], str]:
        return _paths(self.page_name)

    def location(self, item: tuple[str, datetime]) -> str:
        return self.path_of(item[0])

    def lastmod(self, item: tuple[str, datetime]) -> datetime:
        return item[1]


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


class ComparisonSitemap(RowSitemap):
    changefreq = "weekly"
    page_name = "pages:comparison"

    def items(self):
        return (
            comparison_list_published()
            .select_related(None)
            .order_by("pk")
            .values_list("slug", "updated_at")
        )

    def get_latest_lastmod(self) -> datetime | None:
        return comparison_last_changed()

    @property
    def paginator(self) -> Paginator:
        pages = Paginator(self._items(), self.limit)
        pages.count = comparison_count_published()  # kept, not counted per request
        return pages


class ToolSitemap(RowSitemap):
    changefreq = "weekly"
    page_name = "pages:tool"

    def items(self):
        return Tool.objects.published().order_by("slug").values_list("slug", "updated_at")

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


def sitemap_section(request: HttpRequest, section: str) -> HttpResponse:
    """One section file, written straight out as Django's template would write it: the row
    sections paged here from their rows, the others by Django's view (404 past the last page,
    the same headers either way)."""
    kind = SITEMAPS.get(section)
    if kind is not None and issubclass(kind, RowSitemap):
        return _rows_file(request, kind())
    response = sitemap(request, sitemaps=SITEMAPS, section=section)
    response.content = _urlset(response.context_data["urlset"])
    return response


@x_robots_tag
def _rows_file(request: HttpRequest, section: RowSitemap) -> HttpResponse:
    """A page of a row section, without Django's dictionary and lookups per row."""
    number = request.GET.get("p", 1)
    try:
        rows = list(section.paginator.page(number).object_list)
    except EmptyPage as error:
        raise Http404(f"Page {number} empty") from error
    except PageNotAnInteger as error:
        raise Http404(f"No page '{number}'") from error
    base = f"{section.get_protocol()}://{section.get_domain()}"
    urls = [
        {
            "location": base + section.location(row),
            "lastmod": row[1],
            "changefreq": section.changefreq,
            "priority": "",
            "alternates": (),
        }
        for row in rows
    ]
    latest = max((row[1] for row in rows), default=None)
    headers = {"Last-Modified": http_date(latest.timestamp())} if latest else None
    return HttpResponse(_urlset(urls), content_type="application/xml", headers=headers)


def _day(value: date | datetime, zone) -> str:
    """A lastmod as the template's date filter writes it: the day in the current zone."""
    if isinstance(value, datetime):
        value = (value.astimezone(zone) if value.tzinfo is not None else value).date()
    return value.isoformat()


def _urlset(urls: Iterable[dict]) -> str:
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
        ' xmlns:xhtml="http://www.w3.org/1999/xhtml">',
    ]
    # Looked up once: per entry, the current zone was a third of a full file's time.
    zone = timezone.get_current_timezone()
    for url in urls:
        parts = ["<url><loc>", escape(url["location"]), "</loc>"]
        if url["lastmod"]:
            parts += ["<lastmod>", _day(url["lastmod"], zone), "</lastmod>"]
        if url["changefreq"]:
            parts += ["<changefreq>", url["changefreq"], "</changefreq>"]
        if url["priority"]:
            parts += ["<priority>", url["priority"], "</priority>"]
        for alternate in url["alternates"]:
            parts.append(
                f'<xhtml:link rel="alternate" hreflang="{escape(alternate["lang_code"])}"'
                f' href="{escape(alternate["location"])}"/>'
            )
        parts.append("</url>")
        lines.append("".join(parts))
    lines.append("</urlset>\n")
    return "\n".join(lines)
