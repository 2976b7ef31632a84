"""The panel's concurrency: a full comparison panel (2 tools x 4 personas = 8 calls) against a
fake OpenAI-compatible server on loopback that answers each call after a fixed delay.

Prints the wall time of the concurrent run as a ratio of one call's delay (goal: under 1.3)
and of the sequential sum of the eight delays, then the same run done one call at a time.

Run: .venv/bin/python bench/panel.py [DELAY_SECONDS]   (defaults to 0.5)
"""

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _setup import free_port, port_wait

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DELAY = float(sys.argv[1]) if len(sys.argv) > 1 else 0.5
PAIR = ("claude-4-sonnet", "smolvlm-3b")


# The fake server runs in its own process, as a real model server would.
PORT = free_port()
fake = subprocess.Popen(
    [sys.executable, "-m", "verdicts.llm.testing", "--port", str(PORT), "--delay", str(DELAY)],
    cwd=ROOT,
    stdout=subprocess.DEVNULL,
)
os.environ["VERDICTS_VAR_DIR"] = tempfile.mkdtemp(prefix="verdicts-bench-")
# DATABASE_URL, when set, benches PostgreSQL; by default a fresh SQLite file under a temp dir.
os.environ["DJANGO_SETTINGS_MODULE"] = "verdicts.settings"
os.environ["LOG_LEVEL"] = "ERROR"
os.environ["VERDICTS_PANEL_MODEL"] = f"http://127.0.0.1:{PORT}/v1#bench-model"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402

from verdicts.catalog.models import Tool  # noqa: E402
from verdicts.core.starter import starter_catalog_load  # noqa: E402
from verdicts.panel.models import Review, RunStatus  # noqa: E402
from verdicts.panel.services import runs  # noqa: E402
from verdicts.panel.services.jobs import panel_run_execute_local  # noqa: E402
from verdicts.panel.services.runs import panel_run_create  # noqa: E402

CPU_SECONDS: dict[int, float] = {}


def timed_run(concurrency: int) -> float:
    """Queue the panel on the pair (reviews only) and do it here; return the wall time."""
    tools = [Tool.objects.get(slug=slug) for slug in PAIR]
    run, _ = panel_run_create(tools=tools, head_to_head=False, requested_by="bench")
    started, cpu = time.perf_counter(), time.process_time()
    panel_run_execute_local(run_id=run.pk, concurrency=concurrency)
    wall = time.perf_counter() - started
    CPU_SECONDS[concurrency] = time.process_time() - cpu
    run.refresh_from_db()
    if run.status != RunStatus.DONE or run.jobs.count() != 8:
        raise SystemExit(f"bench run {run.pk} ended {run.status} with {run.jobs.count()} jobs")
    return wall


def main() -> None:
    port_wait(port=PORT, process=fake, seconds=15)
    call_command("migrate", interactive=False, verbosity=0)
    starter_catalog_load()
    # No worker in this process: the bench does the jobs itself, as `panel run` does then.
    runs.jobs_enqueue = lambda job_ids: None
    timed_run(concurrency=8)  # warm-up: imports, connections, schema builds
    concurrent = timed_run(concurrency=8)
    sequential = timed_run(concurrency=1)
    reviews = Review.objects.filter(tool__slug__in=PAIR, model_id__endswith="#bench-model")
    fake.terminate()
    fake.wait(timeout=10)
    total = 8 * DELAY
    print(f"panel: 2 tools x 4 personas = 8 calls, fake server delay {DELAY:.2f}s per call")
    print(
        f"  concurrent run: {concurrent:.3f}s = {concurrent / DELAY:.2f}x one call's delay "
        f"(goal < 1.3); {concurrent / total:.3f} of the sequential sum ({total:.2f}s)"
    )
    print(
        f"  one call at a time: {sequential:.3f}s = {sequential / total:.2f}x the sequential sum; "
        f"concurrency speed-up {sequential / concurrent:.1f}x"
    )
    print(
        f"  this process's CPU time for the 8 calls: {CPU_SECONDS[8]:.3f}s concurrent, "
        f"{CPU_SECONDS[1]:.3f}s one at a time (the floor on a loaded machine)"
    )
    print(f"  reviews written: {reviews.count()} (3 runs x 8, each superseding the last)")


if __name__ == "__main__":
    main()
