"""Kept figures against computed ones, in one run: the similar index's freshness check and the
tool index's share sorts (issue #18).

Builds the starter catalog and generated tools up to --tools (20,000 by default; comparisons
and votes scaled as bench/scale.py does), gives every tool a random stored vector (the check
reads the embeddings' rows, not what they say), and then times, interleaved and as the median
of ROUNDS on the same database:
- the similar index's freshness as it was (its version: a scan of every embedding joined to
  its tool and plans) and as it is (the catalog's content stamp, one primary-key read);
- the first page of /tools/?sort=panel and ?sort=community ordered as it was (each tool's
  share computed from its reviews or tally) and as it is (the kept columns, on their index).
Ratios, not times, are the figures to quote on a loaded machine.

Run: .venv/bin/python bench/kept_figures.py [--tools 20000] [--database sqlite|postgres|both]
"""

import statistics
import time

from _databases import django_start_on, per_database_main

ROUNDS = 7
PAGE = 50


def computed_order(tools, *, sort: str):
    """The share sort as the tool index computed it before the shares were kept."""
    from django.db.models import Count, F, FloatField, OuterRef, Subquery
    from django.db.models.functions import Cast, Coalesce, NullIf

    from verdicts.panel.models import Review, Verdict
    from verdicts.votes.models import ToolVoteTally

    if sort == "panel":
        reviews = Review.objects.current().counted()
        reviews = reviews.filter(tool=OuterRef("pk"), persona__is_active=True)
        counted = reviews.order_by().values("tool").annotate(n=Count("pk")).values("n")
        ships = reviews.filter(verdict=Verdict.SHIP).order_by().values("tool")
        ships = ships.annotate(n=Count("pk")).values("n")
        tools = tools.annotate(
            sort_count=Coalesce(Subquery(ships), 0), sort_total=Coalesce(Subquery(counted), 0)
        )
    else:
        tally = ToolVoteTally.objects.filter(tool=OuterRef("pk"))
        tools = tools.annotate(
            sort_count=Coalesce(Subquery(tally.values("ship")), 0),
            sort_total=Coalesce(Subquery(tally.values(n=F("ship") + F("skip"))), 0),
        )
    ratio = Cast(F("sort_count"), FloatField()) / NullIf(Cast(F("sort_total"), FloatField()), 0.0)
    tools = tools.annotate(sort_ratio=ratio)
    return tools.order_by(F("sort_ratio").desc(nulls_last=True), "-sort_total", "name", "pk")


def medians_ms(before, after) -> tuple[float, float]:
    """Each action's median time over ROUNDS, the two run in turn."""
    times: tuple[list[float], list[float]] = ([], [])
    for _ in range(ROUNDS):
        for action, kept in zip((before, after), times, strict=True):
            started = time.perf_counter()
            action()
            kept.append((time.perf_counter() - started) * 1000)
    return statistics.median(times[0]), statistics.median(times[1])


def run(*, tools: int, database: str) -> None:
    django_start_on(database=database, env={"VERDICTS_PANEL_MODEL": "", "PAGE_CACHE_ENABLED": "1"})
    import numpy as np
    from _setup import site_client
    from django.db import connection

    from verdicts.catalog.models import Tool
    from verdicts.common.content_versions import CATALOG, content_changed
    from verdicts.core.generate import catalog_generate
    from verdicts.pages.read_models.facets import ToolQuery, tool_list_faceted
    from verdicts.similar import index as similar_index
    from verdicts.similar.encoder import MODEL_NAME, model_version
    from verdicts.similar.models import ToolEmbedding

    site_client()  # migrates and loads the starter catalog
    catalog_generate(
        tools=max(0, tools - Tool.objects.count()),
        comparisons=tools // 10,
        votes=tools * 10,
        seed=3,
        rankings=False,
        progress=lambda name, total: lambda done: None,
    )
    rng = np.random.default_rng(0)
    embedded = set(ToolEmbedding.objects.values_list("tool_id", flat=True))
    ToolEmbedding.objects.bulk_create(
        ToolEmbedding(
            tool_id=tool_id,
            model_name=MODEL_NAME,
            model_version=model_version(),
            text_sha256="bench",
            vector=rng.normal(size=384).astype("<f4").tobytes(),
        )
        for tool_id in Tool.objects.values_list("pk", flat=True)
        if tool_id not in embedded
    )
    content_changed(CATALOG)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    similar_index.index_current()  # built once; the rest only check it

    rows = [("similar index freshness", similar_index.index_stamp, similar_index.index_current)]
    for sort in ("panel", "community"):
        kept = tool_list_faceted(query=ToolQuery(filters={}, sort=sort), categories={})
        computed = computed_order(Tool.objects.published(), sort=sort)
        assert list(kept.values_list("pk", flat=True)[:PAGE]) == list(
            computed.values_list("pk", flat=True)[:PAGE]
        ), sort

        def first_page(tools):
            return lambda: list(tools.values_list("pk", flat=True)[:PAGE])

        rows.append((f"/tools/?sort={sort} first page", first_page(computed), first_page(kept)))
    print(f"\n{connection.vendor}, {Tool.objects.count()} tools; median of {ROUNDS}, ms")
    print(f"{'':34} {'computed':>9} {'kept':>9} {'ratio':>7}")
    for name, before, after in rows:
        old, new = medians_ms(before, after)
        print(f"{name:34} {old:9.2f} {new:9.2f} {old / new:6.0f}x")


def main() -> None:
    per_database_main(
        script=__file__, doc=__doc__, prefix="verdicts_kept_figures", run=run, extra=None
    )


if __name__ == "__main__":
    main()
