"""A Python package, from the package index's JSON API (`<index>/pypi/<name>/json`).

Targets: `pypi:<name>`, or a project page URL (`https://pypi.org/project/<name>/`, or the same
path under `VERDICTS_PACKAGE_INDEX_URL`). Fetched only through verdicts.common.fetch. Read:
info.name, info.summary (the tagline and description), info.version, the licence
(info.license_expression, else a one-line info.license, else the last licence classifier),
the homepage and repository from info.project_urls (else info.home_page), info.author as the
vendor, and the release date of the version (urls[0], else releases[version][0],
upload_time_iso_8601).
"""

import datetime
import json
import re
from urllib.parse import quote, urlsplit

from django.conf import settings

from verdicts.common.fetch import FetchError, FetchHTTPError, FetchWrongType, fetch
from verdicts.ingest.importers.base import (
    ArtifactMissing,
    Importer,
    ImportRefused,
    Refusal,
    RegistryCheck,
    ToolFacts,
    read_now,
    sourced,
)

PACKAGE_NAME = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?$")
MAX_BYTES = 16_000_000  # A package with thousands of releases answers a few megabytes.
TIMEOUT = 20
LICENCE_MAX = 120
HOMEPAGE_KEYS = ("homepage", "home", "home page", "website", "documentation")
REPOSITORY_KEYS = ("source", "repository", "source code", "code", "github", "gitlab")
CODE_HOSTS = ("github.com", "gitlab.com", "codeberg.org", "bitbucket.org")
REGISTRY = "package index"


def package_index_url() -> str:
    return settings.VERDICTS_PACKAGE_INDEX_URL.rstrip("/")


def package_name_from(target: str) -> str | None:
    """The package a target names, or None when it is not a package index target."""
    if target.lower().startswith("pypi:"):
        return target[5:].strip()
    for base in {"https://pypi.org", package_index_url()}:
        prefix = f"{base}/project/"
        if target.startswith(prefix):
            return target[len(prefix) :].split("/")[0]
    return None


def licence_from(info: dict) -> str:
    for candidate in (info.get("license_expression"), info.get("license")):
        if isinstance(candidate, str):
            candidate = candidate.strip()
            if candidate and "\n" not in candidate and len(candidate) <= LICENCE_MAX:
                return candidate
    classifiers = [
        c for c in info.get("classifiers") or [] if isinstance(c, str) and c.startswith("License")
    ]
    if classifiers:
        return classifiers[-1].split("::")[-1].strip()[:LICENCE_MAX]
    return ""


def web_url(value: object) -> str:
    if isinstance(value, str) and urlsplit(value.strip()).scheme in {"http", "https"}:
        return value.strip()
    return ""


def project_url(urls: dict, keys: tuple[str, ...]) -> str:
    by_key = {str(key).strip().lower(): web_url(value) for key, value in urls.items()}
    for key in keys:
        if by_key.get(key):
            return by_key[key]
    return ""


def links_from(info: dict) -> tuple[str, str]:
    """(homepage, repository URL)."""
    urls = info.get("project_urls") if isinstance(info.get("project_urls"), dict) else {}
    repository = project_url(urls, REPOSITORY_KEYS)
    homepage = project_url(urls, HOMEPAGE_KEYS) or web_url(info.get("home_page"))
    if not repository:
        for url in [homepage, *(web_url(v) for v in urls.values())]:
            if url and urlsplit(url).hostname in CODE_HOSTS:
                repository = url
                break
    return homepage, repository


def release_date_from(data: dict, version: str) -> datetime.date | None:
    files = data.get("urls") or (data.get("releases") or {}).get(version) or []
    if not isinstance(files, list) or not files or not isinstance(files[0], dict):
        return None
    stamp = files[0].get("upload_time_iso_8601") or files[0].get("upload_time") or ""
    try:
        return datetime.datetime.fromisoformat(str(stamp).replace("Z", "+00:00")).date()
    except ValueError:
        return None


class PackageIndexImporter(Importer):
    name = "package index"

    def can_import(self, target: str) -> bool:
        return package_name_from(target) is not None

    def read(self, target: str) -> list[ToolFacts | Refusal]:
        name = package_name_from(target) or ""
        if not PACKAGE_NAME.match(name):
            raise ImportRefused(f"{name!r} is not a package name")
        url = f"{package_index_url()}/pypi/{quote(name)}/json"
        try:
            fetched = fetch(url, accept=["application/json"], max_bytes=MAX_BYTES, timeout=TIMEOUT)
        except FetchHTTPError as error:
            if error.status == 404:
                raise ArtifactMissing(
                    f"no such package {name!r} at {package_index_url()}",
                    registry=REGISTRY,
                    artifact=f"pypi:{name}",
                    checked_url=url,
                ) from error
            raise ImportRefused(str(error)) from error
        except FetchWrongType as error:
            raise ImportRefused(f"{url} answered {error.content_type}, not JSON") from error
        except FetchError as error:
            raise ImportRefused(str(error).removeprefix("refused: ")) from error
        try:
            data = json.loads(fetched.body.decode(fetched.charset or "utf-8"))
        except (UnicodeDecodeError, LookupError, json.JSONDecodeError) as error:
            raise ImportRefused(f"{url} answered malformed JSON: {error}") from error
        info = data.get("info") if isinstance(data, dict) else None
        if not isinstance(info, dict) or not isinstance(info.get("name"), str):
            raise ImportRefused(f"{url} answered JSON without info.name")
        return [self.facts_from(data, info, source=fetched.url, target=target)]

    def facts_from(self, data: dict, info: dict, *, source: str, target: str) -> ToolFacts:
        read_at = read_now()
        package = info["name"].strip()

        def fact(value):
            return sourced(value, source, read_at)

        summary = " ".join(str(info.get("summary") or "").split())
        version = str(info.get("version") or "").strip()
        homepage, repository = links_from(info)
        author = str(info.get("author") or "").strip()
        return ToolFacts(
            target=target,
            name=fact(info["name"].strip()),
            vendor_hint=author if len(author) <= 120 and "\n" not in author else "",
            tagline=fact(summary if len(summary) <= 140 else summary[:139] + "…"),
            description=fact(summary),
            homepage=fact(homepage),
            repository_url=fact(repository),
            package_name=fact(info["name"].strip()),
            licence=fact(licence_from(info)),
            version=fact(version),
            release_date=fact(release_date_from(data, version)),
            verified=RegistryCheck(
                registry=REGISTRY,
                artifact=f"pypi:{package}",
                checked_url=source,
                checked_at=read_at,
            ),
        )
