"""The shim's stand-ins for ReportLab internals give exactly what ReportLab gives."""

from __future__ import annotations

import polib
import pytest
from reportlab.pdfbase.ttfonts import ShapedStr, shapeStr

from leaflets.render import rlshim
from leaflets.render.fonts import stack_for
from leaflets.render.fontset import FontSet
from leaflets.resources import resources
from tests.conftest import ROOT

LOCALES = ("en", "ar", "hi", "zh-Hans", "ko", "ru", "vi")


def _words(locale: str) -> list[str]:
    """Words and short phrases of ``locale``'s catalog, in catalog order (a phrase with its
    spaces: HarfBuzz shapes across them), numbers and punctuation included."""
    texts = [entry.msgstr for entry in polib.pofile(str(ROOT / "locales" / f"{locale}.po")) if entry.msgstr] \
        if locale != "en" else [entry.msgid for entry in polib.pofile(str(ROOT / "locales" / "es.po"))]
    words: list[str] = []
    for text in texts:
        words += text.split()[:40]
        words.append(text[:60])
    return words


def _same(ours, theirs) -> bool:
    if isinstance(theirs, ShapedStr):
        return (isinstance(ours, ShapedStr) and str(ours) == str(theirs)
                and list(ours.__shapeData__) == list(theirs.__shapeData__))
    return type(ours) is type(theirs) and ours == theirs


@pytest.mark.parametrize("locale", LOCALES)
def test_shape_str_is_reportlabs_shapestr(locale):
    """Two fresh font sets, one shaping with ReportLab's ``shapeStr`` and one with
    :func:`rlshim.shape_str`, the same words in the same order: the same codes, shape data
    and widths, and the same private code points added to each face (a glyph without a cmap
    entry, such as a Devanagari conjunct or an Arabic ligature, gets the next free one)."""
    theirs_set, ours_set = FontSet(resources().fonts_dir), FontSet(resources().fonts_dir)
    try:
        words = _words(locale)
        compared = private = 0
        for family in stack_for(locale):
            theirs_name = theirs_set.pdf_family(family).regular
            ours_name = ours_set.pdf_family(family).regular
            for word in words:
                with theirs_set.lock, ours_set.lock:
                    theirs = shapeStr(word, theirs_name, 1000.0)
                    ours = rlshim.shape_str(word, ours_name, 1000.0)
                assert _same(ours, theirs), (family.name, word)
                compared += 1
            theirs_face, ours_face = (rlshim._face(theirs_name), rlshim._face(ours_name))
            assert ours_face.charToGlyph == theirs_face.charToGlyph
            assert ours_face.charWidths == theirs_face.charWidths
            private += sum(1 for code in ours_face.charToGlyph if 0xE000 <= code <= 0xF8FF)
        assert compared > 100
        if locale in ("ar", "hi"):
            assert private > 0  # the words reached glyphs without a cmap entry
    finally:
        theirs_set.close()
        ours_set.close()
