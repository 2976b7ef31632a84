"""`verdicts serve`: gunicorn with several workers, plus a background-job consumer."""

import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Serve the site with gunicorn (several workers, static files by WhiteNoise) and run a "
        "background-job consumer beside it. Run `verdicts init` first."
    )

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1", help="Address to bind (127.0.0.1).")
        parser.add_argument("--port", type=int, default=8000, help="Port to bind (8000).")
        parser.add_argument(
            "--workers",
            type=int,
            default=settings.VERDICTS_WEB_WORKERS,
            help="gunicorn worker processes (VERDICTS_WEB_WORKERS, default 3).",
        )
        parser.add_argument(
            "--no-worker",
            action="store_true",
            help="Do not start a background-job consumer (run `verdicts worker` elsewhere).",
        )

    def handle(self, *args, **options):
        bind = f"{options['host']}:{options['port']}"
        web = [
            sys.executable,
            "-m",
            "gunicorn",
            "verdicts.wsgi:application",
            "--bind",
            bind,
            "--workers",
            str(options["workers"]),
            "--access-logfile",
            "-",
            "--graceful-timeout",
            "10",
        ]
        processes = [subprocess.Popen(web)]
        if not options["no_worker"]:
            processes.append(subprocess.Popen([sys.executable, "-m", "verdicts.cli", "worker"]))
        self.stdout.write(f"Verdicts is serving on http://{bind}/ (Ctrl+C stops it).")

        def stop(signum, frame):
            for process in processes:
                if process.poll() is None:
                    process.send_signal(signal.SIGTERM)

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        try:
            while all(process.poll() is None for process in processes):
                time.sleep(0.5)
        finally:
            stop(None, None)
            for process in processes:
                process.wait(timeout=30)
        failed = [p.returncode for p in processes if p.returncode not in (0, -signal.SIGTERM)]
        if failed:
            sys.exit(1)
