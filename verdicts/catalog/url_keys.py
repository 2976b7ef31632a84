"""The key a web address is matched on: the same page however its address is spelled."""

from urllib.parse import urlsplit


def url_key(url: str) -> str:
    """`https://www.Example.com/a/` and `http://example.com/a` are the same page: host (no
    `www.`), port (unless the default), and path (no trailing slash or `.git`), lower case."""
    parts = urlsplit(url.strip().lower())
    host = (parts.hostname or "").removeprefix("www.")
    if not host:
        return ""
    port = f":{parts.port}" if parts.port and parts.port not in (80, 443) else ""
    path = parts.path.rstrip("/")
    if path.endswith(".git"):
        path = path[:-4]
    return f"{host}{port}{path}"
