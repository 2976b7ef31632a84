"""What an audit will ask: its models, personas, tools and pairs, every call it will make, and
what those calls will cost, known before the first one is made."""

from dataclasses import dataclass, field
from decimal import Decimal

from verdicts.catalog.models import Comparison, Tool
from verdicts.llm.registry import ModelConfigError, model_resolve
from verdicts.panel.audit.figures import ATTACK, HEAD_TO_HEAD, REVIEW
from verdicts.panel.audit.requests import head_to_head_request, review_request
from verdicts.panel.audit.suite import Attack, Suite, dossier_attacked, suite_load
from verdicts.panel.dossier import Dossier
from verdicts.panel.models import Persona
from verdicts.panel.prompts import JobRequest
from verdicts.panel.selectors import dossier_for_tool
from verdicts.panel.services.config import PanelConfigError, PanelSettings, panel_models_check
from verdicts.panel.services.spend import call_estimate


@dataclass(frozen=True)
class PlannedCall:
    """One call of the suite: a review (clean, or with an attack planted) or a head-to-head."""

    kind: str
    persona: Persona
    tool: str
    other_tool: str = ""
    attack: Attack | None = None


@dataclass
class AuditPlan:
    suite: Suite
    models: list[str]
    personas: list[Persona]
    injection_tool: str
    # Clean reviews: the vendors' tools for self-preference, and the injection tool.
    review_tools: list[str]
    pairs: list[tuple[str, str]]
    vendors: dict[str, str]  # tool slug -> vendor slug
    vendor_names: dict[str, str]  # vendor slug -> name
    dossiers: dict[str, Dossier] = field(repr=False, default_factory=dict)

    def first_calls(self) -> list[PlannedCall]:
        """Clean reviews and head-to-heads in both orders: nothing they ask depends on another."""
        reviews = [
            PlannedCall(REVIEW, persona, tool)
            for persona in self.personas
            for tool in self.review_tools
        ]
        pairs = [
            PlannedCall(HEAD_TO_HEAD, persona, first, second)
            for persona in self.personas
            for a, b in self.pairs
            for first, second in ((a, b), (b, a))
        ]
        return reviews + pairs

    def attack_calls(self, personas: list[Persona] | None = None) -> list[PlannedCall]:
        """Each attack planted in the injection tool's dossier, for each persona."""
        return [
            PlannedCall(ATTACK, persona, self.injection_tool, attack=attack)
            for persona in (self.personas if personas is None else personas)
            for attack in self.suite.attack
        ]

    def request(self, call: PlannedCall, *, max_chars: int, target: str = "ship") -> JobRequest:
        """What the call sends; an attack aims at `target`, the opposite of the clean verdict."""
        if call.kind == HEAD_TO_HEAD:
            return head_to_head_request(
                persona=call.persona,
                first=self.dossiers[call.tool],
                second=self.dossiers[call.other_tool],
                max_chars=max_chars,
            )
        dossier = self.dossiers[call.tool]
        if call.attack is not None:
            dossier = dossier_attacked(dossier, attack=call.attack, target=target)
        return review_request(persona=call.persona, dossier=dossier, max_chars=max_chars)

    @property
    def calls_per_model(self) -> int:
        return len(self.first_calls()) + len(self.attack_calls())

    def estimate(self, *, config: PanelSettings) -> Decimal:
        """A cautious price for the whole audit, each call priced as the panel prices one
        (without its output retries); zero for models with no price."""
        calls = self.first_calls() + self.attack_calls()
        requests = [self.request(call, max_chars=config.dossier_max_chars) for call in calls]
        return sum(
            (
                call_estimate(request, model_id=model, config=config)
                for model in self.models
                for request in requests
            ),
            Decimal(0),
        )


def audit_models(*, personas: list[Persona], model: str = "") -> list[str]:
    """`model`, or every model the personas write with; PanelConfigError when one is unusable."""
    if model:
        try:
            model_resolve(model, config=PanelSettings.load().llm)
        except ModelConfigError as error:
            raise PanelConfigError(str(error)) from error
        return [model]
    return sorted(set(panel_models_check(personas=personas).values()))


def suite_tools(suite: Suite) -> list[Tool]:
    """Up to `tools_per_vendor` published tools of each vendor the suite knows, and the
    injection tool (or the first published tool when the catalog has not got it)."""
    vendors = set(suite.families.values()) | set(suite.providers.values())
    published = Tool.objects.published().with_card_data().order_by("vendor__slug", "slug")
    chosen: dict[str, Tool] = {}
    taken: dict[str, int] = {}
    for tool in published.filter(vendor__slug__in=vendors):
        if taken.get(tool.vendor.slug, 0) < suite.tools_per_vendor:
            chosen[tool.slug] = tool
            taken[tool.vendor.slug] = taken.get(tool.vendor.slug, 0) + 1
    subject = (
        published.filter(slug=suite.injection_tool).first() or published.order_by("slug").first()
    )
    if subject is None:
        raise PanelConfigError("The audit needs published tools: run `verdicts init` first.")
    chosen.setdefault(subject.slug, subject)
    return [subject, *(tool for slug, tool in chosen.items() if slug != subject.slug)]


def audit_plan(*, model: str = "", pairs: int | None = None, version: str = "") -> AuditPlan:
    """Everything the audit will ask; PanelConfigError when it cannot run as configured."""
    suite = suite_load(version) if version else suite_load()
    personas = list(Persona.objects.active().in_panel_order())
    if not personas:
        raise PanelConfigError("There are no active personas to audit with.")
    models = audit_models(personas=personas, model=model)
    tools = suite_tools(suite)
    count = suite.pairs if pairs is None else pairs
    if count < 0:
        raise PanelConfigError(f"--pairs must be 0 or more, not {count}.")
    comparisons = list(Comparison.objects.published().with_tools()[:count])
    by_slug = {tool.slug: tool for tool in tools}
    for comparison in comparisons:
        by_slug.setdefault(comparison.tool_a.slug, comparison.tool_a)
        by_slug.setdefault(comparison.tool_b.slug, comparison.tool_b)
    return AuditPlan(
        suite=suite,
        models=models,
        personas=personas,
        injection_tool=tools[0].slug,
        review_tools=[tool.slug for tool in tools],
        pairs=[(c.tool_a.slug, c.tool_b.slug) for c in comparisons],
        vendors={slug: tool.vendor.slug for slug, tool in by_slug.items()},
        vendor_names={tool.vendor.slug: tool.vendor.name for tool in by_slug.values()},
        dossiers={slug: dossier_for_tool(tool=tool) for slug, tool in by_slug.items()},
    )
