"""The colour system in site.css: AA contrast for every text colour, light and dark."""

import re
from pathlib import Path

import pytest

CSS = (Path(__file__).parents[1] / "static" / "common" / "site.css").read_text()
AA = 4.5
# (text, background) pairs the stylesheet puts together.
PAIRS = [
    (text, background)
    for text, backgrounds in {
        "ink": ("bg", "soft", "surface"),
        "ink-soft": ("bg", "soft", "surface"),
        "muted": ("bg", "soft", "surface"),
        "accent": ("bg", "soft", "surface"),
        "ship": ("ship-bg", "bg", "surface"),
        "skip": ("skip-bg", "bg", "surface"),
        "warn-ink": ("warn-bg", "bg", "surface"),
        "on-accent": ("accent", "ship", "skip"),
    }.items()
    for background in backgrounds
]


def variables(block: str) -> dict[str, str]:
    return dict(re.findall(r"--([\w-]+):\s*(#[0-9a-fA-F]{6})\b", block))


def light() -> dict[str, str]:
    return variables(re.match(r"(?:/\*.*?\*/\s*)?:root\s*{(.*?)}", CSS, re.S).group(1))


def dark() -> dict[str, str]:
    block = CSS.split("@media (prefers-color-scheme: dark)", 1)[1]
    return {**light(), **variables(re.search(r":root\s*{(.*?)}", block, re.S).group(1))}


def luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(one: str, other: str) -> float:
    high, low = sorted([luminance(one), luminance(other)], reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_contrast_is_computed_as_wcag_does():
    assert contrast("#000000", "#ffffff") == pytest.approx(21)
    assert contrast("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)


def test_both_schemes_declare_every_colour_and_the_page_follows_the_reader():
    assert "color-scheme: light dark" in CSS
    names = {name for pair in PAIRS for name in pair}
    assert names <= light().keys()
    overridden = variables(CSS.split("@media (prefers-color-scheme: dark)", 1)[1])
    assert names <= overridden.keys(), "dark mode must set every colour it reads"
    assert luminance(dark()["bg"]) < 0.05 < 0.8 < luminance(dark()["ink"])


@pytest.mark.parametrize("scheme", [light, dark], ids=["light", "dark"])
@pytest.mark.parametrize(("text", "background"), PAIRS)
def test_text_colours_keep_aa_contrast(scheme, text, background):
    colours = scheme()
    assert contrast(colours[text], colours[background]) >= AA


def test_every_letter_mark_colour_keeps_aa_contrast_under_its_white_initial():
    tones = re.findall(r"\.tool-mark-(\d) { background: (#[0-9a-f]{6}); }", CSS)
    assert [int(n) for n, _ in tones] == list(range(8))
    assert all(contrast("#ffffff", colour) >= AA for _, colour in tones)
