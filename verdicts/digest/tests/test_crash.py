"""Kill a real sender process mid-send, resume it, and count what every reader received."""

import os
import signal
import subprocess
import sys
import time
from collections import Counter

import pytest
from django.conf import settings

from testkit.subprocesses import subprocess_database_url, wait_for_other_sessions_to_end
from verdicts.catalog.tests.factories import ComparisonFactory
from verdicts.digest.models import Delivery, Issue, Subscriber
from verdicts.digest.services.issues import issue_build
from verdicts.digest.tests.factories import SubscriberFactory
from verdicts.digest.tests.smtp import smtp_server

READERS = 60


def sender(port: int, tmp_path) -> subprocess.Popen:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "verdicts.settings",
        "DATABASE_URL": subprocess_database_url(),
        "EMAIL_URL": f"smtp://127.0.0.1:{port}",
        "SECRET_KEY": settings.SECRET_KEY,
        "SITE_URL": settings.SITE_URL,
        "VERDICTS_VAR_DIR": str(tmp_path),
        "VERDICTS_DIGEST_LEASE_SECONDS": "1",
    }
    command = [sys.executable, "-m", "verdicts.cli", "digest", "send", "1", "--foreground"]
    return subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )


def kill_after(process: subprocess.Popen, recorder, messages: int) -> None:
    deadline = time.monotonic() + 60
    while recorder.count() < messages:
        assert process.poll() is None, process.stdout.read()
        assert time.monotonic() < deadline, "the sender never got that far"
        time.sleep(0.005)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=10)


@pytest.mark.django_db(transaction=True)
def test_killing_the_sender_twice_loses_nobody_and_duplicates_at_most_once_per_kill(tmp_path):
    ComparisonFactory()
    readers = SubscriberFactory.create_batch(READERS)
    SubscriberFactory(email="pending@example.com", status=Subscriber.Status.PENDING)
    SubscriberFactory(email="left@example.com", status=Subscriber.Status.UNSUBSCRIBED)
    issue_build()

    with smtp_server(delay=0.01) as (recorder, port):
        kill_after(sender(port, tmp_path), recorder, messages=12)
        kill_after(sender(port, tmp_path), recorder, messages=35)
        assert Issue.objects.get(number=1).status == Issue.Status.SENDING
        assert recorder.count() < READERS, "the kills must land mid-send"
        final = sender(port, tmp_path)
        output, _ = final.communicate(timeout=120)
        assert final.returncode == 0, output

    received = recorder.per_recipient()
    assert set(received) == {reader.email for reader in readers}, "nobody missed, nobody extra"
    duplicates = sum(count - 1 for count in received.values())
    assert duplicates <= 2, f"{duplicates} duplicates from 2 kills"
    ids = Counter(item.message["Message-ID"] for item in recorder.received)
    assert len(ids) == READERS, "a resent message keeps its Message-ID"
    assert set(Delivery.objects.values_list("status", flat=True)) == {Delivery.Status.SENT}
    assert Issue.objects.get(number=1).status == Issue.Status.SENT
    assert "Issue #1 sent" in output
    wait_for_other_sessions_to_end()
