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

from leaflets.render.deck_design import EAST_ASIAN_WIDTH_SLACK, EMU_PER_PT, INSET_X, INSET_Y, WIDTH_SLACK
from leaflets.render.fonts import script_fonts, stack_for
from leaflets.lru import Memo
from leaflets.render.fontset import FontSet, shipped_fonts
from leaflets.render.textlayout import Run, TextStyle, Typesetter, _shaped_width, break_starts, fill_lines


SHAPE_LINE = 1.2  # single line spacing in a shape, as a multiple of the font size
# What a paragraph of a deck keeps of its measurements (per deck: a Measurer is a deck's): the
# unit widths at this many sizes, and this many widths of stretches of it (lines, units).
SIZES_KEPT = 32
WIDTHS_KEPT = 4096


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
        self.slack = EAST_ASIAN_WIDTH_SLACK if script_fonts(self.locale).slot == "ea" else WIDTH_SLACK
        self.stack = stack_for(self.locale)
        self.typesetter = Typesetter(self.stack, self.rtl, self.fonts)
        # Fitting asks for the same paragraph at the same size and width many times
        # (shrink loops, balanced continuation slides): lines are counted once, and a
        # paragraph is itemized (fonts, break units, style runs) once for every size.
        self._line_counts: dict[tuple, int] = {}
        self._paragraphs: dict[tuple, _Paragraph] = {}
        # ... and kept by the font set for the decks after this one (a web page's next render of
        # the same deck, the other formats and locales that share text)
        self._itemized = itemized_paragraphs(self.fonts)
        self._leadings: dict[tuple, float] = {}

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
        width = width_pt * self.slack
        key = tuple((p.text, p.bold, p.italic) for p in pieces)
        paragraph = self._paragraphs.get(key)
        if paragraph is None:
            paragraph = self._paragraphs[key] = self._itemized.get((self.stack, self.rtl, key))
            if paragraph is None:
                paragraph = self._paragraphs[key] = self._itemized.keep((self.stack, self.rtl, key),
                                                                       _Paragraph(self.typesetter, runs))
        widths = paragraph.line_widths(size, width)
        if widths is None:  # a word wider than the column: the typesetter cuts it (break_long)
            widths = [line.width for line in self.typesetter.lines(runs, TextStyle(size, size, black), width)]
        # a word wider than the column is broken inside by office applications: more lines
        return sum(max(1, math.ceil(line_width / width - 1e-9)) for line_width in widths)

    def width(self, pieces: list[Piece], size: float) -> float:
        """The width of text set on one line (points)."""
        return max(line.width for line in self.typesetter.lines(
            [Run(p.text, bold=p.bold, italic=p.italic) for p in pieces if p.text] or [Run(" ")],
            TextStyle(size, size, black), 1e9))

    def leading(self, pieces: list[Piece]) -> float:
        """Line height per point of size: the tallest family that draws this text."""
        key = "".join(p.text for p in pieces)
        found = self._leadings.get(key)
        if found is None:
            used = {self.fonts.family_covering(self.stack, ch) or self.stack[0] for ch in set(key) if not ch.isspace()}
            found = self._leadings[key] = line_height(used or {self.stack[0]}, self.fonts)
        return found

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


def itemized_paragraphs(fonts: FontSet) -> Memo:
    """The paragraphs a font set keeps itemized for the decks it measures (``CACHE_SIZES["paragraphs"]``
    of them, by font stack, direction and runs): one font set's, gone with it, never another's."""
    return fonts.memo("paragraphs")


class _Paragraph:
    """A paragraph itemized once for every size it is tried at: its characters' fonts, its
    break units and its runs of one font do not depend on the size, and shaped widths are
    the font's size-free advances scaled (:func:`~leaflets.render.textlayout._shaped_width`).

    :meth:`line_widths` fills lines exactly as :meth:`Typesetter.lines
    <leaflets.render.textlayout.Typesetter.lines>` does (same widths, summed in the same
    order), without making characters, units and segments again at each size."""

    def __init__(self, typesetter: Typesetter, runs: list[Run]):
        chars = typesetter.chars(runs, TextStyle(1.0, 1.0, black))  # fonts do not depend on the size
        self.text = "".join(c.ch for c in chars)
        self.fonts = [c.font for c in chars]
        starts = break_starts(self.text) if chars else ()
        ends = starts[1:] + (len(chars),)
        self.units = [(start, end, len(self.text[start:end].rstrip(" ")) + start) for start, end in zip(starts, ends)]
        # where the font changes (the deck's runs have one colour, rise and tag: only fonts differ)
        self.changes = [index for index in range(1, len(chars)) if self.fonts[index] != self.fonts[index - 1]]
        # Widths at a size do not depend on the column: a table's first column is tried at a
        # dozen widths, a box at each size of its shrink loop; units and lines are measured once.
        self._widths: dict[tuple[int, int, float], float] = {}
        self._unit_widths: dict[float, tuple[list[float], list[float]]] = {}

    def width(self, start: int, end: int, size: float) -> float:
        """The width of characters ``start:end`` at ``size``, as ``Typesetter.width`` measures it."""
        if start >= end:
            return 0
        key = (start, end, size)
        found = self._widths.get(key)
        if found is None:
            if len(self._widths) >= WIDTHS_KEPT:
                self._widths.clear()
            cuts = [start, *(c for c in self.changes if start < c < end), end]
            found = self._widths[key] = sum([_shaped_width(self.text[a:b], self.fonts[a], size)
                                             for a, b in zip(cuts, cuts[1:])])
        return found

    def unit_widths(self, size: float) -> tuple[list[float], list[float]]:
        """Each break unit's width at ``size`` without and with its trailing spaces."""
        found = self._unit_widths.get(size)
        if found is None:
            if len(self._unit_widths) >= SIZES_KEPT:
                self._unit_widths.clear()
            found = self._unit_widths[size] = ([self.width(start, stripped, size) for start, _, stripped in self.units],
                                               [self.width(start, end, size) for start, end, _ in self.units])
        return found

    def line_widths(self, size: float, width: float) -> list[float] | None:
        """The widths of the lines at ``size`` in ``width``, or None if a unit is wider than the
        line (it would be cut inside: left to the typesetter)."""
        units = self.units
        if not units:
            return [0.0]
        bare, full = self.unit_widths(size)
        if width > 0 and any(b > width for b in bare):
            return None
        return [exact for _, _, exact in fill_lines(
            full, bare, width, lambda first, last: self.width(units[first][0], units[last - 1][2], size))]


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
        size = smaller(size, floor, step)
        if size is None:
            return None
    return None


def smaller(size: float, floor: float, step: float = 1.0) -> float | None:
    """The next size to try after ``size``: ``step`` smaller, but the floor itself is tried
    (a slide scaled from the design's sizes has floors between whole points); None below it."""
    if size <= floor + 1e-6:
        return None
    return max(size - step, floor)


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
