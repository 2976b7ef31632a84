"""`verdicts panel status --limit` takes 1 or more; anything else is a one-line error."""

import os
import subprocess
import sys

import pytest
from django.conf import settings

from testkit.subprocesses import subprocess_database_url, wait_for_other_sessions_to_end


def command_env(var_dir) -> dict[str, str]:
    """A real `verdicts` process on the test database, no VERDICTS_ setting inherited."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("VERDICTS_")}
    return env | {
        "DJANGO_SETTINGS_MODULE": "verdicts.settings",
        "DATABASE_URL": subprocess_database_url(),
        "SECRET_KEY": settings.SECRET_KEY,
        "VERDICTS_VAR_DIR": str(var_dir),
    }


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("limit", ["-1", "0"])
def test_a_limit_below_one_is_refused_naming_the_argument(tmp_path, limit):
    done = subprocess.run(
        [sys.executable, "-m", "verdicts.cli", "panel", "status", "--limit", limit],
        env=command_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=60,
    )
    wait_for_other_sessions_to_end()
    assert done.returncode != 0
    assert done.stdout == ""
    assert done.stderr.strip().splitlines() == [
        f"CommandError: --limit must be 1 or more, not {limit}."
    ]
