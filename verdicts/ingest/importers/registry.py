"""What the registry importers (the Hugging Face Hub, GitHub) share: one GET and its answers.

`registry_get` fetches through verdicts.common.fetch, with the registry's token as a Bearer
token when one is set (the fetcher drops it on a redirect to another origin). It turns each
failure into a one-line ImportRefused, and a rate limit into `RateLimited`, naming when it
resets: GitHub's `X-RateLimit-Remaining`/`X-RateLimit-Reset`, the Hub's IETF-draft `RateLimit`
(`"api";r=0;t=120`) and `RateLimit-Policy`, and `Retry-After`. A wait of at most
`RETRY_WAIT_MAX` seconds is waited once and the request retried; a longer one never is.

`registry_targets_for` names the registry targets (`github:o/r`, `hf:o/n`) a tool's recorded
URLs point at, so catalog tools can be checked against their registries.
"""

import datetime
import json
import math
import re
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.conf import settings

from verdicts.common.fetch import (
    FetchError,
    FetchHTTPError,
    FetchResult,
    FetchWrongType,
    fetch,
)
from verdicts.common.fetch.client import retry_after_seconds
from verdicts.ingest.importers.base import ImportRefused, Validators

RETRY_WAIT_MAX = 5  # seconds; an import never sleeps longer than this
TIMEOUT = 20
JSON_MAX_BYTES = 8_000_000  # a Hub model with thousands of files lists them all

HUB_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,95}/[A-Za-z0-9][A-Za-z0-9._-]{0,95}$")
GITHUB_REPO = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]{0,38}/[A-Za-z0-9._-]{1,100}$")
# First path segments that are the sites' own pages, not an owner.
HUB_PAGES = {
    "api", "blog", "changelog", "chat", "collections", "datasets", "docs", "enterprise",
    "inference-endpoints", "join", "learn", "login", "models", "new", "new-dataset",
    "new-space", "notifications", "organizations", "papers", "posts", "pricing", "privacy",
    "search", "settings", "spaces", "tasks", "terms-of-service",
}  # fmt: skip
GITHUB_PAGES = {
    "about", "apps", "codespaces", "collections", "contact", "customer-stories",
    "enterprise", "events", "explore", "features", "issues", "join", "login", "marketplace",
    "new", "notifications", "organizations", "orgs", "pricing", "pulls", "search",
    "security", "settings", "site", "sponsors", "team", "topics", "trending", "users",
}  # fmt: skip


class RateLimited(ImportRefused):
    """The registry refused for its rate limit: further requests would be refused too."""


@dataclass(frozen=True)
class Registry:
    """A registry's API as the importers call it."""

    name: str  # "GitHub": in messages and in RegistryCheck
    token: str
    token_setting: str  # named when a rate limit is reached without a token
    headers: dict[str, str] = field(default_factory=dict)
    # X-Error-Code values that mean "no such artifact" (the Hub answers 401 RepoNotFound).
    missing_codes: frozenset[str] = frozenset()


def registry_get(
    registry: Registry,
    url: str,
    *,
    accept: list[str],
    max_bytes: int = JSON_MAX_BYTES,
    headers: dict[str, str] | None = None,
    validators: Validators | None = None,
) -> FetchResult | None:
    """GET url from the registry: the result, or None when it answers there is no such thing."""
    sent = {**registry.headers, **(headers or {})}
    if registry.token:
        sent["Authorization"] = f"Bearer {registry.token}"
    validators = validators or Validators()

    def attempt(*, may_retry: bool) -> FetchResult | None:
        try:
            return fetch(
                url,
                accept=accept,
                max_bytes=max_bytes,
                timeout=TIMEOUT,
                etag=validators.etag,
                last_modified=validators.last_modified,
                headers=sent,
            )
        except FetchHTTPError as error:
            if error.status == 404 or error_code(error) in registry.missing_codes:
                return None
            reset = limit_reset(error)
            wait = (reset - now()).total_seconds() if reset else None
            if may_retry and wait is not None and wait <= RETRY_WAIT_MAX:
                time.sleep(max(0.0, wait))
                return attempt(may_retry=False)
            raise http_refusal(registry, error, reset) from error
        except FetchWrongType as error:
            wanted = " or ".join(accept)
            raise ImportRefused(f"{url} answered {error.content_type}, not {wanted}") from error
        except FetchError as error:
            raise ImportRefused(str(error).removeprefix("refused: ")) from error

    return attempt(may_retry=True)


def json_of(fetched: FetchResult) -> object:
    try:
        return json.loads(fetched.body.decode(fetched.charset or "utf-8"))
    except (UnicodeDecodeError, LookupError, json.JSONDecodeError) as error:
        raise ImportRefused(f"{fetched.url} answered malformed JSON: {error}") from error


def text_of(fetched: FetchResult) -> str:
    try:
        return fetched.body.decode(fetched.charset or "utf-8", errors="replace")
    except LookupError:
        return fetched.body.decode("utf-8", errors="replace")


def date_of(value: object) -> datetime.date | None:
    """The date of an ISO 8601 time as the registries write it (`2026-11-20T09:30:00Z`)."""
    try:
        return datetime.datetime.fromisoformat(str(value).replace("Z", "+00:00")).date()
    except ValueError:
        return None


def error_code(error: FetchHTTPError) -> str:
    return error.headers.get("x-error-code", "").strip()


def limit_params(value: str) -> dict[str, str]:
    """The parameters of an IETF-draft rate-limit field's first item: `"api";r=0;t=120`."""
    params = {}
    for part in value.split(",")[0].split(";"):
        key, sep, number = part.strip().partition("=")
        if sep:
            params[key.strip().lower()] = number.strip()
    return params


def whole(value: str | None) -> int | None:
    return int(value) if value and value.strip().isdigit() else None


def is_rate_limit(error: FetchHTTPError) -> bool:
    if error.status == 429:
        return True
    # GitHub answers 403 both for its primary limit (nothing remaining) and its secondary one.
    return error.status == 403 and (
        whole(error.headers.get("x-ratelimit-remaining")) == 0 or "retry-after" in error.headers
    )


def now() -> datetime.datetime:
    return datetime.datetime.now(datetime.UTC)


def limit_reset(error: FetchHTTPError) -> datetime.datetime | None:
    """When a rate-limited or unavailable registry takes requests again, if it said."""
    if error.status != 503 and not is_rate_limit(error):
        return None
    seconds = retry_after_seconds(error.headers.get("retry-after"))
    if seconds is None:
        seconds = whole(limit_params(error.headers.get("ratelimit", "")).get("t"))
    if seconds is not None:
        return now() + datetime.timedelta(seconds=seconds)
    epoch = whole(error.headers.get("x-ratelimit-reset"))
    return datetime.datetime.fromtimestamp(epoch, datetime.UTC) if epoch is not None else None


def clock_time(at: datetime.datetime) -> str:
    """The time in UTC to the minute, rounded up so that trying then works: `14:05 UTC`."""
    at = datetime.datetime.fromtimestamp(math.ceil(at.timestamp() / 60) * 60, datetime.UTC)
    return f"{at:%H:%M} UTC" if at.date() == now().date() else f"{at:%Y-%m-%d %H:%M} UTC"


def http_refusal(
    registry: Registry, error: FetchHTTPError, reset: datetime.datetime | None
) -> ImportRefused:
    if is_rate_limit(error):
        policy = limit_params(error.headers.get("ratelimit-policy", ""))
        quota = f" ({policy['q']} calls per {policy['w']} s)" if {"q", "w"} <= set(policy) else ""
        when = f"it resets at {clock_time(reset)}" if reset else "try again later"
        hint = "" if registry.token else f" (set {registry.token_setting} for more)"
        return RateLimited(f"{registry.name} rate limit reached{quota}; {when}{hint}")
    if error.status == 503:
        when = f"try again after {clock_time(reset)}" if reset else "try again later"
        return ImportRefused(f"{registry.name} is unavailable (HTTP 503); {when}")
    if error.status == 401 and registry.token:
        return ImportRefused(f"{registry.name} refused the token in {registry.token_setting}")
    return ImportRefused(str(error))


def hub_base() -> str:
    return settings.VERDICTS_HF_API_URL.rstrip("/")


def url_parts(url: str, hosts: set[str]) -> list[str] | None:
    """The path segments of an http(s) URL on one of these hosts, else None."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:  # an unparseable URL ("http://[broken/") names no registry
        return None
    host = (parts.hostname or "").lower().removeprefix("www.")
    if parts.scheme.lower() not in {"http", "https"} or host not in hosts:
        return None
    return [segment for segment in parts.path.split("/") if segment]


def hub_model_in(url: str) -> str | None:
    """The model id a Hub page URL names (`https://huggingface.co/<owner>/<name>[/...]`)."""
    base = hub_base()
    if url.startswith(f"{base}/"):  # a mirror's, at any host or port
        segments = [s for s in urlsplit(url[len(base) :]).path.split("/") if s]
    else:
        segments = url_parts(url, {"huggingface.co", "hf.co"})
    if not segments or len(segments) < 2 or segments[0].lower() in HUB_PAGES:
        return None
    model = f"{segments[0]}/{segments[1]}"
    return model if HUB_ID.match(model) else None


def github_repo_in(url: str) -> str | None:
    """The repository a github.com URL names (`https://github.com/<owner>/<repo>[/...]`)."""
    segments = url_parts(url, {"github.com"})
    if not segments or len(segments) < 2 or segments[0].lower() in GITHUB_PAGES:
        return None
    return github_repo_clean(f"{segments[0]}/{segments[1]}")


def github_repo_clean(repo: str) -> str | None:
    """`owner/repo` without a `.git` suffix, or None when it is not a repository name."""
    repo = repo.strip().removesuffix(".git")
    if not GITHUB_REPO.match(repo) or repo.split("/")[1] in {".", ".."}:
        return None
    return repo


def registry_targets_for(*, homepage: str, repository_url: str, hub_id: str) -> list[str]:
    """The registry targets (`github:o/r`, `hf:o/n`) a tool's recorded URLs and hub id name."""
    found: list[str] = []
    for url in (repository_url, homepage):
        repo = github_repo_in(url) if url else None
        model = hub_model_in(url) if url else None
        found += [f"github:{repo}"] if repo else []
        found += [f"hf:{model}"] if model else []
    if HUB_ID.match(hub_id.strip()):
        found.append(f"hf:{hub_id.strip()}")
    # The same artifact named twice is one target; GitHub and the Hub ignore case in names.
    unique: dict[str, str] = {}
    for target in found:
        unique.setdefault(target.lower(), target)
    return list(unique.values())
