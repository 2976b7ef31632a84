"""Digest sending: our crash-safe outbox against a bare smtplib loop, through a local SMTP server.

Sends one issue (three starter comparisons, a typical week) to N confirmed subscribers twice,
each time to an aiosmtpd server of its own on loopback: with a bare loop that builds each
message and hands it to smtplib on one connection (half before, half after the other run), and
with `issue_send` (claim a row, send through Django's mailer, record it: two committed writes a
message). Prints messages per second for both, their ratio, and the duplicate and missing
counts seen by the server.

Run: .venv/bin/python bench/digest.py [N]   (N defaults to 10000)
"""

import os
import re
import smtplib
import subprocess
import sys
import threading
import time
from collections import Counter
from email.policy import SMTP

from _setup import django_start

# Mail goes only to the SMTP servers this bench starts.
os.environ.pop("EMAIL_URL", None)
django_start(
    env={"DJANGO_SETTINGS_MODULE": "verdicts.settings", "SITE_URL": "https://verdicts.example"}
)

from aiosmtpd.controller import Controller  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402

from verdicts.catalog.models import Comparison  # noqa: E402
from verdicts.core.starter import starter_catalog_load  # noqa: E402
from verdicts.digest.messages import IssueMailing  # noqa: E402
from verdicts.digest.models import Subscriber  # noqa: E402
from verdicts.digest.services.issues import issue_build  # noqa: E402
from verdicts.digest.services.outbox import issue_send  # noqa: E402
from verdicts.digest.tests.smtp import free_port, smtp_mailers  # noqa: E402
from verdicts.digest.tokens import message_id_make  # noqa: E402

MESSAGE_ID = re.compile(rb"^Message-ID: (\S+)", re.I | re.M)


class Tally:
    """Keeps only (recipient, Message-ID) per accepted message, so 10,000 fit in memory."""

    def __init__(self):
        self.seen: Counter[tuple[str, bytes]] = Counter()
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        message_id = MESSAGE_ID.search(envelope.original_content)
        with self.lock:
            for rcpt in envelope.rcpt_tos:
                self.seen[(rcpt, message_id.group(1) if message_id else b"")] += 1
        return "250 OK"


def serve(port: int) -> None:
    """The SMTP server, in a process of its own so it does not share the sender's GIL.

    Runs until stdin closes, then prints one line a message: recipient and Message-ID.
    """
    tally = Tally()
    controller = Controller(tally, hostname="127.0.0.1", port=port, data_size_limit=0)
    controller.start()
    print("ready", flush=True)
    sys.stdin.read()
    controller.stop()
    for (rcpt, message_id), times in tally.seen.items():
        for _ in range(times):
            print(rcpt, message_id.decode())


class Server:
    def __init__(self):
        self.port = free_port()
        self.process = subprocess.Popen(
            [sys.executable, __file__, "--serve", str(self.port)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdout.readline().strip() == "ready"

    def stop(self) -> Counter[str]:
        """Messages accepted, per recipient."""
        output, _ = self.process.communicate(timeout=120)
        return Counter(line.split()[0] for line in output.splitlines() if line)


def bare_send(mailing: IssueMailing, port: int, readers: list[tuple[int, str]]) -> float:
    """The baseline: the same messages through one smtplib connection; returns seconds taken."""
    started = time.perf_counter()
    with smtplib.SMTP("127.0.0.1", port) as client:
        for subscriber_id, email in readers:
            message_id = message_id_make(kind="digest", number=1, subscriber_id=subscriber_id)
            message = mailing.message(
                subscriber_id=subscriber_id, email=email, message_id=message_id
            )
            client.sendmail(
                settings.DEFAULT_FROM_EMAIL, [email], message.message(policy=SMTP).as_bytes()
            )
    return time.perf_counter() - started


def check(per_reader: Counter[str], readers: list[tuple[int, str]]) -> tuple[int, int]:
    duplicates = sum(count - 1 for count in per_reader.values() if count > 1)
    missing = sum(1 for _, email in readers if per_reader[email] == 0)
    return duplicates, missing


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    call_command("migrate", interactive=False, verbosity=0)
    starter_catalog_load()
    # A typical week: the three newest starter comparisons (the first issue would carry all ten).
    newest = Comparison.objects.order_by("-published_at", "-id").values_list("pk", flat=True)[:3]
    Comparison.objects.exclude(pk__in=list(newest)).update(published_at=None)
    Subscriber.objects.bulk_create(
        Subscriber(email=f"reader{n}@example.com", status=Subscriber.Status.CONFIRMED)
        for n in range(count)
    )
    readers = list(Subscriber.objects.order_by("pk").values_list("pk", "email"))
    issue = issue_build()
    mailing = IssueMailing(issue)
    size = len(
        mailing.message(subscriber_id=1, email="x@example.com", message_id="<x@y>")
        .message()
        .as_bytes()
    )
    print(f"Issue #{issue.number}: {len(issue.items)} comparisons, {size:,} bytes a message")
    print(f"Sending to {count:,} confirmed subscribers through aiosmtpd on loopback")

    # The machine is shared, so its speed drifts: the bare loop sends half its messages before
    # the outbox run and half after, and both rates cover the same stretch of time.
    bare_server, our_server = Server(), Server()
    half = len(readers) // 2
    bare_seconds = bare_send(mailing, bare_server.port, readers[:half])
    settings.MAILERS = smtp_mailers(our_server.port)
    started = time.perf_counter()
    report = issue_send(number=issue.number)
    our_rate = count / (time.perf_counter() - started)
    bare_seconds += bare_send(mailing, bare_server.port, readers[half:])
    bare_rate = count / bare_seconds
    bare, ours = bare_server.stop(), our_server.stop()

    bare_dup, bare_missing = check(bare, readers)
    duplicates, missing = check(ours, readers)
    print(
        f"bare smtplib loop : {bare_rate:8.0f} msg/s  duplicates {bare_dup}  missing {bare_missing}"
    )
    print(f"digest outbox     : {our_rate:8.0f} msg/s  duplicates {duplicates}  missing {missing}")
    print(f"outbox / bare     : {our_rate / bare_rate:8.2f}x   (finished: {report.finished})")
    if duplicates or missing or not report.finished:
        sys.exit(1)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--serve"]:
        serve(int(sys.argv[2]))
    else:
        main()
