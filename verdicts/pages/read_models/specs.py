"""The specifications grid of tools side by side, with each cell's source."""

from collections.abc import Sequence

from verdicts.catalog.models import Tool
from verdicts.catalog.specs import SpecRow, spec_rows, tool_specs
from verdicts.ingest.models import ToolFactSource
from verdicts.ingest.selectors import FactSource


def specs_for_tools(*, tools: Sequence[Tool]) -> list[SpecRow]:
    """The grid of these tools, in their order, in one query for their facts' sources."""
    sources: dict[int, list[FactSource]] = {tool.pk: [] for tool in tools}
    for row in ToolFactSource.objects.filter(tool__in=[tool.pk for tool in tools]):
        sources[row.tool_id].append(FactSource.of(row))
    return spec_rows(tools=[tool_specs(tool=tool, sources=sources[tool.pk]) for tool in tools])
