"""`fetch`: one GET, its redirects followed here hop by hop, through the checked transport."""

import email.utils
import time
from collections.abc import Collection
from dataclasses import dataclass, field

import httpx2

from verdicts.common.fetch.errors import (
    FetchFailed,
    FetchHTTPError,
    FetchRefused,
    FetchTimeout,
    FetchTooLarge,
    FetchTooManyRedirects,
    FetchWrongType,
)
from verdicts.common.fetch.guard import SCHEMES, CheckedTransport, FetchSettings, url_target

REDIRECTS = {301, 302, 303, 307, 308}
# Sent only to the origin the caller addressed: a redirect elsewhere must not carry them.
CREDENTIAL_HEADERS = {"authorization", "proxy-authorization", "cookie"}


@dataclass(frozen=True)
class FetchResult:
    url: str  # the final URL, after any redirects
    status: int
    content_type: str = ""  # lower case, without parameters
    charset: str = ""
    body: bytes = b""
    etag: str = ""
    last_modified: str = ""
    not_modified: bool = False  # a 304 to a conditional request: body is empty
    headers: dict[str, str] = field(default_factory=dict)


def type_accepted(content_type: str, accept: Collection[str]) -> bool:
    major = content_type.split("/")[0]
    return content_type in accept or f"{major}/*" in accept or "*/*" in accept


def retry_after_seconds(value: str | None) -> int | None:
    """Retry-After as whole seconds from now (it may be seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return int(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0, int(when.timestamp() - time.time()))


def url_origin(url: httpx2.URL) -> tuple[str, str, int]:
    """Scheme, host and port: another port or scheme on the same host is another origin."""
    scheme = url.scheme.lower()
    return scheme, url.host.lower().rstrip("."), url.port or SCHEMES.get(scheme, 0)


def fetch(
    url: str,
    *,
    accept: Collection[str],
    max_bytes: int,
    timeout: float,
    max_redirects: int = 5,
    etag: str = "",
    last_modified: str = "",
    headers: dict[str, str] | None = None,
) -> FetchResult:
    """GET url and its redirects, checked and capped; the body, or a typed FetchError.

    `accept` lists the content types the caller takes ("text/html", "text/*", "*/*"); `etag` and
    `last_modified` from an earlier fetch make the request conditional (a 304 returns a result
    with not_modified set). A 429 or 503 is a FetchHTTPError with its Retry-After; never waited.
    """
    config = FetchSettings.from_settings()
    deadline = time.monotonic() + timeout
    request_headers = {
        "User-Agent": config.user_agent,
        "Accept": ", ".join(accept) if accept else "*/*",
        **(headers or {}),
    }
    if etag:
        request_headers["If-None-Match"] = etag
    if last_modified:
        request_headers["If-Modified-Since"] = last_modified
    try:
        current = httpx2.URL(url)
    except (httpx2.InvalidURL, TypeError) as error:
        raise FetchRefused(f"refused: {url!r} is not a valid URL ({error})", url=url) from error
    with httpx2.Client(
        transport=CheckedTransport(config), trust_env=False, follow_redirects=False
    ) as client:
        for _hop in range(max_redirects + 1):
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise too_slow(url, timeout)
            url_target(current)  # A client would take a URL without a host as relative.
            request = client.build_request(
                "GET", current, headers=request_headers, timeout=httpx2.Timeout(remaining)
            )
            try:
                response = client.send(request, stream=True)
            except httpx2.TimeoutException as error:
                raise too_slow(url, timeout) from error
            except httpx2.TransportError as error:
                raise FetchFailed(f"could not fetch {current}: {error}", url=url) from error
            try:
                if response.status_code in REDIRECTS and "location" in response.headers:
                    following = current.join(response.headers["location"])
                    if following.scheme.lower() not in SCHEMES:
                        raise FetchRefused(
                            f"refused: {current} redirects to {str(following)!r}, "
                            "which is not http(s)",
                            url=url,
                        )
                    if url_origin(following) != url_origin(current):
                        request_headers = {
                            name: value
                            for name, value in request_headers.items()
                            if name.lower() not in CREDENTIAL_HEADERS
                        }
                    current = following
                    continue
                return response_read(response, url, accept, max_bytes, deadline, timeout)
            finally:
                response.close()
    raise FetchTooManyRedirects(f"{url} redirected more than {max_redirects} times", url=url)


def response_read(
    response: httpx2.Response,
    url: str,
    accept: Collection[str],
    max_bytes: int,
    deadline: float,
    timeout: float,
) -> FetchResult:
    final = str(response.url)
    validators = {
        "etag": response.headers.get("etag", ""),
        "last_modified": response.headers.get("last-modified", ""),
    }
    if response.status_code == 304:
        return FetchResult(url=final, status=304, not_modified=True, **validators)
    if not 200 <= response.status_code < 300:
        message = f"{final} answered HTTP {response.status_code} {response.reason_phrase}"
        retry_after = None
        if response.status_code in {429, 503}:
            retry_after = retry_after_seconds(response.headers.get("retry-after"))
            if retry_after is not None:
                message += f"; retry after {retry_after} s"
        raise FetchHTTPError(
            message,
            url=url,
            status=response.status_code,
            retry_after=retry_after,
            headers=dict(response.headers),
        )
    raw_type = response.headers.get("content-type", "")
    content_type = raw_type.split(";")[0].strip().lower() or "application/octet-stream"
    if not type_accepted(content_type, accept):
        raise FetchWrongType(
            f"{final} is {content_type}, not an accepted type",
            url=url,
            content_type=content_type,
        )
    too_large = FetchTooLarge(
        f"{final} is larger than {max_bytes} bytes", url=url, max_bytes=max_bytes
    )
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise too_large
    body = bytearray()
    try:
        for chunk in response.iter_bytes():
            body += chunk
            if len(body) > max_bytes:
                raise too_large
            if time.monotonic() > deadline:
                raise too_slow(url, timeout)
    except httpx2.TimeoutException as error:
        raise too_slow(url, timeout) from error
    except httpx2.TransportError as error:
        raise FetchFailed(f"could not fetch {final}: {error}", url=url) from error
    return FetchResult(
        url=final,
        status=response.status_code,
        content_type=content_type,
        charset=(response.charset_encoding or "").lower(),
        body=bytes(body),
        headers=dict(response.headers),
        **validators,
    )


def too_slow(url: str, timeout: float) -> FetchTimeout:
    return FetchTimeout(f"{url} took longer than {timeout:g} s to download", url=url)
