"""Running the audit: each planned call through the llm layer, within the budget, then each
model's figures from its answers, stored as its report.

Like the panel's jobs module, this imports the call layer (pydantic-ai's agent): only the
`verdicts panel audit` command imports it.
"""

import random
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection

from verdicts.llm.calls import backoff_delay, call_structured_sync
from verdicts.llm.registry import model_resolve
from verdicts.panel.audit.figures import (
    REVIEW,
    CallResult,
    cost_figures,
    findings,
    injection_figures,
    order_figures,
    schema_figures,
    self_preference_figures,
    swayed_figures,
    verdict_counts,
)
from verdicts.panel.audit.plan import AuditPlan, PlannedCall
from verdicts.panel.audit.selectors import audit_verdicts_latest
from verdicts.panel.audit.services import (
    BudgetStop,
    audit_call_reserve,
    audit_heartbeat,
    audit_status,
    panel_audit_create,
    panel_audit_finish,
)
from verdicts.panel.audit.suite import model_vendor, verdict_opposite
from verdicts.panel.models import PanelAudit
from verdicts.panel.prompts import JobRequest
from verdicts.panel.services.config import PanelSettings
from verdicts.panel.services.spend import llm_call_record
from verdicts.panel.steering.selectors import counterfactual_pairs


@dataclass
class ModelRun:
    """One model's answers so far, and whether the budget stopped it."""

    results: list[CallResult] = field(default_factory=list)
    seconds: float = 0.0
    stopped: str = ""
    last_error: str = ""


@dataclass
class Answer:
    output: object | None = None
    first_time: bool = False
    error: str = ""
    costs: list[Decimal | None] = field(default_factory=list)
    input_tokens: int = 0
    output_tokens: int = 0


def attempts(
    *,
    model_id: str,
    request: JobRequest,
    retries: int,
    config: PanelSettings,
    suite_version: str,
    answer: Answer,
    sleep: Callable[[float], None],
) -> bool:
    """One call with `retries` output retries, tried again (as the panel's jobs are) on a
    transient failure; the answer gains its output and costs. False when it failed for good."""
    rng = random.Random()
    for attempt in range(1, config.max_attempts + 1):
        call = audit_call_reserve(
            model_id=model_id, request=request, suite_version=suite_version, config=config
        )
        outcome = call_structured_sync(
            model_resolve(model_id, config=config.llm),
            output_type=request.output_type,
            instructions=request.instructions,
            prompt=request.prompt,
            timeout=config.timeout,
            output_retries=retries,
            max_output_tokens=config.max_output_tokens,
        )
        call = llm_call_record(call=call, outcome=outcome, config=config)
        answer.costs.append(call.cost_usd)
        answer.input_tokens += call.input_tokens
        answer.output_tokens += call.output_tokens
        if outcome.output is not None:
            answer.output = outcome.output
            return True
        answer.error = outcome.error
        if not outcome.transient:
            return False
        delay = backoff_delay(
            attempt=attempt,
            base=config.backoff_base,
            cap=config.backoff_cap,
            retry_after=outcome.retry_after,
            rng=rng,
        )
        if delay > config.max_wait:
            return False
        sleep(delay)
    return False


def audit_answer(
    *,
    model_id: str,
    request: JobRequest,
    config: PanelSettings,
    suite_version: str,
    sleep: Callable[[float], None],
) -> Answer:
    """The first reply alone decides "valid first time"; failing that, a second call gets the
    panel's output retries, with each error fed back, to reach "valid after retries"."""
    answer = Answer()
    common = dict(
        model_id=model_id,
        request=request,
        config=config,
        suite_version=suite_version,
        answer=answer,
        sleep=sleep,
    )
    if attempts(retries=0, **common):
        answer.first_time = True
    else:
        attempts(retries=config.output_retries, **common)
    return answer


def call_result(call: PlannedCall, answer: Answer) -> CallResult:
    output = answer.output
    reply = "" if output is None else getattr(output, "verdict", None) or output.pick
    cost = None if any(c is None for c in answer.costs) else sum(answer.costs, Decimal(0))
    return CallResult(
        kind=call.kind,
        persona=call.persona.slug,
        tool=call.tool,
        other_tool=call.other_tool,
        attack=call.attack.id if call.attack else "",
        answer=reply,
        first_time=answer.first_time,
        cost_usd=cost,
        input_tokens=answer.input_tokens,
        output_tokens=answer.output_tokens,
    )


@dataclass
class Runner:
    """Runs planned calls for one model concurrently, stopping them all at the budget."""

    plan: AuditPlan
    model_id: str
    config: PanelSettings
    concurrency: int
    progress: Callable[[], None]
    sleep: Callable[[float], None]
    run: ModelRun = field(default_factory=ModelRun)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def one(self, call: PlannedCall, target: str) -> None:
        try:
            if self.run.stopped:
                return
            request = self.plan.request(
                call, max_chars=self.config.dossier_max_chars, target=target
            )
            answer = audit_answer(
                model_id=self.model_id,
                request=request,
                config=self.config,
                suite_version=self.plan.suite.version,
                sleep=self.sleep,
            )
            with self.lock:
                self.run.results.append(call_result(call, answer))
                if answer.output is None:
                    self.run.last_error = answer.error
        except BudgetStop as stop:
            self.run.stopped = str(stop)
        finally:
            connection.close()
            self.progress()

    def many(self, calls: list[tuple[PlannedCall, str]]) -> None:
        if not calls:
            return
        with ThreadPoolExecutor(max_workers=max(1, min(self.concurrency, len(calls)))) as pool:
            list(pool.map(lambda pair: self.one(*pair), calls))

    def all(self) -> ModelRun:
        """The clean calls first; then each attack, aimed at the opposite of the clean verdict."""
        started = time.monotonic()
        self.many([(call, "") for call in self.plan.first_calls()])
        clean = {
            r.persona: r.answer
            for r in self.run.results
            if r.kind == REVIEW and r.tool == self.plan.injection_tool and r.answer
        }
        attacks = [
            (call, verdict_opposite(clean[call.persona.slug]))
            for call in self.plan.attack_calls()
            if call.persona.slug in clean
        ]
        # Calls with no clean verdict to aim at are not made; the bar still counts them.
        for _ in range(len(self.plan.attack_calls()) - len(attacks)):
            self.progress()
        self.many(attacks)
        self.run.seconds = time.monotonic() - started
        return self.run


def report_figures(
    *, plan: AuditPlan, model_id: str, run: ModelRun, others: dict[str, dict]
) -> dict:
    """A model's figures from its answers; `others` are the other models' verdict counts."""
    results = run.results
    verdicts = verdict_counts(results)
    vendor = model_vendor(model_id, suite=plan.suite)
    vendor_tools = [tool for tool in plan.review_tools if plan.vendors.get(tool) == vendor]
    figures = {
        "suite": plan.suite.version,
        "personas": [persona.slug for persona in plan.personas],
        "pairs": [f"{a} vs {b}" for a, b in plan.pairs],
        "schema": schema_figures(results),
        "order": order_figures(results),
        "injection": injection_figures(results, suite=plan.suite, tool=plan.injection_tool),
        "self_preference": {}
        if not vendor_tools
        else self_preference_figures(
            verdicts=verdicts,
            vendor=vendor,
            vendor_name=plan.vendor_names.get(vendor, vendor),
            vendor_tools=vendor_tools,
            others=others,
        ),
        "verdicts": verdicts,
        # Beside the planted attacks' flip rate: how often real steering text swayed it.
        "swayed": swayed_figures(counterfactual_pairs(model_id=model_id)),
        "cost": cost_figures(results, seconds=run.seconds),
    }
    figures["findings"] = findings(figures, suite=plan.suite)
    return figures


def panel_audit_run(
    *,
    plan: AuditPlan,
    concurrency: int,
    progress: Callable[[], None] = lambda: None,
    sleep: Callable[[float], None] = time.sleep,
) -> list[PanelAudit]:
    """Audit every model of the plan and store a report each. Self-preference compares each
    model with the others audited now and with the latest report of every other model."""
    config = PanelSettings.load()
    audits = {
        model: panel_audit_create(model_id=model, suite_version=plan.suite.version)
        for model in plan.models
    }
    runs: dict[str, ModelRun] = {}
    stopped = ""
    with audit_heartbeat(audit_ids=[audit.pk for audit in audits.values()]):
        for model in plan.models:
            if stopped:
                runs[model] = ModelRun(stopped=stopped)
                continue
            runner = Runner(plan, model, config, concurrency, progress, sleep)
            runs[model] = runner.all()
            stopped = runs[model].stopped
    stored = audit_verdicts_latest(suite_version=plan.suite.version, exclude=plan.models)
    fresh = {model: verdict_counts(run.results) for model, run in runs.items()}
    finished = []
    for model, run in runs.items():
        others = stored | {other: counts for other, counts in fresh.items() if other != model}
        figures = report_figures(plan=plan, model_id=model, run=run, others=others)
        answered = sum(bool(r.answer) for r in run.results)
        cost = figures["cost"]["usd"]
        error = run.stopped or (
            "" if answered else f"No valid answer. Last error: {run.last_error}"
        )
        finished.append(
            panel_audit_finish(
                audit=audits[model],
                status=audit_status(stopped=bool(run.stopped), answered=answered),
                figures=figures,
                calls=len(run.results),
                cost_usd=None if cost is None else Decimal(cost),
                error=error,
            )
        )
    return finished
