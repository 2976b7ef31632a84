"""The one way to fetch an outside URL: every hop checked, capped and pinned to a checked address.

Whatever a user, a vendor or a feed supplies goes through `fetch`, never through a client of its
own. Before any connection, a URL must be http(s) on an allowed port, and its host must resolve
(once) only to globally routable addresses; the socket then goes to that checked address, with
the URL's own host name kept for TLS (SNI and the certificate) and for the `Host` header, so a
second DNS answer cannot swap the target (DNS rebinding). Redirects are followed here, one hop at
a time, each hop checked the same way; the hop count, the bytes read, the total time and the
content types are capped by the caller.

`VERDICTS_FETCH_ALLOW_HOSTS` (host[:port], as written in the URL) is the only way to reach an
internal host, for a mirror or for tests on loopback; nothing else relaxes the checks.
"""

from verdicts.common.fetch.client import FetchResult, fetch
from verdicts.common.fetch.errors import (
    FetchError,
    FetchFailed,
    FetchHTTPError,
    FetchRefused,
    FetchTimeout,
    FetchTooLarge,
    FetchTooManyRedirects,
    FetchWrongType,
)
from verdicts.common.fetch.guard import FetchSettings, address_problem

__all__ = [
    "FetchError",
    "FetchFailed",
    "FetchHTTPError",
    "FetchRefused",
    "FetchResult",
    "FetchSettings",
    "FetchTimeout",
    "FetchTooLarge",
    "FetchTooManyRedirects",
    "FetchWrongType",
    "address_problem",
    "fetch",
]
