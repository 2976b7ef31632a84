"""What stops a fetch: one typed error a reason, each message one line."""


class FetchError(Exception):
    """Anything that stopped a fetch; its message is one line an operator can act on."""

    def __init__(self, message: str, *, url: str = "") -> None:
        super().__init__(message)
        self.url = url


class FetchRefused(FetchError):
    """The URL, or a hop of it, is not one the fetcher may reach; nothing was sent to it."""


class FetchFailed(FetchError):
    """The host could not be resolved or reached, or the connection broke."""


class FetchTimeout(FetchError):
    """The whole fetch (every hop and the body) took longer than its time limit."""


class FetchTooLarge(FetchError):
    def __init__(self, message: str, *, url: str = "", max_bytes: int) -> None:
        super().__init__(message, url=url)
        self.max_bytes = max_bytes


class FetchWrongType(FetchError):
    def __init__(self, message: str, *, url: str = "", content_type: str) -> None:
        super().__init__(message, url=url)
        self.content_type = content_type


class FetchTooManyRedirects(FetchError):
    pass


class FetchHTTPError(FetchError):
    """An error status; `retry_after` is the seconds a 429 or 503 asked to wait, if it said.

    `headers` are the response's (lower-case names), for what an API says beside the status:
    its rate limit, its error code.
    """

    def __init__(
        self,
        message: str,
        *,
        url: str = "",
        status: int,
        retry_after: int | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message, url=url)
        self.status = status
        self.retry_after = retry_after
        self.headers = headers or {}
