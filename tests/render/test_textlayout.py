"""The text engine's hot path: shaping once per text and font (any size), fonts chosen per
run and break opportunities per text, each equal to the per-character rules they replace."""

from __future__ import annotations

import copy
import unicodedata

import pytest
from reportlab.lib.colors import black
from reportlab.pdfbase.pdfmetrics import stringWidth

from leaflets.render.fonts import ARABIC, LATIN, stack_for
from leaflets.render.fontset import FontSet
from leaflets.render.pdftext import TextBlock
from leaflets.render.textlayout import (CANNOT_END, CANNOT_START, Run, TextStyle, Typesetter, _shaped_width,
                                        break_starts, is_cjk_breakable, shape, takes_neighbour_font)
from leaflets.resources import resources

SAMPLES = {  # locale -> text mixing what its handouts mix: scripts, digits, punctuation, spaces
    "en": "Moisturise twice a day (about 250 g a week); see NCT03269773, p. 12.",
    "ar": "مرطّب مرتين يوميًا (حوالي ٢٥٠ غرامًا) — NCT03269773، ص. 12 «مهم».",
    "hi": "दिन में दो बार मॉइस्चराइज़र लगाएँ (लगभग 250 ग्राम), देखें NCT03269773।",
    "zh-Hans": "每天保湿两次（每周约250克），见NCT03269773。“重要”！",
    "ko": "하루 두 번 보습제를 바르세요 (주당 약 250g), NCT03269773 참조.",
}


@pytest.fixture
def fonts():
    own = FontSet(resources().fonts_dir)
    yield own
    own.close()


def test_a_text_is_shaped_once_for_every_size(fonts):
    """Shaping does not depend on the size: the cache holds one entry per text and font,
    and widths are the size-free advance scaled."""
    font = fonts.pdf_family(LATIN).regular
    assert shape("Wavy office", font, 11) is shape("Wavy office", font, 18)
    assert fonts.cache_sizes()["shape"][0] == 1
    small, large = _shaped_width("Wavy office", font, 10), _shaped_width("Wavy office", font, 20)
    assert large == pytest.approx(2 * small) and small < stringWidth("Wavy office", font, 10)  # kerned "Wa", "ff"
    assert fonts.cache_sizes()["width"][0] == 1


def _families_per_character(fonts, stack, text, previous):
    """The per-character rule the cached run lookup replaces (textlayout before issue 21)."""
    out = []
    for ch in text:
        family = fonts.family_covering(stack, ch)
        if takes_neighbour_font(ch) and previous is not None and fonts.family_covering((previous,), ch):
            family = previous
        if family is None:
            family = stack[0]
        previous = family
        out.append(family)
    return tuple(out), previous


@pytest.mark.parametrize("locale", sorted(SAMPLES))
def test_fonts_chosen_per_run_are_those_of_the_per_character_rule(fonts, locale):
    stack = stack_for(locale)
    text = SAMPLES[locale]
    for previous in (None, *stack):
        assert fonts.run_families(stack, text, previous) == _families_per_character(fonts, stack, text, previous)
    assert fonts.font_runs(stack, text, None) is fonts.font_runs(stack, text, None)  # cached


def _units_per_character(text):
    """The per-character break rule :func:`break_starts` replaces (textlayout before issue 21)."""
    starts = [0] if text else []
    for index in range(1, len(text)):
        prev, ch = text[index - 1], text[index]
        if prev == " " and ch != " ":
            starts.append(index)
        elif (is_cjk_breakable(ch) or is_cjk_breakable(prev)) and ch != " " and prev != " ":
            if ch not in CANNOT_START and prev not in CANNOT_END:
                starts.append(index)
    return tuple(starts)


@pytest.mark.parametrize("text", [*SAMPLES.values(), "  leading spaces", "trailing  ", "（括号）内，不断。", "a"])
def test_break_opportunities_are_those_of_the_per_character_rule(text):
    assert break_starts(text) == _units_per_character(text)


def test_characters_keep_their_logical_index_and_style(fonts):
    ts = Typesetter(stack_for("ar"), rtl=True, fonts=fonts)
    runs = [Run("مرحبا "), Run("", bold=True), Run("NCT0326", bold=True), Run("²", superscript=True)]
    chars = ts.chars(runs, TextStyle(12, 15, black))
    assert [c.index for c in chars] == list(range(len(chars)))
    assert "".join(c.ch for c in chars) == "مرحبا NCT0326²"
    bold = fonts.pdf_family(LATIN).bold
    assert {c.font for c in chars[6:13]} == {bold}
    assert chars[-1].size == pytest.approx(12 * 0.62) and chars[-1].rise == pytest.approx(12 * 0.36)
    assert chars[0].font == fonts.pdf_family(ARABIC).regular
    assert all(unicodedata.bidirectional(c.ch) != "AL" or c.font == chars[0].font for c in chars)


def test_a_text_block_is_copied_shallowly(fonts):
    """ReportLab deep-copies flowables before trying a split (balanced columns): the copy
    shares the laid-out lines, runs and style instead of copying every character."""
    ts = Typesetter(stack_for("en"), fonts=fonts)
    block = TextBlock(ts, [Run("Moisturise twice a day, every day, even when the skin looks clear. " * 3)],
                      TextStyle(12, 15, black))
    block.wrap(200, 1000)
    lines = block._lines
    clone = copy.deepcopy(block)
    assert clone is not block and clone._lines is lines and clone.runs is block.runs
    first, rest = block.split(200, 40)
    assert copy.deepcopy(first)._lines is first._lines and rest._lines == lines[len(first._lines):]


def _lines_by_characters(ts, runs, style, width):
    """The character-list line filling :meth:`Typesetter.lines` replaces (before issue 21)."""
    from leaflets.render.textlayout import _rstrip, paragraph_rtl
    chars = ts.chars(runs, style)
    rtl = paragraph_rtl("".join(r.text for r in runs), ts.rtl)
    units = [piece for unit in ts.units(chars) for piece in ts.break_long(unit, width)]
    full = [ts.width(unit) for unit in units]
    bare = [ts.width(_rstrip(unit)) for unit in units]
    lines, start = [], 0
    while start < len(units):
        end, used = start + 1, full[start]
        while end < len(units) and used + bare[end] <= width:
            used += full[end]
            end += 1
        line = _rstrip([c for unit in units[start:end] for c in unit])
        exact = ts.width(line)
        while exact > width and end - start > 1:
            end -= 1
            line = _rstrip([c for unit in units[start:end] for c in unit])
            exact = ts.width(line)
        lines.append((exact, line, rtl))
        start = end
    return lines or [(0.0, [], rtl)]


@pytest.mark.parametrize("locale", sorted(SAMPLES))
def test_lines_by_ranges_are_those_by_characters(fonts, locale):
    """Same breaks, same characters, the same width floats; superscripts, bold runs and
    words wider than the line (cut inside) included."""
    ts = Typesetter(stack_for(locale), rtl=locale == "ar", fonts=fonts)
    text = SAMPLES[locale]
    runs = [Run(text[:20]), Run(text[20:35], bold=True), Run("12", superscript=True), Run(" " + text[35:] + "  ")]
    style = TextStyle(11, 14, black)
    for width in (0, 30.0, 61.5, 140.0, 400.0):
        expected = _lines_by_characters(ts, runs, style, width)
        got = ts.lines(runs, style, width)
        assert [(line.width, line.chars, line.rtl) for line in got] == expected
