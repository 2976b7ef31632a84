"""Why a vote was not taken, as exceptions that carry their HTTP status."""


class VoteError(Exception):
    """A vote that cannot be taken; status is the HTTP status that says why."""

    status = 400


class VoteNotFound(VoteError):
    status = 404


class IdempotencyConflict(VoteError):
    status = 422


class RateLimited(VoteError):
    status = 429

    def __init__(self, message: str, *, retry_after: int):
        super().__init__(message)
        self.retry_after = retry_after
