"""A repository on GitHub, from the REST API: the repository, its latest release, its README.

Targets: `github:<owner>/<repo>`, a repository URL (`https://github.com/<owner>/<repo>[/...]`,
the repository's root taken, `.git` dropped), and `github-topic:<topic>` (the 20 repositories
with that topic updated last, each read from the search answer itself plus its release and
README). Read from `VERDICTS_GITHUB_API_URL`: name, description, homepage (else the repository
page), licence (its SPDX id), owner, stars, topics, whether it is archived, the last push; the
latest release's tag and date (none is fine); the README as Markdown (none is fine). A
repository that moved is followed to its new name.
"""

import base64
import binascii
import re
from urllib.parse import urlencode

from django.conf import settings

from verdicts.common.fetch import FetchResult
from verdicts.ingest.importers.base import (
    ArtifactMissing,
    ConditionalRead,
    Importer,
    ImportRefused,
    Refusal,
    RegistryCheck,
    SourceDocument,
    ToolFacts,
    Validators,
    read_now,
    sourced,
)
from verdicts.ingest.importers.package_index import web_url
from verdicts.ingest.importers.registry import (
    RateLimited,
    Registry,
    date_of,
    github_repo_clean,
    github_repo_in,
    json_of,
    registry_get,
    text_of,
)

REGISTRY = "GitHub"
TOPIC_PREFIX = "github-topic:"
SEARCH_LIMIT = 20
TOPIC = re.compile(r"^[a-z0-9][a-z0-9-]{0,49}$")
API_HEADERS = {"Accept": "application/vnd.github+json", "X-GitHub-Api-Version": "2022-11-28"}
JSON = ["application/json", "application/vnd.github+json"]
README_RAW = "application/vnd.github.raw+json"
# What a README request may answer: the raw file (its type varies) or the JSON form (base64).
README_TYPES = [README_RAW, "application/vnd.github.raw", "text/plain", "text/markdown", *JSON]
TAGLINE_MAX = 140


def api_base() -> str:
    return settings.VERDICTS_GITHUB_API_URL.rstrip("/")


def github_registry() -> Registry:
    return Registry(
        name=REGISTRY,
        token=settings.GITHUB_TOKEN,
        token_setting="GITHUB_TOKEN",
        headers=API_HEADERS,
    )


def repo_from(target: str) -> str | None:
    """The `owner/repo` a target names ("" when malformed), or None when it is not GitHub's."""
    if target.lower().startswith("github:"):
        return github_repo_clean(target[7:]) or ""
    return github_repo_in(target)


def readme_text(fetched: FetchResult) -> str:
    """The README's Markdown, from the raw answer or from the JSON form's base64 content."""
    if fetched.content_type not in JSON:
        return text_of(fetched)
    data = json_of(fetched)
    content = data.get("content") if isinstance(data, dict) else None
    if not isinstance(content, str) or data.get("encoding") != "base64":
        raise ImportRefused(f"{fetched.url} answered a README without base64 content")
    try:
        return base64.b64decode(content).decode("utf-8", errors="replace")
    except (binascii.Error, ValueError) as error:
        raise ImportRefused(f"{fetched.url} answered a README that is not base64") from error


class GitHubImporter(Importer):
    name = "GitHub"

    def can_import(self, target: str) -> bool:
        return target.lower().startswith(TOPIC_PREFIX) or repo_from(target) is not None

    def read(self, target: str) -> list[ToolFacts | Refusal]:
        if target.lower().startswith(TOPIC_PREFIX):
            return self.search(target, validators=Validators()).items or []
        repo = repo_from(target)
        if not repo:
            raise ImportRefused(f"{target!r} names no repository (github:<owner>/<repo>)")
        registry = github_registry()
        url = f"{api_base()}/repos/{repo}"
        fetched = registry_get(registry, url, accept=JSON)
        if fetched is None:
            raise ArtifactMissing(
                f"no such repository {repo} on GitHub",
                registry=REGISTRY,
                artifact=repo,
                checked_url=url,
            )
        data = json_of(fetched)  # a moved repository's, under its new name
        return [self.repo_read(registry, data, source=fetched.url, target=target)]

    def read_conditional(self, target: str, *, validators: Validators) -> ConditionalRead:
        if target.lower().startswith(TOPIC_PREFIX):
            return self.search(target, validators=validators)
        return super().read_conditional(target, validators=validators)

    def search(self, target: str, *, validators: Validators) -> ConditionalRead:
        """The repositories a topic search lists; a rate limit stops the rest."""
        topic = target[len(TOPIC_PREFIX) :].strip().lower()
        if not TOPIC.match(topic):
            raise ImportRefused(f"{topic!r} is not a GitHub topic (lower case, digits, hyphens)")
        registry = github_registry()
        query = {"q": f"topic:{topic}", "sort": "updated", "order": "desc"}
        url = f"{api_base()}/search/repositories?{urlencode({**query, 'per_page': SEARCH_LIMIT})}"
        listed = registry_get(registry, url, accept=JSON, validators=validators)
        if listed is None:
            raise ImportRefused(f"{url} answered 404: no repository search there")
        answered = Validators(
            etag=listed.etag or validators.etag,
            last_modified=listed.last_modified or validators.last_modified,
        )
        if listed.not_modified:
            return ConditionalRead(items=None, validators=answered)
        found = json_of(listed)
        repos = found.get("items") if isinstance(found, dict) else None
        if not isinstance(repos, list):
            raise ImportRefused(f"{url} answered JSON without a list of items")
        repos = repos[:SEARCH_LIMIT]
        items: list[ToolFacts | Refusal] = []
        for position, repo in enumerate(repos):
            name = repo.get("full_name") if isinstance(repo, dict) else None
            item_target = f"github:{name}" if isinstance(name, str) else f"{target} #{position + 1}"
            try:
                items.append(self.repo_read(registry, repo, source=listed.url, target=item_target))
            except RateLimited as error:
                reason = f"{error}; {len(repos) - position} of {len(repos)} repositories not read"
                items.append(Refusal(target=item_target, reason=reason))
                break
            except ImportRefused as error:
                items.append(Refusal(target=item_target, reason=str(error)))
        return ConditionalRead(items=items, validators=answered)

    def repo_read(self, registry: Registry, data: object, *, source: str, target: str) -> ToolFacts:
        """The facts of a repository's JSON, read at `source`, with its release and README."""
        if not isinstance(data, dict) or not github_repo_clean(str(data.get("full_name") or "")):
            raise ImportRefused(f"{source} answered JSON without a repository full_name")
        repo_api = f"{api_base()}/repos/{data['full_name']}"
        release_fetched = registry_get(registry, f"{repo_api}/releases/latest", accept=JSON)
        release = json_of(release_fetched) if release_fetched else {}
        if not isinstance(release, dict):
            raise ImportRefused(f"{repo_api}/releases/latest answered JSON that is not a release")
        readme = registry_get(
            registry,
            f"{repo_api}/readme",
            accept=README_TYPES,
            max_bytes=settings.VERDICTS_DOCUMENT_MAX_BYTES,
            headers={"Accept": README_RAW},
        )
        text = readme_text(readme).strip() if readme else ""
        read_at = read_now()

        def fact(value, url=source):
            return sourced(value, url, read_at)

        release_url = release_fetched.url if release_fetched else ""
        html_url = web_url(data.get("html_url"))
        description = " ".join(str(data.get("description") or "").split())
        tagline = description
        if len(description) > TAGLINE_MAX:
            tagline = description[: TAGLINE_MAX - 1].rstrip() + "…"
        licence = data.get("license") if isinstance(data.get("license"), dict) else {}
        spdx = str(licence.get("spdx_id") or "").strip()
        topics = [topic for topic in data.get("topics") or [] if isinstance(topic, str)]
        stars = data.get("stargazers_count")
        owner = data.get("owner") if isinstance(data.get("owner"), dict) else {}
        extra = {
            "stars": fact(str(stars) if isinstance(stars, int) else ""),
            "topics": fact(", ".join(topics)),
            "archived": fact("yes" if data.get("archived") is True else ""),
            "last_pushed": fact(date_of(data.get("pushed_at"))),
        }
        document = None
        if readme and text:
            document = SourceDocument(
                title=f"{data['full_name']} README",
                text=text[: settings.VERDICTS_DOCUMENT_MAX_CHARS],
                source_url=readme.url,
            )
        return ToolFacts(
            target=target,
            name=fact(str(data.get("name") or data["full_name"].split("/")[1])),
            vendor_hint=str(owner.get("login") or "")[:120],
            tagline=fact(tagline),
            description=fact(description),
            homepage=fact(web_url(data.get("homepage")) or html_url),
            repository_url=fact(html_url),
            licence=fact("" if spdx == "NOASSERTION" else spdx[:120]),
            version=fact(str(release.get("tag_name") or "").strip(), release_url),
            release_date=fact(date_of(release.get("published_at")), release_url),
            extra={name: value for name, value in extra.items() if value is not None},
            document=document,
            verified=RegistryCheck(
                registry=REGISTRY,
                artifact=data["full_name"],
                checked_url=source,
                checked_at=read_at,
            ),
        )
