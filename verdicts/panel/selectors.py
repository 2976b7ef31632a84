"""Reads from the panel."""

import datetime
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db.models import (
    Case,
    Count,
    DecimalField,
    F,
    Min,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from verdicts.catalog.models import PricingPlan, Tool
from verdicts.catalog.plan_text import long_context_summary, prices_stated
from verdicts.common.content_memo import content_memo
from verdicts.common.content_versions import CATALOG
from verdicts.common.share import Share
from verdicts.panel.dossier import (
    Dossier,
    dossier_documents,
    dossier_provenance,
    dossier_without_vendor_text,
)
from verdicts.panel.models import (
    ACTIVE_RUN_STATUSES,
    FINISHED_JOB_STATUSES,
    PANEL_ORDER,
    JobKind,
    JobStatus,
    LlmCall,
    PanelJob,
    PanelRun,
    Persona,
    Review,
    Verdict,
)


def persona_list_active() -> list[Persona]:
    """Active personas in page order, each with its count of current reviews and ships.

    The counts read every review, so they are kept until the catalog next changes.
    """
    counts = content_memo(key="panel:persona-counts", scopes=[CATALOG], compute=_persona_counts)
    personas = list(Persona.objects.active().in_panel_order())
    for persona in personas:
        persona.review_count, persona.ship_count = counts.get(persona.pk, (0, 0))
    return personas


def _persona_counts() -> dict[int, tuple[int, int]]:
    """(current reviews of published tools, ships) by persona id, in one grouped query."""
    rows = (
        Review.objects.current()
        .counted()
        .filter(tool__status=Tool.Status.PUBLISHED)
        .values("persona_id")
        .annotate(n=Count("id"), ships=Count("id", filter=Q(verdict=Verdict.SHIP)))
        .values_list("persona_id", "n", "ships")
        .order_by()
    )
    return {persona_id: (n, ships) for persona_id, n, ships in rows}


def persona_get_active(*, slug: str) -> Persona | None:
    return Persona.objects.active().filter(slug=slug).first()


def review_list_current(*, tool_ids: Iterable[int]) -> list[Review]:
    """Current reviews of these tools by active personas, in panel order; held answers (see
    verdicts/panel/services/holds.py) are left out until an editor accepts them."""
    return list(
        Review.objects.current()
        .counted()
        .filter(tool_id__in=list(tool_ids), persona__is_active=True)
        .select_related("persona")
        .order_by(*(f"persona__{field}" for field in PANEL_ORDER))
    )


def panel_shares(*, reviews: Iterable[Review], tool_ids: Iterable[int]) -> dict[int, Share]:
    """Each tool's panel verdict: current reviews that say ship, of those with a verdict."""
    ships: Counter[int] = Counter()
    totals: Counter[int] = Counter()
    for review in reviews:
        totals[review.tool_id] += 1
        if review.verdict == Verdict.SHIP:
            ships[review.tool_id] += 1
    return {tool_id: Share(ships[tool_id], totals[tool_id]) for tool_id in tool_ids}


@dataclass(frozen=True)
class CategoryRecord:
    name: str
    slug: str
    reviewed: int
    shipped: int


@dataclass(frozen=True)
class PersonaRecord:
    """What a persona has said: its ship rate overall and by category."""

    share: Share
    by_category: list[CategoryRecord]


def persona_reviews(*, persona: Persona) -> QuerySet[Review]:
    """The persona's current reviews of published tools, newest first.

    In the order of the review table's own key, which the (persona, is_current) index holds:
    a page reads its twenty rows, where an order by category and tool sorted every review.
    """
    return (
        Review.objects.current()
        .counted()
        .filter(persona=persona, tool__status=Tool.Status.PUBLISHED)
        .select_related("tool__category")
        .order_by("-pk")
    )


def persona_record(*, persona: Persona) -> PersonaRecord:
    """Counted in the database, one row a category; kept until the catalog next changes."""
    return content_memo(
        key=f"panel:persona-record:{persona.pk}",
        scopes=[CATALOG],
        compute=lambda: _persona_record(persona=persona),
    )


def _persona_record(*, persona: Persona) -> PersonaRecord:
    rows = (
        Review.objects.current()
        .counted()
        .filter(persona=persona, tool__status=Tool.Status.PUBLISHED)
        .values("tool__category__slug", "tool__category__name")
        .annotate(reviewed=Count("id"), shipped=Count("id", filter=Q(verdict=Verdict.SHIP)))
        .order_by("tool__category__name")
    )
    by_category = [
        CategoryRecord(
            name=row["tool__category__name"],
            slug=row["tool__category__slug"],
            reviewed=row["reviewed"],
            shipped=row["shipped"],
        )
        for row in rows
    ]
    share = Share(sum(row.shipped for row in by_category), sum(row.reviewed for row in by_category))
    return PersonaRecord(share=share, by_category=by_category)


def dossier_for_tool(*, tool: Tool, vendor_text: bool = True) -> Dossier:
    """Everything the panel may rely on about a tool: catalog facts, pricing plans, and what the
    registered contributors give: documents (imported documentation, newest first) and the
    facts' provenance. Without `vendor_text`, the counterfactual's: no vendor-written passage."""
    plans = [plan_line(plan, notes=vendor_text) for plan in tool.plans.all()]
    # No document can show more than the dossier's cap, so no more than that is read.
    max_chars = settings.VERDICTS_PANEL_DOSSIER_MAX_CHARS
    documents = dossier_documents(tool=tool, max_chars=max_chars) if vendor_text else []
    dossier = Dossier(
        slug=tool.slug,
        name=tool.name,
        vendor=tool.vendor.name,
        category=tool.category.name,
        tagline=tool.tagline,
        description=tool.description,
        licence=tool.licence,
        open_weights=tool.open_weights,
        launch_date=tool.launch_date.isoformat() if tool.launch_date else "",
        homepage=tool.homepage,
        facts={str(key): str(value) for key, value in (tool.facts or {}).items()},
        plans=plans,
        documents=documents,
        provenance=dossier_provenance(tool=tool),
    )
    return dossier if vendor_text else dossier_without_vendor_text(dossier)


def plan_line(plan: PricingPlan, *, notes: bool = True) -> str:
    """A pricing plan as one line of the dossier."""
    parts = [f"{plan.name} ({plan.get_kind_display()})"]
    if plan.unit:
        parts.append(f"unit: {plan.unit}")
    parts += prices_stated(plan)
    if plan.long_context_threshold is not None:
        parts.append(f"long context: {long_context_summary(plan)}")
    if plan.included_requests is not None:
        parts.append(f"{plan.included_requests} requests included")
    if plan.notes and notes:
        parts.append(plan.notes)
    return "; ".join(parts)


def panel_run_list(*, limit: int = 20) -> QuerySet[PanelRun]:
    """The latest runs, newest first, each with its job counts by status and the models its
    jobs used (the first by name, and how many)."""
    return (
        PanelRun.objects.prefetch_related("tools")
        .annotate(
            job_count=Count("jobs"),
            done_count=Count("jobs", filter=Q(jobs__status=JobStatus.DONE)),
            failed_count=Count("jobs", filter=Q(jobs__status=JobStatus.FAILED)),
            skipped_count=Count("jobs", filter=Q(jobs__status=JobStatus.SKIPPED)),
            first_model=Min("jobs__model_id"),
            model_count=Count("jobs__model_id", distinct=True),
        )
        # An aggregating query drops Meta.ordering, so the order is asked for here.
        .order_by("-created_at", "-id")[:limit]
    )


def panel_run_progress(*, run_id: int) -> tuple[int, int, str]:
    """(finished jobs, all jobs, run status)."""
    run = PanelRun.objects.annotate(
        job_count=Count("jobs"),
        finished_count=Count("jobs", filter=Q(jobs__status__in=FINISHED_JOB_STATUSES)),
    ).get(pk=run_id)
    return run.finished_count, run.job_count, run.status


def panel_run_ids_unfinished() -> list[int]:
    """Runs still queued or running that have queued jobs left."""
    return list(
        PanelJob.objects.filter(status=JobStatus.QUEUED, run__status__in=ACTIVE_RUN_STATUSES)
        .values_list("run_id", flat=True)
        .distinct()
    )


def panel_job_list(*, run_id: int) -> QuerySet[PanelJob]:
    """A run's jobs with the tokens and cost of their calls."""
    return (
        PanelJob.objects.filter(run_id=run_id)
        .select_related("persona", "tool", "other_tool")
        .annotate(
            cost_usd=Sum("calls__cost_usd"),
            input_tokens=Sum("calls__input_tokens"),
            output_tokens=Sum("calls__output_tokens"),
        )
    )


def month_start(now: datetime.datetime) -> datetime.datetime:
    """Midnight on the first of the month."""
    return now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def spend_this_month(*, now: datetime.datetime | None = None) -> Decimal:
    """Dollars spent on calls this calendar month, counting calls in flight at their estimate."""
    calls = LlmCall.objects.filter(created_at__gte=month_start(now or timezone.now()))
    spent = calls.aggregate(
        total=Sum(
            Case(
                When(status=LlmCall.Status.RESERVED, then=F("estimated_cost_usd")),
                default=Coalesce(F("cost_usd"), Value(Decimal(0))),
                output_field=DecimalField(max_digits=12, decimal_places=6),
            )
        )
    )["total"]
    return spent or Decimal(0)


@dataclass(frozen=True)
class HeadToHeadPick:
    """One persona's answer to "which would you ship with?", asked in both orders."""

    persona: Persona
    pick: Tool | None
    for_whom: str
    consistent: bool


def head_to_head_picks(*, tool_a: Tool, tool_b: Tool) -> list[HeadToHeadPick]:
    """Each persona's latest pick between two tools; a pick that flips with the order is a tie."""
    jobs = (
        PanelJob.objects.filter(
            kind=JobKind.HEAD_TO_HEAD, status=JobStatus.DONE, counterfactual_of__isnull=True
        )
        .filter(Q(tool=tool_a, other_tool=tool_b) | Q(tool=tool_b, other_tool=tool_a))
        .select_related("persona")
        .order_by("-finished_at", "-id")
    )
    latest: dict[tuple[int, int], PanelJob] = {}
    for job in jobs:
        latest.setdefault((job.persona_id, job.tool_id), job)
    tools = {tool_a.pk: tool_a, tool_b.pk: tool_b}
    picks = []
    personas = {job.persona_id: job.persona for job in latest.values()}
    for persona in sorted(personas.values(), key=lambda persona: persona.panel_order_key):
        first, second = latest.get((persona.pk, tool_a.pk)), latest.get((persona.pk, tool_b.pk))
        # A held answer leaves the persona's pick out until an editor accepts it.
        if first is None or second is None or not (first.is_counted and second.is_counted):
            continue
        chosen = {first.answer.get("pick_tool_id"), second.answer.get("pick_tool_id")}
        consistent = len(chosen) == 1
        pick = tools.get(chosen.pop()) if consistent else None
        picks.append(
            HeadToHeadPick(
                persona=persona,
                pick=pick,
                for_whom=first.answer.get("for_whom", "") if consistent else "",
                consistent=consistent,
            )
        )
    return picks
