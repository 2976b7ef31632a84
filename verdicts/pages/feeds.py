"""RSS and Atom feeds of new comparisons, new tools and verdict changes.

A comparison's item says who wrote the panel's reviews: AI reviewers (naming the models) or
the editors, as every page that shows reviews does.

Vendor text (names, taglines, descriptions, titles) is plain text. A feed reader decodes an
RSS <description>, an RSS <title> that looks like markup and an Atom <summary type="html"> as
HTML, so that text is HTML-escaped here, on top of the XML escaping the feed generator does:
a reader shows `<script>` as the characters, never runs it. Atom titles are type="text" and
so stay unescaped.
"""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape

from verdicts.catalog.models import Comparison, Tool
from verdicts.common.urls import absolute_url
from verdicts.digest.selectors import FEED_LENGTH, tool_list_newest
from verdicts.pages.read_models.comparisons import comparison_list_published
from verdicts.panel.history.selectors import VerdictChangeItem, verdict_change_list
from verdicts.panel.labels import PanelMakers, panel_makers
from verdicts.panel.selectors import review_list_current


class SiteFeed(Feed):
    """A feed of this site: absolute links to the site and each item's page, the site as author."""

    url_name: str

    def link(self) -> str:
        return absolute_url("/")

    def feed_url(self) -> str:
        return absolute_url(reverse(self.url_name))

    def author_name(self) -> str:
        return settings.SITE_NAME

    def item_link(self, item: Comparison | Tool) -> str:
        return absolute_url(item.get_absolute_url())

    def item_title(self, item: Comparison | Tool) -> str:
        """The title as HTML, as RSS readers take it."""
        return escape(self.title_text(item))

    def item_description(self, item: Comparison | Tool) -> str:
        """The description as HTML: its text escaped, no markup of its own."""
        return escape(self.description_text(item))

    def title_text(self, item) -> str:
        raise NotImplementedError

    def description_text(self, item) -> str:
        raise NotImplementedError


class AtomTitles:
    """An Atom feed's titles are type="text", so they carry the plain text."""

    feed_type = Atom1Feed

    def item_title(self, item: Comparison | Tool) -> str:
        return self.title_text(item)


class ComparisonFeed(SiteFeed):
    title = "Verdicts: new AI tool comparisons"
    description = "Two AI tools side by side, judged by a four-persona reviewer panel."
    url_name = "pages:feed-comparisons-rss"

    def items(self):
        comparisons = list(comparison_list_published()[:FEED_LENGTH])
        tool_ids = {tool.pk for item in comparisons for tool in item.tools}
        # One query for every item's reviews; each item keeps who wrote its two tools'.
        by_tool: dict[int, list] = {}
        for review in review_list_current(tool_ids=tool_ids):
            by_tool.setdefault(review.tool_id, []).append(review)
        for item in comparisons:
            item.feed_makers = panel_makers(
                r for tool in item.tools for r in by_tool.get(tool.pk, [])
            )
        return comparisons

    def title_text(self, item: Comparison) -> str:
        return item.title

    def description_text(self, item: Comparison) -> str:
        a, b = item.tools
        return (
            f"{item.question} {a.name} ({a.tagline}) against {b.name} ({b.tagline}). "
            f"{panel_line(item.feed_makers)}"
        )

    def item_pubdate(self, item: Comparison):
        return item.published_at

    def item_updateddate(self, item: Comparison):
        return max(item.published_at, item.updated_at)

    def item_categories(self, item: Comparison) -> list[str]:
        return sorted({tool.category.name for tool in item.tools})


def panel_line(makers: PanelMakers) -> str:
    """Who wrote the panel's reviews, in a sentence: AI reviewers and their models, editors."""
    parts = []
    if makers.ai_reviews:
        plural = "s" if makers.ai_reviews > 1 else ""
        parts.append(
            f"{makers.ai_reviews} AI review{plural} (AI analysis by reviewer personas, written "
            f"by the model{'s' if len(makers.models) > 1 else ''} {', '.join(makers.models)})"
        )
    if makers.editorial_reviews:
        plural = "s" if makers.editorial_reviews > 1 else ""
        parts.append(f"{makers.editorial_reviews} editorial review{plural} by the Verdicts editors")
    if not parts:
        return "The panel has not reviewed these tools yet."
    return f"Panel: {' and '.join(parts)}."


class ComparisonAtomFeed(AtomTitles, ComparisonFeed):
    subtitle = ComparisonFeed.description
    url_name = "pages:feed-comparisons-atom"


class ToolFeed(SiteFeed):
    title = "Verdicts: new AI tools in the catalog"
    description = (
        "AI tools as they join the Verdicts catalog, with what they do and who makes them."
    )
    url_name = "pages:feed-tools-rss"

    def items(self):
        return tool_list_newest()

    def title_text(self, item: Tool) -> str:
        return f"{item.name}: {item.tagline}"

    def description_text(self, item: Tool) -> str:
        return f"{item.name} by {item.vendor.name}, in {item.category.name}. {item.description}"

    def item_pubdate(self, item: Tool):
        return item.created_at

    def item_updateddate(self, item: Tool):
        return item.updated_at

    def item_categories(self, item: Tool) -> list[str]:
        return [item.category.name]


class ToolAtomFeed(AtomTitles, ToolFeed):
    subtitle = ToolFeed.description
    url_name = "pages:feed-tools-atom"


class VerdictChangeFeed(SiteFeed):
    title = "Verdicts: verdict changes"
    description = (
        "When an AI reviewer persona changes its verdict on a tool, or a re-review moves the "
        "panel's ship share across one half. AI analysis by the panel, not people's reviews."
    )
    url_name = "pages:feed-verdict-changes-rss"

    def items(self) -> list[VerdictChangeItem]:
        return verdict_change_list(limit=FEED_LENGTH)

    def item_link(self, item: VerdictChangeItem) -> str:
        # Each change has its own entry on the tool's timeline, so its own link and id.
        return absolute_url(f"{item.tool.get_absolute_url()}#review-{item.change.review_id}")

    def title_text(self, item: VerdictChangeItem) -> str:
        return item.title

    def description_text(self, item: VerdictChangeItem) -> str:
        if item.changes is None:
            dossier = "What changed in the dossier was not recorded for the earlier review."
        elif item.changes:
            dossier = "What changed in the dossier: " + "; ".join(c.text for c in item.changes)
            dossier += "."
        else:
            dossier = "Nothing changed in the dossier between the two reviews."
        return f"{item.summary} {dossier} {item.label.text}"

    def item_pubdate(self, item: VerdictChangeItem):
        return item.change.created_at

    def item_categories(self, item: VerdictChangeItem) -> list[str]:
        return ["AI analysis", item.change.persona.name]


class VerdictChangeAtomFeed(AtomTitles, VerdictChangeFeed):
    subtitle = VerdictChangeFeed.description
    url_name = "pages:feed-verdict-changes-atom"
