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


# ---------------------------------------------------------------- issue 21: runs, not characters

def _render_twice(fonts):
    """A function that renders the small fixture topic's English A4 handout and the shipped
    topic's Arabic one (right to left, Arabic-Indic digits, Latin references) with an engine
    of ``fonts``."""
    import datetime as dt
    from pathlib import Path

    from leaflets import Engine
    from leaflets.content.load import load_topic
    engine = Engine(fonts=fonts)
    loaded = load_topic(Path(__file__).parents[1] / "content" / "minimal.yaml")
    documents = [engine.localize(loaded, "en"), engine.localize(engine.topics()[0], "ar")]
    created = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)

    def render():
        return [engine.render(document, "pdf", paper="a4", created=created).data for document in documents]
    return render


def _misses(fonts) -> dict:
    """Cache misses (calls that computed) so far, by kind of the font set's caches."""
    out: dict = {}
    for wrapper in fonts._caches.values():
        out[wrapper.kind] = out.get(wrapper.kind, 0) + wrapper.cache_info().misses
    return out


def test_a_second_render_shapes_measures_and_breaks_nothing_new(fonts, monkeypatch):
    """Shaped text, widths, line breaks, bidi levels, clusters and text-showing operators are
    cached per font set across paragraphs, renders and locales: rendering the same handouts
    once more computes none of them, makes no per-character objects and looks no character's
    font up; what is shaped is reused (hits), never shaped again (misses)."""
    from leaflets.render import fontset as fontset_module
    from leaflets.render import textlayout
    render = _render_twice(fonts)
    render()  # the first render measures the density and draws what it measured (pdf.fill) ...
    widths = fonts._caches[textlayout._advance_units].cache_info()
    assert widths.hits > 2 * widths.misses  # even cold, a word's width is mostly one measured before
    first = render()  # ... later ones lay out at the frame's width once: the steady state
    before = _misses(fonts)
    assert before["shape"] > 0 and before["lines"] > 0 and before["bidi"] > 0 and before["shown"] > 0
    shaped_hits = fonts._caches[textlayout._shape].cache_info().hits

    made: list = []
    monkeypatch.setattr(textlayout, "Char", lambda *args: made.append(args))  # no per-character object
    looked_up: list = []
    monkeypatch.setattr(fontset_module.FontSet, "family_covering", lambda *args: looked_up.append(args))
    runs_found: list = []
    monkeypatch.setattr(fontset_module.FontSet, "_runs_of", lambda *args: runs_found.append(args))

    assert render() == first  # the same bytes
    assert _misses(fonts) == before  # nothing shaped, measured, broken or laid out again
    assert fonts._caches[textlayout._shape].cache_info().hits == shaped_hits  # widths and clusters cached above it
    assert made == [] and looked_up == [] and runs_found == []


@pytest.mark.parametrize("locale", ["en", "ar", "hi"])
def test_layout_takes_a_step_per_run_and_unit_not_per_character(fonts, monkeypatch, locale):
    """A paragraph laid out for the first time: fonts are chosen with one pattern match per
    change of family and widths measured per break unit and line, each measurement shaping
    one piece per segment it spans: far fewer steps than characters."""
    from leaflets.render import textlayout
    ts = Typesetter(stack_for(locale), rtl=locale == "ar", fonts=fonts)
    text = SAMPLES[locale] * 4
    calls = {"measured": 0, "shaped": 0, "covering": 0}

    def counting(name, function):
        def counted(*args):
            calls[name] += 1
            return function(*args)
        return counted
    monkeypatch.setattr(textlayout.Block, "width", counting("measured", textlayout.Block.width))
    monkeypatch.setattr(textlayout, "_shaped_width", counting("shaped", textlayout._shaped_width))
    monkeypatch.setattr(FontSet, "family_covering", counting("covering", FontSet.family_covering))
    lines = ts.lines([Run(text)], TextStyle(11, 14, black), 200)
    units, segments = len(break_starts(text)), len(lines[0].block.styles)
    assert len(lines) > 3
    # each unit with and without its trailing spaces, each line once or twice
    assert calls["measured"] <= 2 * units + 4 * len(lines) and calls["measured"] < len(text) / 2
    assert calls["shaped"] <= calls["measured"] + 4 * segments
    assert calls["covering"] <= 2 * len(set(text))  # a distinct character once per family, then its class is known
    calls["covering"] = 0
    ts.lines([Run(text[::-1])], TextStyle(11, 14, black), 200)  # the same characters: classes known
    assert calls["covering"] == 0


def test_character_tables_are_the_unicode_properties_they_stand_for():
    """The translate tables that classify text at C speed give, for every character of the
    Basic Multilingual Plane, what the per-character property functions give."""
    from leaflets.render import pdftext, textlayout
    for code in range(0x10000):
        if 0xD800 <= code <= 0xDFFF:
            continue
        ch = chr(code)
        kind = unicodedata.bidirectional(ch)
        assert textlayout.is_rtl(ch) == (kind in ("R", "AL")), hex(code)
        assert textlayout._needs_bidi(ch) == (kind in ("R", "AL", "AN")), hex(code)
        assert textlayout._has_arabic_script_number(ch) == textlayout._arabic_script_number(ch), hex(code)
        assert textlayout.paragraph_rtl(ch, None) == (False if kind == "L" else True if kind in ("R", "AL")
                                                      else None), hex(code)
        assert ch.translate(pdftext._CATEGORY) == unicodedata.category(ch)[0], hex(code)
        level = pdftext._mupdf_level(ch)
        assert ch.translate(pdftext._MUPDF_LEVELS) == ("." if level is None else str(level)), hex(code)


def test_lines_keep_their_block_and_make_characters_only_when_asked(fonts):
    ts = Typesetter(stack_for("en"), fonts=fonts)
    runs = [Run("Moisturise "), Run("twice", bold=True), Run(" a day", italic=True), Run("12", superscript=True)]
    line, = ts.lines(runs, TextStyle(11, 14, black), 500)
    assert line._chars is None and line.text == "Moisturise twice a day12"
    assert [end for end in line.block.bounds] == [0, 11, 16, 22, 24]  # one segment per style
    assert "".join(c.ch for c in line.chars) == line.text and line._chars is not None
    assert line.baseline_font_near(22) == fonts.pdf_family(LATIN).italic  # the text a citation follows
    assert line.largest_size() == 11


def _pieces_by_characters(line):
    """The per-character grouping :func:`line_pieces` replaces (textlayout before issue 21)."""
    from leaflets.render.textlayout import BRACKET_MIRROR, Piece, _arabic_script_number, bidi_levels, is_rtl, reorder
    chars = line.chars
    if not chars:
        return []
    text = "".join(c.ch for c in chars)
    if line.rtl or any(unicodedata.bidirectional(ch) in ("R", "AL", "AN") for ch in text):
        levels = bidi_levels(text, line.rtl)
    else:
        levels = [0] * len(chars)
    groups = []
    for c, level in zip(chars, levels):
        last = groups[-1][1][-1] if groups else None
        if groups and groups[-1][0] == level and (last.font, last.size, last.rise, last.tag) == (
                c.font, c.size, c.rise, c.tag) and (last.color is c.color or last.color == c.color):
            groups[-1][1].append(c)
        else:
            groups.append((level, [c]))
    pieces = []
    for level, seg in reorder(groups, [g[0] for g in groups]):
        logical = "".join(c.ch for c in seg)
        seg_text = source = logical
        if level % 2 and not is_rtl(logical):
            seg_text, source = logical.translate(BRACKET_MIRROR)[::-1], logical[::-1]
        elif not level % 2 and any(_arabic_script_number(ch) for ch in logical):
            seg_text = source = logical[::-1]
        links = tuple((c.link, c.index) for c in seg) if any(c.link for c in seg) else ()
        if links and source is not logical:
            links = links[::-1]
        first = seg[0]
        pieces.append(Piece(seg_text, first.font, first.size, first.rise, first.color, first.tag, first.index,
                            source, links, level, source is not logical))
    return pieces


@pytest.mark.parametrize("locale", sorted(SAMPLES))
def test_pieces_and_carriers_by_segments_are_those_by_characters(fonts, locale):
    """A line's pieces (bidi levels, styles, links, mirrored and reversed runs) and the font a
    raised piece's carriers take, found from segments, equal the per-character rules."""
    from reportlab.lib.colors import red

    from leaflets.render.textlayout import line_pieces
    ts = Typesetter(stack_for(locale), rtl=locale == "ar", fonts=fonts)
    text = SAMPLES[locale]
    link = object()
    runs = [Run(text[:12]), Run(text[12:30], bold=True, link=link), Run("3", superscript=True),
            Run(text[30:44], color=red), Run("4,5", superscript=True), Run(" " + text[44:])]
    for width in (80.0, 150.0, 1000.0):
        for line in ts.lines(runs, TextStyle(11, 14, black), width):
            assert line_pieces(line) == _pieces_by_characters(line)
            on_baseline = [c for c in line.chars if not c.rise]
            for piece in line_pieces(line):
                expected = min(on_baseline, key=lambda c: abs(c.index - piece.index + 0.5)).font \
                    if on_baseline else None
                assert line.baseline_font_near(piece.index) == expected
            assert line.largest_size() == max(c.size for c in line.chars)
