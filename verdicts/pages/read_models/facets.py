"""The tool index: published tools narrowed by facets and sorted, every choice a plain link.

One value a facet, the parameters always written in one order, so each set of choices has one
address (the canonical link) however it was reached. A parameter the page does not know, or a
value no tool can have, is ignored and named in one notice line; it never fails the page.
"""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import QueryDict

from verdicts.catalog import facets
from verdicts.catalog.models import FREE_PLAN_KINDS, Category, EntryTier, PricingPlan, Tool
from verdicts.catalog.models.tools import ToolFacet
from verdicts.catalog.selectors import category_list_with_counts, tool_list_published
from verdicts.common.content_memo import content_memo
from verdicts.common.content_versions import CATALOG
from verdicts.common.share import Share
from verdicts.ingest.models import ToolRegistryCheck
from verdicts.pages.read_models.badges import PanelFigure, panel_figures
from verdicts.pages.read_models.paging import Window, page_number, window_get
from verdicts.votes.selectors import community_shares

TOOLS_PER_PAGE = 50
# Deeper pages cost an ever longer walk of the index (5,000 rows here); the facets, not the
# pager, are the way into a large catalog.
MAX_PAGE = 100
NOTICE_VALUE_CHARS = 40

SORTS = {
    "name": "A to Z",
    "panel": "AI panel share",
    "community": "Community share",
    "newest": "Newest",
}
YES_NO = {"yes": "Yes", "no": "No"}
VERIFICATION = {
    "verified": "Verified by a registry",
    "unverified": "A registry disagrees",
    "unchecked": "Not checked",
}
# The facets in the order the page shows them and the address lists them; category last
# among them is read from the catalog, the others have fixed values.
FACETS: dict[str, tuple[str, dict[str, str]]] = {
    "category": ("Category", {}),
    "licence": ("Licence", facets.VALUES[facets.LICENCE]),
    "open_weights": ("Open weights", YES_NO),
    "tier": ("Entry tier", dict(EntryTier.choices)),
    "modality": ("Modality", facets.VALUES[facets.MODALITY]),
    "deployment": ("Deployment", facets.VALUES[facets.DEPLOYMENT]),
    "verification": ("Verification", VERIFICATION),
}
PARAMS = (*FACETS, "sort", "page")
# Facets whose values are counted on the unfiltered page (see _facet_counts).
COUNTED_FACETS = ("category", "licence", "open_weights", "modality", "deployment")


@dataclass(frozen=True)
class ToolQuery:
    """The choices an address makes, once checked: facet values, the sort and the page."""

    filters: dict[str, str]
    sort: str = "name"
    page: int = 1
    notices: tuple[str, ...] = ()

    def query_string(self, **changes: str | None) -> str:
        """This query's normalised address with `changes` made (None drops a choice); any
        change of choice goes back to the first page."""
        values: dict[str, str | int | None] = {**self.filters, "sort": self.sort}
        values["page"] = self.page if not changes else None
        values.update(changes)
        pairs = [
            (name, values[name])
            for name in PARAMS
            if values.get(name) not in (None, "")
            and not (name == "sort" and values[name] == "name")
            and not (name == "page" and values[name] == 1)
        ]
        return f"?{urlencode(pairs)}" if pairs else ""

    @property
    def is_filtered(self) -> bool:
        return bool(self.filters)


def _shown(value: str) -> str:
    return value if len(value) <= NOTICE_VALUE_CHARS else f"{value[:NOTICE_VALUE_CHARS]}…"


def tool_query_parse(*, params: QueryDict, category_slugs: set[str]) -> ToolQuery:
    """The choices in `params`; whatever cannot be used is left out and said in a notice."""
    notices = []
    filters = {}
    for name in params:
        if name not in PARAMS:
            notices.append(f"Ignored “{_shown(name)}”: not a filter of this page.")
    for name, (label, values) in FACETS.items():
        given = [value for value in params.getlist(name) if value]
        if not given:
            continue
        value = given[0]
        known = category_slugs if name == "category" else values
        if value not in known:
            notices.append(f"Ignored {label.lower()} “{_shown(value)}”: no tool has it.")
            continue
        if len(set(given)) > 1:
            notices.append(f"One {label.lower()} at a time: showing “{_shown(value)}”.")
        filters[name] = value
    sort = params.get("sort") or "name"
    if sort not in SORTS:
        notices.append(f"Ignored sort “{_shown(sort)}”: sorted A to Z.")
        sort = "name"
    raw_page = params.get("page")
    page = page_number(raw_page)
    if raw_page and str(page) != raw_page.strip():
        notices.append(f"Ignored page “{_shown(raw_page)}”: showing page {page}.")
    elif page > MAX_PAGE:
        notices.append(f"Lists stop at page {MAX_PAGE}: narrow this one to reach the rest.")
        page = MAX_PAGE
    return ToolQuery(filters=filters, sort=sort, page=page, notices=tuple(notices))


def _facet_filter(facet: str, value: str) -> Exists:
    return Exists(ToolFacet.objects.filter(tool=OuterRef("pk"), facet=facet, value=value))


def _plans(*, free: bool) -> Exists:
    kinds = Q(kind__in=FREE_PLAN_KINDS)
    return Exists(PricingPlan.objects.filter(kinds if free else ~kinds, tool=OuterRef("pk")))


def entry_tier_filter(tier: str) -> Q:
    """Tools whose entry tier (Tool.entry_tier) is `tier`: the editors', else their plans'."""
    derived = {
        EntryTier.FREE: _plans(free=True) & ~_plans(free=False),
        EntryTier.FREEMIUM: _plans(free=True) & _plans(free=False),
        EntryTier.PAID: ~_plans(free=True) & _plans(free=False),
    }[tier]
    return Q(entry_tier_override=tier) | (Q(entry_tier_override="") & Q(derived))


def _checks(*, found: bool | None = None) -> Exists:
    checks = ToolRegistryCheck.objects.filter(tool=OuterRef("pk"))
    if found is not None:
        # exclude, not filter: with `found = ?` SQLite reads the (found, checked_at) index,
        # every such check for each tool; `NOT found = ?` leaves it the tool's own checks.
        checks = checks.exclude(found=not found)
    return Exists(checks)


def verification_filter(state: str) -> Q:
    """Tools every registry asked found (verified), one did not (unverified), none was asked."""
    return {
        "verified": Q(_checks(found=True)) & ~Q(_checks(found=False)),
        "unverified": Q(_checks(found=False)),
        "unchecked": ~Q(_checks()),
    }[state]


def _filtered(tools: QuerySet[Tool], *, query: ToolQuery, categories: dict[str, int]):
    for name, value in query.filters.items():
        if name == "category":
            tools = tools.filter(category_id=categories[value])
        elif name == "open_weights":
            tools = tools.filter(open_weights=value == "yes")
        elif name == "tier":
            tools = tools.filter(entry_tier_filter(value))
        elif name == "verification":
            tools = tools.filter(verification_filter(value))
        else:
            tools = tools.filter(_facet_filter(name, value))
    return tools


def _sorted(tools: QuerySet[Tool], *, sort: str) -> QuerySet[Tool]:
    """In the order asked; a share sorts highest first, more reviews or votes first on a tie,
    tools with none last. The shares are the ones the rows show (panel: current reviews, not
    held, by active personas; community: counted votes), kept on each tool by the database
    (catalog migration 0011) so that the order reads an index."""
    if sort == "newest":
        return tools.order_by("-created_at", "-id")
    if sort in ("panel", "community"):
        return tools.order_by(f"-{sort}_share", f"-{sort}_count", "name", "id")
    return tools.order_by("name")


def tool_list_faceted(*, query: ToolQuery, categories: dict[str, int]) -> QuerySet[Tool]:
    """Published tools with the query's facet values, in its order; categories by slug."""
    tools = _filtered(tool_list_published(), query=query, categories=categories)
    return _sorted(tools, sort=query.sort)


@dataclass(frozen=True)
class FacetOption:
    value: str
    label: str
    query_string: str
    selected: bool
    count: int | None = None


@dataclass(frozen=True)
class Facet:
    name: str
    label: str
    options: list[FacetOption]
    # The address without this facet's choice ("any").
    any_query_string: str = ""

    @property
    def selected(self) -> bool:
        return any(option.selected for option in self.options)


@dataclass(frozen=True)
class ToolRow:
    tool: Tool
    panel: PanelFigure
    community: Share


@dataclass(frozen=True)
class ToolIndexPage:
    query: ToolQuery
    window: Window
    rows: list[ToolRow]
    facets: list[Facet]
    sorts: list[FacetOption]
    # Every published tool, when nothing narrows the list (the kept count); else None.
    count: int | None = None
    notice: str = ""

    @property
    def canonical_query_string(self) -> str:
        return self.query.query_string(page=self.window.number)

    @property
    def previous_query_string(self) -> str:
        return self.query.query_string(page=self.window.number - 1)

    @property
    def has_next(self) -> bool:
        return self.window.has_next and self.window.number < MAX_PAGE

    @property
    def next_query_string(self) -> str:
        return self.query.query_string(page=self.window.number + 1)


def facet_counts() -> dict[tuple[str, str], int]:
    """Published tools with each facet value, over the whole catalog; kept until it changes."""
    return content_memo(key="pages:tool-facet-counts", scopes=[CATALOG], compute=_facet_counts)


def _facet_counts() -> dict[tuple[str, str], int]:
    # Two index reads. Entry tiers and verification are left uncounted: each would probe
    # every published tool's plans or registry checks, seconds at 100,000 tools.
    rows = (
        ToolFacet.objects.filter(tool__status=Tool.Status.PUBLISHED)
        .values_list("facet", "value")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts = {(facet, value): n for facet, value, n in rows}
    weights = Tool.objects.published().values_list("open_weights").annotate(n=Count("pk"))
    counts |= {
        ("open_weights", "yes" if open_weights else "no"): n
        for open_weights, n in weights.order_by()
    }
    return counts


def _facets(*, query: ToolQuery, categories: list[Category], counts: dict | None) -> list[Facet]:
    result = []
    for name, (label, values) in FACETS.items():
        if name == "category":
            values = {category.slug: category.name for category in categories}
            counted = (
                {(name, c.slug): c.tool_count for c in categories} if counts is not None else None
            )
        else:
            counted = counts if name in COUNTED_FACETS else None
        options = [
            FacetOption(
                value=value,
                label=text,
                query_string=query.query_string(**{name: value}),
                selected=query.filters.get(name) == value,
                count=None if counted is None else counted.get((name, value), 0),
            )
            for value, text in values.items()
        ]
        result.append(
            Facet(
                name=name,
                label=label,
                options=options,
                any_query_string=query.query_string(**{name: None}),
            )
        )
    return result


def tool_index_page(*, params: QueryDict) -> ToolIndexPage:
    """The tool index for these parameters in five queries (the categories, the tools, their
    plans, panel reviews and votes), and the kept facet counts when nothing narrows it."""
    categories = list(category_list_with_counts())
    query = tool_query_parse(params=params, category_slugs={c.slug for c in categories})
    count = None if query.is_filtered else sum(c.tool_count for c in categories)
    tools = tool_list_faceted(query=query, categories={c.slug: c.pk for c in categories})
    window = window_get(items=tools, per_page=TOOLS_PER_PAGE, number=str(query.page), count=count)
    ids = [tool.pk for tool in window.object_list]
    figures = panel_figures(tool_ids=ids)
    community = community_shares(tool_ids=ids)
    rows = [
        ToolRow(tool=tool, panel=figures[tool.pk], community=community[tool.pk])
        for tool in window.object_list
    ]
    sorts = [
        FacetOption(
            value=value,
            label=label,
            query_string=query.query_string(sort=value),
            selected=query.sort == value,
        )
        for value, label in SORTS.items()
    ]
    return ToolIndexPage(
        query=query,
        window=window,
        rows=rows,
        facets=_facets(
            query=query,
            categories=categories,
            counts=None if query.is_filtered else facet_counts(),
        ),
        sorts=sorts,
        count=count,
        notice=" ".join(query.notices),
    )
