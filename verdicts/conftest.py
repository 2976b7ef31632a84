"""Fixtures shared by every app's tests."""

import pytest
from pydantic_ai import models

from testkit.browser import browser_page, no_script_page  # noqa: F401  (fixtures for all)
from verdicts.core.starter import starter_catalog_load

# No test may reach a real model: a request that slips through fails loudly.
models.ALLOW_MODEL_REQUESTS = False


@pytest.fixture
def starter(db):
    """The real starter catalog, loaded as `verdicts init` loads it."""
    return starter_catalog_load()
