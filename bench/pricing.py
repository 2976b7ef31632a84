"""Cost panel and pricing API: queries and time as plans and price history grow.

Measures the reference comparison (default and custom scenario), the tool page with its price
history and the cost endpoint on the starter catalog, then again after giving both reference
tools 30 more plans with 10 price-history entries each. Queries must stay 1.00x; time grows
with the plans shown, not with the catalog. Also prints the pure calculation's cost per plan.

Run: .venv/bin/python bench/pricing.py
"""

import time
from decimal import Decimal

from _setup import django_start, page_figures, site_client

django_start()

from django.db import transaction  # noqa: E402

from verdicts.catalog.models import PlanKind, PlanPrice, PricingPlan, Tool  # noqa: E402
from verdicts.catalog.pricing import PRESETS, tool_cost  # noqa: E402

REFERENCE = "/compare/claude-4-sonnet-vs-smolvlm-3b/"
PAGES = [
    REFERENCE,
    REFERENCE + "?seats=3&requests=20000&input_tokens=4000&output_tokens=800&cached_percent=40",
    "/tools/claude-4-sonnet/",
    "/api/pricing/cost?tool=claude-4-sonnet&tool=smolvlm-3b&preset=ci-long-context",
]
ROUNDS = 20
EXTRA_PLANS = 30
HISTORY_PER_PLAN = 10


@transaction.atomic
def grow_plans() -> None:
    """More plans on both reference tools, each with a long price history."""
    for tool in Tool.objects.filter(slug__in=["claude-4-sonnet", "smolvlm-3b"]):
        plans = PricingPlan.objects.bulk_create(
            PricingPlan(
                tool=tool,
                name=f"Bench plan {n}",
                kind=PlanKind.USAGE,
                input_per_mtok=Decimal(n + 1),
                output_per_mtok=Decimal(5 * (n + 1)),
                position=100 + n,
            )
            for n in range(EXTRA_PLANS)
        )
        PlanPrice.objects.bulk_create(
            PlanPrice(
                plan=plan,
                recorded_on=f"2026-{month:02d}-01",
                kind=plan.kind,
                currency=plan.currency,
                input_per_mtok=Decimal(month),
                output_per_mtok=plan.output_per_mtok,
            )
            for plan in plans
            for month in range(1, HISTORY_PER_PLAN + 1)
        )


def calculation_us_per_plan() -> float:
    plans = list(PricingPlan.objects.filter(kind=PlanKind.USAGE))
    scenario = PRESETS["support-bot"].scenario
    started = time.perf_counter()
    for _ in range(ROUNDS):
        tool_cost("bench", plans, scenario)
    return (time.perf_counter() - started) * 1e6 / (ROUNDS * len(plans))


def main() -> None:
    client = site_client()
    small = page_figures(client=client, pages=PAGES, rounds=ROUNDS)
    before = PricingPlan.objects.filter(tool__slug="claude-4-sonnet").count()
    grow_plans()
    large = page_figures(client=client, pages=PAGES, rounds=ROUNDS)
    after = PricingPlan.objects.filter(tool__slug="claude-4-sonnet").count()
    print(
        f"claude-4-sonnet: {before} plan(s), then {after}, {HISTORY_PER_PLAN} history entries "
        f"each; {ROUNDS} rounds"
    )
    print(f"{'page':100} {'queries':>7} {'ms':>7} {'ratio q':>8} {'ratio ms':>9}")
    for url in PAGES:
        _, queries, ms = small[url]
        _, big_queries, big_ms = large[url]
        print(f"{url:100} {queries:7d} {ms:7.2f} {big_queries / queries:7.2f}x {big_ms / ms:8.2f}x")
    print(f"calculation: {calculation_us_per_plan():.1f} µs a plan (exact Decimal)")


if __name__ == "__main__":
    main()
