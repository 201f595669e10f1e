"""Measure slide text with the project's own text engine before it is written.

PowerPoint does not shrink overflowing text until someone edits it, and
LibreOffice shrinks it quietly, so a deck must fit as written.  Text is laid
out by :class:`~leaflets.render.textlayout.Typesetter` (the same font stacks,
HarfBuzz shaping, bidi and CJK line breaking as the handout) and line heights
come from the fonts' own metrics, as office applications use them.

A box fits when its paragraphs' lines, at the chosen size, are no taller than
the box minus its insets.  :func:`fit_size` tries sizes from the layout's size
down to the floor the design allows and returns the largest that fits.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from reportlab.lib.colors import black

from leaflets.render.deck_design import EMU_PER_PT, INSET_X, INSET_Y, WIDTH_SLACK
from leaflets.render.fonts import stack_for
from leaflets.render.fontset import FontSet, shipped_fonts
from leaflets.render.textlayout import Run, TextStyle, Typesetter


SHAPE_LINE = 1.2  # single line spacing in a shape, as a multiple of the font size


@dataclass(frozen=True)
class Piece:
    """A run of text as the fitter sees it."""

    text: str
    bold: bool = False
    italic: bool = False


def line_height(families, fonts: FontSet | None = None) -> float:
    """Line height per point of size of a line drawn in ``families``: the highest ascent plus
    the deepest descent (so Latin with Devanagari is taller than either alone)."""
    extents = [(fonts or shipped_fonts()).extent(f) for f in families]
    return max(a for a, _ in extents) + max(d for _, d in extents)


@dataclass
class Measurer:
    """Measures text for one locale (its font stack and base direction), in the fonts of ``fonts``."""

    locale: str
    rtl: bool = False
    fonts: FontSet = field(default_factory=shipped_fonts)

    def __post_init__(self):
        self.stack = stack_for(self.locale)
        self.typesetter = Typesetter(self.stack, self.rtl, self.fonts)
        # Fitting asks for the same paragraph at the same size and width many times
        # (shrink loops, balanced continuation slides): lines are counted once.
        self._line_counts: dict[tuple, int] = {}

    def line_count(self, pieces: list[Piece], size: float, width_pt: float) -> int:
        key = (tuple((p.text, p.bold, p.italic) for p in pieces), size, width_pt)
        count = self._line_counts.get(key)
        if count is None:
            count = self._line_counts[key] = self._count_lines(pieces, size, width_pt)
        return count

    def _count_lines(self, pieces: list[Piece], size: float, width_pt: float) -> int:
        runs = [Run(p.text, bold=p.bold, italic=p.italic) for p in pieces if p.text]
        if not runs:
            return 1
        width = width_pt * WIDTH_SLACK
        lines = self.typesetter.lines(runs, TextStyle(size, size, black), width)
        # a word wider than the column is broken inside by office applications: more lines
        return sum(max(1, math.ceil(line.width / width - 1e-9)) for line in lines)

    def width(self, pieces: list[Piece], size: float) -> float:
        """The width of text set on one line (points)."""
        return max(line.width for line in self.typesetter.lines(
            [Run(p.text, bold=p.bold, italic=p.italic) for p in pieces if p.text] or [Run(" ")],
            TextStyle(size, size, black), 1e9))

    def leading(self, pieces: list[Piece]) -> float:
        """Line height per point of size: the tallest family that draws this text."""
        used = {self.fonts.family_covering(self.stack, ch) or self.stack[0]
                for p in pieces for ch in p.text if not ch.isspace()}
        return line_height(used or {self.stack[0]}, self.fonts)

    def height(self, paragraphs: list[list[Piece]], size: float, width_pt: float, *, line: float = 1.0,
               space_after: float = 0, metrics: bool = False) -> float:
        """Height of the paragraphs at ``size`` in a text column ``width_pt`` wide (points).

        In a shape, a line is :data:`SHAPE_LINE` times the size times the line spacing,
        whatever the font: PowerPoint and LibreOffice both set shape text so (measured
        for Noto Sans, Arabic, Devanagari and SC).  Table cells follow the fonts' own
        ascent and descent in LibreOffice: ``metrics`` measures them so.
        """
        total = 0.0
        for index, pieces in enumerate(paragraphs):
            lines = self.line_count(pieces, size, width_pt)
            per_line = self.leading(pieces) if metrics else SHAPE_LINE
            total += lines * size * per_line * line
            if index < len(paragraphs) - 1:
                total += space_after
        return total


@dataclass(frozen=True)
class Frame:
    """The text area of a box: EMU box minus insets and the paragraph indent, in points."""

    width: float
    height: float

    @classmethod
    def of(cls, cx: int, cy: int, *, indent: int = 0, inset_x: int = INSET_X, inset_y: int = INSET_Y) -> Frame:
        return cls((cx - 2 * inset_x - indent) / EMU_PER_PT, (cy - 2 * inset_y) / EMU_PER_PT)


def fit_size(measurer: Measurer, paragraphs: list[list[Piece]], frame: Frame, start: float, floor: float, *,
             line: float = 1.0, space_after: float = 0, step: float = 1.0) -> float | None:
    """The largest size from ``start`` down to ``floor`` at which the text fits, or None."""
    size = start
    while size >= floor - 1e-6:
        if measurer.height(paragraphs, size, frame.width, line=line, space_after=space_after) <= frame.height + 0.01:
            return size
        size -= step
    return None


def split_to_fit(measurer: Measurer, paragraphs: list[list[Piece]], frame: Frame, floor: float, *,
                 line: float = 1.0, space_after: float = 0) -> list[int] | None:
    """Where to cut paragraphs into slides that each fit at ``floor``: the start index of
    every continuation slide (empty if all fit), or None if one paragraph alone does not fit."""
    def fits(group: list[list[Piece]]) -> bool:
        return measurer.height(group, floor, frame.width, line=line, space_after=space_after) <= frame.height + 0.01

    def greedy(capacity: float) -> list[int] | None:
        cuts: list[int] = []
        start = 0
        for index in range(len(paragraphs)):
            if measurer.height(paragraphs[start:index + 1], floor, frame.width, line=line,
                               space_after=space_after) <= capacity + 0.01:
                continue
            if not fits(paragraphs[index:index + 1]):
                return None
            cuts.append(index)
            start = index
        return cuts

    cuts = greedy(frame.height)
    if not cuts:
        return cuts
    # balance: the smallest capacity that needs no more slides (no lone bullet on the last one)
    low, high = 0.0, frame.height
    for _ in range(12):
        middle = (low + high) / 2
        trial = greedy(middle)
        if trial is not None and len(trial) == len(cuts):
            high = middle
        else:
            low = middle
    return greedy(high) or cuts
