"""The tool mark partial: the stored logo when there is one, else a stable letter mark."""

from types import SimpleNamespace

from django.template.loader import render_to_string

from verdicts.common.templatetags.marks import MARK_TONES, mark_initial, mark_tone


def test_the_initial_is_the_first_letter_or_digit():
    assert mark_initial("claude") == "C"
    assert mark_initial("  .3d-thing") == "3"
    assert mark_initial("…") == "?"


def test_the_colour_is_the_slugs_own_on_every_run():
    # A digest, not hash(): these hold in any process, whatever PYTHONHASHSEED is.
    assert [mark_tone(slug) for slug in ("ollama", "cursor", "smolvlm-3b")] == [6, 6, 7]
    tones = {mark_tone(f"tool-{n}") for n in range(200)}
    assert tones == set(range(MARK_TONES))


def test_a_tool_without_a_logo_gets_its_letter_mark():
    tool = SimpleNamespace(slug="ollama", name="Ollama")
    html = render_to_string("common/_tool_mark.html", {"tool": tool}).strip()
    assert html == (
        f'<span class="tool-mark tool-mark-{mark_tone("ollama")}" data-initial="O"'
        ' aria-hidden="true"></span>'
    )


def test_a_stored_logo_is_shown_instead():
    tool = SimpleNamespace(slug="ollama", name="Ollama", logo_url="/tools/ollama/logo?v=ab12")
    html = render_to_string("common/_tool_mark.html", {"tool": tool})
    assert '<img class="tool-mark tool-logo" src="/tools/ollama/logo?v=ab12" alt=""' in html
    assert "data-initial" not in html
