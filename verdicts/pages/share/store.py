"""Drawn share images, kept as files under var/ and named by the digest of what they draw.

A page's image is drawn again exactly when its figures change: a new digest is a new file. Two
processes that draw the same image at once each write their own temporary file and rename it
over the other's, which is harmless (the bytes are the same); the older images of the page are
removed once the new one is in place.
"""

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from verdicts.pages.share.cards import ShareCard
from verdicts.pages.share.draw import share_png


@dataclass(frozen=True)
class ShareImage:
    png: bytes
    digest: str


def share_dir(*, kind: str, slug: str) -> Path:
    """Where one page's share images are kept."""
    return Path(settings.VAR_DIR) / "share" / kind / slug


def share_image_get(*, kind: str, slug: str, card: ShareCard) -> ShareImage:
    """The page's image of `card`: the stored file, or drawn and stored now."""
    digest = card.digest
    folder = share_dir(kind=kind, slug=slug)
    path = folder / f"{digest}.png"
    try:
        return ShareImage(png=path.read_bytes(), digest=digest)
    except FileNotFoundError:
        pass
    png = share_png(card=card)
    folder.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=folder, suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(png)
        os.replace(temporary, path)
    finally:
        # Gone already once renamed; a write that failed leaves no partial file behind.
        Path(temporary).unlink(missing_ok=True)
    for old in folder.glob("*.png"):
        if old != path:
            old.unlink(missing_ok=True)
    return ShareImage(png=png, digest=digest)
