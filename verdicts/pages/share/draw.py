"""Drawing a share card as a 1200 x 630 PNG with Pillow and its bundled face (no system fonts).

The bundled face has no dashes, so intervals read "30 to 95%" and a missing figure is said in
words."""

import functools
import io

from django.conf import settings
from PIL import Image, ImageDraw, ImageFont

from verdicts.pages.share.cards import ShareCard, ShareFigure, ShareSide

WIDTH, HEIGHT = 1200, 630
MARGIN = 60
GAP = 40
BOX_TOP, BOX_BOTTOM = 236, 540
PAD = 28
# The site's light palette (verdicts/common/static/common/site.css).
BG = "#f5f6f8"
SURFACE = "#ffffff"
INK = "#16181d"
MUTED = "#545b66"
LINE = "#d9dde3"
ACCENT = "#1f4fd1"
TRACK = "#e3e7ee"
WARN_INK = "#8a5a12"


@functools.cache
def _font(size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.load_default(size=size)


def _fit(
    draw: ImageDraw.ImageDraw, text: str, width: int, sizes: tuple[int, ...]
) -> tuple[str, ImageFont.FreeTypeFont]:
    """The largest of `sizes` at which `text` fits `width`, cut with an ellipsis below the last."""
    for size in sizes:
        if draw.textlength(text, font=_font(size)) <= width:
            return text, _font(size)
    font = _font(sizes[-1])
    while text and draw.textlength(text + "…", font=font) > width:
        text = text[:-1]
    return text.rstrip() + "…", font


def _mark(draw: ImageDraw.ImageDraw, x: int, y: int, size: int) -> None:
    """The site's mark: a check-like V on the accent square, as in favicon.svg."""
    draw.rounded_rectangle((x, y, x + size, y + size), radius=size // 4, fill=ACCENT)
    s = size / 32
    points = [(x + 8 * s, y + 10 * s), (x + 16 * s, y + 23 * s), (x + 24 * s, y + 10 * s)]
    draw.line(points, fill="#ffffff", width=round(4 * s), joint="curve")


def _interval(figure: ShareFigure) -> str:
    return f"{figure.low} to {figure.high}%"


def _interval_bar(draw: ImageDraw.ImageDraw, figure: ShareFigure, x: int, y: int, w: int) -> None:
    draw.rounded_rectangle((x, y, x + w, y + 14), radius=7, fill=TRACK)
    low, high = x + w * figure.low / 100, x + w * figure.high / 100
    draw.rounded_rectangle((low, y, max(high, low + 14), y + 14), radius=7, fill=ACCENT)
    centre = x + w * figure.count / figure.total
    draw.ellipse((centre - 11, y - 4, centre + 11, y + 18), fill=INK, outline=SURFACE, width=3)


def _side(draw: ImageDraw.ImageDraw, side: ShareSide, x: int, w: int, named: bool) -> None:
    draw.rounded_rectangle(
        (x, BOX_TOP, x + w, BOX_BOTTOM), radius=14, fill=SURFACE, outline=LINE, width=2
    )
    inner, y = w - 2 * PAD, BOX_TOP + PAD
    x += PAD
    if named:
        name, font = _fit(draw, side.name, inner, (36, 32, 28))
        draw.text((x, y), name, font=font, fill=INK)
        y += 46
    draw.text((x, y), "AI panel (AI-written reviews)", font=_font(22), fill=MUTED)
    y += 30
    if side.panel.has_data:
        share = f"{side.panel.count} of {side.panel.total} say ship"
        draw.text((x, y), share, font=_font(44), fill=INK)
        y += 58
        _interval_bar(draw, side.panel, x, y, inner)
        y += 26
        interval = f"95% interval {_interval(side.panel)}"
        draw.text((x, y), interval, font=_font(20), fill=MUTED)
        y += 34
    else:
        draw.text((x, y), "Not yet reviewed", font=_font(44), fill=INK)
        y += 118
    community = side.community
    votes = (
        f"{community.count} of {community.total} ship ({_interval(community)})"
        if community.has_data
        else "no counted votes yet"
    )
    draw.text((x, y), f"Community: {votes}", font=_font(24), fill=INK)
    entry = side.entry if side.entry != "—" else "not stated"
    draw.text((x, y + 34), f"Entry: {entry}", font=_font(24), fill=INK)


def share_png(*, card: ShareCard) -> bytes:
    """The card drawn as a 1200 x 630 PNG."""
    image = Image.new("RGB", (WIDTH, HEIGHT), BG)
    draw = ImageDraw.Draw(image)
    _mark(draw, MARGIN, 44, 52)
    draw.text((MARGIN + 68, 50), settings.SITE_NAME, font=_font(36), fill=INK)
    draw.text((MARGIN, 120), card.eyebrow.upper(), font=_font(22), fill=MUTED)
    title, font = _fit(draw, card.title, WIDTH - 2 * MARGIN, (56, 48, 40, 34))
    draw.text((MARGIN, 152), title, font=font, fill=INK)
    count = len(card.sides)
    width = (WIDTH - 2 * MARGIN - GAP * (count - 1)) // count
    for index, side in enumerate(card.sides):
        _side(draw, side, MARGIN + index * (width + GAP), width, named=count > 1)
    if card.too_close:
        close = "Too close to call: the panel's 95% intervals overlap."
        draw.text((MARGIN, 552), close, font=_font(22), fill=WARN_INK)
    footer = "AI analysis: reviews written by AI models as reviewer personas"
    draw.text((MARGIN, 588), footer, font=_font(22), fill=MUTED)
    reviewed = f"Reviewed {card.reviewed}" if card.reviewed else "Not yet reviewed"
    right = WIDTH - MARGIN - draw.textlength(reviewed, font=_font(22))
    draw.text((right, 588), reviewed, font=_font(22), fill=INK)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
