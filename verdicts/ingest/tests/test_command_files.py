"""`verdicts ingest docs` reads only regular files, capped while reading, and says so in a line.

Each case runs the real command in a subprocess: /dev/zero would fill memory and a FIFO would
block forever if either were opened and read to the end.
"""

import os
import resource
import subprocess
import sys

import pytest
from django.core.exceptions import ValidationError

from testkit.processes import verdicts_env
from testkit.subprocesses import wait_for_other_sessions_to_end
from verdicts.catalog.tests.factories import ToolFactory
from verdicts.ingest.models import ToolDocument
from verdicts.ingest.sources import text_from_file

pytestmark = pytest.mark.django_db(transaction=True)


def memory_capped() -> None:
    """In the child: 2 GB of address space, so a command that reads /dev/zero fails fast."""
    resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))


def ingest_docs(tmp_path, source: str, **env) -> subprocess.CompletedProcess:
    ToolFactory(slug="cursor")
    done = subprocess.run(
        [sys.executable, "-m", "verdicts.cli", "ingest", "docs", "cursor", source],
        env=verdicts_env(tmp_path) | env,
        capture_output=True,
        text=True,
        timeout=30,
        preexec_fn=memory_capped,
    )
    wait_for_other_sessions_to_end()
    return done


def assert_one_line_error(done: subprocess.CompletedProcess, line: str) -> None:
    assert done.returncode != 0
    assert done.stdout == ""
    assert done.stderr.strip().splitlines() == [line]
    assert not ToolDocument.objects.exists()


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs /dev/zero")
def test_a_device_is_refused_before_it_is_read(tmp_path):
    done = ingest_docs(tmp_path, "/dev/zero", VERDICTS_DOCUMENT_MAX_BYTES="1000")
    assert_one_line_error(done, "CommandError: /dev/zero is not a regular file")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_fifo_is_refused_without_waiting_for_a_writer(tmp_path):
    fifo = tmp_path / "docs.md"
    os.mkfifo(fifo)
    done = ingest_docs(tmp_path, str(fifo))
    assert_one_line_error(done, f"CommandError: {fifo} is not a regular file")


def test_a_directory_is_refused(tmp_path):
    done = ingest_docs(tmp_path, str(tmp_path))
    assert_one_line_error(done, f"CommandError: {tmp_path} is not a regular file")


def test_a_malformed_url_is_one_line(tmp_path):
    done = ingest_docs(tmp_path, "http://[::1")
    assert done.returncode != 0 and done.stdout == ""
    [line] = done.stderr.strip().splitlines()
    assert line.startswith("CommandError: Nothing imported: ") and "http://[::1" in line


def test_a_file_that_outgrows_its_stat_is_cut_off_at_the_cap(tmp_path, monkeypatch):
    path = tmp_path / "growing.md"
    path.write_text("x" * 5000)

    def lying(real):  # a file that grew after stat, or a filesystem that reports a wrong size
        def stat(*args, **kwargs):
            status = real(*args, **kwargs)
            return os.stat_result((*status[:6], 10, *status[7:]))

        return stat

    monkeypatch.setattr(os, "stat", lying(os.stat))
    monkeypatch.setattr(os, "fstat", lying(os.fstat))
    with pytest.raises(ValidationError, match="more than VERDICTS_DOCUMENT_MAX_BYTES"):
        text_from_file(path, max_bytes=1000)
