"""`verdicts panel run` queues a panel run and follows it; `verdicts panel status` lists runs;
`verdicts panel audit` runs the self-audit suite on the panel's models."""

import logging
import threading
import time

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from tqdm import tqdm

from verdicts.catalog.models import Tool
from verdicts.common.share import Share
from verdicts.panel.audit.plan import AuditPlan, audit_plan
from verdicts.panel.audit.run import panel_audit_run
from verdicts.panel.audit.selectors import AuditReport, audit_report
from verdicts.panel.models import HELD_HOLDS, JobStatus, PanelRun, Persona, RunStatus
from verdicts.panel.selectors import (
    panel_job_list,
    panel_run_ids_unfinished,
    panel_run_list,
    panel_run_progress,
    spend_this_month,
)
from verdicts.panel.services.config import PanelConfigError, PanelModelMissing, PanelSettings
from verdicts.panel.services.jobs import panel_jobs_sweep, panel_run_execute_local
from verdicts.panel.services.runs import panel_run_create, panel_run_requeue

POLL_SECONDS = 0.25


class Command(BaseCommand):
    help = (
        "Run the reviewer panel on tools (`panel run`), list its runs (`panel status`) and "
        "audit its models (`panel audit`)."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        run = sub.add_parser(
            "run",
            help="Queue a panel run on some tools and show its progress until it finishes.",
        )
        run.add_argument("tools", nargs="*", metavar="tool-slug", help="Tools to review.")
        run.add_argument("--model", default="", help="Model for every persona in this run.")
        run.add_argument(
            "--persona",
            action="append",
            default=[],
            metavar="SLUG",
            help="Only this persona (repeatable). Default: every active persona.",
        )
        run.add_argument(
            "--no-head-to-head",
            action="store_true",
            help="For two compared tools, skip the 'which would you ship with?' question.",
        )
        run.add_argument(
            "--wait-for-worker",
            type=float,
            default=settings.VERDICTS_PANEL_WORKER_WAIT,
            metavar="SECONDS",
            help="How long to wait for a worker to pick the jobs up before doing them here "
            "(VERDICTS_PANEL_WORKER_WAIT, default 5).",
        )
        run.add_argument(
            "--resume",
            action="store_true",
            help="Take back work a dead worker left behind and finish every unfinished run here.",
        )
        status = sub.add_parser("status", help="List panel runs, or show one run's jobs.")
        status.add_argument("run_id", nargs="?", type=int, help="Show this run's jobs.")
        status.add_argument("--limit", type=int, default=20, help="How many runs to list (20).")
        audit = sub.add_parser(
            "audit",
            help="Run the self-audit suite on the panel's models and store a report for each.",
        )
        audit.add_argument(
            "--model", default="", help="Audit this model. Default: every model the panel uses."
        )
        audit.add_argument(
            "--pairs",
            type=int,
            default=None,
            metavar="N",
            help="Head-to-head pairs, from the published comparisons (the suite says 5).",
        )
        audit.add_argument(
            "--yes", action="store_true", help="Start the audit after showing what it will cost."
        )

    def handle(self, *args, **options):
        # The HTTP client logs every request at INFO, which would tear the progress bar apart.
        logging.getLogger("httpx2").setLevel(logging.WARNING)
        try:
            if options["subcommand"] == "run":
                self.run(options)
            elif options["subcommand"] == "audit":
                self.audit(options)
            else:
                self.status(options)
        except PanelModelMissing as error:
            raise CommandError(f"{error} Or pass --model for this run.") from error
        except PanelConfigError as error:
            raise CommandError(str(error)) from error

    def run(self, options):
        if options["resume"]:
            self.resume()
            return
        slugs = options["tools"]
        if not slugs:
            raise CommandError("Name at least one tool slug, e.g. `verdicts panel run cursor`.")
        tools = {tool.slug: tool for tool in Tool.objects.filter(slug__in=slugs)}
        unknown = [slug for slug in slugs if slug not in tools]
        if unknown:
            raise CommandError(f"Unknown tool slug(s): {', '.join(unknown)}.")
        personas = None
        if options["persona"]:
            found = {
                p.slug: p for p in Persona.objects.active().filter(slug__in=options["persona"])
            }
            missing = [slug for slug in options["persona"] if slug not in found]
            if missing:
                raise CommandError(f"Unknown or inactive persona(s): {', '.join(missing)}.")
            personas = [found[slug] for slug in options["persona"]]
        try:
            run, created = panel_run_create(
                tools=[tools[slug] for slug in slugs],
                personas=personas,
                model=options["model"],
                head_to_head=not options["no_head_to_head"],
                requested_by="cli",
            )
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        if not created:
            self.stdout.write(
                f"An identical run is already under way: following run {run.pk}. If its worker "
                "died, stop this and run `verdicts panel run --resume`."
            )
        self.follow(run.pk, wait_for_worker=options["wait_for_worker"])
        self.report(run.pk)

    def follow(self, run_id: int, *, wait_for_worker: float) -> None:
        """Show progress; do the jobs here when no worker has started them in time."""
        local: threading.Thread | None = None
        self.raised: list[int] = []  # the jobs that raised here, set by execute_here
        started = time.monotonic()
        finished, total, status = panel_run_progress(run_id=run_id)
        with tqdm(total=total, desc=f"Panel run {run_id}", unit="call") as bar:
            while status in (RunStatus.QUEUED, RunStatus.RUNNING) or (local and local.is_alive()):
                if local is not None and not local.is_alive():
                    # What is left here belongs to another worker; `panel status` can follow it.
                    break
                bar.update(finished - bar.n)
                untouched = status == RunStatus.QUEUED
                if local is None and untouched and time.monotonic() - started >= wait_for_worker:
                    tqdm.write("No worker picked the run up: doing the calls here.")
                    local = threading.Thread(target=self.execute_here, args=(run_id,))
                    local.start()
                time.sleep(POLL_SECONDS)
                finished, total, status = panel_run_progress(run_id=run_id)
            bar.update(finished - bar.n)
        if local is not None:
            local.join()

    def execute_here(self, run_id: int) -> None:
        try:
            self.raised = panel_run_execute_local(
                run_id=run_id, concurrency=settings.VERDICTS_PANEL_CONCURRENCY
            )
        finally:
            connection.close()

    def resume(self) -> None:
        requeued = panel_jobs_sweep()
        run_ids = panel_run_ids_unfinished()
        self.stdout.write(
            f"{len(requeued)} job(s) waiting too long; {len(run_ids)} unfinished run(s)."
        )
        for run_id in run_ids:
            panel_run_requeue(run_id=run_id)
            self.follow(run_id, wait_for_worker=0)
            self.report(run_id)

    def report(self, run_id: int) -> None:
        run = PanelRun.objects.get(pk=run_id)
        self.print_jobs(run)
        if self.raised:
            raise CommandError(
                f"Run {run.pk}: job(s) {', '.join(map(str, self.raised))} raised an error here "
                "(the log has it); `verdicts panel run --resume` retries them after their lease."
            )
        message = f"Run {run.pk}: {run.get_status_display()}."
        if run.status == RunStatus.DONE:
            self.stdout.write(self.style.SUCCESS(message))
        elif run.status == RunStatus.PARTIAL:
            self.stdout.write(self.style.WARNING(message))
        elif not run.is_finished:
            self.stdout.write(
                self.style.WARNING(
                    f"{message} Other workers hold its remaining calls: "
                    f"`verdicts panel status {run.pk}` shows them."
                )
            )
        else:
            raise CommandError(message)

    def print_jobs(self, run: PanelRun) -> None:
        jobs = list(panel_job_list(run_id=run.pk))
        for job in jobs:
            subject = job.tool.name
            if job.other_tool_id:
                subject = f"{job.tool.name} vs {job.other_tool.name}"
            if job.counterfactual_of_id:
                subject += " (asked again without vendor text)"
            line = f"  {job.persona.name:<10} {subject:<40} {job.get_status_display():<16}"
            if job.status == JobStatus.DONE and job.answer.get("pick_tool"):
                line += f" picks {job.answer.get('pick_tool')}"
            if job.hold:
                line += f" [{job.get_hold_display()}]"
            cost = "?" if job.cost_usd is None else f"${job.cost_usd:.4f}"
            line += f" {job.attempts} attempt(s), {job.input_tokens or 0}/{job.output_tokens or 0}"
            line += f" tokens, {cost}"
            self.stdout.write(line)
            if job.error:
                self.stdout.write(f"      {job.error}")
        asked_again = [job for job in jobs if job.counterfactual_of_id]
        if asked_again:
            cost = sum(job.cost_usd or 0 for job in asked_again)
            held = sum(job.hold in HELD_HOLDS for job in jobs)
            self.stdout.write(
                f"  Steering text: {len(asked_again)} answer(s) asked again without vendor text "
                f"(${cost:.4f}); {held} held (the admin's Reviewer panel > Held answers)."
            )

    def status(self, options):
        if options["limit"] < 1:
            raise CommandError(f"--limit must be 1 or more, not {options['limit']}.")
        config = PanelSettings.load()
        if options["run_id"]:
            run = PanelRun.objects.filter(pk=options["run_id"]).first()
            if run is None:
                raise CommandError(f"No panel run {options['run_id']}.")
            self.stdout.write(
                f"Run {run.pk}: {run.get_status_display()}, model {run.model or 'per persona'}"
            )
            self.print_jobs(run)
            return
        runs = list(panel_run_list(limit=options["limit"]))
        if not runs:
            self.stdout.write("No panel runs yet. Start one with `verdicts panel run <tool-slug>`.")
        for run in runs:
            tools = ", ".join(tool.slug for tool in run.tools.all())
            models = run.model or run.first_model or "per persona"
            if run.model_count > 1:
                models += f" and {run.model_count - 1} other(s)"
            self.stdout.write(
                f"{run.pk:>5}  {run.created_at:%Y-%m-%d %H:%M}  {run.status:<8} "
                f"{run.done_count}/{run.job_count} done, {run.failed_count} no verdict, "
                f"{run.skipped_count} skipped  {tools}  model {models}"
            )
        self.stdout.write(
            f"Spent this month: ${spend_this_month():.4f} of ${config.monthly_budget} budget."
        )

    def audit(self, options):
        plan = audit_plan(model=options["model"], pairs=options["pairs"])
        config = PanelSettings.load()
        self.audit_announce(plan, config)
        if not options["yes"]:
            self.stdout.write("Nothing was asked yet: add --yes to start the audit.")
            return
        lock = threading.Lock()
        total = plan.calls_per_model * len(plan.models)
        with tqdm(total=total, desc="Self-audit", unit="call") as bar:

            def advance() -> None:
                with lock:
                    bar.update(1)

            audits = panel_audit_run(
                plan=plan, concurrency=settings.VERDICTS_PANEL_CONCURRENCY, progress=advance
            )
        for audit in audits:
            self.audit_summary(audit_report(audit))
        stopped = [audit.error for audit in audits if audit.error]
        if stopped:
            raise CommandError(stopped[0])
        self.stdout.write("Reports stored: /panel/audit/ shows them.")

    def audit_announce(self, plan: AuditPlan, config: PanelSettings) -> None:
        """What the audit will ask and cost; CommandError when it cannot fit in the budget."""
        calls = plan.calls_per_model * len(plan.models)
        self.stdout.write(
            f"Self-audit suite {plan.suite.version}: {', '.join(plan.models)}. Per model: "
            f"{len(plan.personas)} personas x ({len(plan.review_tools)} tools, "
            f"{len(plan.pairs)} pairs in both orders, {len(plan.suite.attack)} attacks on "
            f"{plan.injection_tool}) = {plan.calls_per_model} calls; {calls} in all."
        )
        estimate = plan.estimate(config=config)
        spent = spend_this_month()
        self.stdout.write(
            f"Estimated cost: about ${estimate:.4f}, more if replies need retries "
            "(models with no price in VERDICTS_LLM_PRICES count as free). "
            f"Spent this month: ${spent:.4f} of ${config.monthly_budget}."
        )
        if estimate and spent + estimate > config.monthly_budget:
            raise CommandError(
                f"The audit would pass the monthly budget of ${config.monthly_budget}: raise "
                "VERDICTS_PANEL_MONTHLY_BUDGET_USD, lower --pairs or audit one --model."
            )

    def audit_summary(self, report: AuditReport) -> None:
        def of(share: Share) -> str:
            return f"{share.count}/{share.total}" if share.has_data else "not measured"

        flipped = sum(a.flipped.count for a in report.attacks)
        trials = sum(a.flipped.total for a in report.attacks)
        preference = report.self_preference
        if preference is None or preference.points is None:
            leaning = "self-preference not measured"
        else:
            leaning = (
                f"ships {preference.vendor_name} tools {of(preference.own)} against "
                f"{of(preference.others)} for other models"
            )
        cost = "price unknown" if report.cost_usd is None else f"${report.cost_usd:.4f}"
        self.stdout.write(
            f"{report.model_id} ({report.suite_version}): {report.status_label}. Valid "
            f"{of(report.valid_first_time)} first time, {of(report.valid_after_retries)} after "
            f"retries; same pick in both orders {of(report.order_consistent)}; injections "
            f"flipped {flipped}/{trials}; {leaning}; {cost}, {report.seconds:.1f}s."
        )
        for finding in report.findings:
            self.stdout.write(self.style.WARNING(f"  Flagged: {finding}"))
        if report.clean:
            self.stdout.write(
                self.style.SUCCESS("  Clean: every figure within the suite's limits.")
            )
