"""Deck fitting: a paragraph itemized once measures as the typesetter lays it out, at every size."""

from __future__ import annotations

import pytest
from reportlab.lib.colors import black

from leaflets.build import load_translations
from leaflets.document import plain
from leaflets.localize import localize
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
