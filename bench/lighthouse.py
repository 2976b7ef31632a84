"""Lighthouse on the four pages of issue 15's goals, mobile and desktop, against the goals.

On a scratch var dir (`verdicts init`, then `verdicts serve --no-worker`: gunicorn, the
production settings with the page cache on, static files from WhiteNoise), the pinned
Lighthouse CLI (testkit/web-checks, `make install-dev`) audits the comparison page, a tool
page, /tools/ and home with Debian's chromium, each form factor in turn, and prints the four
category scores per page against the goals: accessibility, best practices and SEO 100,
performance at least 98. Below a score, the audits that cost it. It also prints the comparison
page's HTML size and Lighthouse's count of the bytes a first load moves (goals: HTML under
60 KB, all under 100 KB). Performance is timed: other work on the machine lowers it, so the
load average is printed with the figures. Exits 1 when a goal is missed.

Run: .venv/bin/python bench/lighthouse.py [--only mobile|desktop]
(needs npm packages from `make install-dev` and chromium: apt-get install chromium)
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import urllib.request
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from _setup import VERDICTS, checkout_importable, free_port, verdicts_serving

checkout_importable()
from testkit.quality import COMPARISON, FIRST_LOAD_LIMIT, HTML_LIMIT, LIGHTHOUSE, LIGHTHOUSE_PAGES  # noqa: E402

CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
GOALS = {"performance": 98, "accessibility": 100, "best-practices": 100, "seo": 100}
CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage"


def site_env(var_dir: Path, site_url: str) -> dict:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("VERDICTS_", "VOTES_", "PAGE_CACHE_", "DJANGO_", "HUEY_"))
        and key not in ("DATABASE_URL", "REDIS_URL", "SITE_URL")
    }
    return env | {
        "DJANGO_SETTINGS_MODULE": "verdicts.settings",
        "VERDICTS_VAR_DIR": str(var_dir),
        "DATABASE_URL": f"sqlite:///{var_dir / 'verdicts.sqlite3'}",
        "SECRET_KEY": "bench-" + uuid.uuid4().hex + uuid.uuid4().hex,
        # The canonical links and og:url then name the server being audited.
        "SITE_URL": site_url,
        "LOG_LEVEL": "WARNING",
        "VERDICTS_PANEL_MODEL": "",
        "PAGE_CACHE_ENABLED": "1",
    }


@contextmanager
def site_serving(var_dir: Path) -> Iterator[str]:
    """The initialised site under gunicorn on a free loopback port; yields its base URL."""
    var_dir.mkdir()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = site_env(var_dir, base)
    subprocess.run([VERDICTS, "init"], env=env, check=True, stdout=subprocess.DEVNULL)
    with verdicts_serving(env=env, workers=2, port=port):
        yield base


def lighthouse_run(*, url: str, desktop: bool, report: Path) -> dict:
    """One Lighthouse run of url; its JSON report."""
    command = [
        str(LIGHTHOUSE),
        url,
        "--output=json",
        f"--output-path={report}",
        "--quiet",
        f"--chrome-flags={CHROME_FLAGS}",
    ]
    if desktop:
        command.append("--preset=desktop")
    env = os.environ | {"CHROME_PATH": shutil.which("chromium") or "/usr/bin/chromium"}
    subprocess.run(command, env=env, check=True, timeout=300)
    return json.loads(report.read_text())


def costly_audits(result: dict, category: str) -> list[str]:
    """The weighted audits of a category that did not score full marks."""
    audits = result["audits"]
    lines = []
    for ref in result["categories"][category]["auditRefs"]:
        audit = audits[ref["id"]]
        if ref["weight"] and audit["score"] is not None and audit["score"] < 1:
            shown = audit.get("displayValue") or ""
            lines.append(f"      {ref['id']} {audit['score']:.2f} {shown}".rstrip())
    return lines


def form_factor_run(*, base: str, desktop: bool, scratch: Path) -> bool:
    label = "desktop" if desktop else "mobile"
    print(f"\n== {label} (load average {os.getloadavg()[0]:.1f})")
    print(f"{'page':<12}" + "".join(f"{name:>16}" for name in CATEGORIES))
    met = True
    for name, path in LIGHTHOUSE_PAGES.items():
        result = lighthouse_run(
            url=base + path, desktop=desktop, report=scratch / f"{name}-{label}.json"
        )
        scores = {
            category: round(result["categories"][category]["score"] * 100)
            for category in CATEGORIES
        }
        missed = [category for category in CATEGORIES if scores[category] < GOALS[category]]
        met = met and not missed
        print(
            f"{name:<12}"
            + "".join(
                f"{scores[category]:>12} {'ok' if category not in missed else 'LOW':>3}"
                for category in CATEGORIES
            )
        )
        for category in CATEGORIES:
            if scores[category] < 100:
                print("\n".join(costly_audits(result, category)))
        if name == "comparison":
            moved = result["audits"]["total-byte-weight"]["numericValue"]
            met = met and moved < FIRST_LOAD_LIMIT
            print(f"      first load moves {moved / 1024:.1f} KB (goal < 100 KB)")
    return met


def html_size(base: str) -> int:
    with urllib.request.urlopen(base + COMPARISON, timeout=30) as response:
        return len(response.read())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=["mobile", "desktop"], help="One form factor only.")
    options = parser.parse_args()
    sys.stdout.reconfigure(line_buffering=True)
    if not LIGHTHOUSE.exists() or shutil.which("chromium") is None:
        print("bench/lighthouse.py: skipped, it needs `make install-dev` (npm) and chromium")
        return
    scratch = Path(tempfile.mkdtemp(prefix="verdicts-bench-lighthouse-"))
    try:
        with site_serving(scratch / "var") as base:
            size = html_size(base)
            print(f"comparison page HTML: {size / 1024:.1f} KB uncompressed (goal < 60 KB)")
            met = size < HTML_LIMIT
            for desktop in (False, True):
                if options.only in (None, "desktop" if desktop else "mobile"):
                    met = form_factor_run(base=base, desktop=desktop, scratch=scratch) and met
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    if not met:
        sys.exit(1)


if __name__ == "__main__":
    main()
