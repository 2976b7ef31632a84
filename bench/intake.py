"""Intake: tools a second through the whole importer path, from a local feed of launches.

A threaded HTTP server on loopback (reached through VERDICTS_FETCH_ALLOW_HOSTS) serves an RSS
feed of N entries, each linking to a product page with Open Graph and JSON-LD metadata. The
bench imports the feed (fetch, parse, match, store: every tool created as a draft), imports it
again (every tool unchanged), and parses the feed bytes alone with feedparser. It prints tools a
second for both imports and each import's time as a ratio of the parse alone.

Run: .venv/bin/python bench/intake.py [ENTRIES]   (defaults to 1000)
"""

import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from _setup import django_start

ENTRIES = int(sys.argv[1]) if len(sys.argv) > 1 else 1000


def page(number: int) -> bytes:
    name = f"Launch {number:05d}"
    return f"""<!doctype html><html><head><title>{name} | Launches</title>
<meta name="description" content="{name} turns prompts into working pipelines.">
<meta property="og:title" content="{name}"><meta property="og:image" content="/logo/{number}.png">
<link rel="canonical" href="https://launch-{number}.example/">
<script type="application/ld+json">{{"@type": "SoftwareApplication", "name": "{name}",
"offers": {{"price": "{number % 50}", "priceCurrency": "USD"}}}}</script>
</head><body><main><h1>{name}</h1><p>{name} is tool number {number} of the bench feed.</p>
<p>It reads a prompt and writes a pipeline.</p></main></body></html>""".encode()


def feed(base: str) -> bytes:
    items = "".join(
        f"<item><title>Launch {n:05d}</title><link>{base}/tools/{n}</link>"
        f"<guid>{base}/tools/{n}</guid></item>"
        for n in range(ENTRIES)
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>Launches</title><link>{base}/</link>{items}</channel></rss>"
    ).encode()


class Handler(BaseHTTPRequestHandler):
    feed_body = b""

    def do_GET(self):
        if self.path == "/feed.xml":
            body, kind = self.feed_body, "application/rss+xml"
        elif self.path.startswith("/tools/"):
            body, kind = page(int(self.path.rsplit("/", 1)[1])), "text/html; charset=utf-8"
        else:
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
BASE = f"http://127.0.0.1:{server.server_port}"
Handler.feed_body = feed(BASE)
threading.Thread(target=server.serve_forever, daemon=True).start()

django_start(env={"VERDICTS_FETCH_ALLOW_HOSTS": f"127.0.0.1:{server.server_port}"})

import feedparser  # noqa: E402
from django.core.management import call_command  # noqa: E402

from verdicts.catalog.models import Tool  # noqa: E402
from verdicts.ingest.pipeline import LineKind, target_import  # noqa: E402


def timed_import() -> tuple[float, dict[str, int]]:
    counts: dict[str, int] = {}
    started = time.perf_counter()
    for line in target_import(target=f"{BASE}/feed.xml"):
        counts[line.kind] = counts.get(line.kind, 0) + 1
    return time.perf_counter() - started, counts


call_command("migrate", verbosity=0)
started = time.perf_counter()
parsed = feedparser.parse(Handler.feed_body)
parse_seconds = time.perf_counter() - started
assert len(parsed.entries) == ENTRIES

first, first_counts = timed_import()
again, again_counts = timed_import()
server.shutdown()

if first_counts != {LineKind.CREATED: ENTRIES} or again_counts != {LineKind.UNCHANGED: ENTRIES}:
    raise SystemExit(f"unexpected outcomes: first {first_counts}, again {again_counts}")
assert Tool.objects.count() == ENTRIES

print(f"feed of {ENTRIES} entries, each a page on loopback; SQLite; one process")
print(f"parse only (feedparser)   {parse_seconds * 1000:9.1f} ms")
print(f"first import (created)    {first * 1000:9.1f} ms  {ENTRIES / first:8.1f} tools/s")
print(f"  ratio to parse only     {first / parse_seconds:9.1f}x")
print(f"re-import (all unchanged) {again * 1000:9.1f} ms  {ENTRIES / again:8.1f} tools/s")
print(f"  ratio to parse only     {again / parse_seconds:9.1f}x")
print(f"  ratio to first import   {again / first:9.2f}x")
