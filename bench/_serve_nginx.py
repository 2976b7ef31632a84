"""The shipped nginx configuration (deploy/), rendered into a scratch directory and run.

deploy/nginx.conf's TLS server includes deploy/verdicts-http.conf (http context) and
deploy/verdicts-site.conf (server context). A loopback run includes the same two files, with the
machine's paths replaced by scratch ones, in a plain-HTTP server of its own; the whole shipped
file can be rendered too, with a self-signed certificate, for `nginx -t`. Shared by
verdicts/core/tests/test_nginx.py and bench/serve.py.
"""

import grp
import os
import pwd
import re
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

DEPLOY = Path(__file__).resolve().parent.parent / "deploy"
INCLUDES = ("verdicts-http.conf", "verdicts-site.conf")
# The shipped file's machine paths (placeholders an operator replaces, or Debian's own).
UPSTREAM = "127.0.0.1:8000"
VAR_DIR = "/srv/verdicts/var"
CACHE_DIR = "/var/cache/nginx/verdicts"
CERTIFICATE = "/etc/letsencrypt/live/verdicts.example/fullchain.pem"
CERTIFICATE_KEY = "/etc/letsencrypt/live/verdicts.example/privkey.pem"
LOG_DIR = "/var/log/nginx"
PID_FILE = "/run/nginx.pid"
TEMP_PATHS = ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
STOP_SECONDS = 10


def nginx_conf_dir() -> Path:
    """Where this nginx keeps mime.types: the directory of its compiled-in configuration."""
    shown = subprocess.run(["nginx", "-V"], capture_output=True, text=True).stderr
    found = re.search(r"--conf-path=(\S+)", shown)
    return Path(found.group(1)).parent if found else Path("/etc/nginx")


def _render(name: str, replacements: dict[str, str]) -> str:
    text = (DEPLOY / name).read_text()
    for shipped, scratch in replacements.items():
        text = text.replace(shipped, scratch)
    return text


def _replacements(scratch: Path, *, upstream_port: int, var_dir: Path) -> dict[str, str]:
    return {
        UPSTREAM: f"127.0.0.1:{upstream_port}",
        VAR_DIR: str(var_dir),
        CACHE_DIR: str(scratch / "cache"),
        CERTIFICATE: str(scratch / "cert.pem"),
        CERTIFICATE_KEY: str(scratch / "key.pem"),
        LOG_DIR: str(scratch),
        PID_FILE: str(scratch / "nginx.pid"),
    }


def _copy_includes(scratch: Path, replacements: dict[str, str]) -> None:
    scratch.mkdir(parents=True, exist_ok=True)
    for name in INCLUDES:
        (scratch / name).write_text(_render(name, replacements))
    shutil.copy(nginx_conf_dir() / "mime.types", scratch / "mime.types")


def nginx_shipped_render(*, scratch: Path, upstream_port: int, var_dir: Path) -> Path:
    """deploy/nginx.conf itself, TLS included, on scratch paths and a self-signed certificate."""
    replacements = _replacements(scratch, upstream_port=upstream_port, var_dir=var_dir)
    _copy_includes(scratch, replacements)
    subprocess.run(
        [
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
            "-subj", "/CN=verdicts.example",
            "-keyout", str(scratch / "key.pem"), "-out", str(scratch / "cert.pem"),
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip
    config = scratch / "nginx.conf"
    config.write_text(_render("nginx.conf", replacements))
    return config


def nginx_loopback_render(*, scratch: Path, port: int, upstream_port: int, var_dir: Path) -> Path:
    """The shipped includes in a plain-HTTP server on 127.0.0.1:port, run as the current user."""
    replacements = _replacements(scratch, upstream_port=upstream_port, var_dir=var_dir)
    _copy_includes(scratch, replacements)
    (scratch / "temp").mkdir(exist_ok=True)
    temp = "\n".join(f"    {kind}_temp_path {scratch / 'temp' / kind};" for kind in TEMP_PATHS)
    # `user` counts only when nginx starts as root; its workers then run as whoever runs this.
    user = pwd.getpwuid(os.getuid()).pw_name
    group = grp.getgrgid(os.getgid()).gr_name
    config = scratch / "loopback.conf"
    config.write_text(
        f"""user {user} {group};
worker_processes auto;
pid {scratch / "nginx.pid"};
error_log {scratch / "error.log"} warn;
events {{
    worker_connections 4096;
}}
http {{
    include mime.types;
    default_type application/octet-stream;
    sendfile on;
{temp}
    include verdicts-http.conf;
    access_log {scratch / "access.log"} verdicts;
    server {{
        listen 127.0.0.1:{port};
        server_name 127.0.0.1 localhost;
        include verdicts-site.conf;
    }}
}}
"""
    )
    return config


def nginx_test(config: Path) -> subprocess.CompletedProcess:
    """`nginx -t` on a rendered configuration."""
    return subprocess.run(
        ["nginx", "-t", "-p", str(config.parent), "-c", str(config)],
        capture_output=True,
        text=True,
    )


@contextmanager
def nginx_running(*, config: Path, port: int) -> Iterator[subprocess.Popen]:
    """nginx in the foreground on a rendered loopback configuration, until the block ends."""
    scratch = config.parent
    process = subprocess.Popen(
        ["nginx", "-p", str(scratch), "-c", str(config), "-g", "daemon off;"],
        stdout=subprocess.DEVNULL,
        stderr=(scratch / "nginx.stderr").open("w"),
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + STOP_SECONDS
        while not _listening(port):
            log = (scratch / "nginx.stderr").read_text()
            assert process.poll() is None, f"nginx exited {process.returncode}: {log}"
            assert time.monotonic() < deadline, f"nginx never listened: {log}"
            time.sleep(0.05)
        yield process
    finally:
        with suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=STOP_SECONDS)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def _listening(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0
