"""`verdicts panel status --limit` takes 1 or more; anything else is a one-line error."""

import subprocess
import sys

import pytest

from testkit.processes import verdicts_env
from testkit.subprocesses import wait_for_other_sessions_to_end


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("limit", ["-1", "0"])
def test_a_limit_below_one_is_refused_naming_the_argument(tmp_path, limit):
    done = subprocess.run(
        [sys.executable, "-m", "verdicts.cli", "panel", "status", "--limit", limit],
        env=verdicts_env(tmp_path),
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
