"""Where documentation text comes from: a local file, or an http(s) URL.

Each source returns plain text (and a title when the source has one) or raises ValidationError
with a message an operator can act on. Nothing here writes to the database.
"""

import errno
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ValidationError

from verdicts.common.fetch import (
    FetchError,
    FetchTimeout,
    FetchTooLarge,
    FetchWrongType,
    fetch,
)
from verdicts.ingest.readable import meta_charset, page_read

TEXT_TYPES = {"application/json", "application/xml", "application/xhtml+xml"}
ACCEPTED_TYPES = ("text/*", *sorted(TEXT_TYPES))
HTML_TYPES = {"text/html", "application/xhtml+xml"}
CHUNK_BYTES = 64 * 1024


@dataclass(frozen=True)
class SourceText:
    text: str
    title: str = ""


def bytes_decode(data: bytes, *, charset: str, where: str) -> str:
    """Decoded text, or a ValidationError that says where decoding failed and what to do."""
    try:
        return data.decode(charset)
    except LookupError as error:
        raise ValidationError(f"{where} declares an unknown character set {charset!r}.") from error
    except UnicodeDecodeError as error:
        label = "UTF-8" if charset == "utf-8-sig" else charset
        raise ValidationError(
            f"{where} is not valid {label} text (byte 0x{data[error.start]:02x} at offset "
            f"{error.start}); convert it to UTF-8 first."
        ) from error


def text_from_file(path: Path, *, max_bytes: int) -> SourceText:
    """A UTF-8 text file (a byte-order mark is dropped); its title is the file's name.

    Only a regular file is read (a device such as /dev/zero, a FIFO or a directory is refused
    before a byte is read, so nothing blocks), and it is read in chunks up to max_bytes: a file
    that grows, or that `stat` reports wrongly, is still cut off.
    """
    try:
        data = file_bytes_read(path, max_bytes=max_bytes)
    except OSError as error:
        raise ValidationError(f"Cannot read {path}: {error.strerror or error}.") from error
    return SourceText(
        text=bytes_decode(data, charset="utf-8-sig", where=str(path)), title=path.name
    )


class NotARegularFile(ValidationError):
    """A device, FIFO, socket or directory was named where a file's text is read."""

    def __init__(self, path: Path):
        super().__init__(f"{path} is not a regular file")


def file_bytes_read(path: Path, *, max_bytes: int) -> bytes:
    """A regular file's bytes, at most max_bytes of them; NotARegularFile, ValidationError for
    one too large, or OSError."""
    if not path.is_file():
        if not path.exists():
            raise OSError(errno.ENOENT, "No such file or directory", str(path))
        raise NotARegularFile(path)
    # O_NONBLOCK: a FIFO swapped in after the check still opens without waiting for a writer.
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    with os.fdopen(fd, "rb") as file:
        status = os.fstat(file.fileno())
        if not stat.S_ISREG(status.st_mode):
            raise NotARegularFile(path)
        if status.st_size > max_bytes:
            raise ValidationError(
                f"{path} is {status.st_size} bytes, more than VERDICTS_DOCUMENT_MAX_BYTES "
                f"({max_bytes})."
            )
        chunks, size = [], 0
        while chunk := file.read(min(CHUNK_BYTES, max_bytes + 1 - size)):
            chunks.append(chunk)
            size += len(chunk)
            if size > max_bytes:
                raise ValidationError(
                    f"{path} is more than VERDICTS_DOCUMENT_MAX_BYTES ({max_bytes}) bytes."
                )
    return b"".join(chunks)


def text_from_url(url: str, *, max_bytes: int, timeout: float) -> SourceText:
    """An http(s) page as text: plain text and Markdown as they are, HTML reduced to the text a
    reader sees (verdicts.ingest.readable), decoded by its <meta charset> when the response
    declares none.

    Fetched only through the checked fetcher (verdicts.common.fetch), so an internal address is
    refused before anything is sent. Refused too: other schemes, error statuses, non-text
    content, bodies over max_bytes (checked while reading, so a server that lies about or omits
    Content-Length is still cut off), and downloads that take longer than the timeout in all (a
    server dripping bytes included).
    """
    if not re.match(r"https?://", url, flags=re.I):
        raise ValidationError(f"Only http and https URLs can be imported, not {url!r}.")
    try:
        fetched = fetch(url, accept=ACCEPTED_TYPES, max_bytes=max_bytes, timeout=timeout)
    except FetchTooLarge as error:
        raise ValidationError(too_large(url, max_bytes)) from error
    except FetchWrongType as error:
        raise ValidationError(
            f"{url} is {error.content_type}, not text; nothing imported."
        ) from error
    except FetchTimeout as error:
        raise ValidationError(
            f"{url} took longer than {timeout:g} s to download; not imported."
        ) from error
    except FetchError as error:
        raise ValidationError(f"{error}.") from error
    is_html = fetched.content_type in HTML_TYPES
    charset = fetched.charset or (meta_charset(fetched.body) if is_html else "") or "utf-8"
    if charset in {"utf-8", "utf8"}:
        charset = "utf-8-sig"
    text = bytes_decode(fetched.body, charset=charset, where=url)
    if is_html:
        page = page_read(text)
        return SourceText(text=page.text, title=page.meta.title)
    return SourceText(text=text)


def too_large(url: str, max_bytes: int) -> str:
    return f"{url} is larger than VERDICTS_DOCUMENT_MAX_BYTES ({max_bytes} bytes); not imported."
