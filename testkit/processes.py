"""A real `verdicts` process killed while it waits on a model: the crash-recovery tests' setup."""

import os
import signal
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from django.conf import settings

from testkit.subprocesses import subprocess_database_url, wait_for_other_sessions_to_end


def verdicts_env(var_dir: Path, **extra: str) -> dict[str, str]:
    """The environment of a `verdicts` process on the test database, with `extra` settings and
    no VERDICTS_ setting inherited from this one."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("VERDICTS_")}
    return env | {
        "DJANGO_SETTINGS_MODULE": "verdicts.settings",
        "DATABASE_URL": subprocess_database_url(),
        "SECRET_KEY": settings.SECRET_KEY,
        "VERDICTS_VAR_DIR": str(var_dir),
        **extra,
    }


def verdicts_kill_mid_call(
    args: Sequence[str], *, env: dict[str, str], requests: Sequence, timeout: float = 60
) -> None:
    """Run `verdicts <args>`, SIGKILL it once the fake model has received a request (`requests`
    is the fake's list of them), and wait until its database session is gone."""
    process = subprocess.Popen(
        [sys.executable, "-m", "verdicts.cli", *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    deadline = time.monotonic() + timeout
    command = " ".join(args)
    try:
        while not requests:
            assert process.poll() is None, process.stdout.read()
            assert time.monotonic() < deadline, f"`verdicts {command}` never called the model"
            time.sleep(0.02)
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)
        process.stdout.close()
    wait_for_other_sessions_to_end()
