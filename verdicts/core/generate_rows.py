"""What generated rows say: names, taglines, descriptions, categories and plans that read like
a real catalog's (verdicts/core/generate.py puts them in)."""

import random
from collections.abc import Iterator
from decimal import Decimal

from django.utils.text import slugify

from verdicts.catalog.models import PlanKind, PricingPlan, Tool

PREFIXES = [
    "Nova",
    "Astra",
    "Lumen",
    "Vector",
    "Quill",
    "Cobalt",
    "Ember",
    "Orbit",
    "Pixel",
    "Sable",
    "Tidal",
    "Vertex",
    "Helix",
    "Nimbus",
    "Aria",
    "Flux",
    "Kestrel",
    "Onyx",
    "Prism",
    "Quasar",
    "Rune",
    "Solace",
    "Tango",
    "Umber",
    "Willow",
    "Zephyr",
    "Beacon",
    "Cinder",
    "Delta",
    "Echo",
    "Falcon",
    "Garnet",
    "Harbor",
    "Indigo",
    "Juniper",
    "Karma",
    "Lyric",
    "Mosaic",
    "Nectar",
    "Opal",
    "Pilot",
]
STEMS = [
    "Mind",
    "Scribe",
    "Lens",
    "Forge",
    "Pilot",
    "Mate",
    "Flow",
    "Sense",
    "Vision",
    "Voice",
    "Code",
    "Draft",
    "Chart",
    "Search",
    "Sketch",
    "Tutor",
    "Agent",
    "Studio",
    "Lab",
    "Desk",
    "Stack",
    "Works",
    "Cast",
    "Loop",
    "Bench",
    "Grid",
    "Spark",
    "Wave",
    "Bridge",
    "Frame",
]
EDITIONS = ("", "", "", " Pro", " Lite", " Studio", " Cloud", " Edge", " Mini", " Max", " XL")
TASKS = (
    "writing",
    "code review",
    "image generation",
    "speech transcription",
    "data analysis",
    "customer support",
    "document search",
    "translation",
    "video editing",
    "meeting notes",
    "research",
    "vision",
    "spreadsheet formulas",
    "SQL queries",
    "slide decks",
    "test generation",
)
AUDIENCES = (
    "small teams",
    "developers",
    "analysts",
    "marketers",
    "students",
    "support desks",
    "researchers",
    "designers",
    "startups",
    "enterprises",
)
CATEGORIES = (
    "Writing assistants",
    "Coding agents",
    "Image models",
    "Speech and audio",
    "Data and analytics",
    "Customer support",
    "Search and retrieval",
    "Translation",
    "Video",
    "Productivity",
    "Research assistants",
    "Design",
)
LICENCES = ("", "", "Apache-2.0", "MIT", "Proprietary", "Llama Community", "CC-BY-4.0")


def tool_names(rng: random.Random, count: int, start: int) -> Iterator[tuple[str, str]]:
    """Distinct (name, slug) pairs: a word pair, an edition, and a version once pairs repeat."""
    seen: set[str] = set()
    for n in range(count):
        name = f"{rng.choice(PREFIXES)}{rng.choice(STEMS).lower()}{rng.choice(EDITIONS)}"
        version = 1
        base = name
        while name in seen:
            version += 1
            name = f"{base} {version}"
        seen.add(name)
        yield name, f"{slugify(name)}-g{start + n}"


def plans_for(rng: random.Random, tool: Tool) -> list[PricingPlan]:
    """One to three plans: a free tier, a seat or usage plan, sometimes an enterprise one."""
    plans = []
    if rng.random() < 0.6:
        plans.append(PricingPlan(tool=tool, name="Free", kind=PlanKind.FREE, position=0))
    if rng.random() < 0.5:
        seat = Decimal(rng.choice((8, 10, 12, 15, 19, 20, 25, 30, 39, 49)))
        plans.append(
            PricingPlan(
                tool=tool, name="Team", kind=PlanKind.PER_SEAT, price=seat, unit="seat/month"
            )
        )
    else:
        rate = Decimal(rng.randint(5, 300)) / 100
        plans.append(
            PricingPlan(
                tool=tool,
                name="API",
                kind=PlanKind.USAGE,
                input_per_mtok=rate,
                output_per_mtok=rate * 4,
            )
        )
    if rng.random() < 0.2:
        plans.append(PricingPlan(tool=tool, name="Enterprise", kind=PlanKind.CONTACT))
    for position, plan in enumerate(plans):
        plan.position = position
    return plans
