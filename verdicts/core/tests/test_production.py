"""Production settings from the environment, checked by real `verdicts` starts.

Settings are read once, when a process starts: so each case here is its own subprocess.
"""

import json
import re
import secrets
import subprocess
import sys

import pytest

from testkit.sites import TIMEOUT, Site
from verdicts.core.tests.test_docs import DOCS

YEAR = 365 * 24 * 3600
PRINT_SETTINGS = (
    "import json, django; django.setup(); from django.conf import settings as s; print(json.dumps("
    "[s.PRODUCTION, s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_HSTS_PRELOAD,"
    " s.SECURE_SSL_REDIRECT, s.SECURE_PROXY_SSL_HEADER, s.SESSION_COOKIE_SECURE]))"
)


def documented_production_environment() -> dict[str, str]:
    """The copy-paste block of docs/operating.md's "Production" section, with a fresh key."""
    section = (DOCS / "operating.md").read_text().split("\n## Production\n", 1)[1]
    block = section.split("\n## ", 1)[0].split("```\n", 1)[1].split("```", 1)[0]
    env = dict(line.split("=", 1) for line in block.splitlines() if line.strip())
    assert {"SITE_URL", "DEBUG", "ALLOWED_HOSTS", "SECRET_KEY"} <= env.keys()
    return env | {"SECRET_KEY": secrets.token_urlsafe(50)}


@pytest.fixture
def site(tmp_path) -> Site:
    return Site(tmp_path)


def start(site: Site, args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(args, env=site.env | env, capture_output=True, text=True, timeout=TIMEOUT)


def settings_under(site: Site, env: dict[str, str]) -> list:
    done = start(site, [sys.executable, "-c", PRINT_SETTINGS], env)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_check_deploy_is_clean_for_the_documented_production_environment(site):
    env = documented_production_environment()
    output = site.run("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert "System check identified no issues (0 silenced)." in output, output
    assert "WARNING" not in output and "security.W" not in output, output


def test_https_turns_hsts_and_the_redirect_on_and_http_leaves_them_off(site):
    key = {"SECRET_KEY": secrets.token_urlsafe(50)}
    https = settings_under(site, key | {"SITE_URL": "https://verdicts.example", "DEBUG": "0"})
    assert https == [True, YEAR, False, False, True, None, True]
    http = settings_under(site, key | {"SITE_URL": "http://verdicts.example"})
    assert http == [False, 0, False, False, False, None, False]
    # DEBUG on is not production, whatever the URL.
    assert settings_under(site, key | {"SITE_URL": "https://x.example", "DEBUG": "1"})[0] is False


def test_https_settings_are_read_from_the_environment(site):
    env = {
        "SECRET_KEY": secrets.token_urlsafe(50),
        "SITE_URL": "https://verdicts.example",
        "SECURE_HSTS_SECONDS": "300",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": "1",
        "SECURE_HSTS_PRELOAD": "yes",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_PROXY_SSL_HEADER": "X-Forwarded-Proto",
    }
    values = settings_under(site, env)
    assert values[1:6] == [300, True, True, False, ["HTTP_X_FORWARDED_PROTO", "https"]]
    other = settings_under(site, env | {"SECURE_PROXY_SSL_HEADER": "X-Forwarded-Ssl: on"})
    assert other[5] == ["HTTP_X_FORWARDED_SSL", "on"]


def test_check_deploy_warns_without_hsts_and_the_redirect(site):
    env = documented_production_environment() | {
        "SECURE_HSTS_SECONDS": "0",
        "SECURE_SSL_REDIRECT": "0",
    }
    done = start(site, site.command("check", "--deploy", "--fail-level", "WARNING"), env)
    output = done.stdout + done.stderr
    assert done.returncode == 1
    assert "security.W004" in output and "security.W008" in output, output


@pytest.mark.parametrize(
    "key",
    ["short-key", "ab" * 40, "django-insecure-" + secrets.token_urlsafe(50)],
    ids=["short", "few-characters", "insecure-prefix"],
)
def test_a_weak_secret_key_stops_a_production_start_with_one_line(site, key):
    env = documented_production_environment() | {"SECRET_KEY": key}
    done = start(site, site.command("check"), env)
    assert done.returncode == 1
    assert done.stdout == ""
    lines = done.stderr.splitlines()
    assert len(lines) == 1 and "Traceback" not in done.stderr, done.stderr
    assert lines[0].startswith("SECRET_KEY ") and "50" in lines[0], lines
    assert key not in done.stderr


@pytest.mark.parametrize(
    "env", [{"DEBUG": "1"}, {"SITE_URL": "http://verdicts.example"}], ids=["debug", "http"]
)
def test_a_short_secret_key_is_still_accepted_outside_production(site, env):
    output = site.run("check", env={"SECRET_KEY": "short-key"} | env)
    assert "System check identified no issues" in output


def test_a_malformed_proxy_header_names_the_variable(site):
    done = start(
        site,
        site.command("check"),
        {"SECRET_KEY": secrets.token_urlsafe(50), "SECURE_PROXY_SSL_HEADER": "X Forwarded"},
    )
    assert done.returncode != 0
    assert re.search(r"SECURE_PROXY_SSL_HEADER is a header name", done.stderr), done.stderr
