"""Glyph outlines as PDF path operators.

Some glyphs are drawn as filled outlines rather than as text: the marks a
font positions over or under their base (Arabic harakat, Devanagari vowel
signs) and superscript citations.  Drawn as text, such a glyph sits off the
baseline or apart from its word, and text extractors file it by its own
position: pdfplumber puts a raised glyph on a line of its own, poppler
makes it a word of its own or breaks the word at it.  Drawn as a path it
looks the same (the same outline at the same place, filled in the same
colour), and its character reaches the text layer with the rest of its
cluster or on a baseline carrier instead (see
:mod:`leaflets.render.pdftext`).
"""

from __future__ import annotations

from fontTools.pens.basePen import BasePen
from reportlab.lib.rl_accel import fp_str

from leaflets.render.fontset import fonts_of


class _PathPen(BasePen):
    """Collects a glyph's contours as PDF path construction operators (font units)."""

    def __init__(self, glyph_set):
        super().__init__(glyph_set)
        self.ops: list[str] = []

    def _moveTo(self, pt):
        self.ops.append(f"{fp_str(*pt)} m")

    def _lineTo(self, pt):
        self.ops.append(f"{fp_str(*pt)} l")

    def _curveToOne(self, pt1, pt2, pt3):
        self.ops.append(f"{fp_str(*pt1, *pt2, *pt3)} c")

    def _closePath(self):
        self.ops.append("h")


def glyph_path(font_name: str, gid: int) -> tuple[str, int]:
    """(path operators in font units, units per em) of glyph ``gid``; "" if it has no outline
    (cached by the font's set).

    TrueType quadratic curves become cubic ones (exactly: a quadratic Bézier
    is a cubic one with its control points at 2/3), filled with the nonzero
    winding rule as TrueType rasterizers do.
    """
    return fonts_of(font_name).cached(_glyph_path, "outline")(font_name, gid)


def _glyph_path(font_name: str, gid: int) -> tuple[str, int]:
    fonts = fonts_of(font_name)
    with fonts.lock:  # fontTools loads a lazily opened font's tables on first use
        font = fonts.outline_font(font_name)
        glyph_set = font.getGlyphSet()
        pen = _PathPen(glyph_set)
        glyph_set[font.getGlyphName(gid)].draw(pen)
        return " ".join(pen.ops), font["head"].unitsPerEm


def draw_ops(font_name: str, gid: int, size: float, x: float, y: float) -> str:
    """Operators that fill glyph ``gid`` at ``size`` with its origin at (x, y), in the current fill colour."""
    path, units = glyph_path(font_name, gid)
    if not path:
        return ""
    scale = size / units
    return f"q 1 0 0 1 {fp_str(x, y)} cm {fp_str(scale)} 0 0 {fp_str(scale)} 0 0 cm {path} f Q"
