"""Data files kept in the repository (TOML), read into validated entries before any write."""

import tomllib
from pathlib import Path

from pydantic import BaseModel, ConfigDict, ValidationError


class DataFileError(Exception):
    """A data file is malformed; the message names the file and the field."""


class Strict(BaseModel):
    """An entry that refuses unknown fields, so a typo in a file is an error, not a default."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


def read_toml[T: BaseModel](path: Path, schema: type[T], key: str | None = None) -> list[T]:
    """Parse a TOML file into validated entries, or raise DataFileError naming the file."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise DataFileError(f"{path}: {error}") from error
    items = data.get(key, []) if key else [data]
    try:
        return [schema.model_validate(item) for item in items]
    except ValidationError as error:
        raise DataFileError(f"{path}: {error}") from error
