"""Script-aware line layout: fonts per script, shaping, bidi, line breaks.

ReportLab's Paragraph cannot lay out right-to-left text without ``rlbidi``
(not on PyPI), does not switch fonts by script, and its CJK wrapping lets a
line start with ``，`` or ``？``.  This module does the text layout itself:

1. every character gets the first font of the locale's stack that has it
   (spaces and punctuation stay with their neighbour's font);
2. text is cut into break units: words at spaces, single CJK characters
   (never before closing or after opening punctuation: kinsoku);
3. units fill lines greedily, measured after HarfBuzz shaping;
4. each line is reordered with the Unicode bidi algorithm (python-bidi
   resolves the levels, rule L2 reverses the runs), and each run is shaped by
   HarfBuzz in its own direction, so Arabic letters join, Devanagari
   conjuncts form, and numbers, DOIs and Latin acronyms stay left to right.

Every step works on runs, not characters: a paragraph is itemized into a
:class:`Block` (its text and its segments of one style), fonts are chosen per
run of one family (:meth:`FontSet.font_runs
<leaflets.render.fontset.FontSet.font_runs>`), break opportunities come from
one regular expression, widths are measured per segment of a unit or line,
and a line is a range of its block.  What depends only on text, fonts and
widths (shaped text, widths, where a block's lines break, a line's bidi
levels) is cached in the font set, so a paragraph, artifact or locale that
sets the same text again measures nothing.

The result is laid-out lines (:class:`Line`) and, for each, its pieces in
drawing order with their positions (:func:`positioned`): runs of one font,
size, rise, colour and structure tag, each shaped as one string.  Nothing
here draws: the handout writes lines on a ReportLab canvas with
:mod:`leaflets.render.pdftext`, and the deck measures its text boxes with
:class:`Typesetter` (:mod:`leaflets.render.deck_fit`).  Fonts are ReportLab's
registered TrueType fonts and shaping is ReportLab's HarfBuzz binding, so
widths are exactly those the PDF is drawn with.  Fonts, shaped text and widths
belong to a :class:`~leaflets.render.fontset.FontSet` (the typesetter's), whose
lock serializes what shaping changes in a font and whose caches are bounded.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, NamedTuple

from bidi import algorithm as uba
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfbase.ttfonts import ShapedStr

from leaflets.render import rlshim
from leaflets.render.fonts import Family
from leaflets.render.fontset import FontSet, fonts_of, shipped_fonts

if TYPE_CHECKING:
    from reportlab.lib.colors import Color

# Kinsoku: characters that may not start a line / end a line (CJK and general).
CANNOT_START = set("，。、．：；！？）］｝〕〉》」』】〙〗〟’”»›.,:;!?)]}%٪‰…ー々〻ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ・")
CANNOT_END = set("（［｛〔〈《「『【〘〖〝‘“«‹([{")
# No line break before or after these (UAX #14 class GL): the space that joins a citation to its word.
GLUE = set("\u00a0\u202f\u2007\u2060")
BRACKET_MIRROR = str.maketrans("()[]{}<>«»‹›", ")(][}{><»«›‹")


def is_cjk_breakable(ch: str) -> bool:
    """Characters between which a line may break without a space (Han, kana, CJK punctuation)."""
    code = ord(ch)
    return (0x4E00 <= code <= 0x9FFF or 0x3400 <= code <= 0x4DBF or 0x3000 <= code <= 0x30FF
            or 0xFF00 <= code <= 0xFFEF or 0xF900 <= code <= 0xFAFF or 0x20000 <= code <= 0x2FFFF)


def _char_class(chars) -> str:
    """A regular-expression character class of ``chars`` (a set of characters or code-point ranges)."""
    return "".join(re.escape(ch) if isinstance(ch, str) else f"{re.escape(chr(ch[0]))}-{re.escape(chr(ch[1]))}"
                   for ch in sorted(chars, key=lambda ch: ch if isinstance(ch, str) else chr(ch[0])))


_CJK = _char_class([(0x4E00, 0x9FFF), (0x3400, 0x4DBF), (0x3000, 0x30FF), (0xFF00, 0xFFEF), (0xF900, 0xFAFF),
                    (0x20000, 0x2FFFF)])  # is_cjk_breakable


def _break_pattern() -> re.Pattern:
    """Where a break unit starts, as one expression (the rules of :func:`break_starts`)."""
    glue = _char_class(GLUE)
    cjk_not_ending = f"(?:(?![{_char_class(CANNOT_END)}])[{_CJK}])"
    return re.compile(
        # after a space, before anything but a space or glue
        f"(?<= )(?=[^ {glue}])"
        # after a CJK character (not one that cannot end a line), before anything a line may start with
        f"|(?<={cjk_not_ending})(?=[^ {glue}{_char_class(CANNOT_START)}])"
        # after anything but a space, glue or what cannot end a line, before a CJK character that may start one
        f"|(?<=[^ {glue}{_char_class(CANNOT_END)}])(?=(?![{_char_class(CANNOT_START)}])[{_CJK}])")


_BREAKS = _break_pattern()


@lru_cache(maxsize=20_000)
def break_starts(text: str) -> tuple[int, ...]:
    """Where the break units of ``text`` start (see :meth:`Typesetter.units`): after a
    space before a non-space, and between CJK characters except where kinsoku forbids;
    never next to a no-break space (:data:`GLUE`).  Found by one regular expression (no
    Python step per character) and cached by text (a paragraph is laid out at several
    widths and sizes; the result depends on the text alone)."""
    if not text:
        return (0,)
    return (0, *[match.start() for match in _BREAKS.finditer(text)])


def fill_lines(full: list[float], bare: list[float], width: float,
               exact: Callable[[int, int], float]) -> list[tuple[int, int, float]]:
    """Greedy line filling over break units: ``full`` and ``bare`` are each unit's width with
    and without its trailing spaces, ``exact(first, last)`` the measured width of units
    ``first:last`` set as one line (shaping across their joins).  Each line takes units while
    their sum fits, then gives back units while the exact width does not (one unit always
    stays).  Returns (first, last, exact width) per line.  The typesetter and the deck's
    fitting both fill with it, so a deck measures the lines the typesetter will set.

    >>> fill_lines([3, 3, 3], [2, 2, 2], 6, lambda a, b: 3 * (b - a) - 1)
    [(0, 2, 5), (2, 3, 2)]
    """
    lines = []
    first = 0
    while first < len(full):
        last, used = first + 1, full[first]
        while last < len(full) and used + bare[last] <= width:
            used += full[last]
            last += 1
        measured = exact(first, last)
        while measured > width and last - first > 1:
            last -= 1
            measured = exact(first, last)
        lines.append((first, last, measured))
        first = last
    return lines


def is_neutral(ch: str) -> bool:
    """Spaces, punctuation and symbols: they take their neighbour's font."""
    return unicodedata.category(ch)[0] in "ZPS" or ch in "\u00a0\u202f"


def takes_neighbour_font(ch: str) -> bool:
    """Neutrals and European digits: set in the font of the text they stand in.

    A DOI's digits in an English reference of an Arabic handout are Latin
    text: drawn from the Arabic font, whose descent differs, pdfplumber
    files them a few points lower and splits "NCT03269773" in two.

    >>> takes_neighbour_font("7"), takes_neighbour_font("\u0667"), takes_neighbour_font("a")
    (True, False, False)
    """
    return is_neutral(ch) or unicodedata.bidirectional(ch) == "EN"


@dataclass(frozen=True)
class Run:
    """A stretch of text with one style (the input to a text block)."""

    text: str
    bold: bool = False
    italic: bool = False
    color: Color | None = None
    superscript: bool = False
    tag: object = None  # structure element of this text (None: the block's), see pdftags
    link: object = None  # a Link element this text is the visible part of (no effect on layout)


@dataclass(frozen=True)
class TextStyle:
    size: float
    leading: float
    color: Color
    bold: bool = False
    space_before: float = 0
    space_after: float = 0
    bullet: str | None = None
    bullet_color: Color | None = None
    indent: float = 0  # start-side indent of the text (room for a bullet)
    rtl: bool | None = None  # the paragraph's direction; None: from its first strong character (UBA P2, P3)


@dataclass
class Char:
    """One character of a line as drawn: the per-character view of a :class:`Line`
    (:attr:`Line.chars`), for checks and callers that walk characters.  Layout works on
    a :class:`Block`'s runs instead and makes these only when asked."""

    ch: str
    font: str
    size: float
    rise: float
    color: Color
    tag: object = None
    index: int = 0  # position in the block's logical text
    link: object = None


class Style(NamedTuple):
    """What a stretch of a block is drawn with: font, size, rise, colour and structure tag."""

    font: str
    size: float
    rise: float
    color: Color
    tag: object

    def same(self, other: Style) -> bool:
        """Drawn alike: same font, size, rise, colour (identical or equal) and tag (identical)."""
        return (self.font == other.font and self.size == other.size and self.rise == other.rise
                and (self.color is other.color or self.color == other.color) and self.tag is other.tag)


class Block:
    """A paragraph itemized: its text and the segments of it drawn in one :class:`Style`.

    ``bounds`` are where the segments start, and the text's end (``(0, ..., len(text))``);
    ``metrics`` each segment's (font, size, rise), all that its widths depend on, so
    that lines found for one block serve any other with the same text, bounds and
    metrics (:meth:`Typesetter.lines`); ``styles`` each segment's full style and
    ``links`` the (start, end, Link element) of the runs that are part of a link.
    A segment is as long as its style lasts, so the text is measured, broken and
    drawn by segments and ranges, never character by character."""

    __slots__ = ("text", "bounds", "metrics", "styles", "links")

    def __init__(self, text: str, bounds: tuple[int, ...], metrics: tuple, styles: tuple = (),
                 links: tuple = ()):
        self.text, self.bounds, self.metrics, self.styles, self.links = text, bounds, metrics, styles, links

    @classmethod
    def of_chars(cls, chars: list[Char]) -> Block:
        """The block of characters (their positions in the list are the block's)."""
        bounds, styles, links = [0], [], []
        for index, c in enumerate(chars):
            style = Style(c.font, c.size, c.rise, c.color, c.tag)
            if styles and styles[-1].same(style):
                bounds[-1] = index + 1
            else:
                bounds.append(index + 1)
                styles.append(style)
            if c.link:
                links.append((index, index + 1, c.link))
        return cls("".join([c.ch for c in chars]), tuple(bounds), tuple(s[:3] for s in styles), tuple(styles),
                   tuple(links))

    def segment(self, index: int) -> int:
        """The number of the segment that holds position ``index``."""
        return bisect_right(self.bounds, index) - 1

    def width(self, start: int, end: int) -> float:
        """The width of ``text[start:end]``: each segment's part shaped on its own, summed in order."""
        if start >= end:
            return 0
        bounds, metrics, text = self.bounds, self.metrics, self.text
        number = bisect_right(bounds, start) - 1
        widths = []
        while True:
            font, size, _ = metrics[number]
            stop = bounds[number + 1]
            if stop >= end:
                widths.append(_shaped_width(text[start:end], font, size))
                return sum(widths)
            widths.append(_shaped_width(text[start:stop], font, size))
            start, number = stop, number + 1

    def link_at(self, index: int):
        for start, end, link in self.links:
            if start <= index < end:
                return link
        return None

    def chars(self, start: int, end: int) -> list[Char]:
        """Characters ``start:end`` one by one (see :class:`Char`)."""
        out = []
        for number in range(self.segment(start), len(self.styles)) if start < end else ():
            font, size, rise, color, tag = self.styles[number]
            for index in range(max(start, self.bounds[number]), min(end, self.bounds[number + 1])):
                out.append(Char(self.text[index], font, size, rise, color, tag, index, self.link_at(index)))
            if self.bounds[number + 1] >= end:
                break
        return out


class Line:
    """A laid-out line: characters ``start:end`` of a :class:`Block` and their width."""

    __slots__ = ("block", "start", "end", "width", "rtl", "_chars")

    def __init__(self, block: Block, start: int, end: int, width: float, rtl: bool = False):
        self.block, self.start, self.end, self.width, self.rtl = block, start, end, width, rtl
        self._chars = None

    def __repr__(self) -> str:
        return f"Line({self.text!r}, {self.width!r}, rtl={self.rtl})"

    @property
    def text(self) -> str:
        return self.block.text[self.start:self.end]

    @property
    def tag(self) -> object:
        """The structure tag of the line's first character (None for an empty line)."""
        return self.block.styles[self.block.segment(self.start)].tag if self.start < self.end else None

    @property
    def chars(self) -> list[Char]:
        """The line's characters one by one (made on first use: layout and drawing do not need them)."""
        if self._chars is None:
            self._chars = self.block.chars(self.start, self.end)
        return self._chars

    def segments(self) -> list[tuple[int, int, int]]:
        """(start, end, segment number) of the parts of the line in one style, in logical order."""
        bounds = self.block.bounds
        out = []
        number = bisect_right(bounds, self.start) - 1
        start = self.start
        while start < self.end:
            stop = min(bounds[number + 1], self.end)
            out.append((start, stop, number))
            start, number = stop, number + 1
        return out

    def largest_size(self) -> float:
        """The largest size of the line's characters."""
        styles = self.block.styles
        return max(styles[number].size for _, _, number in self.segments())

    def baseline_font_near(self, index: int) -> str | None:
        """The font of the character on the baseline (not raised) nearest to just before
        position ``index`` (the earlier of two as near), or None if all are raised."""
        styles, target = self.block.styles, index - 0.5
        best, found = None, None
        for start, end, number in self.segments():
            if styles[number].rise:
                continue
            nearest = end - 1 if end - 1 < target else start if start > target else index - 1
            distance = abs(nearest - target)
            if best is None or distance < best:
                best, found = distance, styles[number].font
        return found


def paragraph_rtl(text: str, default: bool) -> bool:
    """Base direction from the first strong character (UBA rules P2, P3)."""
    strong = _STRONG.search(bidi_classes(text))
    return default if strong is None else strong.group() == "R"


@dataclass
class Typesetter:
    """Lays out text for one locale: its font stack and base direction, in the fonts of ``fonts``."""

    stack: tuple[Family, ...]
    rtl: bool = False
    fonts: FontSet = field(default_factory=shipped_fonts)
    _names: dict = field(default_factory=dict)

    def font_name(self, family: Family, bold: bool, italic: bool) -> str:
        key = (family, bold, italic)
        if key not in self._names:
            fonts = self.fonts.pdf_family(family)
            self._names[key] = (fonts.bold_italic if bold and italic else fonts.bold if bold
                                else fonts.italic if italic else fonts.regular)
        return self._names[key]

    # ---------------------------------------------------------- itemize
    def block(self, runs: list[Run], style: TextStyle, tag: object = None) -> Block:
        """The runs itemized: their text and its segments of one style.  Fonts are chosen
        per run of one family (:meth:`FontSet.font_runs`, cached by text), so this takes a
        step per run of one font, none per character."""
        texts: list[str] = []
        bounds: list[int] = [0]
        styles: list[Style] = []
        links: list[tuple] = []
        previous: Family | None = None
        font_runs = self.fonts.font_runs
        font_name = self.font_name
        at = 0
        for run in runs:
            if not run.text:
                continue
            size = style.size * (0.62 if run.superscript else 1)
            rise = style.size * 0.36 if run.superscript else 0
            color = run.color or style.color
            run_tag = run.tag or tag
            bold = run.bold or style.bold
            spans, previous = font_runs(self.stack, run.text, previous)
            for end, family in spans:
                segment = Style(font_name(family, bold, run.italic), size, rise, color, run_tag)
                if styles and styles[-1].same(segment):
                    bounds[-1] = at + end
                else:
                    bounds.append(at + end)
                    styles.append(segment)
            if run.link:
                links.append((at, at + len(run.text), run.link))
            texts.append(run.text)
            at += len(run.text)
        return Block("".join(texts), tuple(bounds), tuple(s[:3] for s in styles), tuple(styles), tuple(links))

    def chars(self, runs: list[Run], style: TextStyle, tag: object = None) -> list[Char]:
        """The runs' characters one by one, each in its font (see :class:`Char`; layout uses
        :meth:`block`)."""
        block = self.block(runs, style, tag)
        return block.chars(0, len(block.text))

    # ----------------------------------------------------------- breaks
    @staticmethod
    def units(chars: list[Char]) -> list[list[Char]]:
        """Break units: a word and its trailing spaces, or one CJK character; a no-break
        space (:data:`GLUE`) joins the units on either side.

        Break opportunities come from :func:`break_starts` (cached by text), so the
        characters are only sliced here."""
        if not chars:
            return []
        starts = break_starts("".join([c.ch for c in chars]))
        return [chars[start:end] for start, end in zip(starts, starts[1:] + (len(chars),))]

    def break_long(self, unit: list[Char], width: float) -> list[list[Char]]:
        """A unit wider than the line, cut between characters into pieces that fit,
        as browsers do (``overflow-wrap: break-word``); never before a combining
        mark or joiner, nor next to a no-break space, nor inside a raised run (a citation).
        Other units come back whole."""
        if width <= 0 or self.width(_rstrip(unit)) <= width:
            return [unit]
        return [unit[start:end] for start, end in self._cut(Block.of_chars(unit), 0, len(unit), width)]

    def width(self, chars: list[Char]) -> float:
        return Block.of_chars(chars).width(0, len(chars))

    def lines(self, runs: list[Run], style: TextStyle, width: float, tag: object = None) -> list[Line]:
        """Fill lines greedily.  Each break unit is shaped once; a line's sum of unit
        widths decides where it breaks, and its exact shaped width is checked (a unit
        moves down if kerning across units would make the line overflow).

        Lines are ranges of the runs' :class:`Block`; where they break depends only on
        its text, segments and their metrics and the width, so it is found once
        (:func:`_line_ranges`, cached by the font set) for every paragraph, render and
        engine of the set that sets the same text alike."""
        block = self.block(runs, style, tag)
        rtl = paragraph_rtl(block.text, self.rtl) if style.rtl is None else style.rtl
        ranges = self.fonts.cached(_line_ranges, "lines")(block.text, block.bounds, block.metrics, width)
        return [Line(block, start, end, exact, rtl) for start, end, exact in ranges] or [Line(block, 0, 0, 0.0, rtl)]

    @staticmethod
    def _cut(spans: Block, start: int, end: int, width: float) -> list[tuple[int, int]]:
        """The range ``start:end`` of a block (too wide for a line) as pieces that fit, cut
        between characters, never before a combining mark or joiner, nor next to a no-break
        space, nor inside a raised run (a citation); :meth:`break_long` on a whole unit.
        (The one step per character of layout, for the rare word wider than its line.)"""
        pieces: list[list[int]] = [[start, start]]
        used = 0.0
        text, metrics = spans.text, spans.metrics
        for index in range(start, end):
            ch = text[index]
            advance = spans.width(index, index + 1)
            attached = (unicodedata.category(ch).startswith("M") or ch in "\u200c\u200d\ufe0e\ufe0f" or ch in GLUE
                        or (index > start and (text[index - 1] in GLUE or metrics[spans.segment(index - 1)][2]
                                               and metrics[spans.segment(index)][2])))
            if pieces[-1][1] > pieces[-1][0] and not attached and ch != " " and used + advance > width:
                pieces.append([index, index])
                used = 0.0
            pieces[-1][1] = index + 1
            used += advance
        return [(a, b) for a, b in pieces]

    def line_of(self, text: str, size: float, color: Color, bold: bool = False, tag: object = None) -> Line:
        block = self.block([Run(text, bold=bold)], TextStyle(size, size, color), tag)
        return Line(block, 0, len(block.text), block.width(0, len(block.text)), paragraph_rtl(text, self.rtl))

    def line_of_parts(self, parts: list[str], size: float, color: Color, separator: str = " / ",
                      tags: list | tuple = ()) -> list[Line]:
        """Texts set side by side, each in its own direction, in the document's order."""
        lines = []
        for index, part in enumerate(parts):
            if index:
                lines.append(self.line_of(separator, size, color))
            lines.append(self.line_of(part, size, color, tag=tags[index] if index < len(tags) else None))
        return lines[::-1] if self.rtl else lines


def _line_ranges(text: str, bounds: tuple[int, ...], metrics: tuple, width: float) -> tuple:
    """(start, end, exact width) of each line of a block's text set in ``width`` (see
    :meth:`Typesetter.lines`): break units from :func:`break_starts`, a unit wider than
    the line cut (:meth:`Typesetter._cut`), lines filled by :func:`fill_lines`, each
    line's trailing spaces left out."""
    spans = Block(text, bounds, metrics)
    units: list[tuple[int, int]] = []
    bare: list[float] = []
    starts = break_starts(text) if text else ()
    for start, end in zip(starts, (*starts[1:], len(text))):
        stripped = start + len(text[start:end].rstrip(" "))
        bare_width = spans.width(start, stripped)
        if width <= 0 or bare_width <= width:
            units.append((start, end))
            bare.append(bare_width)
            continue
        for piece in Typesetter._cut(spans, start, end, width):  # wider than the line (break_long)
            units.append(piece)
            bare.append(spans.width(piece[0], piece[0] + len(text[piece[0]:piece[1]].rstrip(" "))))
    full = [spans.width(start, end) for start, end in units]  # with trailing spaces

    def stop_of(first: int, last: int) -> int:  # the line's end, its trailing spaces left out
        begin = units[first][0]
        return begin + len(text[begin:units[last - 1][1]].rstrip(" "))

    return tuple((units[first][0], stop_of(first, last), exact) for first, last, exact in
                 fill_lines(full, bare, width, lambda first, last: spans.width(units[first][0], stop_of(first, last))))


@dataclass(frozen=True)
class Piece:
    """A run of one font, size, rise, colour and structure tag, as drawn."""

    text: str  # as fed to HarfBuzz (reversed for neutrals in RTL runs and for Arabic-Indic digits)
    font: str
    size: float
    rise: float
    color: Color
    tag: object
    index: int  # first logical position in the block
    source: str  # what each character of ``text`` stands for (the unmirrored bracket)
    links: tuple = ()  # (Link element or None, logical index) per character of ``source``, if any link
    level: int = 0  # bidi embedding level
    source_reversed: bool = False  # ``source`` is the logical text backwards


def line_pieces(line: Line) -> list[Piece]:
    """The line's pieces in drawing order (left to right): its parts of one style and one
    bidi level (levels resolved once per line text, :func:`level_runs`), reordered."""
    block, start, end = line.block, line.start, line.end
    if start >= end:
        return []
    styles = block.styles
    text = block.text[start:end]
    if line.rtl or _needs_bidi(text):
        levels = fonts_of(styles[0].font).cached(level_runs, "bidi")(text, line.rtl)
    else:
        levels = ((len(text), 0),)
    groups: list[tuple[int, int, int]] = []  # (start, end, segment number), each of one level
    group_levels: list[int] = []
    runs = iter(levels)
    level_end, level = next(runs)
    level_end += start
    for seg_start, seg_end, number in line.segments():
        while seg_start < seg_end:
            while level_end <= seg_start:
                level_end, level = next(runs)
                level_end += start
            stop = min(seg_end, level_end)
            groups.append((seg_start, stop, number))
            group_levels.append(level)
            seg_start = stop
    pieces = []
    links = block.links
    for level, (first, stop, number) in reorder(list(zip(group_levels, groups)), group_levels):
        logical = block.text[first:stop]
        seg_text = source = logical
        if level % 2 and not is_rtl(logical):
            seg_text = logical.translate(BRACKET_MIRROR)[::-1]  # neutrals in an RTL run
            source = logical[::-1]
        elif not level % 2 and _has_arabic_script_number(logical):
            # Arabic-Indic and Persian digits are Arabic script, so HarfBuzz shapes them right
            # to left; bidi put them in a left-to-right run: feed them reversed (they never join).
            seg_text = source = logical[::-1]
        style = styles[number]
        piece_links = ()
        if links and any(link and a < stop and first < b for a, b, link in links):
            piece_links = tuple((block.link_at(index), index) for index in range(first, stop))
            if source is not logical:
                piece_links = piece_links[::-1]
        pieces.append(Piece(seg_text, style.font, style.size, style.rise, style.color, style.tag,
                            first, source, piece_links, level, source is not logical))
    return pieces


def positioned(line: Line, x: float = 0.0) -> list[tuple[Piece, float, float]]:
    """The line's pieces left to right, each with where it starts (the line starting at ``x``)
    and its width."""
    placed = []
    for piece in line_pieces(line):
        width = _shaped_width(piece.text, piece.font, piece.size)
        placed.append((piece, x, width))
        x += width
    return placed


def _rstrip(chars: list[Char]) -> list[Char]:
    end = len(chars)
    while end and chars[end - 1].ch == " ":
        end -= 1
    return chars[:end]


class _BidiClasses(dict):
    """Code point -> one letter for what layout asks of its bidi class: ``L`` (strong left
    to right), ``R`` (R or AL), ``A`` (AN), ``P`` (the Extended Arabic-Indic digits, class
    EN but Arabic script), ``E`` (other EN), ``.`` (the rest).  Filled as characters are
    met (:meth:`str.translate` reads known ones at C speed), at most :attr:`LIMIT` of them
    (beyond, looked up every time): a pure function of the Unicode data, shared by every
    engine of the process."""

    LIMIT = 65_536

    def __missing__(self, code: int) -> str:
        kind = unicodedata.bidirectional(chr(code))
        letter = ("L" if kind == "L" else "R" if kind in ("R", "AL") else "A" if kind == "AN"
                  else ("P" if 0x6F0 <= code <= 0x6F9 else "E") if kind == "EN" else ".")
        if len(self) < self.LIMIT:
            self[code] = letter
        return letter


_BIDI = _BidiClasses()
_STRONG = re.compile("[LR]")


def bidi_classes(text: str) -> str:
    """``text`` with each character replaced by its letter of :class:`_BidiClasses`."""
    return text.translate(_BIDI)


def _needs_bidi(text: str) -> bool:
    """Whether ``text`` holds right-to-left characters or Arabic numbers (bidi class R, AL or AN)."""
    if text.isascii():
        return False
    classes = bidi_classes(text)
    return "R" in classes or "A" in classes


def _has_arabic_script_number(text: str) -> bool:
    """Whether any character of ``text`` is one of :func:`_arabic_script_number`."""
    if text.isascii():
        return False
    classes = bidi_classes(text)
    return "A" in classes or "P" in classes


def _arabic_script_number(ch: str) -> bool:
    """A character of a number that HarfBuzz shapes right to left (its script is Arabic) but
    bidi lays out left to right: Arabic-Indic digits and separators (bidi class AN) and the
    Extended Arabic-Indic digits of Persian and Urdu (class EN, so the check cannot be by class).

    >>> [_arabic_script_number(ch) for ch in "١٫۱5٪"]
    [True, True, True, False, False]
    """
    return unicodedata.bidirectional(ch) == "AN" or "\u06f0" <= ch <= "\u06f9"


def is_rtl(text: str) -> bool:
    """Whether ``text`` holds a right-to-left letter (bidi class R or AL)."""
    return not text.isascii() and "R" in bidi_classes(text)


SHAPING_SIZE = 1000.0  # the size text is shaped at: HarfBuzz's advances, in 1/1000 em, do not depend on it


def shape(text: str, font: str, size: float = SHAPING_SIZE):
    """HarfBuzz-shaped text (ReportLab's ShapedStr), or the text if nothing changes; cached
    by the font's set (shared, so never to be changed by the caller).

    Shaping does not depend on the size (ReportLab scales HarfBuzz's advances to
    1/1000 em; the fonts have no ``trak`` table), so the cache is keyed by text and
    font alone and ``size`` only documents the caller's: a word set at 11 pt, 14 pt
    and 18 pt is shaped once.

    The key is all a shaping result depends on: ReportLab's ``shapeStr`` shapes
    with fixed features (``kern``, ``liga``, ``dlig``) and lets HarfBuzz guess the
    direction and script from the text itself (``guess_segment_properties``), the
    language being HarfBuzz's process default; so (text, font) stands for (text,
    font, features, direction, language), and one entry serves every paragraph,
    artifact, locale and engine of the font set.
    """
    return fonts_of(font).cached(_shape, "shape")(text, font)


def _shape(text: str, font: str):
    with fonts_of(font).lock:  # shaping may add private code points to the font's face
        return rlshim.shape_str(text, font, SHAPING_SIZE)  # ReportLab's shapeStr, without its overhead


def _shaped_width(text: str, font: str, size: float) -> float:
    """The advance width of ``text`` at ``size``: its size-free advance (cached), scaled."""
    units = fonts_of(font).cached(_advance_units, "width")(text, font)
    if units is None:
        return fonts_of(font).cached(_plain_width, "width")(text, font, size)
    return units * size / 1000


def _plain_width(text: str, font: str, size: float) -> float:
    return stringWidth(text, font, size)


def _advance_units(text: str, font: str) -> float | None:
    """The shaped advance of ``text`` in 1/1000 em, or None where HarfBuzz changed nothing
    (ReportLab's own widths are then the ones drawn)."""
    shaped = shape(text, font)
    data = getattr(shaped, "__shapeData__", None)
    if isinstance(shaped, ShapedStr) and data:
        return sum(d.x_advance for d in data)
    return None


def bidi_levels(text: str, rtl: bool) -> list[int]:
    """Resolved embedding levels (Unicode bidi algorithm, rules up to I2)."""
    storage = uba.get_empty_storage()
    storage["base_level"] = 1 if rtl else 0
    storage["base_dir"] = "R" if rtl else "L"
    uba.get_embedding_levels(text, storage)
    uba.explicit_embed_and_overrides(storage)
    uba.resolve_weak_types(storage)
    uba.resolve_neutral_types(storage, False)
    uba.resolve_implicit_levels(storage, False)
    levels = [c["level"] for c in storage["chars"]]
    # L1: trailing whitespace takes the paragraph level
    base = storage["base_level"]
    index = len(text) - 1
    while index >= 0 and text[index].isspace():
        levels[index] = base
        index -= 1
    # A phone number (Latin digit groups joined by hyphens) reads left to right as one piece
    # wherever it stands.  After Arabic letters the UBA makes its digits Arabic numbers (W2),
    # and a hyphen joins only European numbers (W4), so "555-0100" would show as "0100-555":
    # the number is set as if isolated (LRI ... PDI), one left-to-right run.
    # Likewise a house number at the start of a Latin address ("12 River Road"): levels are
    # resolved line by line here, so on a line of its own the number would sit after the street.
    if any(level % 2 for level in levels):
        for pattern in (PHONE_NUMBER, HOUSE_NUMBER):
            for match in pattern.finditer(text):
                for position in range(match.start(), match.end()):
                    levels[position] = 2
    return levels


def level_runs(text: str, rtl: bool) -> tuple[tuple[int, int], ...]:
    """The resolved levels of :func:`bidi_levels` as runs: (end, level) of each stretch of
    one level.  Cached by the font set (per line text and direction): the bidi algorithm
    steps through every character."""
    runs: list[list[int]] = []
    for index, level in enumerate(bidi_levels(text, rtl)):
        if runs and runs[-1][1] == level:
            runs[-1][0] = index + 1
        else:
            runs.append([index + 1, level])
    return tuple((end, level) for end, level in runs)


PHONE_NUMBER = re.compile(r"(?<![0-9A-Za-z.])\+?[0-9]+(?:-[0-9]+)+(?![0-9A-Za-z])")
HOUSE_NUMBER = re.compile(r"(?<![0-9A-Za-z.])[0-9]+ (?=[A-Za-z])")


def reorder(items: list, levels: list[int]) -> list:
    """Rule L2: from the highest level down to the lowest odd one, reverse runs at or above it.

    >>> reorder(list("abcd"), [1, 1, 2, 2])
    ['c', 'd', 'b', 'a']
    """
    items = list(zip(levels, items))
    if not items:
        return []
    highest = max(levels)
    lowest_odd = min(level for level in levels) | 1
    for level in range(highest, lowest_odd - 1, -1):
        index = 0
        while index < len(items):
            if items[index][0] >= level:
                end = index
                while end < len(items) and items[end][0] >= level:
                    end += 1
                items[index:end] = items[index:end][::-1]
                index = end
            else:
                index += 1
    return [item for _, item in items]
