"""Reading rendered pages in tests, and growing the catalog to prove a page's query count."""

import re

from verdicts.catalog.tests.factories import ComparisonFactory, PricingPlanFactory, ToolFactory
from verdicts.panel.models import Persona
from verdicts.panel.tests.factories import ReviewFactory

# The starter catalog's reference pair, the page most tests and benchmarks read.
REFERENCE = "/compare/claude-4-sonnet-vs-smolvlm-3b/"


def text_of(response) -> str:
    """The page's visible text with tags stripped and white space folded."""
    html = response.content.decode()
    html = re.sub(r"<(script|style|title|desc)[^>]*>.*?</\1>", " ", html, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def grow_catalog(extra: int) -> None:
    """More tools, plans, reviews and comparisons: none may change a page's query count."""
    personas = list(Persona.objects.all())
    for _ in range(extra):
        tool_a, tool_b = ToolFactory(), ToolFactory()
        for tool in (tool_a, tool_b):
            PricingPlanFactory(tool=tool)
            for persona in personas:
                ReviewFactory(tool=tool, persona=persona)
        ComparisonFactory(tool_a=tool_a, tool_b=tool_b)
