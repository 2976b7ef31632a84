"""Which catalog tool an import is about: the same tool is never created twice.

A tool matches, in this order, on its package name (as an import recorded it, compared the
package index's way: case, `.`, `_` and `-` ignored), its Hub id, its repository URL, its
homepage (both compared without scheme, `www.`, trailing slash, query or fragment,
case-insensitively; first as imports recorded them, then as the tool's own fields), the
slug the entry gives (a starter entry's), and its normalised name (the name as a slug, against
the tool's slug, or the name itself in any case).
"""

import re

from django.db.models import Q
from django.utils.text import slugify

from verdicts.catalog.models import Tool
from verdicts.catalog.url_keys import url_key
from verdicts.ingest.importers import ToolFacts
from verdicts.ingest.models import ToolFactSource


def package_key(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name.strip()).lower()


def name_key(name: str) -> str:
    return slugify(name)


# How each identifying fact is compared; its key is stored (indexed) with the fact's source.
MATCH_KEYS = {
    "package_name": package_key,
    "hub_id": str.lower,
    "repository_url": url_key,
    "homepage": url_key,
}


def fact_match_key(fact: str, value: str) -> str:
    """The stored key an identifying fact is matched on ("" for the other facts)."""
    key_of = MATCH_KEYS.get(fact)
    return key_of(value.strip())[:300] if key_of else ""


def tool_match(facts: ToolFacts) -> Tool | None:
    """The existing tool these facts are about, or None."""
    for fact in ("package_name", "hub_id", "repository_url", "homepage"):
        given = getattr(facts, fact)
        key = fact_match_key(fact, given.value) if given else ""
        if not key:
            continue
        source = (
            ToolFactSource.objects.filter(fact=fact, match_key=key)
            .select_related("tool")
            .order_by("pk")
            .first()
        )
        if source is not None:
            return source.tool
        if fact not in {"repository_url", "homepage"}:
            continue
        # An editor's tool has no import sources yet: its own field's key, kept on its row.
        tool = Tool.objects.filter(**{f"{fact}_key": key}).order_by("pk").first()
        if tool is not None:
            return tool
    if facts.slug_hint:
        tool = Tool.objects.filter(slug=facts.slug_hint).first()
        if tool is not None:
            return tool
    key = name_key(facts.name.value)
    if key:
        same_name = Q(slug=key) | Q(name__iexact=facts.name.value.strip())
        return Tool.objects.filter(same_name).order_by("pk").first()
    return None
