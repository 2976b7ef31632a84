"""Reading the environment: the one place settings come from outside the code."""

import hashlib
import os
import re
import secrets
from pathlib import Path

# Django's own rule for a strong key (its check security.W009), kept in step with Django.
from django.core.checks.security.base import (
    SECRET_KEY_INSECURE_PREFIX,
    SECRET_KEY_MIN_LENGTH,
    SECRET_KEY_MIN_UNIQUE_CHARACTERS,
)

TRUE_WORDS = {"1", "true", "yes", "on"}


class SettingError(ValueError):
    """A setting read from the environment is malformed; the message names it (one line)."""


def env_str(name: str, default: str = "") -> str:
    """Return the variable, or the default when it is unset or empty."""
    return os.environ.get(name, "").strip() or default


def env_bool(name: str, default: bool = False) -> bool:
    """Read a yes/no variable ("1", "true", "yes", "on" mean yes)."""
    value = os.environ.get(name, "").strip().lower()
    if not value:
        return default
    return value in TRUE_WORDS


def env_number[T: (int, float)](name: str, default: T, kind: type[T], what: str) -> T:
    """Read a number of this kind, failing loudly (naming the variable) on a malformed value."""
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        return kind(value)
    except ValueError as error:
        raise SettingError(f"{name} must be {what}, got {value!r}") from error


def env_int(name: str, default: int) -> int:
    return env_number(name, default, int, "a whole number")


def env_float(name: str, default: float) -> float:
    return env_number(name, default, float, "a number")


def env_list(name: str, default: list[str]) -> list[str]:
    """Read a comma-separated list."""
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def env_ports(name: str, default: list[int]) -> list[int]:
    """Read a comma-separated list of TCP ports, failing loudly on anything else."""
    ports = []
    for item in env_list(name, [str(port) for port in default]):
        if not item.isdigit() or not 0 < int(item) < 65536:
            raise SettingError(f"{name} is a comma-separated list of ports (1-65535), got {item!r}")
        ports.append(int(item))
    return ports


def secret_key(var_dir: Path) -> str:
    """SECRET_KEY from the environment, else one generated once and kept under var/."""
    from_env = env_str("SECRET_KEY")
    if from_env:
        return from_env
    key_file = var_dir / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    var_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    # O_EXCL: two processes starting at once must agree on one key.
    try:
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return key_file.read_text().strip()
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    return key


def secret_key_weakness(key: str) -> str:
    """Why Django's check security.W009 would call this key weak; empty when it is strong."""
    if len(key) < SECRET_KEY_MIN_LENGTH:
        return f"is {len(key)} characters long, under {SECRET_KEY_MIN_LENGTH}"
    if len(set(key)) < SECRET_KEY_MIN_UNIQUE_CHARACTERS:
        return f"has fewer than {SECRET_KEY_MIN_UNIQUE_CHARACTERS} different characters"
    if key.startswith(SECRET_KEY_INSECURE_PREFIX):
        return f"starts with {SECRET_KEY_INSECURE_PREFIX!r}"
    return ""


def refuse_weak_secret_key(key: str) -> None:
    """Stop the start with one line naming SECRET_KEY (no traceback) when the key is weak."""
    weakness = secret_key_weakness(key)
    if weakness:
        raise SystemExit(
            f"SECRET_KEY {weakness}: production (DEBUG off, SITE_URL https) needs a random key"
            f" of {SECRET_KEY_MIN_LENGTH}+ characters, e.g. the output of"
            " `python -c 'import secrets; print(secrets.token_urlsafe(50))'`."
        )


HEADER_NAME = re.compile(r"^[A-Za-z0-9-]+$")


def proxy_ssl_header(name: str, value: str) -> tuple[str, str] | None:
    """Django's SECURE_PROXY_SSL_HEADER from a header's name, optionally with the value that
    means HTTPS: "X-Forwarded-Proto" (value https) or "X-Forwarded-Ssl: on". None when empty."""
    if not value:
        return None
    header, _, secure = (part.strip() for part in value.partition(":"))
    if not HEADER_NAME.match(header):
        raise SettingError(f"{name} is a header name like X-Forwarded-Proto, got {value!r}")
    return "HTTP_" + header.upper().replace("-", "_"), secure or "https"


def code_release(root: Path) -> str:
    """A short fingerprint of the code and templates under `root`: changes with any edit."""
    newest = max(
        (path.stat().st_mtime_ns for path in root.rglob("*") if path.suffix in (".py", ".html")),
        default=0,
    )
    return hashlib.sha256(f"{root}:{newest}".encode()).hexdigest()[:12]
