"""Real `verdicts worker` processes sharing one Huey queue on Redis, with a fake model server and
a real SMTP server on loopback, for tests that several workers do every job exactly once."""

import os
import re
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path

import redis
from django.conf import settings
from huey import PriorityRedisHuey

from testkit.subprocesses import subprocess_database_url
from verdicts.digest.tests.smtp import Recorder, smtp_server
from verdicts.llm.testing import FakeLLMServer

# The Redis database kept for these tests; each run names its own queue inside it.
REDIS_URL = "redis://127.0.0.1:6379/7"
ROOT = Path(__file__).resolve().parents[1]
STARTED = "Huey consumer started"
EXECUTING = re.compile(r"Executing (\S+): ([0-9a-f-]{36})")
TIMEOUT = 120
# Settings a test sets itself; whatever the test run inherited could point elsewhere.
INHERITED_PREFIXES = ("VERDICTS_", "DJANGO_", "HUEY_", "VOTES_")
INHERITED_NAMES = {"DATABASE_URL", "EMAIL_URL", "REDIS_URL", "DEBUG", "LOG_LEVEL", "SECRET_KEY"}


def redis_answers(url: str = REDIS_URL) -> bool:
    """Whether a Redis server answers at this address."""
    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


def wait_for(ready: Callable[[], bool], *, what: str, timeout: float = TIMEOUT) -> None:
    """Poll until `ready()`; fail naming `what` after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not ready():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


@dataclass
class Workers:
    """Worker processes by label, each logging to its own file, and the servers they use."""

    var_dir: Path
    env: dict[str, str]
    queue: str
    fake: FakeLLMServer
    smtp: Recorder
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)

    def command(self, *args: str) -> list[str]:
        return [sys.executable, "-m", "verdicts.cli", *args]

    def start(self, *labels: str) -> None:
        """Start a `verdicts worker` for each label, and wait until every consumer is up."""
        for label in labels:
            with self.log_path(label).open("w") as handle:
                self.processes[label] = subprocess.Popen(
                    self.command("worker"),
                    cwd=ROOT,
                    env=self.env,
                    stdout=handle,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
        for label in labels:
            wait_for(lambda label=label: self.started(label), what=f"{label} to start")

    def started(self, label: str) -> bool:
        """Whether the worker's consumer is up; fails at once if the worker has exited."""
        assert self.processes[label].poll() is None, f"{label} exited:\n{self.log(label)}"
        return STARTED in self.log(label)

    def kill(self, label: str) -> None:
        """SIGKILL a worker and everything it started: no clean-up code of its own runs."""
        process = self.processes.pop(label)
        with suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=TIMEOUT)

    def stop_all(self) -> None:
        for label in list(self.processes):
            self.kill(label)

    def log_path(self, label: str) -> Path:
        return self.var_dir / f"{label}.log"

    def log(self, label: str) -> str:
        return self.log_path(label).read_text()

    def executed(self, label: str, task: str) -> list[str]:
        """The ids of the tasks of this name the worker started, in its log."""
        return [task_id for name, task_id in EXECUTING.findall(self.log(label)) if name == task]

    def run(self, *args: str) -> str:
        """Run a `verdicts` command against the same database and queue, to its end."""
        done = subprocess.run(
            self.command(*args),
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
        )
        output = done.stdout + done.stderr
        assert done.returncode == 0 and "Traceback" not in output, (args, output)
        return output

    def popen(self, *args: str) -> subprocess.Popen:
        """Start a `verdicts` command against the same database and queue."""
        return subprocess.Popen(
            self.command(*args),
            cwd=ROOT,
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )

    def queued(self) -> int:
        """Messages waiting in this run's Huey queue."""
        return queue_open(self.queue).pending_count()


def queue_open(name: str) -> PriorityRedisHuey:
    """The workers' queue, as the settings give it to them (Huey spells its keys itself)."""
    return PriorityRedisHuey(name, url=REDIS_URL)


@contextmanager
def workers_running(var_dir: Path) -> Iterator[Workers]:
    """A Huey queue of this run's own on Redis, a fake model, an SMTP server, and the settings
    for `verdicts` subprocesses to use them with the test database; no worker is started yet.
    Whatever happens, every process started is killed and the queue deleted afterwards."""
    # Letters and digits only: Huey drops any other character from the name in its keys.
    queue = f"verdictstest{uuid.uuid4().hex[:12]}"
    inherited = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(INHERITED_PREFIXES) and key not in INHERITED_NAMES
    }
    with FakeLLMServer() as fake, smtp_server(delay=0.01) as (recorder, port):
        env = inherited | {
            "DJANGO_SETTINGS_MODULE": "testkit.worker_settings",
            "VERDICTS_TEST_HUEY_NAME": queue,
            "HUEY_REDIS_URL": REDIS_URL,
            "DATABASE_URL": subprocess_database_url(),
            "EMAIL_URL": f"smtp://127.0.0.1:{port}",
            "SECRET_KEY": settings.SECRET_KEY,
            "SITE_URL": settings.SITE_URL,
            "VERDICTS_VAR_DIR": str(var_dir),
            "VERDICTS_PANEL_MODEL": f"{fake.openai_base_url}#fake-model",
            "VERDICTS_PANEL_TIMEOUT": "30",
            "VERDICTS_WORKER_THREADS": "3",
            # Short claims, so a sender that finds another's rows open waits seconds, not minutes.
            "VERDICTS_DIGEST_LEASE_SECONDS": "5",
            "VERDICTS_DIGEST_SCHEDULE": "off",
            "VERDICTS_DAILY_SCHEDULE": "off",
            "LOG_LEVEL": "INFO",
        }
        workers = Workers(var_dir=var_dir, env=env, queue=queue, fake=fake, smtp=recorder)
        try:
            yield workers
        finally:
            workers.stop_all()
            # This run's queue, schedule, results and counters, and nobody else's.
            queue_open(queue).storage.flush_all()
