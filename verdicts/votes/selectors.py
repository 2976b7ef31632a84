"""Reads of community votes."""

from collections.abc import Iterable

from verdicts.core.stats import Share


def community_shares(*, tool_ids: Iterable[int]) -> dict[int, Share]:
    """Each tool's community ship share. Voting is not open yet, so every tool has no votes."""
    return {tool_id: Share(0, 0) for tool_id in tool_ids}
