"""Page cost: bytes, queries and time per page, on the starter catalog and on one 20x larger.

Prints, for each page, its size, its query count and its mean render time through Django's full
request stack, then the ratio of the large catalog's figures to the starter's: queries must stay
1.00x (a fixed number whatever the catalog size) and time should stay near 1x.

Run: .venv/bin/python bench/pages.py
"""

import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ["VERDICTS_VAR_DIR"] = tempfile.mkdtemp(prefix="verdicts-bench-")
os.environ.pop("DATABASE_URL", None)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "verdicts.settings")
os.environ["LOG_LEVEL"] = "ERROR"

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.core.signals import request_finished, request_started  # noqa: E402
from django.db import close_old_connections, connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from verdicts.catalog.models import Category, PlanKind, PricingPlan, Tool, Vendor  # noqa: E402
from verdicts.compare.models import Comparison  # noqa: E402
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


def measure(client: Client) -> dict[str, tuple[int, int, float]]:
    figures = {}
    for url in PAGES:
        client.get(url)  # warm caches and template loading
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        queries = len(captured)
        assert response.status_code == 200, (url, response.status_code)
        started = time.perf_counter()
        for _ in range(ROUNDS):
            client.get(url)
        elapsed_ms = (time.perf_counter() - started) * 1000 / ROUNDS
        figures[url] = (len(response.content), queries, elapsed_ms)
    return figures


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
    # One persistent connection, as with CONN_MAX_AGE: a reconnect per request would both
    # dominate the timings and reset the query log being counted.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    call_command("migrate", verbosity=0)
    call_command("init", verbosity=0)
    client = Client(HTTP_HOST="127.0.0.1")
    starter_tools = Tool.objects.count()
    small = measure(client)
    grow_catalog(20 * starter_tools)
    large = measure(client)
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
