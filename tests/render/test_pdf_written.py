"""Issue 21: a right-to-left piece's text object is written once per font set and reused
while ReportLab gives its characters the same codes (pdftext._reading_stream)."""
from __future__ import annotations

import io

import pytest
from reportlab.lib.colors import black
from reportlab.pdfgen.canvas import Canvas

from leaflets.render import pdftext
from leaflets.render.fonts import stack_for
from leaflets.render.fontset import CACHE_SIZES, FontSet, Memo
from leaflets.render.pdftext import TextBlock
from leaflets.render.textlayout import Run, TextStyle, Typesetter
from leaflets.resources import resources

FIRST = "مرطّب مرتين يوميًا (حوالي ٢٥٠ غرامًا) — NCT03269773، ص. 12 «مهم»."
OTHER = "ثلاث كلمات جديدة تظهر أولاً في هذه الوثيقة: زخرفة، ظفر، غصن."


@pytest.fixture
def fonts():
    own = FontSet(resources().fonts_dir)
    yield own
    own.close()


@pytest.fixture
def written(monkeypatch):
    """The pieces written afresh (not taken from the font set's memo), as they happen."""
    calls: list = []
    original = pdftext._write_reading_stream

    def counted(*args):
        calls.append(args[3])  # the piece's text
        return original(*args)
    monkeypatch.setattr(pdftext, "_write_reading_stream", counted)
    return calls


def _page(fonts, texts: list[str]) -> str:
    """The content stream of a page with each of ``texts`` drawn as an Arabic paragraph at one place."""
    typesetter = Typesetter(stack_for("ar"), rtl=True, fonts=fonts)
    canvas = Canvas(io.BytesIO())
    for text in texts:
        block = TextBlock(typesetter, [Run(text)], TextStyle(11, 14, black))
        block.wrap(300, 1000)
        block.drawOn(canvas, 50, 500)
    return "\n".join(canvas._code)


def test_a_piece_written_again_is_taken_from_the_memo(fonts, written):
    """The same paragraph in a new document at the same place writes nothing afresh and
    gives the same operators."""
    first = _page(fonts, [FIRST])
    pieces = len(written)
    assert pieces > 3  # Arabic words, an Arabic-Indic number, a Latin reference
    memo = fonts.memo("written")
    hits = memo.hits
    assert _page(fonts, [FIRST]) == first
    assert len(written) == pieces and memo.hits == hits + pieces


def test_a_piece_whose_characters_got_other_codes_is_written_afresh(fonts, written):
    """Codes are given by first use in each document: after another paragraph, the same
    piece's characters have other codes, so its kept operators are not used (they would
    draw other glyphs); the page equals one written with no memo at all."""
    _page(fonts, [FIRST])
    pieces = len(written)
    reused = _page(fonts, [OTHER, FIRST])
    assert len(written) > pieces + 1  # OTHER, and FIRST's pieces whose codes moved
    fonts.clear_caches()
    assert reused == _page(fonts, [OTHER, FIRST])


def test_the_memo_is_bounded_and_reported(fonts):
    memo = Memo(2)
    for key in "abc":
        memo.put(key, key.upper())
    assert len(memo) == 2 and memo.get("a") is None and memo.get("c") == "C"
    _page(fonts, [FIRST])
    entries, bound = fonts.cache_sizes()["written"]
    assert 0 < entries <= bound == CACHE_SIZES["written"]
    fonts.clear_caches()
    assert fonts.cache_sizes()["written"] == (0, CACHE_SIZES["written"])
