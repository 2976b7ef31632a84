"""The starter catalog: data files in the repository that `verdicts init` loads once.

Each entry is loaded the first time init sees it and recorded as a StarterItem; later runs
skip it, so running init again duplicates nothing and never undoes an editor's change.
"""

import datetime
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from django.db import transaction
from pydantic import Field, create_model

from verdicts.catalog.models import (
    PRICE_SPECS,
    Category,
    Comparison,
    EntryTier,
    PriceField,
    Tool,
)
from verdicts.catalog.services import (
    category_create,
    comparison_create,
    pricing_plan_create,
    starter_item_claim,
    tool_create,
    vendor_get_or_create,
)
from verdicts.common.datafiles import (
    DataFileError,
    Strict,
    model_errors_named,
    read_toml,
    slugs_unique_check,
)
from verdicts.panel.charters import PERSONA_DIR, persona_charter, persona_files_read
from verdicts.panel.models import Persona
from verdicts.panel.services.editorial import persona_create, review_create

APP_ROOT = Path(__file__).resolve().parent.parent
STARTER_DIR = APP_ROOT / "catalog" / "starter"


class CategoryEntry(Strict):
    slug: str
    name: str
    description: str = ""


class VendorEntry(Strict):
    slug: str
    name: str
    homepage: str = ""


def plan_entry_field(spec: PriceField) -> tuple[object, object]:
    """One price field of a starter plan, typed and bounded as the model field is."""
    annotation: object = Literal[spec.choices] if spec.choices else spec.type
    if spec.nullable:
        annotation = annotation | None
    default = ... if spec.required else spec.default
    return annotation, Field(default=default, ge=spec.minimum)


# The price fields come from the model, so a new price is a new starter field with no edit here.
PlanEntry = create_model(
    "PlanEntry",
    __base__=Strict,
    name=str,
    unit=(str, ""),
    notes=(str, ""),
    source_url=(str, ""),
    checked_on=(datetime.date | None, None),
    **{spec.name: plan_entry_field(spec) for spec in PRICE_SPECS},
)


class ReviewEntry(Strict):
    persona: str
    written_on: datetime.date
    verdict: Literal["ship", "skip"]
    confidence: float | None = Field(default=None, ge=0, le=1)
    body: str


class ToolEntry(Strict):
    slug: str
    name: str
    category: str
    vendor: VendorEntry
    tagline: str
    description: str
    homepage: str = ""
    docs_url: str = ""
    repository_url: str = ""
    licence: str = ""
    open_weights: bool = False
    launch_date: datetime.date | None = None
    entry_tier: EntryTier | None = None
    facts: dict[str, str] = {}
    plans: list[PlanEntry] = []
    reviews: list[ReviewEntry] = []


class ComparisonEntry(Strict):
    a: str
    b: str
    published_at: datetime.datetime | None = None
    title: str = ""


@dataclass
class LoadReport:
    """What one run of the loader created, by kind."""

    created: dict[str, int] = field(default_factory=dict)

    def add(self, kind: str) -> None:
        self.created[kind] = self.created.get(kind, 0) + 1

    @property
    def total(self) -> int:
        return sum(self.created.values())


def starter_files_read(
    *, starter_dir: Path = STARTER_DIR, persona_dir: Path = PERSONA_DIR
) -> tuple[list, list, list, list]:
    """Read and validate every starter file before anything is written."""
    categories = read_toml(starter_dir / "categories.toml", CategoryEntry, "category")
    personas = persona_files_read(persona_dir=persona_dir)
    tools = [read_toml(p, ToolEntry)[0] for p in sorted((starter_dir / "tools").glob("*.toml"))]
    slugs_unique_check(tools, kind="tool")
    comparisons = read_toml(starter_dir / "comparisons.toml", ComparisonEntry, "comparison")
    reviews_dated_check(tools=tools, comparisons=comparisons)
    return categories, personas, tools, comparisons


def reviews_dated_check(*, tools: list[ToolEntry], comparisons: list[ComparisonEntry]) -> None:
    """Each review is written before the day its tool is first compared, and not after today."""
    first_compared: dict[str, datetime.date] = {}
    for comparison in comparisons:
        if comparison.published_at is None:
            continue
        day = comparison.published_at.date()
        for slug in (comparison.a, comparison.b):
            first_compared[slug] = min(first_compared.get(slug, day), day)
    today = datetime.datetime.now(datetime.UTC).date()
    for tool in tools:
        compared = first_compared.get(tool.slug)
        for review in tool.reviews:
            where = (
                f"tool {tool.slug}: the {review.persona} review's written_on {review.written_on}"
            )
            if review.written_on > today:
                raise DataFileError(f"{where} is in the future")
            if compared and review.written_on >= compared:
                raise DataFileError(f"{where} is not before its first comparison, on {compared}")


def written_at(day: datetime.date) -> datetime.datetime:
    """Noon UTC, so the day reads the same in every time zone near UTC."""
    return datetime.datetime.combine(day, datetime.time(12), tzinfo=datetime.UTC)


@transaction.atomic
def starter_catalog_load(
    *, starter_dir: Path = STARTER_DIR, persona_dir: Path = PERSONA_DIR
) -> LoadReport:
    """Load every starter entry not loaded before; all or nothing."""
    categories, personas, tools, comparisons = starter_files_read(
        starter_dir=starter_dir, persona_dir=persona_dir
    )
    report = LoadReport()
    for entry in categories:
        if (
            starter_item_claim(key=f"category:{entry.slug}")
            and not Category.objects.filter(slug=entry.slug).exists()
        ):
            with model_errors_named(f"{entry.source_file} (category {entry.slug})"):
                category_create(slug=entry.slug, name=entry.name, description=entry.description)
            report.add("categories")
    for entry in personas:
        if (
            starter_item_claim(key=f"persona:{entry.slug}")
            and not Persona.objects.filter(slug=entry.slug).exists()
        ):
            with model_errors_named(entry.source_file):
                persona_create(slug=entry.slug, **persona_charter(entry))
            report.add("personas")
    for entry in tools:
        with model_errors_named(entry.source_file):
            load_tool(entry, report)
    for entry in comparisons:
        with model_errors_named(f"{entry.source_file} ({entry.a} vs {entry.b})"):
            load_comparison(entry, report)
    return report


def load_tool(entry: ToolEntry, report: LoadReport) -> None:
    if (
        starter_item_claim(key=f"tool:{entry.slug}")
        and not Tool.objects.filter(slug=entry.slug).exists()
    ):
        category = Category.objects.filter(slug=entry.category).first()
        if category is None:
            raise DataFileError(f"tool {entry.slug}: unknown category {entry.category!r}")
        vendor = vendor_get_or_create(**entry.vendor.model_dump())
        tool = tool_create(
            slug=entry.slug,
            name=entry.name,
            category=category,
            vendor=vendor,
            tagline=entry.tagline,
            description=entry.description,
            homepage=entry.homepage,
            docs_url=entry.docs_url,
            repository_url=entry.repository_url,
            licence=entry.licence,
            open_weights=entry.open_weights,
            entry_tier_override=entry.entry_tier or "",
            launch_date=entry.launch_date,
            facts=entry.facts,
            status=Tool.Status.PUBLISHED,
        )
        report.add("tools")
        for position, plan in enumerate(entry.plans):
            pricing_plan_create(tool=tool, position=position, **plan.model_dump())
            report.add("plans")
    tool = Tool.objects.filter(slug=entry.slug).first()
    if tool is None:
        return
    personas = {persona.slug: persona for persona in Persona.objects.all()}
    for review in entry.reviews:
        persona = personas.get(review.persona)
        if persona is None:
            raise DataFileError(f"tool {entry.slug}: unknown persona {review.persona!r}")
        if starter_item_claim(key=f"review:{entry.slug}:{review.persona}"):
            review_create(
                tool=tool,
                persona=persona,
                verdict=review.verdict,
                confidence=review.confidence,
                body=review.body,
                written_at=written_at(review.written_on),
            )
            report.add("reviews")


def load_comparison(entry: ComparisonEntry, report: LoadReport) -> None:
    if not starter_item_claim(key=f"comparison:{entry.a}-vs-{entry.b}"):
        return
    tools = {tool.slug: tool for tool in Tool.objects.filter(slug__in=[entry.a, entry.b])}
    missing = {entry.a, entry.b} - tools.keys()
    if missing:
        raise DataFileError(f"comparison {entry.a} vs {entry.b}: unknown tools {sorted(missing)}")
    tool_a, tool_b = tools[entry.a], tools[entry.b]
    if not (tool_a.is_published and tool_b.is_published):
        return
    already = Comparison.objects.filter(tool_a__in=[tool_a, tool_b], tool_b__in=[tool_a, tool_b])
    if already.exists():
        return
    comparison_create(
        tool_a=tool_a, tool_b=tool_b, published_at=entry.published_at, title=entry.title
    )
    report.add("comparisons")
