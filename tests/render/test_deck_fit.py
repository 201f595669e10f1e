"""Deck fitting: a paragraph itemized once measures as the typesetter lays it out, at every size."""

from __future__ import annotations

import io

import pytest
from reportlab.lib.colors import black

from leaflets.build import load_translations
from leaflets.document import plain
from leaflets.localize import localize
from leaflets.lru import Memo
from leaflets.render.deck_fit import Measurer, Piece, _Paragraph
from leaflets.render.fontset import FontSet
from leaflets.render.textlayout import Run, TextStyle
from leaflets.resources import resources


@pytest.fixture(scope="module")
def fonts():
    own = FontSet(resources().fonts_dir)
    yield own
    own.close()


@pytest.mark.parametrize("locale", ["en", "ar", "hi", "zh-Hans"])
def test_line_widths_are_the_typesetters_at_every_size_and_width(project, loaded, fonts, locale):
    document = localize(loaded, locale, load_translations(project, locale))
    measurer = Measurer(locale, document.direction == "rtl", fonts)
    texts = [plain(text) for slide in document.deck.slides for text in (slide.title, *slide.bullets)]
    checked = cut = 0
    for text in texts[:40]:
        runs = [Run(text)]
        paragraph = _Paragraph(measurer.typesetter, runs)
        for size in (12, 18.5, 28):
            for width in (150.0, 420.0):
                expected = [line.width for line in measurer.typesetter.lines(runs, TextStyle(size, size, black), width)]
                widths = paragraph.line_widths(size, width)
                if widths is None:  # a word wider than the line: the typesetter's own path
                    cut += 1
                    assert max(measurer.width([Piece(word)], size) for word in text.split()) > width
                    continue
                assert widths == expected  # the same floats, not merely close
                checked += 1
    assert checked > 100


def test_a_word_wider_than_the_column_is_cut_by_the_typesetter(fonts):
    measurer = Measurer("en", False, fonts)
    word = [Piece("Immunomodulatory-hyperresponsiveness")]
    assert _Paragraph(measurer.typesetter, [Run(word[0].text)]).line_widths(20, 80) is None
    assert measurer.line_count(word, 20, 80) > 1


def test_a_paragraph_measures_its_words_once_a_size_whatever_the_column(fonts, monkeypatch):
    """A table's first column is tried at a dozen widths at one size (slides.table.column_widths):
    the cells' words are measured once at that size, then only the lines new at each width."""
    from leaflets.render import deck_fit

    asked: list[str] = []
    real = deck_fit._shaped_width
    monkeypatch.setattr(deck_fit, "_shaped_width", lambda text, font, size: asked.append(text) or real(text, font, size))
    measurer = Measurer("en", False, fonts)
    pieces = [Piece("Topical corticosteroids and calcineurin inhibitors remain the first treatment for most")]
    measurer.line_count(pieces, 14, 10_000)  # one line: every word, then the line
    assert len(asked) > 10
    asked.clear()
    for width in range(80, 330, 20):
        measurer.line_count(pieces, 14, width)
    assert asked and all(" " in text.strip() for text in asked), asked  # lines of two words or more only


def test_the_english_deck_measures_fewer_widths(project, loaded, monkeypatch):
    """Measurements counted, not timed: 8,838 text widths for the English deck before the unit
    widths were kept per size (each column width of a table measured every word again)."""
    import io

    from leaflets.render import deck_fit
    from leaflets.render.pptx import render_deck

    count = [0]
    real = deck_fit._shaped_width

    def counted(text, font, size):
        count[0] += 1
        return real(text, font, size)

    monkeypatch.setattr(deck_fit, "_shaped_width", counted)
    own = FontSet(resources().fonts_dir)  # (a font set that has measured no paragraph yet)
    try:
        render_deck(localize(loaded, "en", load_translations(project, "en")), io.BytesIO(), fonts=own)
    finally:
        own.close()
    assert 1_000 < count[0] <= 6_300


def test_a_font_sets_paragraphs_are_itemized_once_for_every_deck(project, loaded, monkeypatch):
    """A web page's next render of a deck (and the other decks that share its text) itemizes no
    paragraph again: the font set keeps them, bounded, and a font set never sees another's."""
    import io

    from leaflets.render import deck_fit
    from leaflets.render.pptx import render_deck

    made = [0]
    init = deck_fit._Paragraph.__init__

    def counted(self, *args):
        made[0] += 1
        init(self, *args)

    monkeypatch.setattr(deck_fit._Paragraph, "__init__", counted)
    document = localize(loaded, "en", load_translations(project, "en"))
    fonts = FontSet(resources().fonts_dir)  # (its own: the module's has seen these paragraphs)
    render_deck(document, io.BytesIO(), fonts=fonts)
    first = made[0]
    assert first > 100
    render_deck(document, io.BytesIO(), fonts=fonts)
    assert made[0] == first  # the second render: none
    other = FontSet(resources().fonts_dir)
    try:
        deck_fit.Measurer("en", False, other).line_count([Piece("Atopic dermatitis")], 12, 100)
        assert made[0] == first + 1  # another font set itemizes for itself
        assert deck_fit.itemized_paragraphs(other) is not deck_fit.itemized_paragraphs(fonts)
    finally:
        other.close()
        fonts.close()
    kept = Memo(2)  # the bounded mapping the font set keeps itemized paragraphs in
    for key in "abc":
        kept.put(key, key)
    assert (kept.get("a"), kept.get("b"), kept.get("c")) == (None, "b", "c")  # bounded: the oldest goes


def test_fit_is_monotone_in_size_over_every_text_the_shipped_decks_fit(monkeypatch):
    """Text that fits a frame at a size fits it at every smaller size: over every text every
    shipped locale's deck fits, at every size its search may try.  So a fit the writer asks at
    the deck's one body size, where the fit-only pass found the same text fits at that size or
    a larger one, is answered without measuring (DeckContext.fit); and a bisection over the
    sizes finds the size the downward search finds.  (The search stays downward: 1,630 fits of
    the ten decks take 2,311 measurements so, most at the first size tried; a bisection would
    take more.)"""
    import bisect

    from leaflets import Engine, Project
    from leaflets.render import deck_fit
    from leaflets.render.pptx import render_deck
    from leaflets.render.slides import context

    asked, fits = {}, [0]
    real_fit_size, real_fit = context.fit_size, context.DeckContext.fit

    def recorded(measurer, paragraphs, frame, start, floor, **kwargs):
        found = real_fit_size(measurer, paragraphs, frame, start, floor, **kwargs)
        key = (tuple(map(tuple, paragraphs)), frame, start, floor, kwargs["line"], kwargs["space_after"])
        asked.setdefault(key, (measurer, paragraphs, found))
        asked[key + ("calls",)] = asked.get(key + ("calls",), 0) + 1
        return found

    def counted(self, *args, **kwargs):
        fits[0] += 1
        return real_fit(self, *args, **kwargs)

    monkeypatch.setattr(context, "fit_size", recorded)
    monkeypatch.setattr(context.DeckContext, "fit", counted)
    engine = Engine(Project())
    topic = engine.topics()[0]
    for tag in engine.locales():
        render_deck(engine.localize(topic, tag), io.BytesIO())
    searches = sum(value for key, value in asked.items() if key[-1] == "calls")
    assert searches < fits[0]  # some fits answered from what fitted before
    checked = 0
    for key, value in asked.items():
        if key[-1] == "calls":
            continue
        (_, frame, start, floor, line, space_after), (measurer, paragraphs, found) = key, value
        sizes, size = [], start
        while size is not None:
            sizes.append(size)
            size = deck_fit.smaller(size, floor)
        fitting = [measurer.height(paragraphs, s, frame.width, line=line, space_after=space_after)
                   <= frame.height + 0.01 for s in sizes]
        assert fitting == sorted(fitting), (key, fitting)  # once it fits, it fits at every smaller size
        first = bisect.bisect_left(fitting, True)
        assert (sizes[first] if first < len(sizes) else None) == found
        checked += len(sizes)
    assert checked > 1_000
