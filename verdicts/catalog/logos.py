"""Tool logos (#15): a fetched image is checked, stored once under VAR_DIR/logos and served
from there, so no reader's browser ever asks a vendor's server for it."""

import hashlib
import io

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from PIL import Image

from verdicts.catalog.models import Tool

LOGO_MAX_BYTES = 256 * 1024
LOGO_MAX_SIDE = 1024
# Raster only: an SVG is a document that can carry scripts and outside references.
LOGO_FORMATS = {"PNG": "png", "JPEG": "jpg", "WEBP": "webp"}
LOGO_CONTENT_TYPES = {"png": "image/png", "jpg": "image/jpeg", "webp": "image/webp"}


class LogoRejected(ValueError):
    """The bytes are not a logo we keep."""


def logo_image_check(*, content: bytes) -> str:
    """The file extension of a PNG, JPEG or WebP logo within the caps; LogoRejected else."""
    if len(content) > LOGO_MAX_BYTES:
        raise LogoRejected(f"is {len(content)} bytes, more than {LOGO_MAX_BYTES}")
    try:
        with Image.open(io.BytesIO(content)) as image:
            kind, (width, height) = image.format, image.size
            image.verify()
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as error:
        raise LogoRejected(f"is not a readable image ({error})") from error
    if kind not in LOGO_FORMATS:
        raise LogoRejected(f"is {kind or 'an unknown format'}, not PNG, JPEG or WebP")
    if max(width, height) > LOGO_MAX_SIDE:
        raise LogoRejected(f"is {width}x{height} pixels, more than {LOGO_MAX_SIDE} a side")
    return LOGO_FORMATS[kind]


@transaction.atomic
def tool_logo_store(*, tool: Tool, content: bytes, source_url: str) -> Tool:
    """Keep `content` as the tool's logo, read from `source_url`; LogoRejected when it is not
    an image we keep (nothing is written then)."""
    extension = logo_image_check(content=content)
    name = f"{tool.slug}-{hashlib.sha256(content).hexdigest()[:16]}.{extension}"
    storage = tool.logo.storage
    if not storage.exists(name):
        # The name is the content's: a file already there holds these very bytes.
        storage.save(name, ContentFile(content))
    previous = tool.logo.name
    tool.logo.name = name
    tool.logo_source = source_url
    tool.logo_fetched_at = timezone.now()
    tool.logo_error = ""
    tool.save(update_fields=["logo", "logo_source", "logo_fetched_at", "logo_error"])
    if previous and previous != name:
        transaction.on_commit(lambda: storage.delete(previous))
    return tool


@transaction.atomic
def tool_logo_failure_record(*, tool: Tool, source_url: str, error: str) -> Tool:
    """Note that `source_url` gave no logo, and why; a logo from before is dropped, as the
    one shown always comes from the source recorded with it."""
    previous = tool.logo.name
    tool.logo.name = ""
    tool.logo_source = source_url
    tool.logo_fetched_at = timezone.now()
    tool.logo_error = error[:300]
    tool.save(update_fields=["logo", "logo_source", "logo_fetched_at", "logo_error"])
    if previous:
        storage = tool.logo.storage
        transaction.on_commit(lambda: storage.delete(previous))
    return tool
