"""Font sets: each owns its ReportLab fonts, its caches (bounded) and the lock that guards them."""

from __future__ import annotations

import copy
import random
import threading

import pytest
from reportlab.pdfbase import pdfmetrics

from leaflets.render import fontset, rlshim
from leaflets.render.fonts import ARABIC, LATIN, stack_for
from leaflets.render.fontset import FontSet, UnknownFont, fonts_of
from leaflets.render.pdftext import TextBlock
from leaflets.render.textlayout import Run, TextStyle, Typesetter, shape
from leaflets.resources import MissingResource, resources


@pytest.fixture
def fonts():
    own = FontSet(resources().fonts_dir)
    yield own
    own.close()


def test_a_cache_never_holds_more_than_its_bound(fonts, monkeypatch):
    monkeypatch.setitem(fontset.CACHE_SIZES, "shape", 50)
    font = fonts.pdf_family(LATIN).regular
    words = [f"word{number}" for number in range(200)]
    for word in words:
        shape(word, font, 12)
    assert fonts.cache_sizes()["shape"] == (50, 50)
    assert shape(words[-1], font, 12) is shape(words[-1], font, 12)  # the most recent are kept


def test_two_font_sets_share_no_font_and_closing_one_leaves_the_other(fonts):
    other = FontSet(resources().fonts_dir)
    mine, theirs = fonts.pdf_family(LATIN).regular, other.pdf_family(LATIN).regular
    assert mine != theirs
    assert pdfmetrics.getFont(mine).face is not pdfmetrics.getFont(theirs).face
    assert fonts_of(mine) is fonts and fonts_of(theirs) is other
    other.close()
    assert theirs not in pdfmetrics.getRegisteredFontNames()
    with pytest.raises(UnknownFont, match="was not registered by a leaflets FontSet"):
        fonts_of(theirs)
    assert shape("still drawn", mine, 12)


def test_a_family_whose_italic_is_its_regular_file_is_one_font(fonts):
    names = fonts.pdf_family(ARABIC)
    assert names.italic == names.regular and names.bold_italic == names.bold


def test_a_dropped_font_set_hands_its_fonts_back(fonts):
    other = FontSet(resources().fonts_dir)
    name = other.pdf_family(LATIN).regular
    del other
    import gc
    gc.collect()
    assert name not in pdfmetrics.getRegisteredFontNames()


def test_copying_a_paragraph_copies_its_text_not_its_fonts(fonts):
    """ReportLab tries a split on a deep copy of a paragraph and, if the copy fails, silently
    does not split it: a font set (lock, caches) must copy as itself."""
    assert copy.deepcopy(fonts) is fonts and copy.copy(fonts) is fonts
    typesetter = Typesetter(stack_for("en"), fonts=fonts)
    block = TextBlock(typesetter, [Run("A paragraph that may need to be split across two columns.")],
                      TextStyle(12, 14, None))
    block.wrap(100, 1000)
    twin = copy.deepcopy(block)
    assert twin.typesetter.fonts is fonts and twin.split(100, 30)


def test_private_codes_handed_out_on_many_threads_are_one_per_glyph_and_text(fonts):
    font = fonts.pdf_family(LATIN).regular
    pairs = [(gid, text) for gid in range(3, 60) for text in ("ﬁ", "xy", "\u0301a")]
    found: list[dict] = []

    def take(seed: int) -> None:
        order = pairs[:]
        random.Random(seed).shuffle(order)
        found.append({pair: rlshim.glyph_code(font, *pair) for pair in order})

    threads = [threading.Thread(target=take, args=(seed,)) for seed in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(codes == found[0] for codes in found)
    assert len(set(found[0].values())) == len(pairs)  # no code given to two pairs
    for (gid, text), code in found[0].items():
        assert rlshim.glyph_of(font, code) == gid and rlshim.text_of(font, code) == text


def test_a_font_set_without_its_files_names_the_missing_one(tmp_path):
    empty = FontSet(tmp_path)
    with pytest.raises(MissingResource, match="the font NotoSans-Regular.ttf is missing"):
        empty.pdf_family(LATIN)
    with pytest.raises(MissingResource, match="the font NotoSansArabic-Regular.ttf is missing"):
        empty.coverage(ARABIC.regular)
