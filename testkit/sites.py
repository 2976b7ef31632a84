"""A scratch install run as real `verdicts` subprocesses: its own database, var/ and environment.

`call_command` skips what a real start does (system checks, argument parsing from argv), so the
command tests run the real thing through these helpers.
"""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

TIMEOUT = 60
# Settings this test sets itself; anything inherited from the test run could point elsewhere.
INHERITED_PREFIXES = ("VERDICTS_", "DJANGO_", "HUEY_", "VOTES_")
INHERITED_NAMES = {"DATABASE_URL", "EMAIL_URL", "DEBUG", "LOG_LEVEL", "SECRET_KEY"}
WORKER_STARTED = "Huey consumer started"


class Site:
    """A scratch install: its own SQLite database, var/ directory and environment."""

    def __init__(self, var_dir: Path) -> None:
        self.var_dir = var_dir
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(INHERITED_PREFIXES) and key not in INHERITED_NAMES
        }
        self.env = env | {
            "DJANGO_SETTINGS_MODULE": "verdicts.settings",
            "VERDICTS_VAR_DIR": str(var_dir),
            "DATABASE_URL": f"sqlite:///{var_dir / 'verdicts.sqlite3'}",
            "VERDICTS_PANEL_MODEL": "",
        }

    def command(self, *args: str) -> list[str]:
        return [sys.executable, "-m", "verdicts.cli", *args]

    def run(self, *args: str, env: dict | None = None) -> str:
        """Run a command to its end; its output, after checking it exited cleanly."""
        done = subprocess.run(
            self.command(*args),
            env=self.env | (env or {}),
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
        )
        output = done.stdout + done.stderr
        assert "Traceback" not in output, output
        assert done.returncode == 0, (args, done.returncode, output)
        return output

    @contextmanager
    def running(self, *args: str, log: Path) -> Iterator[subprocess.Popen]:
        """A command that runs until stopped, its output going to `log`; whatever happens, it
        and its children (gunicorn, the consumer) are gone afterwards."""
        with log.open("w") as handle:
            process = subprocess.Popen(
                self.command(*args),
                env=self.env,
                stdout=handle,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        try:
            yield process
        finally:
            with suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=TIMEOUT)


def wait_until(ready: Callable[[], bool], process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + TIMEOUT
    while not ready():
        assert process.poll() is None, f"exited {process.returncode}:\n{log.read_text()}"
        assert time.monotonic() < deadline, f"never came up:\n{log.read_text()}"
        time.sleep(0.2)


def assert_printed_once(text: str, output: str) -> None:
    lines = [line for line in output.splitlines() if text in line]
    assert len(lines) == 1, output


def stop(process: subprocess.Popen, log: Path) -> str:
    """SIGTERM, as a service manager would; the output, after checking it exited cleanly."""
    process.send_signal(signal.SIGTERM)
    returncode = process.wait(timeout=TIMEOUT)
    output = log.read_text()
    assert "Traceback" not in output, output
    assert returncode == 0, output
    return output


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def http_status(url: str) -> int | None:
    """The page's HTTP status; None while nothing answers."""
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return None


def catches_sigterm(pid: int) -> bool:
    """True once the process has its own SIGTERM handler (Linux: the SigCgt mask in /proc)."""
    status = Path(f"/proc/{pid}/status").read_text()
    caught = int(
        next(line for line in status.splitlines() if line.startswith("SigCgt:")).split()[1], 16
    )
    return bool(caught >> (signal.SIGTERM - 1) & 1)


def run_worker(site: Site) -> str:
    log = site.var_dir / "worker.log"
    with site.running("worker", log=log) as process:
        wait_until(lambda: WORKER_STARTED in log.read_text(), process, log)
        # Huey logs that it started before it installs its signal handlers: a SIGTERM sent in
        # between would kill it the hard way, as no service manager waits to see.
        wait_until(lambda: catches_sigterm(process.pid), process, log)
        return stop(process, log)


def run_serve(site: Site) -> str:
    log = site.var_dir / "serve.log"
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    with site.running("serve", "--port", str(port), "--workers", "1", log=log) as process:
        wait_until(lambda: http_status(url) is not None, process, log)
        assert http_status(url) == 200, log.read_text()
        wait_until(lambda: WORKER_STARTED in log.read_text(), process, log)
        return stop(process, log)
