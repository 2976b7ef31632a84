"""Generated catalogs for scale tests: realistic published tools, comparisons, reviews and votes.

Rows go in with bulk_create in batches, and votes as INSERT ... SELECT statements with their
tallies counted once after (generate_votes.py), so 100,000 tools and ten million votes take
minutes, not hours. What the services would derive is derived here too: the stored rankings
are refitted from the new votes (the category counts are kept by the database's own
triggers). Embeddings for alternatives are not computed (`verdicts similar embed` does that,
and is slow at this size): generated tools show no alternatives until then.
"""

import random
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from itertools import islice

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from verdicts.catalog.models import Category, Comparison, PricingPlan, Tool, Vendor
from verdicts.catalog.services import tool_facets_fill
from verdicts.common.content_versions import CATALOG, VOTES, content_changed
from verdicts.core.generate_rows import (
    AUDIENCES,
    CATEGORIES,
    LICENCES,
    PREFIXES,
    TASKS,
    plans_for,
    tool_names,
)
from verdicts.core.generate_votes import votes_bulk_insert, votes_spread
from verdicts.panel.models import Persona, Review, Verdict
from verdicts.votes.services.rankings import rankings_recompute

BATCH = 5_000
REVIEWED_SHARE = 0.2


@dataclass(frozen=True)
class GenerateReport:
    tools: int
    plans: int
    comparisons: int
    reviews: int
    votes: int
    rankings: int

    def __str__(self) -> str:
        return (
            f"Generated {self.tools} tools, {self.plans} plans, {self.comparisons} comparisons,"
            f" {self.reviews} reviews and {self.votes} votes; stored {self.rankings}"
            " ranking entries."
        )


# A step's name and size; it returns the callable to report each finished batch with.
Progress = Callable[[str, int], Callable[[int], object]]


def _quiet(name: str, total: int) -> Callable[[int], object]:
    return lambda done: None


def _batched[T](rows: Iterable[T], size: int = BATCH) -> Iterator[list[T]]:
    iterator = iter(rows)
    while batch := list(islice(iterator, size)):
        yield batch


def _insert(model, rows: Iterable, *, total: int, name: str, progress: Progress) -> list:
    """bulk_create in batches, reporting each; returns the rows with their keys."""
    step = progress(name, total)
    created = []
    for batch in _batched(rows):
        created += model.objects.bulk_create(batch)
        step(len(batch))
    return created


def _categories(rng: random.Random) -> list[Category]:
    existing = {category.slug: category for category in Category.objects.all()}
    new = [
        Category(slug=slugify(name), name=name, description=f"Tools for {name.lower()}.")
        for name in CATEGORIES
        if slugify(name) not in existing
    ]
    Category.objects.bulk_create(new)
    return list(Category.objects.all())


def _tools(
    rng: random.Random, *, count: int, categories: list[Category], progress: Progress
) -> list[Tool]:
    start = Tool.objects.count()
    vendors = _insert(
        Vendor,
        (
            Vendor(slug=f"gen-vendor-{start}-{n}", name=f"{rng.choice(PREFIXES)} Labs {n}")
            for n in range(max(1, count // 20))
        ),
        total=max(1, count // 20),
        name="vendors",
        progress=progress,
    )
    today = timezone.localdate()

    def rows() -> Iterator[Tool]:
        for name, slug in tool_names(rng, count, start):
            task, audience = rng.choice(TASKS), rng.choice(AUDIENCES)
            open_weights = rng.random() < 0.25
            tool = Tool(
                slug=slug,
                name=name,
                category=rng.choice(categories),
                vendor=rng.choice(vendors),
                tagline=f"{task.capitalize()} for {audience}"[:140],
                description=(
                    f"{name} helps {audience} with {task}. It runs "
                    f"{'on your own hardware' if open_weights else 'as a hosted service'}"
                    f" and connects to {rng.choice(('Slack', 'GitHub', 'Notion', 'Jira'))}."
                ),
                homepage=f"https://{slug}.example.com/",
                licence=rng.choice(LICENCES),
                open_weights=open_weights,
                launch_date=today - timedelta(days=rng.randint(0, 1500)),
                facts={"context window": f"{rng.choice((8, 32, 128, 200))}k tokens"},
                status=Tool.Status.PUBLISHED,
            )
            tool.url_keys_fill()  # bulk_create skips save(), which sets them
            yield tool

    return _insert(Tool, rows(), total=count, name="tools", progress=progress)


def _comparisons(
    rng: random.Random, *, tools: list[Tool], count: int, progress: Progress
) -> list[Comparison]:
    """Pairs within a category where possible, never the same pair twice."""
    by_category: dict[int, list[Tool]] = {}
    for tool in tools:
        by_category.setdefault(tool.category_id, []).append(tool)
    groups = [group for group in by_category.values() if len(group) > 1]
    taken = set(Comparison.objects.values_list("tool_a_id", "tool_b_id").iterator(chunk_size=BATCH))
    taken |= {(b, a) for a, b in taken}
    pairs: list[tuple[Tool, Tool]] = []
    attempts = 0
    while groups and len(pairs) < count and attempts < count * 20:
        attempts += 1
        a, b = rng.sample(rng.choice(groups), 2)
        if (a.pk, b.pk) not in taken:
            taken |= {(a.pk, b.pk), (b.pk, a.pk)}
            pairs.append((a, b))
    now = timezone.now()
    return _insert(
        Comparison,
        (
            Comparison(
                tool_a=a,
                tool_b=b,
                slug=f"{a.slug}-vs-{b.slug}",
                title=f"{a.name} vs {b.name}",
                published_at=now - timedelta(minutes=rng.randint(1, 60 * 24 * 365)),
            )
            for a, b in pairs
        ),
        total=len(pairs),
        name="comparisons",
        progress=progress,
    )


def _reviews(
    rng: random.Random, *, tools: list[Tool], comparisons: list[Comparison], progress: Progress
) -> int:
    """A current review from every active persona of each compared tool and of a share of
    the others, as a finished panel run leaves them."""
    personas = list(Persona.objects.active())
    reviewed = {tool.pk: tool for c in comparisons for tool in c.tools}
    for tool in tools:
        if rng.random() < REVIEWED_SHARE:
            reviewed.setdefault(tool.pk, tool)
    rows = (
        Review(
            tool=tool,
            persona=persona,
            verdict=rng.choice((Verdict.SHIP, Verdict.SHIP, Verdict.SKIP)),
            confidence=round(rng.uniform(0.4, 0.95), 2),
            body=f"{persona.name} on {tool.name}: {tool.tagline.lower()}, judged on its record.",
        )
        for tool in reviewed.values()
        for persona in personas
    )
    total = len(reviewed) * len(personas)
    return len(_insert(Review, rows, total=total, name="reviews", progress=progress))


def _votes(
    rng: random.Random,
    *,
    tools: list[Tool],
    comparisons: list[Comparison],
    count: int,
    seed: int,
    progress: Progress,
) -> int:
    """Half ship/skip votes on tools, half picks on comparisons (all of them if there are no
    comparisons), spread unevenly, inserted in bulk (verdicts/core/generate_votes.py)."""
    pair_share = count // 2 if comparisons else 0
    return votes_bulk_insert(
        rng,
        tools=votes_spread(rng, ids=[tool.pk for tool in tools], total=count - pair_share),
        pairs=votes_spread(rng, ids=[c.pk for c in comparisons], total=pair_share),
        seed=seed,
        step=progress("votes", count),
    )


def catalog_generate(
    *,
    tools: int,
    comparisons: int = 0,
    votes: int = 0,
    seed: int = 0,
    samples: int | None = None,
    rankings: bool = True,
    progress: Progress = _quiet,
) -> GenerateReport:
    """Add generated published tools (with plans), comparisons, reviews and votes, then refit
    the stored rankings as the periodic job would (unless `rankings` is False: the job's next
    run does it)."""
    rng = random.Random(seed)
    with transaction.atomic():
        categories = _categories(rng)
        new_tools = _tools(rng, count=tools, categories=categories, progress=progress)
        tool_facets_fill(tools=new_tools)
        plans = _insert(
            PricingPlan,
            (plan for tool in new_tools for plan in plans_for(rng, tool)),
            total=tools * 2,
            name="plans",
            progress=progress,
        )
        new_comparisons = _comparisons(rng, tools=new_tools, count=comparisons, progress=progress)
        reviews = _reviews(rng, tools=new_tools, comparisons=new_comparisons, progress=progress)
        cast = _votes(
            rng,
            tools=new_tools,
            comparisons=new_comparisons,
            count=votes,
            seed=seed,
            progress=progress,
        )
        # Bulk inserts send no save signals: stamp what they changed, so stored pages and kept
        # figures are rendered afresh after the commit.
        content_changed(CATALOG, VOTES)
    stored = rankings_recompute(samples=samples) if cast and rankings else 0
    return GenerateReport(
        tools=len(new_tools),
        plans=len(plans),
        comparisons=len(new_comparisons),
        reviews=reviews,
        votes=cast,
        rankings=stored,
    )
