"""`verdicts pricing stale` lists prices due a check; `verdicts pricing check` records one."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from verdicts.catalog.models import PRICE_FIELDS
from verdicts.catalog.plan_text import price_summary
from verdicts.catalog.selectors import plan_get, plan_list_stale
from verdicts.catalog.services import pricing_plan_update


class Command(BaseCommand):
    help = "List stale prices (`pricing stale`) and record a price check (`pricing check`)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        stale = sub.add_parser("stale", help="List plans whose price is due a check.")
        stale.add_argument(
            "--days",
            type=int,
            default=settings.VERDICTS_PRICE_STALE_DAYS,
            help="Stale after this many days (VERDICTS_PRICE_STALE_DAYS, default 90).",
        )
        check = sub.add_parser(
            "check",
            help="Record that a plan's price was checked, with any prices that changed.",
        )
        check.add_argument("tool", metavar="tool-slug")
        check.add_argument("plan", metavar="plan-name")
        check.add_argument(
            "--on",
            type=datetime.date.fromisoformat,
            default=None,
            metavar="YYYY-MM-DD",
            help="The day it was checked (today).",
        )
        check.add_argument(
            "--set",
            action="append",
            default=[],
            metavar="FIELD=VALUE",
            help=f"A changed price (repeatable); fields: {', '.join(PRICE_FIELDS)}. "
            "An empty value clears it.",
        )
        check.add_argument("--source", default=None, help="A new source URL.")

    def handle(self, *args, **options):
        # Not `check`: that name is Django's system-check hook, which every command start calls.
        if options["subcommand"] == "stale":
            self.stale(options)
        else:
            self.record_check(options)

    def stale(self, options):
        plans = list(plan_list_stale(today=timezone.localdate(), days=options["days"]))
        for plan in plans:
            checked = plan.checked_on.isoformat() if plan.checked_on else "never"
            self.stdout.write(f"{checked:10}  {plan.tool.slug}  {plan.name}")
        self.stdout.write(f"{len(plans)} plan(s) not checked in {options['days']} days.")

    def record_check(self, options):
        plan = plan_get(tool_slug=options["tool"], name=options["plan"])
        if plan is None:
            raise CommandError(f"No plan {options['plan']!r} on tool {options['tool']!r}.")
        prices = {}
        for item in options["set"]:
            field, sep, value = item.partition("=")
            if not sep or field not in PRICE_FIELDS:
                raise CommandError(f"--set wants FIELD=VALUE with FIELD one of {PRICE_FIELDS}")
            prices[field] = value.strip() or None
        before = price_summary(plan)
        try:
            plan = pricing_plan_update(
                plan=plan,
                checked_on=options["on"] or timezone.localdate(),
                prices=prices,
                source_url=options["source"],
            )
        except ValidationError as error:
            raise CommandError(f"Nothing changed: {'; '.join(error.messages)}") from error
        after = price_summary(plan)
        change = f"{before} -> {after}" if after != before else f"unchanged: {after}"
        self.stdout.write(f"{plan.tool.slug} / {plan.name}: checked {plan.checked_on}; {change}")
