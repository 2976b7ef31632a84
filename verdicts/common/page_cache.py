"""Anonymous reader pages, rendered once and served to everyone until what they show changes.

A page is stored with the database-clock time its render started and the content scopes it
shows (verdicts/common/content_versions.py). A stored page is served while every one of its
scopes last changed before that time: one indexed query, no render, no wait for a time-out.
Requests that carry a reader's own cookies (a session, a voter id) are rendered afresh and
marked private, so one stored copy never holds anyone's own state.
"""

import gzip
import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date

from verdicts.common.content_versions import CATALOG, VOTES, content_clock, content_current

# Scopes of a page whose view names none: anything editorial and any vote.
DEFAULT_SCOPES = (CATALOG, VOTES)
STORABLE_TYPES = (
    "text/html",
    "application/json",
    "application/xml",
    "application/rss+xml",
    "application/atom+xml",
    "text/xml",
    "text/plain",
    "image/svg+xml",
)
# Below this a gzip header costs more than it saves.
GZIP_MIN_BYTES = 200
# Headers the stored page answers with itself; the rest are copied from the render.
OWN_HEADERS = {"etag", "last-modified", "cache-control", "content-length", "content-encoding"}


@dataclass(frozen=True)
class StoredPage:
    started: float
    scopes: tuple[str, ...]
    headers: tuple[tuple[str, str], ...]
    body: bytes
    gzipped: bytes | None
    etag: str


def page_cache_scopes(request: HttpRequest, *scopes: str) -> None:
    """Name the content scopes the page being rendered shows, instead of the default ones."""
    request.page_cache_scopes = scopes


class PageCacheMiddleware:
    """Serves stored anonymous pages; stores those the views under PAGE_CACHE_NAMESPACES render."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not settings.PAGE_CACHE_ENABLED or request.method not in ("GET", "HEAD"):
            return self.get_response(request)
        # Asked once: process_view below reads the answer.
        request.page_personal = _personal(request)
        if request.page_personal:
            response = self.get_response(request)
            if getattr(request, "page_cacheable", False):
                patch_cache_control(response, private=True, no_cache=True)
                patch_vary_headers(response, ["Cookie"])
            return response
        key = _key(request)
        cache = caches[settings.PAGE_CACHE_ALIAS]
        stored = cache.get(key)
        if stored is not None and content_current(started=stored.started, scopes=stored.scopes):
            return _answer(request, stored)
        response = self.get_response(request)
        started = getattr(request, "page_render_started", None)
        if started is None or request.method != "GET" or not _storable(response):
            return response
        stored = _stored(request, response, started)
        cache.set(key, stored, timeout=settings.PAGE_CACHE_SECONDS)
        return _answer(request, stored)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        """Read the clock before a reader view reads anything it renders."""
        match = request.resolver_match
        if (
            settings.PAGE_CACHE_ENABLED
            and request.method in ("GET", "HEAD")
            and match is not None
            and match.namespace in settings.PAGE_CACHE_NAMESPACES
        ):
            request.page_cacheable = True
            if not getattr(request, "page_personal", True):
                request.page_render_started = content_clock()
        return None


def _personal(request: HttpRequest) -> bool:
    return any(name in request.COOKIES for name in settings.PAGE_CACHE_PERSONAL_COOKIES)


def _key(request: HttpRequest) -> str:
    # htmx asks for fragments of the same address: they are pages of their own.
    parts = [
        settings.PAGE_CACHE_RELEASE,
        request.scheme,
        request.get_host(),
        request.get_full_path(),
        request.headers.get("HX-Request", ""),
        request.headers.get("HX-Target", ""),
    ]
    digest = hashlib.sha256("\n".join(parts).encode()).hexdigest()
    return f"page:{digest}"


def _storable(response: HttpResponse) -> bool:
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if response.has_header("Content-Encoding"):
        return False
    control = response.get("Cache-Control", "")
    if any(word in control for word in ("private", "no-store", "no-cache")):
        return False
    return response.get("Content-Type", "").split(";")[0].strip() in STORABLE_TYPES


def _stored(request: HttpRequest, response: HttpResponse, started: float) -> StoredPage:
    body = response.content
    headers = tuple(
        (name, value) for name, value in response.items() if name.lower() not in OWN_HEADERS
    )
    # mtime=0: the same body always compresses to the same bytes, so its ETag holds.
    gzipped = gzip.compress(body, compresslevel=6, mtime=0) if len(body) >= GZIP_MIN_BYTES else None
    return StoredPage(
        started=started,
        scopes=tuple(getattr(request, "page_cache_scopes", DEFAULT_SCOPES)),
        headers=headers,
        body=body,
        gzipped=gzipped,
        etag=hashlib.sha256(body).hexdigest()[:32],
    )


def _answer(request: HttpRequest, stored: StoredPage) -> HttpResponse:
    compressed = stored.gzipped is not None and _accepts_gzip(request)
    etag = f'"{stored.etag}-gzip"' if compressed else f'"{stored.etag}"'
    last_modified = int(stored.started)
    not_modified = get_conditional_response(request, etag=etag, last_modified=last_modified)
    response = not_modified or HttpResponse(stored.gzipped if compressed else stored.body)
    if not_modified is None:
        for name, value in stored.headers:
            response[name] = value
        if compressed:
            response["Content-Encoding"] = "gzip"
        response["Content-Length"] = str(len(response.content))
        if request.method == "HEAD":
            response.content = b""
    response["ETag"] = etag
    response["Last-Modified"] = http_date(last_modified)
    response["Cache-Control"] = (
        f"public, max-age={settings.PAGE_CACHE_BROWSER_SECONDS}, "
        f"s-maxage={settings.PAGE_CACHE_SHARED_SECONDS}, "
        f"stale-while-revalidate={settings.PAGE_CACHE_STALE_SECONDS}"
    )
    patch_vary_headers(response, ["Accept-Encoding", "Cookie", "HX-Request"])
    return response


def _accepts_gzip(request: HttpRequest) -> bool:
    """Whether Accept-Encoding takes gzip (or anything) at a weight above zero."""
    for part in request.headers.get("Accept-Encoding", "").split(","):
        coding, _, params = part.strip().partition(";")
        if coding.strip().lower() not in ("gzip", "*"):
            continue
        weight = (
            params.strip().removeprefix("q=").strip() if params.strip().startswith("q=") else "1"
        )
        try:
            return float(weight) > 0
        except ValueError:
            return False
    return False
