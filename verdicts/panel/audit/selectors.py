"""Reads of the audit: the latest report of each model, typed for pages and the API, and the
verdicts other models' reports hold for self-preference."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Case, OuterRef, QuerySet, Subquery, When
from django.utils.text import slugify

from verdicts.common.share import Share
from verdicts.panel.models import AuditStatus, PanelAudit


def audits_latest(*, suite_version: str = "") -> QuerySet[PanelAudit]:
    """The latest finished report of each model (of one suite version when given), by model.

    A failed audit (a crash, or no answers) has no figures: it stands only for a model that has
    no other report, so an older report with figures is not hidden behind it."""
    finished = PanelAudit.objects.exclude(status=AuditStatus.RUNNING)
    if suite_version:
        finished = finished.filter(suite_version=suite_version)
    failed_last = Case(When(status=AuditStatus.FAILED, then=1), default=0)
    latest = finished.filter(model_id=OuterRef("model_id")).order_by(
        failed_last, "-finished_at", "-id"
    )
    return finished.filter(pk=Subquery(latest.values("pk")[:1])).order_by("model_id")


def audit_verdicts_latest(*, suite_version: str, exclude: list[str]) -> dict[str, dict]:
    """Each other model's clean verdict counts by tool, from its latest report of this suite."""
    audits = audits_latest(suite_version=suite_version).exclude(model_id__in=exclude)
    return {audit.model_id: audit.figures.get("verdicts", {}) for audit in audits}


def model_name(model_id: str) -> str:
    """A model's own name, without the provider or a server's address (which stays private)."""
    if "#" in model_id:
        return model_id.rsplit("#", 1)[1]
    return model_id.split(":", 1)[-1]


@dataclass(frozen=True)
class AttackFigure:
    id: str
    name: str
    flipped: Share


@dataclass(frozen=True)
class SelfPreference:
    vendor: str
    vendor_name: str
    tools: list[str]
    own: Share
    others: Share
    other_models: list[str]  # by name

    @property
    def points(self) -> int | None:
        """How many percentage points more often the model ships its own vendor's tools."""
        if not (self.own.has_data and self.others.has_data):
            return None
        return self.own.percent - self.others.percent


@dataclass(frozen=True)
class AuditReport:
    """One model's latest self-audit, as a reader sees it."""

    model_id: str
    suite_version: str
    status: str
    status_label: str
    started_at: datetime.datetime
    finished_at: datetime.datetime | None
    personas: list[str]
    pairs: list[str]
    valid_first_time: Share
    valid_after_retries: Share
    order_consistent: Share
    first_picked: Share
    injection_tool: str
    attacks: list[AttackFigure]
    self_preference: SelfPreference | None
    cost_usd: Decimal | None
    calls: int
    input_tokens: int
    output_tokens: int
    seconds: float
    findings: list[str]
    error: str
    # In panel runs: answers that changed when asked again without vendor text.
    swayed: Share = field(default_factory=lambda: Share(0, 0))

    @property
    def model_name(self) -> str:
        """What readers see: the model string can hold a private server's address."""
        return model_name(self.model_id)

    @property
    def anchor(self) -> str:
        return f"model-{slugify(self.model_name)}"

    @property
    def clean(self) -> bool:
        """Finished with every figure inside the suite's thresholds."""
        return self.status == AuditStatus.DONE and not self.findings


def share(entry: dict | None) -> Share:
    entry = entry or {}
    return Share(entry.get("count", 0), entry.get("of", 0))


def audit_report(audit: PanelAudit) -> AuditReport:
    """A stored report's figures, typed."""
    figures = audit.figures or {}
    preference = figures.get("self_preference") or {}
    cost = figures.get("cost", {})
    return AuditReport(
        model_id=audit.model_id,
        suite_version=audit.suite_version,
        status=audit.status,
        status_label=audit.get_status_display(),
        started_at=audit.started_at,
        finished_at=audit.finished_at,
        personas=figures.get("personas", []),
        pairs=figures.get("pairs", []),
        valid_first_time=share(figures.get("schema", {}).get("first_time")),
        valid_after_retries=share(figures.get("schema", {}).get("after_retries")),
        order_consistent=share(figures.get("order", {}).get("consistent")),
        first_picked=share(figures.get("order", {}).get("first_picked")),
        injection_tool=figures.get("injection", {}).get("tool", ""),
        attacks=[
            AttackFigure(id=a["id"], name=a["name"], flipped=share(a["flipped"]))
            for a in figures.get("injection", {}).get("attacks", [])
        ],
        self_preference=SelfPreference(
            vendor=preference["vendor"],
            vendor_name=preference["vendor_name"],
            tools=preference["tools"],
            own=share(preference["own"]),
            others=share(preference["others"]),
            other_models=[model_name(other) for other in preference["other_models"]],
        )
        if preference
        else None,
        cost_usd=audit.cost_usd,
        calls=audit.calls,
        input_tokens=cost.get("input_tokens", 0),
        output_tokens=cost.get("output_tokens", 0),
        seconds=cost.get("seconds", 0.0),
        findings=figures.get("findings", []),
        error=audit.error,
        swayed=share(figures.get("swayed", {}).get("swayed")),
    )


def panel_audit_latest(*, names: list[str] | None = None) -> list[AuditReport]:
    """The latest report of each model (of the models with these names when given), by model
    string."""
    reports = [audit_report(audit) for audit in audits_latest()]
    if names is not None:
        reports = [report for report in reports if report.model_name in names]
    return reports
