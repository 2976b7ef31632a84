"""Test settings: the real settings, made fast and hermetic."""

import os

from verdicts.settings import *  # noqa: F403
from verdicts.settings import DATABASES, HUEY, SQLITE_ENGINE, VAR_DIR

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
HUEY = {**HUEY, "huey_class": "huey.MemoryHuey", "immediate": True}
HUEY.pop("filename", None)
HUEY.pop("url", None)
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}

if DATABASES["default"]["ENGINE"] == SQLITE_ENGINE:
    # A file, not :memory:, so that threads and subprocesses in tests share one database;
    # one per test run (inherited by its subprocesses), so parallel runs never collide.
    TEST_DB_NAME = os.environ.setdefault("VERDICTS_TEST_DB", f"test-verdicts-{os.getpid()}")
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"{TEST_DB_NAME}.sqlite3")}

# Static files come straight from the apps; nothing is collected in tests.
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
# No test reaches a real registry: one that forgets to point these at its loopback fake is
# refused by the fetcher (a loopback address outside the allow-list) before anything is sent.
VERDICTS_PACKAGE_INDEX_URL = "http://127.0.0.1:9"
VERDICTS_HF_API_URL = "http://127.0.0.1:9"
VERDICTS_GITHUB_API_URL = "http://127.0.0.1:9"
# Most tests write rows directly and read a page at once, without the writes' stamps; the page
# cache has tests of its own that turn it on (verdicts/common/tests/test_page_cache.py).
PAGE_CACHE_ENABLED = False
