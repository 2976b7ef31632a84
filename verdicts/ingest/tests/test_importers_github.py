import base64
import datetime
import time

import pytest
from django.utils import timezone
from werkzeug import Response

from verdicts.catalog.models import Tool
from verdicts.ingest.importers import ArtifactMissing, ImportRefused, Refusal, ToolFacts
from verdicts.ingest.importers.base import Validators
from verdicts.ingest.importers.github import GitHubImporter
from verdicts.ingest.intake import tool_facts_import
from verdicts.ingest.models import ToolDocument, ToolFactSource, ToolRegistryCheck

REPO = "Aider-AI/aider"
README = "# Aider\n\nAI pair programming in your terminal.\n"


def repo_json(full_name: str = REPO, **changes) -> dict:
    """`GET /repos/<owner>/<repo>`, in GitHub's documented shape (the fields read, and some)."""
    owner, name = full_name.split("/")
    return {
        "id": 638629097,
        "name": name,
        "full_name": full_name,
        "owner": {"login": owner, "type": "Organization"},
        "html_url": f"https://github.com/{full_name}",
        "description": "aider is AI pair programming in your terminal",
        "homepage": "https://aider.chat/",
        "url": f"https://api.github.com/repos/{full_name}",
        "stargazers_count": 38123,
        "topics": ["cli", "llm", "pair-programming"],
        "license": {"key": "apache-2.0", "spdx_id": "Apache-2.0", "name": "Apache License 2.0"},
        "archived": False,
        "pushed_at": "2026-11-28T17:02:11Z",
        "default_branch": "main",
        **changes,
    }


def release_json(tag: str = "v0.86.1") -> dict:
    return {"tag_name": tag, "name": tag, "published_at": "2026-11-20T09:30:00Z", "draft": False}


@pytest.fixture
def github(fetch_allows_httpserver, settings):
    settings.VERDICTS_GITHUB_API_URL = fetch_allows_httpserver.url_for("/").rstrip("/")
    settings.GITHUB_TOKEN = ""
    return fetch_allows_httpserver


def serve_release_and_readme(github, repo: str = REPO, *, release=True, readme=True) -> None:
    if release:
        github.expect_request(f"/repos/{repo}/releases/latest").respond_with_json(release_json())
    else:
        github.expect_request(f"/repos/{repo}/releases/latest").respond_with_json(
            {"message": "Not Found"}, status=404
        )
    if readme:
        github.expect_request(f"/repos/{repo}/readme").respond_with_data(
            README, content_type="application/vnd.github.raw+json; charset=utf-8"
        )
    else:
        github.expect_request(f"/repos/{repo}/readme").respond_with_json(
            {"message": "Not Found"}, status=404
        )


def serve_repo(github, repo: str = REPO, **changes) -> None:
    github.expect_request(f"/repos/{repo}").respond_with_json(repo_json(repo, **changes))
    serve_release_and_readme(github, repo)


def test_a_repository_gives_every_fact_with_its_source_and_date(github, settings):
    serve_repo(github)
    before = timezone.now()

    (facts,) = GitHubImporter().read(f"github:{REPO}")

    api = f"{settings.VERDICTS_GITHUB_API_URL}/repos/{REPO}"
    assert facts.name.value == "aider"
    assert facts.tagline.value == facts.description.value
    assert facts.tagline.value == "aider is AI pair programming in your terminal"
    assert facts.homepage.value == "https://aider.chat/"
    assert facts.repository_url.value == "https://github.com/Aider-AI/aider"
    assert facts.vendor_hint == "Aider-AI" and facts.licence.value == "Apache-2.0"
    assert facts.version.value == "v0.86.1"
    assert facts.release_date.value == datetime.date(2026, 11, 20)
    assert facts.version.source_url == f"{api}/releases/latest"
    assert facts.licence.source_url == api
    assert before <= facts.licence.read_at <= timezone.now()
    assert {name: fact.value for name, fact in facts.extra.items()} == {
        "stars": "38123",
        "topics": "cli, llm, pair-programming",
        "last_pushed": datetime.date(2026, 11, 28),
    }
    assert (facts.document.text, facts.document.source_url) == (README.strip(), f"{api}/readme")
    assert (facts.verified.registry, facts.verified.artifact) == ("GitHub", REPO)
    assert facts.verified.checked_url == api


def test_the_api_version_and_media_types_are_asked_for(github):
    serve_repo(github)
    GitHubImporter().read(f"github:{REPO}")
    sent = {request.path: request.headers for request, _ in github.log}
    assert sent[f"/repos/{REPO}"]["Accept"] == "application/vnd.github+json"
    assert sent[f"/repos/{REPO}"]["X-GitHub-Api-Version"] == "2022-11-28"
    assert sent[f"/repos/{REPO}/readme"]["Accept"] == "application/vnd.github.raw+json"
    assert all("Authorization" not in headers for headers in sent.values())


def test_the_token_is_sent_as_a_bearer_token_when_set(github, settings):
    settings.GITHUB_TOKEN = "ghp_secret"
    serve_repo(github)
    GitHubImporter().read(f"github:{REPO}")
    assert {request.headers.get("Authorization") for request, _ in github.log} == {
        "Bearer ghp_secret"
    }


def test_a_readme_in_the_json_form_is_decoded(github):
    github.expect_request(f"/repos/{REPO}").respond_with_json(repo_json())
    github.expect_request(f"/repos/{REPO}/releases/latest").respond_with_json(release_json())
    github.expect_request(f"/repos/{REPO}/readme").respond_with_json(
        {
            "name": "README.md",
            "encoding": "base64",
            "content": base64.encodebytes(README.encode()).decode(),
        }
    )
    (facts,) = GitHubImporter().read(f"github:{REPO}")
    assert facts.document.text == README.strip()


def test_no_release_and_no_readme_are_fine(github):
    github.expect_request(f"/repos/{REPO}").respond_with_json(repo_json())
    serve_release_and_readme(github, release=False, readme=False)
    (facts,) = GitHubImporter().read(f"github:{REPO}")
    assert facts.version is None and facts.release_date is None and facts.document is None


def test_unknown_licences_odd_homepages_and_archives(github):
    license_ = {"key": "other", "spdx_id": "NOASSERTION", "name": "Other"}
    serve_repo(github, license=license_, homepage="aider.chat", archived=True, topics=[])
    (facts,) = GitHubImporter().read(f"github:{REPO}")
    assert facts.licence is None
    assert facts.homepage.value == "https://github.com/Aider-AI/aider"
    assert facts.extra["archived"].value == "yes" and "topics" not in facts.extra


def test_a_moved_repository_is_read_under_its_new_name(github, settings):
    base = settings.VERDICTS_GITHUB_API_URL
    github.expect_request("/repos/paul-gauthier/aider").respond_with_data(
        "", status=301, headers={"Location": f"{base}/repositories/638629097"}
    )
    github.expect_request("/repositories/638629097").respond_with_json(repo_json())
    serve_release_and_readme(github)

    (facts,) = GitHubImporter().read("https://github.com/paul-gauthier/aider")

    assert facts.verified.artifact == REPO
    assert facts.repository_url.value == "https://github.com/Aider-AI/aider"
    assert facts.licence.source_url == f"{base}/repositories/638629097"


def test_an_unknown_repository_is_missing_from_github(github, settings):
    github.expect_request("/repos/nobody/nothing").respond_with_json(
        {"message": "Not Found"}, status=404
    )
    with pytest.raises(ArtifactMissing) as missing:
        GitHubImporter().read("github:nobody/nothing")
    assert str(missing.value) == "no such repository nobody/nothing on GitHub"
    assert (missing.value.registry, missing.value.artifact) == ("GitHub", "nobody/nothing")
    assert missing.value.checked_url == f"{settings.VERDICTS_GITHUB_API_URL}/repos/nobody/nothing"


def test_a_rate_limited_403_is_one_line_naming_the_reset(github):
    reset = (int(time.time()) // 60 + 42) * 60
    github.expect_request(f"/repos/{REPO}").respond_with_json(
        {"message": "API rate limit exceeded for 192.0.2.1."},
        status=403,
        headers={"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": str(reset)},
    )
    with pytest.raises(ImportRefused) as refused:
        GitHubImporter().read(f"github:{REPO}")
    at = datetime.datetime.fromtimestamp(reset, datetime.UTC)
    same_day = at.date() == datetime.datetime.now(datetime.UTC).date()
    when = f"{at:%H:%M}" if same_day else f"{at:%Y-%m-%d %H:%M}"
    assert str(refused.value) == (
        f"GitHub rate limit reached; it resets at {when} UTC (set GITHUB_TOKEN for more)"
    )
    assert len(github.log) == 1


def test_malformed_json_is_refused(github):
    github.expect_request(f"/repos/{REPO}").respond_with_data(
        '{"name": ', content_type="application/json"
    )
    with pytest.raises(ImportRefused, match="answered malformed JSON"):
        GitHubImporter().read(f"github:{REPO}")


@pytest.mark.parametrize(
    ("target", "repo"),
    [
        (f"github:{REPO}", REPO),
        ("github:Aider-AI/aider.git", REPO),
        ("https://github.com/Aider-AI/aider", REPO),
        ("https://github.com/Aider-AI/aider.git", REPO),
        ("https://www.github.com/Aider-AI/aider/tree/main/aider/coders", REPO),
        ("http://github.com/Aider-AI/aider/issues/12", REPO),
    ],
)
def test_repository_targets_name_the_repository_root(github, target, repo):
    serve_repo(github, repo)
    assert GitHubImporter().can_import(target)
    (facts,) = GitHubImporter().read(target)
    assert facts.verified.artifact == repo and facts.target == target


@pytest.mark.parametrize(
    "target",
    [
        "https://github.com/orgs/Aider-AI/repositories",
        "https://github.com/topics/llm",
        "https://github.com/features/copilot",
        "https://github.com/Aider-AI",
        "https://gitlab.com/Aider-AI/aider",
        "https://huggingface.co/Aider-AI/aider",
    ],
)
def test_other_github_pages_and_sites_are_not_repository_targets(target):
    assert not GitHubImporter().can_import(target)


def search_json(*repos: str) -> dict:
    return {
        "total_count": len(repos),
        "incomplete_results": False,
        "items": [repo_json(repo) for repo in repos],
    }


def expect_search(github, answer, **respond) -> None:
    query = {"q": "topic:llm", "sort": "updated", "order": "desc", "per_page": "20"}
    github.expect_request("/search/repositories", query_string=query).respond_with_json(
        answer, **respond
    )


def test_a_topic_search_reads_each_repository_and_reports_the_one_that_fails(github, settings):
    expect_search(github, search_json(REPO, "acme/broken", "acme/tool"))
    serve_release_and_readme(github)
    github.expect_request("/repos/acme/broken/releases/latest").respond_with_data(
        "<html>oops</html>", status=200, content_type="text/html"
    )
    serve_release_and_readme(github, "acme/tool", release=False)

    items = GitHubImporter().read("github-topic:llm")

    assert [type(item) for item in items] == [ToolFacts, Refusal, ToolFacts]
    assert [item.verified.artifact for item in items if isinstance(item, ToolFacts)] == [
        REPO,
        "acme/tool",
    ]
    assert items[1].target == "github:acme/broken"
    assert "answered text/html, not application/json" in items[1].reason
    search_url = github.url_for("/search/repositories")
    assert items[0].licence.source_url.startswith(search_url)
    assert not [request for request, _ in github.log if request.path == f"/repos/{REPO}"]


def test_a_rate_limit_stops_a_topic_search_with_one_line(github):
    expect_search(github, search_json(REPO, "acme/tool", "acme/third"))
    serve_release_and_readme(github)
    github.expect_request("/repos/acme/tool/releases/latest").respond_with_json(
        {"message": "API rate limit exceeded"},
        status=403,
        headers={"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": str(int(time.time()) + 900)},
    )

    items = GitHubImporter().read("github-topic:llm")

    assert isinstance(items[0], ToolFacts) and len(items) == 2
    assert items[1].reason.startswith("GitHub rate limit reached; it resets at ")
    assert items[1].reason.endswith("; 2 of 3 repositories not read")
    assert "/repos/acme/third/releases/latest" not in [request.path for request, _ in github.log]


def test_an_unchanged_topic_search_costs_one_304(github):
    def conditional(request):
        if request.headers.get("If-None-Match") == '"search-1"':
            return Response(status=304, headers={"ETag": '"search-1"'})
        return Response("{}", status=200, content_type="application/json")

    github.expect_request("/search/repositories").respond_with_handler(conditional)

    read = GitHubImporter().read_conditional(
        "github-topic:llm", validators=Validators(etag='"search-1"')
    )

    assert read.items is None and read.validators.etag == '"search-1"'
    assert len(github.log) == 1


def test_a_topic_that_is_not_one_is_refused():
    with pytest.raises(ImportRefused, match="is not a GitHub topic"):
        GitHubImporter().read("github-topic:not a topic")


@pytest.mark.django_db
def test_an_imported_repository_is_a_draft_with_its_sources_check_and_readme(github, settings):
    serve_repo(github)
    (facts,) = GitHubImporter().read(f"github:{REPO}")

    imported = tool_facts_import(facts=facts)

    tool = Tool.objects.get(pk=imported.tool.pk)
    assert tool.status == Tool.Status.DRAFT and tool.name == "aider"
    assert tool.repository_url == "https://github.com/Aider-AI/aider"
    sources = {row.fact: row.value for row in ToolFactSource.objects.filter(tool=tool)}
    assert sources["stars"] == "38123" and sources["version"] == "v0.86.1"
    assert sources["release_date"] == "2026-11-20"
    check = ToolRegistryCheck.objects.get(tool=tool)
    assert (check.registry, check.artifact, check.found) == ("GitHub", REPO, True)
    document = ToolDocument.objects.get(tool=tool)
    assert document.text == README.strip()
    assert document.source_url == f"{settings.VERDICTS_GITHUB_API_URL}/repos/{REPO}/readme"
