"""A feed of tools (RSS, Atom or RDF): each entry's link is read by the importer for that link.

Used by the web importer for a fetched feed and by the file importer for a local one; the bytes
are already read, so feedparser never fetches or opens anything itself. A feed with errors
(feedparser's `bozo`) still has its entries read when it has some. Entries are followed one
level deep: a link that is itself a feed is refused, as are links that are not http(s), and a
repeated link is read once. An entry that cannot be read is a `Refusal`; the others go on.
"""

import io
import re
from contextvars import ContextVar
from urllib.parse import urldefrag, urljoin, urlsplit

import feedparser

from verdicts.ingest.importers.base import ImportRefused, Refusal, ToolFacts

FEED_MAX_ENTRIES = 2000
# A feed's root element, after any BOM, XML declaration, processing instructions, comments
# and doctype; a server that calls its feed text/html or application/xml is still understood.
FEED_START = re.compile(
    rb"(?:\s|<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^>]*>)*<(?:rss|feed|rdf)\b", re.IGNORECASE | re.DOTALL
)
FEED_SNIFF_BYTES = 4096
# Set while a feed's entries are read, so a feed reached from an entry is refused, not followed.
reading_entries: ContextVar[bool] = ContextVar("reading_feed_entries", default=False)


def looks_like_feed(body: bytes) -> bool:
    return bool(FEED_START.match(body[:FEED_SNIFF_BYTES].removeprefix(b"\xef\xbb\xbf")))


def entry_link(entry: dict, feed_url: str) -> str:
    """The entry's link, absolute (relative to the feed) and without a fragment."""
    link = str(entry.get("link") or "").strip()
    try:
        return urldefrag(urljoin(feed_url, link))[0] if link else ""
    except ValueError:  # "http://[oops/": kept as written, to be refused as no web link
        return link


def is_web_link(link: str) -> bool:
    try:
        parts = urlsplit(link)
    except ValueError:
        return False
    return parts.scheme.lower() in {"http", "https"} and bool(parts.hostname)


def feed_items(body: bytes, *, feed_url: str, content_type: str = "") -> list[ToolFacts | Refusal]:
    """One item or more per entry, read by the importer its link names (depth 1).

    `content_type` is the response's, with its charset, when it declared one; without it the
    feed's own XML declaration decides its encoding.
    """
    if reading_entries.get():
        raise ImportRefused(f"{feed_url} is a feed inside a feed; only one level is followed")
    headers = {}
    if urlsplit(feed_url).scheme in {"http", "https"}:  # feedparser mangles file: bases
        headers["content-location"] = feed_url
    if content_type:
        headers["content-type"] = content_type
    # A file-like object: given bytes, feedparser would first try them as a file name.
    parsed = feedparser.parse(io.BytesIO(body), response_headers=headers)
    entries = parsed.entries
    if parsed.bozo and not entries:
        reason = " ".join(str(parsed.get("bozo_exception") or "no entries").split())
        raise ImportRefused(f"{feed_url} is not a readable feed: {reason}")
    token = reading_entries.set(True)
    try:
        items = entries_read(entries[:FEED_MAX_ENTRIES], feed_url=feed_url)
    finally:
        reading_entries.reset(token)
    if len(entries) > FEED_MAX_ENTRIES:
        skipped = len(entries) - FEED_MAX_ENTRIES
        reason = f"has {len(entries)} entries: {skipped} skipped, over FEED_MAX_ENTRIES"
        items.append(Refusal(target=feed_url, reason=f"{reason} ({FEED_MAX_ENTRIES})"))
    return items


def entries_read(entries: list[dict], *, feed_url: str) -> list[ToolFacts | Refusal]:
    # Imported here: the importers' registry imports the importers that import this module.
    from verdicts.ingest.importers import importer_for

    items: list[ToolFacts | Refusal] = []
    seen: set[str] = set()
    for number, entry in enumerate(entries, start=1):
        link = entry_link(entry, feed_url)
        if not link:
            title = " ".join(str(entry.get("title") or "untitled").split())
            items.append(Refusal(target=f"entry {number} ({title})", reason="has no link"))
            continue
        if link in seen:
            continue
        seen.add(link)
        if not is_web_link(link):
            items.append(Refusal(target=link, reason="is not an http(s) link"))
            continue
        try:
            items.extend(importer_for(link).read(link))
        except ImportRefused as error:
            items.append(Refusal(target=link, reason=str(error)))
    return items
