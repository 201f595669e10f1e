"""Script-aware line layout for the PDF: fonts per script, shaping, bidi, line breaks.

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

Text is drawn with ReportLab canvas calls, so no translated string ever
reaches ReportLab's paragraph markup parser.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field, replace
from functools import lru_cache

from bidi import algorithm as uba
from reportlab.lib.colors import Color
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfbase.ttfonts import ShapedStr, shapeStr
from reportlab.platypus.flowables import Flowable

from leaflets.render.fonts import Family, family_covering, register_pdf_family

# Kinsoku: characters that may not start a line / end a line (CJK and general).
CANNOT_START = set("，。、．：；！？）］｝〕〉》」』】〙〗〟’”»›.,:;!?)]}%٪‰…ー々〻ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ・")
CANNOT_END = set("（［｛〔〈《「『【〘〖〝‘“«‹([{")
BRACKET_MIRROR = str.maketrans("()[]{}<>«»‹›", ")(][}{><»«›‹")


def is_cjk_breakable(ch: str) -> bool:
    """Characters between which a line may break without a space (Han, kana, CJK punctuation)."""
    code = ord(ch)
    return (0x4E00 <= code <= 0x9FFF or 0x3400 <= code <= 0x4DBF or 0x3000 <= code <= 0x30FF
            or 0xFF00 <= code <= 0xFFEF or 0xF900 <= code <= 0xFAFF or 0x20000 <= code <= 0x2FFFF)


def is_neutral(ch: str) -> bool:
    """Spaces, punctuation and symbols: they take their neighbour's font."""
    return unicodedata.category(ch)[0] in "ZPS" or ch in "\u00a0\u202f"


@dataclass(frozen=True)
class Run:
    """A stretch of text with one style (the input to a text block)."""

    text: str
    bold: bool = False
    italic: bool = False
    color: Color | None = None
    superscript: bool = False


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


@dataclass
class _Char:
    ch: str
    font: str
    size: float
    rise: float
    color: Color


@dataclass
class _Line:
    chars: list[_Char]
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
    """Lays out text for one locale: its font stack and base direction."""

    stack: tuple[Family, ...]
    rtl: bool = False
    _fonts: dict = field(default_factory=dict)

    def font_name(self, family: Family, bold: bool, italic: bool) -> str:
        key = (family, bold, italic)
        if key not in self._fonts:
            fonts = register_pdf_family(family)
            self._fonts[key] = (fonts.bold_italic if bold and italic else fonts.bold if bold
                                else fonts.italic if italic else fonts.regular)
        return self._fonts[key]

    # ---------------------------------------------------------- itemize
    def chars(self, runs: list[Run], style: TextStyle) -> list[_Char]:
        out: list[_Char] = []
        previous: Family | None = None
        for run in runs:
            size = style.size * (0.62 if run.superscript else 1)
            rise = style.size * 0.36 if run.superscript else 0
            for ch in run.text:
                family = family_covering(self.stack, ch)
                if is_neutral(ch) and previous is not None and family_covering((previous,), ch):
                    family = previous
                if family is None:  # preflight reports these; draw with the first family
                    family = self.stack[0]
                previous = family
                font = self.font_name(family, run.bold or style.bold, run.italic)
                out.append(_Char(ch, font, size, rise, run.color or style.color))
        return out

    # ----------------------------------------------------------- breaks
    @staticmethod
    def units(chars: list[_Char]) -> list[list[_Char]]:
        """Break units: a word and its trailing spaces, or one CJK character."""
        units: list[list[_Char]] = []
        current: list[_Char] = []
        for index, c in enumerate(chars):
            prev = chars[index - 1].ch if index else ""
            start_new = False
            if current:
                if prev == " " and c.ch != " ":
                    start_new = True
                elif (is_cjk_breakable(c.ch) or is_cjk_breakable(prev)) and c.ch != " " and prev != " ":
                    start_new = c.ch not in CANNOT_START and prev not in CANNOT_END
            if start_new:
                units.append(current)
                current = []
            current.append(c)
        if current:
            units.append(current)
        return units

    def break_long(self, unit: list[_Char], width: float) -> list[list[_Char]]:
        """A unit wider than the line, cut between characters into pieces that fit,
        as browsers do (``overflow-wrap: break-word``); never before a combining
        mark or joiner.  Other units come back whole."""
        if width <= 0 or self.width(_rstrip(unit)) <= width:
            return [unit]
        pieces: list[list[_Char]] = [[]]
        used = 0.0
        for c in unit:
            advance = self.width([c])
            attached = unicodedata.category(c.ch).startswith("M") or c.ch in "\u200c\u200d\ufe0e\ufe0f"
            if pieces[-1] and not attached and c.ch != " " and used + advance > width:
                pieces.append([])
                used = 0.0
            pieces[-1].append(c)
            used += advance
        return pieces

    def width(self, chars: list[_Char]) -> float:
        return sum(_shaped_width(text, font, size) for text, font, size, _, _ in _segments(chars))

    def lines(self, runs: list[Run], style: TextStyle, width: float) -> list[_Line]:
        """Fill lines greedily.  Each break unit is shaped once; a line's sum of unit
        widths decides where it breaks, and its exact shaped width is checked (a unit
        moves down if kerning across units would make the line overflow)."""
        chars = self.chars(runs, style)
        rtl = paragraph_rtl("".join(r.text for r in runs), self.rtl)
        units = [piece for unit in self.units(chars) for piece in self.break_long(unit, width)]
        full = [self.width(unit) for unit in units]  # with trailing spaces
        bare = [self.width(_rstrip(unit)) for unit in units]
        lines: list[_Line] = []
        start = 0
        while start < len(units):
            end, used = start + 1, full[start]
            while end < len(units) and used + bare[end] <= width:
                used += full[end]
                end += 1
            line = _rstrip([c for unit in units[start:end] for c in unit])
            exact = self.width(line)
            while exact > width and end - start > 1:
                end -= 1
                line = _rstrip([c for unit in units[start:end] for c in unit])
                exact = self.width(line)
            lines.append(_Line(line, exact, rtl))
            start = end
        return lines or [_Line([], 0.0, rtl)]

    # ------------------------------------------------------------- draw
    def visual_pieces(self, line: _Line) -> list[tuple[str, str, float, float, Color]]:
        """(text in drawing order, font, size, rise, colour), left to right."""
        chars = line.chars
        if not chars:
            return []
        text = "".join(c.ch for c in chars)
        if line.rtl or any(unicodedata.bidirectional(ch) in ("R", "AL", "AN") for ch in text):
            levels = bidi_levels(text, line.rtl)
        else:
            levels = [0] * len(chars)
        groups: list[tuple[int, list[_Char]]] = []
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
            for seg_text, font, size, rise, color in segments:
                if level % 2 and not any(unicodedata.bidirectional(ch) in ("R", "AL") for ch in seg_text):
                    seg_text = seg_text.translate(BRACKET_MIRROR)[::-1]  # neutrals in an RTL run
                elif not level % 2 and any(unicodedata.bidirectional(ch) == "AN" for ch in seg_text):
                    # Arabic-Indic digits are Arabic script, so HarfBuzz shapes them right to left;
                    # bidi put them in a left-to-right run: feed them reversed (they never join).
                    seg_text = seg_text[::-1]
                pieces.append((seg_text, font, size, rise, color))
        return pieces

    def draw_line(self, canvas, line: _Line, x: float, y: float) -> None:
        for text, font, size, rise, color in self.visual_pieces(line):
            shaped = _shape(text, font, size)
            canvas.setFont(font, size)
            canvas.setFillColor(color)
            canvas.drawString(x, y + rise, shaped)
            x += _shaped_width(text, font, size)

    def line_of(self, text: str, size: float, color: Color, bold: bool = False) -> _Line:
        chars = self.chars([Run(text, bold=bold)], TextStyle(size, size, color))
        return _Line(chars, self.width(chars), paragraph_rtl(text, self.rtl))

    def line_of_parts(self, parts: list[str], size: float, color: Color, separator: str = " / ") -> list[_Line]:
        """Texts set side by side, each in its own direction, in the document's order."""
        lines = []
        for index, part in enumerate(parts):
            if index:
                lines.append(self.line_of(separator, size, color))
            lines.append(self.line_of(part, size, color))
        return lines[::-1] if self.rtl else lines


def _rstrip(chars: list[_Char]) -> list[_Char]:
    end = len(chars)
    while end and chars[end - 1].ch == " ":
        end -= 1
    return chars[:end]


def _same_style(a: _Char, b: _Char) -> bool:
    return (a.font, a.size, a.rise, a.color) == (b.font, b.size, b.rise, b.color)


def _segments(chars: list[_Char]) -> list[tuple[str, str, float, float, Color]]:
    """Consecutive characters with one font, size, rise and colour."""
    segments: list[list] = []
    for c in chars:
        if segments and segments[-1][1:] == [c.font, c.size, c.rise, c.color]:
            segments[-1][0] += c.ch
        else:
            segments.append([c.ch, c.font, c.size, c.rise, c.color])
    return [tuple(s) for s in segments]


@lru_cache(maxsize=20000)
def _shape(text: str, font: str, size: float):
    """HarfBuzz-shaped text (ReportLab's ShapedStr), or the text if nothing changes."""
    return shapeStr(text, font, size)


@lru_cache(maxsize=20000)
def _shaped_width(text: str, font: str, size: float) -> float:
    shaped = _shape(text, font, size)
    data = getattr(shaped, "__shapeData__", None)
    if isinstance(shaped, ShapedStr) and data:
        return sum(d.x_advance for d in data) * size / 1000
    return stringWidth(text, font, size)


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
    return levels


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


class TextBlock(Flowable):
    """A paragraph (or a bullet item) laid out by a :class:`Typesetter`."""

    def __init__(self, typesetter: Typesetter, runs: list[Run], style: TextStyle, *,
                 keep_with_next: bool = False, _lines: list[_Line] | None = None, _bullet: bool = True):
        super().__init__()
        self.typesetter = typesetter
        self.runs = runs
        self.style = style
        self.keepWithNext = keep_with_next
        self._lines = _lines
        self._draw_bullet = _bullet
        self.spaceBefore = style.space_before
        self.spaceAfter = style.space_after

    def wrap(self, avail_width, avail_height):
        self.avail = avail_width
        if self._lines is None:
            self._lines = self.typesetter.lines(self.runs, self.style, avail_width - self.style.indent)
        self.width = avail_width
        self.height = len(self._lines) * self.style.leading
        return self.width, self.height

    def split(self, avail_width, avail_height):
        self.wrap(avail_width, avail_height)
        fit = int(avail_height // self.style.leading)
        if fit <= 0 or fit >= len(self._lines):
            return []
        fit = max(fit, 2) if len(self._lines) > 3 else fit  # avoid a lone first line (widow control)
        if fit >= len(self._lines) - 1 and len(self._lines) > 2:
            fit = len(self._lines) - 2  # avoid a lone last line (orphan control)
        if fit <= 0 or fit * self.style.leading > avail_height:
            return []
        first = TextBlock(self.typesetter, self.runs, replace(self.style, space_after=0), _lines=self._lines[:fit],
                          _bullet=self._draw_bullet)
        rest = TextBlock(self.typesetter, self.runs, replace(self.style, space_before=0), _lines=self._lines[fit:],
                         _bullet=False)
        return [first, rest]

    def draw(self):
        canvas = self.canv
        style = self.style
        ts = self.typesetter
        y = self.height - style.size * 0.95  # baseline of the first line
        if style.bullet and self._draw_bullet and self._lines:
            bullet = ts.line_of(style.bullet, style.size, style.bullet_color or style.color)
            bx = self.avail - style.indent + (style.indent - bullet.width) / 2 if ts.rtl else (
                style.indent - bullet.width) / 2
            ts.draw_line(canvas, bullet, bx, y)
        for line in self._lines:
            if line.rtl:
                x = self.avail - (style.indent if ts.rtl else 0) - line.width
            else:
                x = 0 if ts.rtl else style.indent
            ts.draw_line(canvas, line, x, y)
            y -= style.leading
