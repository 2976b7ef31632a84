"""Data files kept in the repository (TOML), read into validated entries before any write."""

import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.core.exceptions import ValidationError as ModelValidationError
from pydantic import BaseModel, ConfigDict, PrivateAttr, ValidationError


class DataFileError(Exception):
    """A data file is malformed; the message (one line) names the file and the field."""


class Strict(BaseModel):
    """An entry that refuses unknown fields, so a typo in a file is an error, not a default."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    # The file the entry was read from, for error messages; set by read_toml.
    _file: Path | None = PrivateAttr(default=None)

    @property
    def source_file(self) -> Path | None:
        return self._file


def validation_line(error: ValidationError) -> str:
    """Pydantic's errors on one line: `field: message; field: message`."""
    parts = []
    for problem in error.errors():
        where = ".".join(str(part) for part in problem["loc"]) or "entry"
        parts.append(f"{where}: {problem['msg']}")
    return "; ".join(parts)


def model_validation_line(error: ModelValidationError) -> str:
    """A model's full_clean errors on one line."""
    if hasattr(error, "error_dict"):
        return "; ".join(
            f"{field}: {' '.join(messages)}" for field, messages in error.message_dict.items()
        )
    return " ".join(error.messages)


def one_line(text: object) -> str:
    return " ".join(str(text).split())


def read_toml[T: BaseModel](path: Path, schema: type[T], key: str | None = None) -> list[T]:
    """Parse a TOML file into validated entries, or raise DataFileError naming the file."""
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise DataFileError(f"{path}: cannot be read: {error.strerror or error}") from error
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise DataFileError(
            f"{path}: not UTF-8 text (byte 0x{raw[error.start]:02x} at offset {error.start}); "
            "save it as UTF-8"
        ) from error
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise DataFileError(f"{path}: not valid TOML: {one_line(error)}") from error
    items = data.get(key, []) if key else [data]
    if not isinstance(items, list):
        raise DataFileError(f"{path}: `{key}` is not a list of tables")
    entries = []
    for number, item in enumerate(items, start=1):
        try:
            entry = schema.model_validate(item)
        except ValidationError as error:
            where = f"{path} ({key} #{number})" if key else str(path)
            raise DataFileError(f"{where}: {validation_line(error)}") from error
        if isinstance(entry, Strict):
            entry._file = path
        entries.append(entry)
    return entries


def slugs_unique_check(entries: list[Strict], *, kind: str) -> None:
    """DataFileError naming both files when two entries share a slug."""
    seen: dict[str, Strict] = {}
    for entry in entries:
        slug = entry.slug  # type: ignore[attr-defined]
        if slug in seen:
            raise DataFileError(
                f"{kind} slug {slug!r} is in both {seen[slug].source_file} and "
                f"{entry.source_file}; slugs must be unique"
            )
        seen[slug] = entry


@contextmanager
def model_errors_named(where: Path | str | None) -> Iterator[None]:
    """A model's ValidationError while writing an entry, as DataFileError naming its file."""
    try:
        yield
    except ModelValidationError as error:
        raise DataFileError(f"{where}: {model_validation_line(error)}") from error
