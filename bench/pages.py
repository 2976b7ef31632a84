"""Page cost: bytes, queries and time per page, on the starter catalog and on one 20x larger.

Prints, for each page, its size, its query count and its mean render time through Django's full
request stack, then the ratio of the large catalog's figures to the starter's: queries must stay
1.00x (a fixed number whatever the catalog size) and time should stay near 1x.

Run: .venv/bin/python bench/pages.py
"""

from _setup import django_start, page_figures, site_client

django_start()

from django.db import transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from verdicts.catalog.models import (  # noqa: E402
    Category,
    Comparison,
    PlanKind,
    PricingPlan,
    Tool,
    Vendor,
)
from verdicts.panel.models import Persona, Review  # noqa: E402

PAGES = [
    "/",
    "/compare/claude-4-sonnet-vs-smolvlm-3b/",
    "/tools/claude-4-sonnet/",
    "/categories/developer-tools/",
    "/search?q=vision",
    "/panel/",
    "/panel/operator/",
    "/api/comparisons/claude-4-sonnet-vs-smolvlm-3b",
]
ROUNDS = 30


@transaction.atomic
def grow_catalog(tools: int) -> None:
    """Add published tools in the reference category, each with plans and a full panel."""
    category = Category.objects.get(slug="developer-tools")
    vendor = Vendor.objects.create(slug="bench-vendor", name="Bench Vendor")
    personas = list(Persona.objects.all())
    created = Tool.objects.bulk_create(
        Tool(
            slug=f"bench-tool-{n}",
            name=f"Bench Tool {n}",
            category=category,
            vendor=vendor,
            tagline="A vision tool made for the benchmark",
            description="Exists to make the catalog large.",
            status=Tool.Status.PUBLISHED,
        )
        for n in range(tools)
    )
    PricingPlan.objects.bulk_create(
        PricingPlan(tool=tool, name="Free", kind=PlanKind.FREE) for tool in created
    )
    Review.objects.bulk_create(
        Review(tool=tool, persona=persona, verdict="ship", body="Bench review.")
        for tool in created
        for persona in personas
    )
    Comparison.objects.bulk_create(
        Comparison(
            tool_a=a,
            tool_b=b,
            slug=f"{a.slug}-vs-{b.slug}",
            title=f"{a.name} vs {b.name}",
            published_at=timezone.now() - timezone.timedelta(days=30),
        )
        for a, b in zip(created[::2], created[1::2], strict=True)
    )


def main() -> None:
    client = site_client()
    starter_tools = Tool.objects.count()
    small = page_figures(client=client, pages=PAGES, rounds=ROUNDS)
    grow_catalog(20 * starter_tools)
    large = page_figures(client=client, pages=PAGES, rounds=ROUNDS)
    print(f"catalog: {starter_tools} tools, then {Tool.objects.count()} tools; {ROUNDS} rounds")
    print(f"{'page':48} {'KB':>6} {'queries':>8} {'ms':>7} {'ratio q':>8} {'ratio ms':>9}")
    for url in PAGES:
        size, queries, ms = small[url]
        _, big_queries, big_ms = large[url]
        print(
            f"{url:48} {size / 1024:6.1f} {queries:8d} {ms:7.2f} "
            f"{big_queries / queries:7.2f}x {big_ms / ms:8.2f}x"
        )


if __name__ == "__main__":
    main()
