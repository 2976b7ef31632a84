import pytest

from testkit.votes import fresh_rate_limits  # noqa: F401 (autouse: signup limits start fresh)
from verdicts.digest.tests.smtp import smtp_mailers, smtp_server


@pytest.fixture
def smtp(settings):
    """A real SMTP server on loopback, and MAILERS pointing at it."""
    with smtp_server() as (recorder, port):
        settings.MAILERS = smtp_mailers(port)
        yield recorder
