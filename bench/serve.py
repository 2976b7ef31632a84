"""Serving: reader pages, nginx in front of them, and new votes, each against a trivial baseline.

For SQLite, and for PostgreSQL when one answers on 127.0.0.1:5432 (a scratch database, dropped
after), on a scratch var dir (`verdicts init`, then `verdicts serve --no-worker`, gunicorn with
VERDICTS_WEB_WORKERS workers, the page cache on), wrk prints, in one run:
1. pages: each reader page, warm, at 64 connections, against `__bench__/bytes/<name>` on the
   same server (bench/_serve_urls.py), a trivial view answering the same bytes (goal: ratio
   >= 0.8, p99 < 50 ms);
2. nginx: the same pages through the shipped configuration (deploy/, rendered for plain HTTP on
   loopback by bench/_serve_nginx.py) against nginx serving the same bytes as a static file
   through the same configuration's /static/ (goal: ratio >= 0.5);
3. votes: new votes (wrk keeps no cookies: each request is a new voter) to
   /api/votes/tools/<slug> with `Sec-Fetch-Site: same-origin` at 16 connections, against
   `__bench__/post`, a POST the same CSRF check guards (goal: ratio >= 0.5); then the integrity
   check, `verdicts votes recount --check`, and the votes the site counts against those wrk saw
   answered. Each vote is a new reader's, from an address of its own (X-Forwarded-For from
   127.0.0.1, trusted for the run as nginx would be), so the vote limits stay at their
   defaults and are counted on every vote without binding; votes from one address would
   queue behind each other by design (verdicts/votes/services/limits.py).

Run: .venv/bin/python bench/serve.py [--seconds 5] [--only pages|nginx|votes]
(needs wrk and nginx: apt-get install wrk nginx)
"""

import argparse
import http.client
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path

from _databases import postgres_answers, postgres_scratch
from _serve_nginx import nginx_loopback_render, nginx_running
from _setup import VERDICTS, free_port, verdicts_serving

ROOT = Path(__file__).resolve().parent.parent
COMPARISON = "claude-4-sonnet-vs-smolvlm-3b"
PAGES = {
    "home.html": "/",
    "compare.html": f"/compare/{COMPARISON}/",
    "tool.html": "/tools/claude-4-sonnet/",
    "rankings.html": "/rankings/",
    "api-compare.json": f"/api/comparisons/{COMPARISON}",
}
CONNECTIONS = 64
VOTE_CONNECTIONS = 16
WRK_THREADS = 2
WARM_SECONDS = 1
# Each pair of loads runs in turn this many times: other work on the machine then weighs on both.
ROUNDS = 3
WORKERS = int(os.environ.get("VERDICTS_WEB_WORKERS", "3"))
# A new reader each request: a new voter (wrk keeps no cookies) from an address of its own
# (10.<thread>.x.y, forwarded as nginx would, from 127.0.0.1, a trusted proxy for the run);
# ship and skip in turn, tool after tool.
VOTE_LUA = """
local paths = {%(paths)s}
local n = 0
local threads = 0
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
%(headers)s
function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end
request = function()
  n = n + 1
  local choice = (n %% 2 == 0) and "ship" or "skip"
  local address = "10." .. tid .. "." .. (math.floor(n / 256) %% 256) .. "." .. (n %% 256)
  wrk.headers["X-Forwarded-For"] = address
  return wrk.format(nil, paths[n %% #paths + 1], nil, '{"choice": "' .. choice .. '"}')
end
"""


@dataclass(frozen=True)
class Load:
    rate: float
    p99_ms: float
    answered: int
    failed: int


@dataclass(frozen=True)
class Server:
    port: int
    env: dict
    var_dir: Path
    bytes_dir: Path

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"


def wrk(url: str, *, seconds: int, connections: int, script: Path | None = None) -> Load:
    """One wrk run: requests a second, the 99th percentile, answered and failed requests."""
    command = ["wrk", "-t", str(WRK_THREADS), "-c", str(connections), "-d", f"{seconds}s"]
    command += ["--latency", "--timeout", "10s", *(["-s", str(script)] if script else []), url]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    value, unit = re.search(r"99%\s+([\d.]+)(us|ms|s)\b", out).groups()
    p99_ms = float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]
    total = int(re.search(r"(\d+) requests in", out).group(1))
    socket_errors = re.search(r"Socket errors: (.*)", out)
    failed = sum(int(n) for n in re.findall(r"\d+", socket_errors.group(1))) if socket_errors else 0
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    failed += int(non_2xx.group(1)) if non_2xx else 0
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    return Load(rate=rate, p99_ms=p99_ms, answered=total - failed, failed=failed)


def request(server: Server, method: str, path: str, *, headers=None, body=None):
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def site_env(var_dir: Path, bytes_dir: Path, database_url: str) -> dict:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("VERDICTS_", "VOTES_", "PAGE_CACHE_", "DJANGO_", "HUEY_"))
        and key not in ("DATABASE_URL", "REDIS_URL")
    }
    return env | {
        "DJANGO_SETTINGS_MODULE": "bench._serve_settings",
        "PYTHONPATH": str(ROOT),
        "VERDICTS_VAR_DIR": str(var_dir),
        "BENCH_BYTES_DIR": str(bytes_dir),
        "DATABASE_URL": database_url or f"sqlite:///{var_dir / 'verdicts.sqlite3'}",
        "SECRET_KEY": "bench-" + uuid.uuid4().hex + uuid.uuid4().hex,
        "LOG_LEVEL": "WARNING",
        "VERDICTS_PANEL_MODEL": "",
        "PAGE_CACHE_ENABLED": "1",
        # The votes come from many addresses, forwarded by wrk as a proxy would: the vote
        # limits stay at their defaults, and none of them binds a reader who votes once.
        "TRUSTED_PROXIES": "127.0.0.1",
    }


def page_bytes_write(server: Server) -> dict[str, int]:
    """Each page's bytes, for the trivial view and for nginx's static copy; sizes by name."""
    static = server.var_dir / "static" / "__bench__"
    static.mkdir(parents=True, exist_ok=True)
    sizes = {}
    for name, path in PAGES.items():
        status, body = request(server, "GET", path)
        assert status == 200, (path, status)
        (server.bytes_dir / name).write_bytes(body)
        (static / name).write_bytes(body)
        status, trivial = request(server, "GET", f"/__bench__/bytes/{name}")
        assert status == 200 and trivial == body, (name, status)
        sizes[name] = len(body)
    return sizes


def compared(label: str, page: Load, baseline: Load, size_kb: float | None = None) -> str:
    size = f"{size_kb:6.1f}" if size_kb is not None else " " * 6
    failures = page.failed + baseline.failed
    failed = f"  ({page.failed} + {baseline.failed} failed)" if failures else ""
    return (
        f"{label:48} {size} {page.rate:9.0f} {page.p99_ms:8.1f} | {baseline.rate:9.0f} "
        f"{baseline.p99_ms:8.1f} | {page.rate / baseline.rate:5.2f}{failed}"
    )


def header(title: str, baseline: str) -> None:
    print(f"\n{title:48} {'KB':>6} {'req/s':>9} {'p99 ms':>8} | {baseline:>18} | ratio")


def warm(url: str, *, connections: int, script: Path | None = None) -> None:
    wrk(url, seconds=WARM_SECONDS, connections=connections, script=script)


def paired(
    urls: tuple[str, str], *, seconds: int, connections: int, scripts=(None, None)
) -> tuple[Load, Load]:
    """Both loads in turn, ROUNDS times, so that a change in the machine's load hits both; each
    side's mean rate, worst p99, and summed counts."""
    runs: tuple[list[Load], list[Load]] = ([], [])
    for _ in range(ROUNDS):
        for side, (url, script) in enumerate(zip(urls, scripts, strict=True)):
            runs[side].append(wrk(url, seconds=seconds, connections=connections, script=script))
    page, baseline = (
        Load(
            rate=sum(run.rate for run in side) / len(side),
            p99_ms=max(run.p99_ms for run in side),
            answered=sum(run.answered for run in side),
            failed=sum(run.failed for run in side),
        )
        for side in runs
    )
    return page, baseline


def pages_run(server: Server, sizes: dict[str, int], seconds: int) -> None:
    header(f"pages, {CONNECTIONS} connections, warm", "trivial view req/s p99")
    for name, path in PAGES.items():
        urls = (server.url(path), server.url(f"/__bench__/bytes/{name}"))
        for url in urls:
            warm(url, connections=CONNECTIONS)
        page, trivial = paired(urls, seconds=seconds, connections=CONNECTIONS)
        print(compared(path, page, trivial, sizes[name] / 1024))


def nginx_run(server: Server, sizes: dict[str, int], seconds: int, scratch: Path) -> None:
    if shutil.which("nginx") is None:
        print("\nnginx: skipped, nginx is not on PATH (apt-get install nginx)")
        return
    port = free_port()
    config = nginx_loopback_render(
        scratch=scratch, port=port, upstream_port=server.port, var_dir=server.var_dir
    )
    header(f"through nginx (deploy/), {CONNECTIONS} conns", "static file req/s p99")
    with nginx_running(config=config, port=port):
        base = f"http://127.0.0.1:{port}"
        for name, path in PAGES.items():
            urls = (base + path, f"{base}/static/__bench__/{name}")
            for url in urls:
                warm(url, connections=CONNECTIONS)
            page, static = paired(urls, seconds=seconds, connections=CONNECTIONS)
            print(compared(path, page, static, sizes[name] / 1024))
    statuses = re.findall(r"cache=(\S+)", (scratch / "access.log").read_text())
    counts = {status: statuses.count(status) for status in sorted(set(statuses))}
    print(f"nginx cache statuses of the page requests: {counts}")


def vote_script(scratch: Path, name: str, paths: list[str], headers: dict[str, str]) -> Path:
    script = scratch / f"{name}.lua"
    script.write_text(
        VOTE_LUA
        % {
            "paths": ", ".join(f'"{path}"' for path in paths),
            "headers": "\n".join(f'wrk.headers["{k}"] = "{v}"' for k, v in headers.items()),
        }
    )
    return script


def ship_votes(server: Server) -> int:
    status, body = request(server, "GET", "/api/votes/rankings")
    assert status == 200, status
    return json.loads(body)["ship_votes"]


def votes_run(server: Server, seconds: int, scratch: Path) -> None:
    status, body = request(server, "GET", "/api/tools?limit=100")
    slugs = [tool["slug"] for tool in json.loads(body)["items"]]
    headers = {"Sec-Fetch-Site": "same-origin"}
    vote = json.dumps({"choice": "ship"})
    probe = {"Content-Type": "application/json", **headers}
    status, body = request(server, "POST", f"/api/votes/tools/{slugs[0]}", headers=probe, body=vote)
    if status == 403:
        # Then the API still asks Django's token: send one, as a script would (any well-formed
        # secret that the header repeats), to both the API and the trivial POST.
        print(f"\nvotes: Sec-Fetch-Site alone was refused by the API ({status} {body[:80]!r});")
        print("       both runs below also send a csrftoken cookie and X-CSRFToken")
        token = uuid.uuid4().hex
        headers |= {"Cookie": f"csrftoken={token}", "X-CSRFToken": token}
        status, body = request(
            server, "POST", f"/api/votes/tools/{slugs[0]}", headers=probe | headers, body=vote
        )
    assert status == 200, (status, body[:200])
    api = vote_script(scratch, "votes", [f"/api/votes/tools/{slug}" for slug in slugs], headers)
    trivial = vote_script(scratch, "trivial", ["/__bench__/post"], headers)
    header(f"new votes, {VOTE_CONNECTIONS} connections", "trivial POST req/s p99")
    warm(server.url("/"), connections=VOTE_CONNECTIONS, script=trivial)
    warm(server.url("/"), connections=VOTE_CONNECTIONS, script=api)
    before = ship_votes(server)
    votes, posts = paired(
        (server.url("/"), server.url("/")),
        seconds=seconds,
        connections=VOTE_CONNECTIONS,
        scripts=(api, trivial),
    )
    print(compared(f"/api/votes/tools/<{len(slugs)} slugs>", votes, posts))
    counted = ship_votes(server) - before
    # A request still in flight when a wrk run stops (at most one per connection, warming
    # included) is counted by the site but not seen answered by wrk.
    unseen = VOTE_CONNECTIONS * (ROUNDS + 1) + votes.failed
    agrees = 0 <= counted - votes.answered <= unseen
    print(
        f"votes wrk saw answered: {votes.answered}; votes the site counts: {counted} "
        f"({'consistent' if agrees else 'MISMATCH'}: at most {unseen} unseen by wrk)"
    )
    check = subprocess.run(
        [VERDICTS, "votes", "recount", "--check"], env=server.env, capture_output=True, text=True
    )
    result = (check.stdout + check.stderr).strip()
    print(f"integrity (`verdicts votes recount --check`, exit {check.returncode}): {result}")


def measure(label: str, database_url: str, *, seconds: int, only: str | None) -> None:
    scratch = Path(tempfile.mkdtemp(prefix=f"verdicts-bench-serve-{label}-"))
    var_dir, bytes_dir = scratch / "var", scratch / "bytes"
    bytes_dir.mkdir(parents=True)
    var_dir.mkdir()
    env = site_env(var_dir, bytes_dir, database_url)
    subprocess.run([VERDICTS, "init"], env=env, check=True, stdout=subprocess.DEVNULL)
    try:
        with verdicts_serving(env=env, workers=WORKERS) as port:
            server = Server(port=port, env=env, var_dir=var_dir, bytes_dir=bytes_dir)
            # The votes need no page: they run while pages elsewhere are being changed.
            sizes = page_bytes_write(server) if only != "votes" else {}
            print(
                f"\n== {label}: verdicts serve, {WORKERS} gunicorn workers, "
                f"{os.cpu_count()} cores, wrk {WRK_THREADS} threads, {ROUNDS} runs of {seconds} s "
                f"each side, in turn, after {WARM_SECONDS} s of warming; "
                f"load average {os.getloadavg()[0]:.1f}"
            )
            if only in (None, "pages"):
                pages_run(server, sizes, seconds)
            if only in (None, "nginx"):
                nginx_run(server, sizes, seconds, scratch / "nginx")
            if only in (None, "votes"):
                votes_run(server, seconds, scratch)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=3, help="Length of each wrk run (3).")
    parser.add_argument("--only", choices=["pages", "nginx", "votes"], help="One part only.")
    parser.add_argument("--database", choices=["sqlite", "postgres"], help="One database only.")
    options = parser.parse_args()
    # Each line as it is measured, also when the output goes to a file.
    sys.stdout.reconfigure(line_buffering=True)
    if shutil.which("wrk") is None:
        print("bench/serve.py: skipped, it needs wrk (apt-get install wrk)")
        return
    if options.database != "postgres":
        measure("SQLite", "", seconds=options.seconds, only=options.only)
    if options.database == "sqlite":
        return
    if postgres_answers():
        with postgres_scratch(name=f"verdicts_serve_bench_{os.getpid()}") as database_url:
            measure("PostgreSQL", database_url, seconds=options.seconds, only=options.only)
    else:
        print("\nPostgreSQL: skipped, nothing answers on 127.0.0.1:5432")


if __name__ == "__main__":
    main()
