"""The API's answer when a path names nothing published: one 404, worded alike everywhere."""

from typing import Literal

from ninja.errors import HttpError


def published_or_404[T](found: T | None, *, kind: Literal["tool", "comparison"]) -> T:
    """`found`, or a 404 saying no published tool (or comparison) has the slug asked for."""
    if found is None:
        raise HttpError(404, f"No published {kind} with that slug.")
    return found
