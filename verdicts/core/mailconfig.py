"""Turn EMAIL_URL (smtp://user:password@host:port?tls=1) into a MAILERS entry."""

from urllib.parse import parse_qs, unquote, urlsplit


def smtp_mailer_from_url(url: str) -> dict:
    """A MAILERS configuration for Django's SMTP backend."""
    parts = urlsplit(url)
    if parts.scheme not in {"smtp", "smtps"}:
        raise ValueError(f"EMAIL_URL must start with smtp:// or smtps://, got {url!r}")
    query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
    options = {
        "host": parts.hostname or "localhost",
        "port": parts.port or (465 if parts.scheme == "smtps" else 25),
        "username": unquote(parts.username or ""),
        "password": unquote(parts.password or ""),
        "use_ssl": parts.scheme == "smtps",
        "use_tls": query.get("tls", "0").lower() in {"1", "true", "yes"},
        "timeout": int(query.get("timeout", "30")),
    }
    return {"BACKEND": "django.core.mail.backends.smtp.EmailBackend", "OPTIONS": options}
