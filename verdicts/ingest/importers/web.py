"""Any http(s) web page or feed; the importers listed before this one claim registry URLs.

Fetched once, only through verdicts.common.fetch, within VERDICTS_DOCUMENT_MAX_BYTES and
VERDICTS_DOCUMENT_FETCH_TIMEOUT. A feed (by its content type, or an XML body whose root is
rss, feed or rdf) has its entries read by verdicts.ingest.importers.feed. A page gives one tool,
from its metadata (verdicts.ingest.readable): JSON-LD first, then Open Graph, then the plain
<title>, <meta name="description"> and <link> tags; its visible text becomes the tool's
document. Every fact is sourced to the final URL, after redirects.
"""

import codecs
import re
from decimal import Decimal, InvalidOperation
from urllib.parse import urljoin, urlsplit

from django.conf import settings

from verdicts.common.fetch import (
    FetchError,
    FetchResult,
    FetchTimeout,
    FetchTooLarge,
    FetchTooManyRedirects,
    FetchWrongType,
    fetch,
)
from verdicts.ingest.importers.base import (
    ConditionalRead,
    Importer,
    ImportRefused,
    Refusal,
    SourceDocument,
    ToolFacts,
    Validators,
    read_now,
    sourced,
)
from verdicts.ingest.importers.feed import feed_items, looks_like_feed
from verdicts.ingest.readable import (
    LINKED_DATA_TYPES,
    LinkedData,
    PageMeta,
    meta_charset,
    page_read,
)

PAGE_TYPES = ("text/html", "application/xhtml+xml")
FEED_TYPES = ("application/rss+xml", "application/atom+xml")
XML_TYPES = ("application/xml", "text/xml")
MAX_REDIRECTS = 5
TAGLINE_MAX = 140
TITLE_SEPARATORS = (" | ", " - ", " — ", " · ", " : ")
LICENCE_MAX = 60
SPDX_LICENCE_URL = re.compile(r"https?://spdx\.org/licenses/([A-Za-z0-9.+-]+?)(?:\.html)?/?")
PRICE_HINTS_MAX = 4
# First path segments of GitHub and GitLab pages that are not an owner's repositories.
CODE_HOST_PAGES = {
    "github.com": {
        "about", "apps", "collections", "contact", "customer-stories", "enterprise", "events",
        "explore", "features", "join", "login", "marketplace", "orgs", "pricing", "readme",
        "resources", "security", "settings", "site", "solutions", "sponsors", "team", "topics",
        "trending",
    },
    "gitlab.com": {"-", "dashboard", "explore", "groups", "help", "users"},
}  # fmt: skip


def web_fetch(url: str, validators: Validators) -> FetchResult:
    """The fetched page or feed, or ImportRefused on one line."""
    max_bytes = settings.VERDICTS_DOCUMENT_MAX_BYTES
    timeout = settings.VERDICTS_DOCUMENT_FETCH_TIMEOUT
    try:
        return fetch(
            url,
            accept=[*PAGE_TYPES, *FEED_TYPES, *XML_TYPES],
            max_bytes=max_bytes,
            timeout=timeout,
            max_redirects=MAX_REDIRECTS,
            etag=validators.etag,
            last_modified=validators.last_modified,
        )
    except FetchWrongType as error:
        raise ImportRefused(f"answered {error.content_type}, not a web page or feed") from error
    except FetchTooLarge as error:
        raise ImportRefused(
            f"is larger than VERDICTS_DOCUMENT_MAX_BYTES ({max_bytes} bytes)"
        ) from error
    except FetchTimeout as error:
        raise ImportRefused(
            f"took longer than VERDICTS_DOCUMENT_FETCH_TIMEOUT ({timeout:g} s) to download"
        ) from error
    except FetchTooManyRedirects as error:
        raise ImportRefused(
            f"redirected more than {MAX_REDIRECTS} times (a redirect loop?)"
        ) from error
    except FetchError as error:
        raise ImportRefused(str(error).removeprefix("refused: ")) from error


def is_feed(fetched: FetchResult) -> bool:
    return fetched.content_type in FEED_TYPES or looks_like_feed(fetched.body)


def feed_content_type(fetched: FetchResult) -> str:
    return f"{fetched.content_type}; charset={fetched.charset}" if fetched.charset else ""


def page_decode(fetched: FetchResult) -> str:
    """The page as text: by its BOM, else the Content-Type charset, else <meta>, else UTF-8."""
    body = fetched.body
    declared = "utf-8" if body.startswith(codecs.BOM_UTF8) else ""
    declared = declared or fetched.charset or meta_charset(body)
    try:
        codec = codecs.lookup(declared or "utf-8").name
    except LookupError as error:
        raise ImportRefused(f"{fetched.url} declares an unknown charset {declared!r}") from error
    try:
        return body.decode("utf-8-sig" if codec == "utf-8" else codec)
    except UnicodeDecodeError as error:
        where = f"(byte 0x{body[error.start]:02x} at offset {error.start})"
        if declared:
            raise ImportRefused(f"{fetched.url} is not valid {declared} {where}") from error
        raise ImportRefused(
            f"{fetched.url} is not valid UTF-8 {where} and declares no charset"
        ) from error


def web_url(value: str, base: str) -> str:
    """value resolved against base, when that makes an http(s) URL; else ""."""
    if not value:
        return ""
    try:
        resolved = urljoin(base, value.strip())
        parts = urlsplit(resolved)
    except ValueError:  # A page's broken link ("http://[oops/") is no address at all.
        return ""
    return resolved if parts.scheme in {"http", "https"} and parts.hostname else ""


def repository_root(url: str) -> str:
    """https://<host>/<owner>/<repo> for a GitHub or GitLab repository URL (from web_url)."""
    parts = urlsplit(url)
    host = (parts.hostname or "").removeprefix("www.")
    if parts.scheme not in {"http", "https"} or host not in CODE_HOST_PAGES:
        return ""
    segments = [segment for segment in parts.path.split("/") if segment]
    if host == "gitlab.com" and "-" in segments:  # GitLab: group/subgroup/project/-/tree/...
        segments = segments[: segments.index("-")]
    else:
        segments = segments[:2]
    if len(segments) < 2 or segments[0].lower() in CODE_HOST_PAGES[host]:
        return ""
    segments[-1] = segments[-1].removesuffix(".git")
    return f"https://{host}/{'/'.join(segments)}"


def title_name(title: str) -> str:
    """A <title>'s first part: "Acme — AI code review" names "Acme"."""
    for separator in TITLE_SEPARATORS:
        title = title.split(separator)[0]
    return title.strip()


def tagline_from(description: str) -> str:
    if len(description) <= TAGLINE_MAX:
        return description
    cut = description[: TAGLINE_MAX - 1]
    if " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:.-") + "…"


def licence_from(value: str) -> str:
    """A short licence name, or an SPDX licence URL's id; not a link to a licence's text."""
    spdx = SPDX_LICENCE_URL.fullmatch(value)
    if spdx:
        return spdx.group(1)
    if "://" in value or len(value) > LICENCE_MAX:
        return ""
    return value


def price_hint(entities: list[LinkedData]) -> str:
    """The offers as a reader would say them: "free", "USD 20", "free, USD 20"."""
    hints: list[str] = []
    for entity in entities:
        for offer in entity.offers:
            try:
                price = Decimal(offer.price)
            except InvalidOperation:
                continue
            if not price.is_finite() or price < 0:
                continue
            amount = str(int(price)) if price == price.to_integral_value() else offer.price
            hint = "free" if price == 0 else f"{offer.currency} {amount}".strip()
            if hint not in hints:
                hints.append(hint)
    return ", ".join(hints[:PRICE_HINTS_MAX])


def first_value(entities: list[LinkedData], attribute: str) -> str:
    return next((value for entity in entities if (value := getattr(entity, attribute))), "")


def repository_from(entities: list[LinkedData], links: tuple[str, ...], base: str) -> str:
    declared = web_url(first_value(entities, "code_repository"), base)
    if declared:  # Any code host, as declared; GitHub and GitLab ones cut to the root.
        return repository_root(declared) or declared
    candidates = [link for entity in entities for link in entity.same_as] + list(links)
    return next((root for link in candidates if (root := repository_root(web_url(link, base)))), "")


def name_from(entities: list[LinkedData], meta: PageMeta) -> str:
    return (
        first_value(entities, "name")
        or meta.og_site_name
        or meta.og_title
        or title_name(meta.title)
    )


def page_facts(fetched: FetchResult, *, target: str) -> ToolFacts:
    url = fetched.url
    page = page_read(page_decode(fetched))
    meta = page.meta
    # The most specific entity first: a SoftwareApplication's name before its maker's.
    entities = sorted(meta.linked_data, key=lambda entity: LINKED_DATA_TYPES.index(entity.kind))
    name = name_from(entities, meta)
    if not name:
        raise ImportRefused(f"{url} has no title or name to import")
    description = first_value(entities, "description") or meta.og_description or meta.description
    read_at = read_now()

    def fact(value):
        return sourced(value, url, read_at)

    logo = (
        web_url(first_value(entities, "logo"), url)
        or web_url(meta.og_image, url)
        or web_url(first_value(entities, "image"), url)
        or web_url(meta.icon, url)
    )
    homepage = web_url(meta.canonical, url) or web_url(meta.og_url, url) or url
    hint = price_hint(entities)
    return ToolFacts(
        target=target,
        name=fact(name),
        tagline=fact(tagline_from(description)),
        description=fact(description),
        homepage=fact(homepage),
        repository_url=fact(repository_from(entities, page.links, url)),
        licence=fact(licence_from(first_value(entities, "licence"))),
        logo_url=fact(logo),
        extra={"price_hint": fact(hint)} if hint else {},
        document=SourceDocument(title=meta.title or name, text=page.text, source_url=url),
    )


class WebImporter(Importer):
    name = "web"

    def can_import(self, target: str) -> bool:
        return bool(web_url(target, ""))

    def read(self, target: str) -> list[ToolFacts | Refusal]:
        return self.items_from(web_fetch(target, Validators()), target=target)

    def read_conditional(self, target: str, *, validators: Validators) -> ConditionalRead:
        """A feed is fetched with the validators (a 304 reads nothing); a page is read whole."""
        fetched = web_fetch(target, validators)
        if fetched.not_modified:
            return ConditionalRead(items=None, validators=validators)
        items = self.items_from(fetched, target=target)
        if not is_feed(fetched):
            return ConditionalRead(items=items, validators=Validators())
        return ConditionalRead(
            items=items,
            validators=Validators(etag=fetched.etag, last_modified=fetched.last_modified),
        )

    def items_from(self, fetched: FetchResult, *, target: str) -> list[ToolFacts | Refusal]:
        if is_feed(fetched):
            return feed_items(
                fetched.body, feed_url=fetched.url, content_type=feed_content_type(fetched)
            )
        return [page_facts(fetched, target=target)]
