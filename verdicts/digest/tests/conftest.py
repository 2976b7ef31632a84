import pytest
from django.core.cache import cache

from verdicts.digest.tests.smtp import smtp_mailers, smtp_server


@pytest.fixture
def smtp(settings):
    """A real SMTP server on loopback, and MAILERS pointing at it."""
    with smtp_server() as (recorder, port):
        settings.MAILERS = smtp_mailers(port)
        yield recorder


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()
