"""Every reader page, under one namespace; the paths are the site's public addresses."""

from django.urls import path

from verdicts.pages import feeds
from verdicts.pages.sitemaps import sitemap_index, sitemap_section
from verdicts.pages.views import (
    audit,
    badges,
    categories,
    comparisons,
    methodology,
    pairs,
    panel,
    rankings,
    search,
    share,
    site,
    tools,
)

app_name = "pages"
urlpatterns = [
    path("", comparisons.home, name="home"),
    path("compare/", comparisons.comparison_index, name="comparison-index"),
    # Before the comparison pages: "pair" is a path of its own, never a comparison's slug.
    path("compare/pair/", pairs.compare_pair, name="compare-pair"),
    path("compare/pair/queue/", pairs.compare_pair_queue, name="compare-pair-queue"),
    path("compare/<slug:slug>/", comparisons.comparison_detail, name="comparison"),
    path("tools/", tools.tool_index, name="tool-index"),
    path("tools/<slug:slug>/", tools.tool_detail, name="tool"),
    path("badge/<slug:slug>.svg", badges.tool_badge_svg, name="badge-tool"),
    path("badge/compare/<slug:slug>.svg", badges.comparison_badge_svg, name="badge-comparison"),
    path("share/tools/<slug:slug>.png", share.tool_share_png, name="share-tool"),
    path("share/compare/<slug:slug>.png", share.comparison_share_png, name="share-comparison"),
    path("categories/", categories.category_index, name="category-index"),
    path("categories/<slug:slug>/", categories.category_detail, name="category"),
    path("search", search.search, name="search"),
    path("methodology/", methodology.methodology, name="methodology"),
    path("panel/", panel.panel_index, name="panel"),
    path("panel/audit/", audit.panel_audit, name="panel-audit"),
    path("panel/<slug:slug>/", panel.persona_detail, name="persona"),
    path("rankings/", rankings.rankings, name="rankings"),
    path("rankings/<slug:category>/", rankings.rankings, name="rankings-category"),
    path("feeds/comparisons.rss", feeds.ComparisonFeed(), name="feed-comparisons-rss"),
    path("feeds/comparisons.atom", feeds.ComparisonAtomFeed(), name="feed-comparisons-atom"),
    path("feeds/tools.rss", feeds.ToolFeed(), name="feed-tools-rss"),
    path("feeds/tools.atom", feeds.ToolAtomFeed(), name="feed-tools-atom"),
    path(
        "feeds/verdict-changes.rss",
        feeds.VerdictChangeFeed(),
        name="feed-verdict-changes-rss",
    ),
    path(
        "feeds/verdict-changes.atom",
        feeds.VerdictChangeAtomFeed(),
        name="feed-verdict-changes-atom",
    ),
    path("sitemap.xml", sitemap_index, name="sitemap"),
    path("sitemap-<section>.xml", sitemap_section, name="sitemap-section"),
    path("robots.txt", site.robots, name="robots"),
    path("favicon.ico", site.favicon, name="favicon"),
]
