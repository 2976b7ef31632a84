"""Fetching a tool's logo once from the logo URL the intake read (#15), through the safe
fetcher; the catalog checks and stores it. A failure is recorded on the tool, never raised."""

import datetime

from django.conf import settings
from django.utils import timezone

from verdicts.catalog.logos import (
    LOGO_CONTENT_TYPES,
    LOGO_MAX_BYTES,
    LogoRejected,
    tool_logo_failure_record,
    tool_logo_store,
)
from verdicts.catalog.models import Tool
from verdicts.common.fetch import FetchError, fetch
from verdicts.ingest.models import ToolFactSource

LOGO_FACT = "logo_url"
# A URL that gave no logo is asked again only this much later (a vendor may fix its page).
RETRY_AFTER = datetime.timedelta(days=7)


def tool_logo_fetch(*, tool: Tool, now: datetime.datetime | None = None) -> str:
    """Fetch and store the logo the intake found for `tool`, once per URL; what happened in
    words, or "" when there was nothing to do (no logo URL, or this one already asked)."""
    now = now or timezone.now()
    source = (
        ToolFactSource.objects.filter(tool=tool, fact=LOGO_FACT)
        .values_list("value", flat=True)
        .first()
    )
    if not source or len(source) > Tool._meta.get_field("logo_source").max_length:
        return ""
    asked = tool.logo_source == source and tool.logo_fetched_at is not None
    if asked and (tool.logo or now - tool.logo_fetched_at < RETRY_AFTER):
        return ""
    try:
        result = fetch(
            source,
            accept=list(LOGO_CONTENT_TYPES.values()),
            max_bytes=LOGO_MAX_BYTES,
            timeout=float(settings.VERDICTS_DOCUMENT_FETCH_TIMEOUT),
        )
        tool_logo_store(tool=tool, content=result.body, source_url=source)
    except (FetchError, LogoRejected, OSError) as error:
        # The fetcher's messages name the URL already; the image check's and the disk's do not.
        reason = str(error) if isinstance(error, FetchError) else f"{source} {error}"
        tool_logo_failure_record(tool=tool, source_url=source, error=reason)
        return f"logo not kept: {reason}"
    return f"logo stored from {source}"
