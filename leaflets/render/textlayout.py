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
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import groupby
from collections.abc import Callable
from typing import TYPE_CHECKING

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


@lru_cache(maxsize=20_000)
def break_starts(text: str) -> tuple[int, ...]:
    """Where the break units of ``text`` start (see :meth:`Typesetter.units`): after a
    space before a non-space, and between CJK characters except where kinsoku forbids;
    never next to a no-break space (:data:`GLUE`).  Cached by text (a paragraph is laid
    out at several widths and sizes)."""
    starts = [0]
    prev = text[0] if text else ""
    prev_cjk = is_cjk_breakable(prev) if prev else False
    for index in range(1, len(text)):
        ch = text[index]
        cjk = is_cjk_breakable(ch)
        if ch in GLUE or prev in GLUE:
            pass  # glued: a citation stays with its word
        elif prev == " ":
            if ch != " ":
                starts.append(index)
        elif (cjk or prev_cjk) and ch != " " and ch not in CANNOT_START and prev not in CANNOT_END:
            starts.append(index)
        prev, prev_cjk = ch, cjk
    return tuple(starts)


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
    ch: str
    font: str
    size: float
    rise: float
    color: Color
    tag: object = None
    index: int = 0  # position in the block's logical text
    link: object = None


@dataclass
class Line:
    chars: list[Char]
    width: float
    rtl: bool = False


def paragraph_rtl(text: str, default: bool) -> bool:
    """Base direction from the first strong character (UBA rules P2, P3)."""
    for ch in text:
        kind = unicodedata.bidirectional(ch)
        if kind == "L":
            return False
        if kind in ("R", "AL"):
            return True
    return default


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
    def chars(self, runs: list[Run], style: TextStyle, tag: object = None) -> list[Char]:
        """The runs' characters, each in its font.  Fonts are chosen per run
        (:meth:`FontSet.run_families`, cached by text), so this loop only builds the characters."""
        out: list[Char] = []
        previous: Family | None = None
        run_families = self.fonts.run_families
        font_name = self.font_name
        for run in runs:
            if not run.text:
                continue
            size = style.size * (0.62 if run.superscript else 1)
            rise = style.size * 0.36 if run.superscript else 0
            color = run.color or style.color
            char_tag = run.tag or tag
            link = run.link
            bold = run.bold or style.bold
            italic = run.italic
            families, previous = run_families(self.stack, run.text, previous)
            names = {family: font_name(family, bold, italic) for family in set(families)}
            start = len(out)
            out += [Char(ch, names[family], size, rise, color, char_tag, start + offset, link)
                    for offset, (ch, family) in enumerate(zip(run.text, families))]
        return out

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
        return [unit[start:end] for start, end in self._cut(_Spans(unit), unit, 0, len(unit), width)]

    def width(self, chars: list[Char]) -> float:
        return sum([_shaped_width("".join([c.ch for c in seg]), seg[0].font, seg[0].size) for seg in _segments(chars)])

    def lines(self, runs: list[Run], style: TextStyle, width: float, tag: object = None) -> list[Line]:
        """Fill lines greedily.  Each break unit is shaped once; a line's sum of unit
        widths decides where it breaks, and its exact shaped width is checked (a unit
        moves down if kerning across units would make the line overflow).

        Units and lines are ranges of the block's characters, measured by
        :class:`_Spans` (runs of one style found once per block), with the same
        segments and sums as :meth:`width` of their characters."""
        chars = self.chars(runs, style, tag)
        rtl = paragraph_rtl("".join(r.text for r in runs), self.rtl) if style.rtl is None else style.rtl
        spans = _Spans(chars)
        text = spans.text
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
            for piece in self._cut(spans, chars, start, end, width):  # wider than the line (break_long)
                units.append(piece)
                bare.append(spans.width(piece[0], piece[0] + len(text[piece[0]:piece[1]].rstrip(" "))))
        full = [spans.width(start, end) for start, end in units]  # with trailing spaces

        def stop_of(first: int, last: int) -> int:  # the line's end, its trailing spaces left out
            begin = units[first][0]
            return begin + len(text[begin:units[last - 1][1]].rstrip(" "))

        lines = [Line(chars[units[first][0]:stop_of(first, last)], exact, rtl) for first, last, exact in
                 fill_lines(full, bare, width, lambda first, last: spans.width(units[first][0], stop_of(first, last)))]
        return lines or [Line([], 0.0, rtl)]

    @staticmethod
    def _cut(spans: _Spans, chars: list[Char], start: int, end: int, width: float) -> list[tuple[int, int]]:
        """The range ``start:end`` of ``chars`` (too wide for a line) as pieces that fit, cut
        between characters, never before a combining mark or joiner, nor next to a no-break
        space, nor inside a raised run (a citation); :meth:`break_long` on a whole unit."""
        pieces: list[list[int]] = [[start, start]]
        used = 0.0
        text = spans.text
        for index in range(start, end):
            ch = text[index]
            advance = spans.width(index, index + 1)
            previous = chars[index - 1] if index > start else None
            attached = (unicodedata.category(ch).startswith("M") or ch in "\u200c\u200d\ufe0e\ufe0f" or ch in GLUE
                        or (previous is not None and (previous.ch in GLUE or previous.rise and chars[index].rise)))
            if pieces[-1][1] > pieces[-1][0] and not attached and ch != " " and used + advance > width:
                pieces.append([index, index])
                used = 0.0
            pieces[-1][1] = index + 1
            used += advance
        return [(a, b) for a, b in pieces]

    def line_of(self, text: str, size: float, color: Color, bold: bool = False, tag: object = None) -> Line:
        chars = self.chars([Run(text, bold=bold)], TextStyle(size, size, color), tag)
        return Line(chars, self.width(chars), paragraph_rtl(text, self.rtl))

    def line_of_parts(self, parts: list[str], size: float, color: Color, separator: str = " / ",
                      tags: list | tuple = ()) -> list[Line]:
        """Texts set side by side, each in its own direction, in the document's order."""
        lines = []
        for index, part in enumerate(parts):
            if index:
                lines.append(self.line_of(separator, size, color))
            lines.append(self.line_of(part, size, color, tag=tags[index] if index < len(tags) else None))
        return lines[::-1] if self.rtl else lines


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
    """The line's pieces in drawing order (left to right)."""
    chars = line.chars
    if not chars:
        return []
    text = "".join(c.ch for c in chars)
    if line.rtl or any(unicodedata.bidirectional(ch) in ("R", "AL", "AN") for ch in text):
        levels = bidi_levels(text, line.rtl)
    else:
        levels = [0] * len(chars)
    groups: list[tuple[int, list[Char]]] = []
    for c, level in zip(chars, levels):
        if groups and groups[-1][0] == level and _same_style(groups[-1][1][-1], c):
            groups[-1][1].append(c)
        else:
            groups.append((level, [c]))
    ordered = reorder(groups, [g[0] for g in groups])
    pieces = []
    for level, group in ordered:
        segments = _segments(group)
        if level % 2:
            segments = segments[::-1]
        for seg in segments:
            logical = "".join([c.ch for c in seg])
            seg_text = source = logical
            if level % 2 and not is_rtl(logical):
                seg_text = logical.translate(BRACKET_MIRROR)[::-1]  # neutrals in an RTL run
                source = logical[::-1]
            elif not level % 2 and any(_arabic_script_number(ch) for ch in logical):
                # Arabic-Indic and Persian digits are Arabic script, so HarfBuzz shapes them right
                # to left; bidi put them in a left-to-right run: feed them reversed (they never join).
                seg_text = source = logical[::-1]
            first = seg[0]
            links = tuple((c.link, c.index) for c in seg) if any(c.link for c in seg) else ()
            if links and source is not logical:
                links = links[::-1]
            pieces.append(Piece(seg_text, first.font, first.size, first.rise, first.color, first.tag,
                                first.index, source, links, level, source is not logical))
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


def _same_style(a: Char, b: Char) -> bool:
    return a.font == b.font and a.size == b.size and a.rise == b.rise and (a.color is b.color or a.color == b.color) and a.tag is b.tag


class _Spans:
    """A block's characters as text with the places where the style changes, so that the
    width of any range is summed over the same segments as :meth:`Typesetter.width` of
    those characters, without walking them."""

    __slots__ = ("text", "fonts", "sizes", "changes")

    def __init__(self, chars: list[Char]):
        self.text = "".join([c.ch for c in chars])
        self.fonts = [c.font for c in chars]
        self.sizes = [c.size for c in chars]
        keys = [_style_key(c) for c in chars]
        self.changes = [index for index in range(1, len(keys)) if keys[index] != keys[index - 1]]

    def width(self, start: int, end: int) -> float:
        if start >= end:
            return 0
        cuts = [start]
        for change in self.changes:
            if change >= end:
                break
            if change > start:
                cuts.append(change)
        cuts.append(end)
        text, fonts, sizes = self.text, self.fonts, self.sizes
        return sum([_shaped_width(text[a:b], fonts[a], sizes[a]) for a, b in zip(cuts, cuts[1:])])


def _style_key(c: Char) -> tuple:
    # equal keys: same font, size, rise, colour (identical or equal) and tag (identical)
    return (c.font, c.size, c.rise, c.color, id(c.tag))


def _segments(chars: list[Char]) -> list[list[Char]]:
    """Consecutive characters with one font, size, rise, colour and tag."""
    return [list(group) for _, group in groupby(chars, _style_key)]


def _arabic_script_number(ch: str) -> bool:
    """A character of a number that HarfBuzz shapes right to left (its script is Arabic) but
    bidi lays out left to right: Arabic-Indic digits and separators (bidi class AN) and the
    Extended Arabic-Indic digits of Persian and Urdu (class EN, so the check cannot be by class).

    >>> [_arabic_script_number(ch) for ch in "١٫۱5٪"]
    [True, True, True, False, False]
    """
    return unicodedata.bidirectional(ch) == "AN" or "\u06f0" <= ch <= "\u06f9"


def is_rtl(text: str) -> bool:
    return any(unicodedata.bidirectional(ch) in ("R", "AL") for ch in text)


SHAPING_SIZE = 1000.0  # the size text is shaped at: HarfBuzz's advances, in 1/1000 em, do not depend on it


def shape(text: str, font: str, size: float = SHAPING_SIZE):
    """HarfBuzz-shaped text (ReportLab's ShapedStr), or the text if nothing changes; cached
    by the font's set (shared, so never to be changed by the caller).

    Shaping does not depend on the size (ReportLab scales HarfBuzz's advances to
    1/1000 em; the fonts have no ``trak`` table), so the cache is keyed by text and
    font alone and ``size`` only documents the caller's: a word set at 11 pt, 14 pt
    and 18 pt is shaped once.
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
