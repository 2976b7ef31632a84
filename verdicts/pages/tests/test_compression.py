"""Reader pages go out gzipped to clients that accept it and wait on one stylesheet (#15)."""

import gzip
import re

import pytest
from django.test import Client

from verdicts.pages.tests.test_quality_gates import COMPARISON, PAGES

GZIP = {"Accept-Encoding": "gzip, deflate, br"}


@pytest.fixture
def cached(settings, starter):
    settings.PAGE_CACHE_ENABLED = True
    from django.core.cache import caches

    caches[settings.PAGE_CACHE_ALIAS].clear()
    return starter


@pytest.mark.django_db
def test_a_rendered_page_is_gzipped_only_for_a_client_that_accepts_it(starter):
    # The page cache is off in the tests: this is GZipMiddleware on a fresh render.
    for path in PAGES.values():
        plain = Client().get(path, headers={"Accept-Encoding": "identity"})
        packed = Client().get(path, headers=GZIP)

        assert "Content-Encoding" not in plain.headers, path
        assert packed["Content-Encoding"] == "gzip", path
        assert "Accept-Encoding" in packed["Vary"], path
        unpacked = gzip.decompress(packed.content)
        assert unpacked.startswith(b"<!doctype html>") and unpacked.endswith(b"</html>\n")
        assert len(packed.content) < len(plain.content) / 2, path


@pytest.mark.django_db
def test_a_stored_gzipped_page_still_answers_a_conditional_get_with_304(cached):
    etag = Client().get(COMPARISON, headers=GZIP)["ETag"]
    again = Client().get(COMPARISON, headers={**GZIP, "If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""


@pytest.mark.django_db
def test_a_compressed_page_holds_no_secret_for_breach_to_guess(starter):
    # BREACH reads a secret out of compressed sizes; reader pages carry no CSRF token and set
    # no cookie, so there is nothing of the reader's to read (verdicts/common/csrf.py).
    for path in PAGES.values():
        response = Client().get(path, headers=GZIP)
        assert b"csrfmiddlewaretoken" not in gzip.decompress(response.content), path
        assert "Set-Cookie" not in response.headers, path


@pytest.mark.django_db
def test_a_page_waits_on_one_stylesheet_and_defers_its_scripts(starter, client):
    for path in PAGES.values():
        html = client.get(path).content.decode()
        stylesheets = re.findall(r"<link[^>]*rel=\"stylesheet\"[^>]*>", html)
        scripts = [tag for tag in re.findall(r"<script\b[^>]*>", html) if "src=" in tag]

        assert len(stylesheets) == 1 and "common/site" in stylesheets[0], (path, stylesheets)
        assert scripts and all(" defer" in tag for tag in scripts), (path, scripts)
