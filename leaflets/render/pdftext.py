"""Write laid-out lines (:mod:`leaflets.render.textlayout`) on a ReportLab canvas, so that
they also *read* right.

Glyph positions come from the layout; what this module decides is what the
PDF says those glyphs *are*, and in what order it says it: every glyph is
written with a code that extracts as the character it stands for
(:func:`clusters`), clusters that are not one glyph per character carry
ActualText, marks the font positions and raised citations are outlines
whose characters ride on the baseline, and right-to-left lines are written
in the order pypdf reads, with marks for poppler and MuPDF (:func:`draw_line`,
:class:`_Runs`).  A
canvas that tags content (:class:`leaflets.render.pdftags.TaggingCanvas`)
gets each piece marked for its structure element.  :class:`TextBlock` is
the ReportLab flowable of a paragraph laid out and drawn this way; no
translated string ever reaches ReportLab's paragraph markup parser.
"""

from __future__ import annotations

import copy
import re
import unicodedata
from functools import partial
from dataclasses import replace
from typing import NamedTuple

from reportlab.lib.rl_accel import escapePDF, fp_str
from reportlab.pdfgen.canvas import Canvas
from reportlab.pdfbase.ttfonts import ShapeData, ShapedStr
from reportlab.platypus.flowables import Flowable

from leaflets.render import outlines as glyph_outlines
from leaflets.render import rlshim
from leaflets.render.fontset import fonts_of
from leaflets.render.textlayout import (
    Line, Piece, Run, TextStyle, Typesetter, _arabic_script_number, is_rtl, positioned, shape,
)


def draw_line(canvas, line: Line, x: float, y: float) -> None:
    """Draw a laid-out line at (x, y) so that it also *reads* right.

    Every glyph is written with a code whose ToUnicode entry is the one
    character it stands for (see :func:`clusters`); clusters whose glyphs
    are not one-to-one with their characters (conjuncts, reordered
    matras, Latin ligatures) are wrapped in ``/Span <</ActualText ...>>``.
    Right-to-left runs are drawn in visual order, as the position-based
    extractors expect (poppler and pdfminer order characters by position
    and apply their own bidi); a line-level ActualText would be reversed
    a second time by poppler, so there is none.  On a right-to-left line
    the pieces are written in logical order and each piece's codes in the
    order pypdf needs (see :func:`_draw_clusters`), with right-to-left
    marks for poppler where its bidi would misplace a space or a full
    stop next to a number (see :func:`_ends_left_to_right`), and bidi marks
    for MuPDF between its pieces (see :class:`_Runs`).  Marks the
    font positions and raised pieces (citations) are outlines whose
    characters ride on the baseline.  Positions, and so the rendering,
    are the same whatever the order.  If the canvas tags content (see
    :class:`leaflets.render.pdftags.TaggingCanvas`), each piece is marked
    for its structure element.
    """
    if getattr(canvas, "measuring", False):  # a layout only counted (pdf.handout_pages): nothing is drawn
        return
    placed = positioned(line, x)
    if not placed:
        return
    if line.rtl:
        placed.reverse()
    mark = getattr(canvas, "mark_content", None)
    runs = _Runs() if line.rtl else None
    base_size = line.largest_size()
    for piece, px, width in placed:
        if runs is not None:
            runs.rtl = bool(piece.level % 2)
        box = (px, y + piece.rise, px + width, piece.size)
        marks = _Marks(canvas, piece, box) if mark and any(link for link, _ in piece.links) else None
        if mark and marks is None:
            mark(piece.tag, piece.index, box)
        if piece.links and hasattr(canvas, "link_area"):
            for link, (start, end, order) in _link_spans(piece).items():
                canvas.link_area(link, order, (px + start, y + piece.rise, px + end, piece.size))
        canvas.setFont(piece.font, piece.size)
        canvas.setFillColor(piece.color)
        # a raised piece's characters ride on carriers in the font of the text it follows,
        # so that every extractor files them on that text's line
        carrier_font = line.baseline_font_near(piece.index) if piece.rise else None
        _draw_clusters(canvas, piece.font, piece.size, piece.text, piece.source, px, y, piece.rise,
                       source_reversed=piece.source_reversed, carrier=(carrier_font, base_size), marks=marks,
                       runs=runs, **(_rtl_writing(piece, line) if line.rtl else _ltr_writing(piece)))


class _Marks:
    """Marked content inside one piece that holds (part of) a web address: the address's
    characters are content of its Link element, the others of the piece's element, so a
    screen reader reads the link text inside the Link.  The piece is drawn as one shaped
    string (splitting it at the link would change kerning); the marks switch between its
    glyphs, where :func:`_draw_clusters` calls :meth:`at`."""

    def __init__(self, canvas, piece: Piece, box):
        self.canvas, self.piece, self.box = canvas, piece, box
        self.current = None

    def at(self, position: int, code: list[str], flush=None) -> None:
        """What is written next stands for ``piece.source[position]``: switch to its element,
        moving the text written so far (``code``; ``flush`` first closes an open TJ) onto the
        canvas before the new mark."""
        link, order = self.piece.links[position]
        tag = link or self.piece.tag
        if tag is self.current:
            return
        if flush is not None:
            flush()
        self.canvas._code.append(" ".join(code))
        code.clear()
        box = self.box if tag is self.piece.tag and self.box else None
        if box:
            self.box = None  # the piece's element gets the piece's box once (heading bookmarks)
        self.canvas.mark_content(tag, order, box)
        self.current = tag

    def at_logical(self, offset: int, code: list[str], flush=None) -> None:
        """As :meth:`at`, for the character ``offset`` places into the piece's logical text."""
        source = self.piece.source
        self.at(len(source) - 1 - offset if self.piece.source_reversed else offset, code, flush)


def _rtl_writing(piece: Piece, line: Line) -> dict:
    """How :func:`_draw_clusters` writes a piece of a right-to-left line."""
    logical = piece.source[::-1] if piece.source_reversed else piece.source
    text, first, end = line.block.text, line.start, line.end
    before = text[piece.index - 1] if first <= piece.index - 1 < end else " "  # a line starts after a space
    # cached by the font's set (a pure function of three strings; the dict is only ever unpacked)
    return fonts_of(piece.font).cached(_rtl_writing_of, "writing")(logical, piece.level, before)


def _rtl_writing_of(logical: str, level: int, before: str) -> dict:
    """:func:`_rtl_writing` of a piece whose logical text is ``logical``, at bidi ``level``,
    after the character ``before``."""
    previous = before + logical[:-1]  # the character before each of the piece's
    return {
        # pypdf reads Arabic letters, harakat and digits right to left; a piece without
        # Latin letters or European digits is written for that
        "reading": all(_reverses(ch) for ch in logical if unicodedata.category(ch)[0] in "LMN"),
        # right-to-left characters after a number or Latin word read a right-to-left mark too
        "marked": frozenset(
            k for k, ch in enumerate(logical)
            if level % 2 and _ends_left_to_right(previous[k])
            and unicodedata.bidirectional(ch) not in ("R", "AL", "NSM")),
        # a number or Latin word right after "." or another number: poppler would read the two
        # as one left-to-right run, so its last character also reads a right-to-left mark
        "marked_last": not level % 2 and _ends_left_to_right(before),
    }


def _ltr_writing(piece: Piece) -> dict:
    """How :func:`_draw_clusters` writes a piece of a left-to-right line: an Arabic-Indic
    number (a reference's label in an Arabic handout) is written right to left between
    marks, see :func:`_emit_units`; anything else as shaped."""
    if piece.source_reversed and len(piece.source) > 1 and all(_arabic_script_number(ch) for ch in piece.source):
        return {"reading": True, "digits": True}
    return {}


def _link_spans(piece: Piece) -> dict:
    """Link element -> (x from, x to, first logical index) within a drawn piece."""
    spans: dict = {}
    scale = piece.size / 1000
    for cluster, pen in _laid_out(piece.text, piece.font, piece.size, piece.source):
        start_x, end_x = pen * scale, (pen + _advance(cluster)) * scale
        link, index = piece.links[min(d.cluster for d in cluster.data)]
        if link is not None:
            start, end, order = spans.get(link, (start_x, start_x, index))
            spans[link] = (min(start, start_x), max(end, end_x), min(order, index))
    return spans


def pdf_text_string(text: str) -> str:
    """A PDF text string (UTF-16BE with BOM, as hex): safe for any text, no escaping."""
    return "<FEFF" + text.encode("utf-16-be").hex().upper() + ">"


class Cluster(NamedTuple):
    """One shaped cluster: its characters and the glyphs that draw them."""

    text: str
    codes: str  # one code character per glyph, in drawing order (see rlshim.glyph_code)
    data: tuple  # ReportLab ShapeData per glyph
    needs_actual_text: bool = False  # its glyphs do not map one to one to its characters
    start: int = 0  # index of its first character in the shaped source
    order: tuple = ()  # if each code stands for one character: that character's index in ``text``, per code
    outlines: tuple = ()  # (glyph id, x, y offset) of marks drawn as paths (see leaflets.render.outlines)


def _advance(cluster: Cluster) -> float:
    """A cluster's advance, 1/1000 em."""
    return sum(d.x_advance for d in cluster.data)


def _laid_out(text: str, font: str, size: float, source: str) -> tuple[tuple[Cluster, float], ...]:
    """Each cluster of ``text`` (see :func:`clusters`) with the pen position, 1/1000 em from
    the start, where it begins (size-free: cached by the font's set, see :func:`_laid_out_of`)."""
    return fonts_of(font).cached(_laid_out_of, "laid out")(text, font, source)


def _laid_out_of(text: str, font: str, source: str) -> tuple[tuple[Cluster, float], ...]:
    laid, pen = [], 0.0
    for cluster in _clusters_of(text, font, source):
        laid.append((cluster, pen))
        pen += _advance(cluster)
    return tuple(laid)


def _outlines_of(text: str, font: str, source: str) -> tuple:
    """:func:`_mark_outlines` of the laid-out ``text`` (cached by the font's set)."""
    return fonts_of(font).cached(_mark_outlines_of, "laid out")(text, font, source)


def _mark_outlines_of(text: str, font: str, source: str) -> tuple:
    return tuple(_mark_outlines(_laid_out(text, font, 0, source)))


def _glyphs(cluster: Cluster, pen: float):
    """(code, ShapeData, origin in 1/1000 em) of each glyph of a cluster that begins at ``pen``."""
    at = pen
    for code, d in zip(cluster.codes, cluster.data):
        yield code, d, at + d.x_offset
        at += d.x_advance


def _mark_outlines(laid: list[tuple[Cluster, float]]) -> list:
    """(glyph id, origin, rise) of the marks drawn as outlines, 1/1000 em from the start."""
    return [(gid, pen + origin, rise) for cluster, pen in laid for gid, origin, rise in cluster.outlines]


def _logical_index(index: int, source: str, source_reversed: bool) -> int:
    """The logical position of ``source[index]`` (``source`` may be the logical text backwards)."""
    return len(source) - 1 - index if source_reversed else index


CARRIER = "\u200b"  # its glyph draws nothing and has no advance
# 1/1000 em between carriers and from the glyph they follow to the next one: extractors that
# sort by position (pdfminer stably, poppler not) must never see two characters at one place.
CARRIER_STEP = 2
MIN_CARRIER_WIDTH = 0.01  # points: a blank carrier of a zero-advance character of a raised piece


def clusters(text: str, font: str, size: float, source: str | None = None) -> tuple[Cluster, ...]:
    """``text`` shaped exactly as :func:`shape` shapes it, as clusters whose
    glyph codes extract as the cluster's characters (cached by the font's set:
    see :func:`_clusters`)."""
    return fonts_of(font).cached(_clusters, "clusters")(text, font, source)


def _clusters_of(text: str, font: str, source: str | None) -> tuple[Cluster, ...]:
    return fonts_of(font).cached(_clusters, "clusters")(text, font, source)


def _clusters(text: str, font: str, source: str | None = None) -> tuple[Cluster, ...]:
    """The clusters of :func:`clusters` (in 1/1000 em: they do not depend on the size, see
    :func:`~leaflets.render.textlayout.shape`).

    A glyph that stands for one character maps to it (so an Arabic joining
    form maps to its letter, not a presentation form).  In a left-to-right
    cluster of several characters or glyphs (Devanagari conjuncts and
    reordered matras, Latin ligatures) the glyphs share the characters out in
    drawing order, the last glyph taking the rest, and the cluster gets
    ActualText.  A right-to-left cluster is drawn in visual order, so its
    glyphs take its characters from the right; characters beyond the glyph
    count (the marks drawn as outlines, the alef of a lam-alef) are carried
    by empty zero-width glyphs drawn just left of the leftmost glyph.  Every drawn
    code then stands for exactly one character, which is what lets
    position-based extractors (poppler, pdfminer) and stream-based ones
    (pypdf) all read the cluster in logical order.

    ``source`` (index-aligned with ``text``) gives the characters the glyphs
    stand for where they differ from what was shaped: a bracket mirrored for
    a right-to-left run still stands for the bracket of the logical text.
    """
    source = text if source is None else source
    shaped = shape(text, font)
    data = getattr(shaped, "__shapeData__", None)
    if not (isinstance(shaped, ShapedStr) and data):
        out = []
        for index, (ch, meant) in enumerate(zip(text, source)):
            code = ch if ch == meant else rlshim.glyph_code(font, rlshim.glyph_of(font, ch), meant)
            width = rlshim.code_width(font, code)
            out.append(Cluster(meant, code, (ShapeData(index, width, 0, 0, 0, width),), start=index, order=(0,)))
        return tuple(out)
    starts = sorted({d.cluster for d in data})
    ends = {start: (starts[i + 1] if i + 1 < len(starts) else len(text)) for i, start in enumerate(starts)}
    rtl = len(data) > 1 and data[0].cluster > data[-1].cluster
    groups: list[list[int]] = []
    for index, d in enumerate(data):
        if groups and data[groups[-1][0]].cluster == d.cluster:
            groups[-1].append(index)
        else:
            groups.append([index])
    groups = _merge_marks(groups, data, rtl)
    out = []
    for group in groups:
        start = min(data[i].cluster for i in group)
        cluster_text = source[start:ends[max(data[i].cluster for i in group)]]
        if len(group) == 1 and cluster_text == shaped[group[0]]:  # the cmap's own character
            out.append(Cluster(cluster_text, cluster_text, (data[group[0]],), start=start, order=(0,)))
            continue
        glyphs = [(rlshim.glyph_of(font, shaped[i]), data[i]) for i in group]
        placed = _by_origin(glyphs)
        marks = tuple((gid, origin, d.y_offset) for gid, origin, d in placed if d.x_advance == 0)
        if marks and len(marks) < len(placed):  # marks become outlines; their characters go with the rest
            glyphs = [glyph for glyph in glyphs if glyph[1].x_advance != 0]
            placed = [glyph for glyph in placed if glyph[2].x_advance != 0]
        else:
            marks = ()
        if len(glyphs) == 1 and len(cluster_text) == 1:
            out.append(_cluster(font, cluster_text, [(glyphs[0], cluster_text)])._replace(start=start, order=(0,)))
        elif rtl and len(cluster_text) >= len(glyphs) and is_rtl(cluster_text):
            out.append(_rtl_cluster(font, cluster_text, placed)._replace(start=start, outlines=marks))
        else:
            shares = _share(cluster_text, len(glyphs))
            out.append(_cluster(font, cluster_text, list(zip(glyphs, shares)), needs_actual_text=True)
                       ._replace(start=start, outlines=marks))
    return tuple(out)


def _merge_marks(groups: list[list[int]], data, rtl: bool) -> list[list[int]]:
    """Join each cluster of zero-advance glyphs (a combining mark HarfBuzz keeps apart) to
    its base: the next cluster in a right-to-left run (where a mark is listed before its
    base, in visual order), the previous one in a left-to-right run."""
    merged: list[list[int]] = []
    pending: list[int] = []
    for group in groups:
        is_mark = all(data[i].x_advance == 0 for i in group)
        if rtl:
            if is_mark:
                pending += group
            else:
                merged.append(pending + group)
                pending = []
        elif is_mark and merged:
            merged[-1] += group
        else:
            merged.append(group)
    if pending:
        merged.append(pending)
    return merged


def _cluster(font: str, text: str, pairs: list, needs_actual_text: bool = False) -> Cluster:
    """A cluster from ((gid, ShapeData), text) pairs in drawing order."""
    codes, data = [], []
    for (gid, d), share in pairs:
        code = rlshim.glyph_code(font, gid, share)
        codes.append(code)
        data.append(d._replace(width=rlshim.code_width(font, code)))
    return Cluster(text, "".join(codes), tuple(data), needs_actual_text)


def _by_origin(glyphs: list) -> list[tuple[int, float, object]]:
    """(gid, origin, ShapeData) sorted left to right by where each glyph is drawn,
    relative to the cluster's start (a mark's origin is its pen plus its offset)."""
    placed, pen = [], 0.0
    for gid, d in glyphs:
        placed.append((gid, pen + d.x_offset, d))
        pen += d.x_advance
    return sorted(placed, key=lambda g: g[1])


def _placed_cluster(font: str, text: str, glyphs: list, advance: float, needs_actual_text: bool = False) -> Cluster:
    """A cluster drawn glyph by glyph left to right from (gid, origin, ShapeData, text):
    the stream order is the visual order, so stream-based and position-based
    extractors see the same sequence; every glyph lands where HarfBuzz put it."""
    codes, data, pen = [], [], 0.0
    for index, (gid, origin, d, share) in enumerate(glyphs):
        code = rlshim.glyph_code(font, gid, share)
        codes.append(code)
        offset = origin - pen
        step = offset if index < len(glyphs) - 1 else advance - pen
        data.append(ShapeData(d.cluster, step, d.y_advance, offset, d.y_offset, rlshim.code_width(font, code)))
        pen += step
    return Cluster(text, "".join(codes), tuple(data), needs_actual_text)


def _rtl_cluster(font: str, text: str, placed: list) -> Cluster:
    """Glyphs v1..vm of a right-to-left cluster c1..cn (n >= m), left to right:
    vm takes c1, ..., v1 takes cm, and zero-width carriers just left of v1
    take c(m+1)..cn, cn leftmost, so reading the drawn characters from the
    right gives the logical text.  A glyph thus stands for a letter, never for
    a mark drawn as an outline: MuPDF files a nonspacing mark where the pen
    is without advancing it, so a mark on a glyph left a gap, which it read
    as a space ("ي ُعالَج")."""
    n, m = len(text), len(placed)
    carrier = rlshim.glyph_of(font, CARRIER)
    advance = sum(d.x_advance for _, _, d in placed)
    left = placed[0][1]
    blank = ShapeData(placed[0][2].cluster, 0, 0, 0, 0, 0)
    carried = range(n - 1, m - 1, -1)  # cn .. c(m+1), left to right
    glyphs = [(carrier, left - CARRIER_STEP * (len(carried) - i), blank, text[k]) for i, k in enumerate(carried)]
    order = list(carried)
    for j, (gid, origin, d) in enumerate(placed):
        glyphs.append((gid, origin, d, text[m - 1 - j]))
        order.append(m - 1 - j)
    return _placed_cluster(font, text, glyphs, advance)._replace(order=tuple(order))


def _share(text: str, glyphs: int) -> list[str]:
    """Split a cluster's text over its glyphs, in drawing order: a letter with the marks that
    follow it each where there are enough letters (the last glyph takes the rest), else one
    character each.

    MuPDF files a combining mark where the pen is, without the advance of the glyph that
    carries it, and the glyph's other characters after it: a glyph whose text began with
    a mark lost its width, and the gap after it split the word ("स्थि ति" for स्थिति, whose
    glyphs are the pre-base matra and the conjunct स्थ, which took "्थि").

    >>> _share("स्थि", 2), _share("ति", 2), _share("fi", 1)
    (['स्', 'थि'], ['त', 'ि'], ['fi'])
    """
    if glyphs <= 1:
        return [text]
    starts = [i for i, ch in enumerate(text) if i == 0 or unicodedata.category(ch)[0] != "M"]
    if len(starts) >= glyphs:
        units = [text[a:b] for a, b in zip(starts, starts[1:] + [len(text)])]
        return units[:glyphs - 1] + ["".join(units[glyphs - 1:])]
    if glyphs <= len(text):
        return [*text[:glyphs - 1], text[glyphs - 1:]]
    return [*text, *["\u200d"] * (glyphs - len(text))]


def _chunks(text: str, font: str, size: float, source: str) -> tuple:
    """The glyphs of a piece as (codes, ShapeData list, ActualText or None) chunks (cached by
    the font's set: see :func:`_chunked`)."""
    return fonts_of(font).cached(_chunked, "chunks")(text, font, source)


def _chunked(text: str, font: str, source: str) -> tuple:
    """The chunks of :func:`_chunks` (size-free, as the clusters)."""
    chunks: list = []
    codes: list[str] = []
    data: list = []
    for cluster in _clusters_of(text, font, source):
        if cluster.needs_actual_text:
            if codes:
                chunks.append(("".join(codes), data, None))
                codes, data = [], []
            chunks.append((cluster.codes, list(cluster.data), cluster.text))
        else:
            codes.append(cluster.codes)
            data.extend(cluster.data)
    if codes:
        chunks.append(("".join(codes), data, None))
    return tuple(chunks)


def _marked_chunks(text: str, font: str, size: float, source: str) -> list:
    """As :func:`_chunks`, one cluster a chunk, each with the position in ``source`` of its
    first character (where :class:`_Marks` may switch elements)."""
    return [(cluster.codes, list(cluster.data), cluster.text if cluster.needs_actual_text else None,
             min(d.cluster for d in cluster.data)) for cluster in clusters(text, font, size, source)]


RLM = "\u200f"  # RIGHT-TO-LEFT MARK
REVERSING_RANGES = (("\u0590", "\u08ff"), ("\ufb1d", "\ufdff"), ("\ufe70", "\ufeff"))  # pypdf's RTL ranges


def _reverses(ch: str) -> bool:
    """Whether pypdf reads ``ch`` as a right-to-left character (Arabic letters, harakat and digits)."""
    return any(low <= ch <= high for low, high in REVERSING_RANGES)


def _ends_left_to_right(ch: str) -> bool:
    """Whether what follows ``ch`` in right-to-left text needs a right-to-left mark for poppler.

    poppler's own bidi (TextOutputDev ``reorderText``) reads a right-to-left
    line as alternating sections and ends a left-to-right one (a number, a
    Latin word, and to poppler also ``.`` ``,`` ``:`` and ``،``) only at the
    next strong right-to-left character, so a space or full stop after it
    lands on its wrong side ("نحو  ١من" for "نحو ١ من", ".١٠" for "١٠.").
    A right-to-left mark between the two (in ActualText, so that only
    poppler reads it) ends the section there.

    >>> _ends_left_to_right("\u0661"), _ends_left_to_right("."), _ends_left_to_right("\u0645"), _ends_left_to_right(" ")
    (True, True, False, False)
    """
    return ch != " " and unicodedata.bidirectional(ch) not in ("R", "AL", "NSM")


def _draw_clusters(canvas, font: str, size: float, text: str, source: str, x: float, y: float,
                   rise: float = 0.0, *, reading: bool | None = None, source_reversed: bool = False,
                   marked: frozenset = frozenset(), marked_last: bool = False,
                   carrier: tuple[str | None, float] = (None, 0.0), marks: _Marks | None = None,
                   runs: _Runs | None = None, digits: bool = False) -> None:
    """Write the glyphs of ``text`` at (x, y + rise) as one text object, positioned exactly
    as ReportLab positions a shaped string (same advances, offsets and rises), with
    ``/Span <</ActualText ...>> BDC ... EMC`` around clusters that are not 1:1.

    Glyph positions are fixed; the order in which the codes are written is not,
    and stream-based extractors depend on it.  On a right-to-left line
    (``reading`` not None) each code stands for one character and they are
    written unit by unit: with ``reading`` true in reverse logical order,
    chunk by chunk of one font subset, the chunks in logical order.  pypdf
    puts each right-to-left character before those it has read and starts
    afresh at every font change, so it reads the logical text (a number
    too, which it would otherwise read backwards).  Position-based
    extractors (poppler, pdfminer) see the same glyphs at the same places.
    The characters at the logical offsets ``marked``, and with ``marked_last``
    the logically last character, also read a right-to-left mark for poppler
    (ActualText, which poppler and MuPDF read; see :func:`_ends_left_to_right`).
    ``runs`` follows the line for MuPDF (see :class:`_Runs`).

    Marks positioned by the font (harakat, Devanagari vowel signs) are
    filled outlines after the text object (see :func:`clusters`), and so is
    a raised piece (``rise``: a citation): extractors file a raised glyph on
    a line of its own, so its characters are written on the baseline as
    blank carriers in ``carrier`` (font, size): those of the line's text.
    """
    if rise:
        code, outlines = _carried_stream(canvas, font, size, text, source, x, y, carrier[0] or font,
                                         carrier[1] or size, bool(reading), source_reversed, marked, marked_last,
                                         marks, runs)
        y += rise
    elif reading is not None:
        code, outlines = _reading_stream(canvas, font, size, text, source, x, y, reading, source_reversed,
                                         marked, marked_last, marks, runs, digits)
    elif marks is None and type(canvas)._escape is Canvas._escape:
        code = ["BT", f"1 0 0 1 {fp_str(x, y)} Tm", *_shown_piece(canvas, font, size, text, source)]
        outlines = _outlines_of(text, font, source)
    else:
        code = ["BT", f"1 0 0 1 {fp_str(x, y)} Tm"]
        chunks = _chunks(text, font, size, source) if marks is None else _marked_chunks(text, font, size, source)
        _show_chunks(canvas, font, size, chunks, code, marks)
        outlines = _outlines_of(text, font, source)
    code.append("ET")
    scale = size / 1000
    code += [op for gid, origin, glyph_rise in outlines
             if (op := glyph_outlines.draw_ops(font, gid, size, x + origin * scale, y + glyph_rise * scale))]
    canvas._code.append(" ".join(code))


def _show_chunks(canvas, font: str, size: float, chunks, code: list[str], marks: _Marks | None = None,
                 split: list | None = None) -> None:
    """Append to ``code`` the operators showing ``chunks`` (see :func:`_chunks`) from the
    pen's place, switching marked content where ``marks`` says; ``split`` is ReportLab's
    ``splitString`` of their codes if already made."""
    writer = _TextWriter(canvas, font, size)
    for (codes, data, actual_text, *position), parts in zip(chunks, writer.split_each([c[0] for c in chunks], split)):
        if marks is not None:
            marks.at(position[0], code)
        if actual_text is None:
            writer.show(codes, data, code, parts)
        else:
            code.append(f"/Span <</ActualText {pdf_text_string(actual_text)}>> BDC")
            writer.show(codes, data, code, parts)
            code.append("EMC")
    writer.reset_rise(code)


def _shown_piece(canvas, font: str, size: float, text: str, source: str) -> tuple[str, ...]:
    """The operators after ``Tm`` that show a piece of a left-to-right line: made once per
    font set (:meth:`FontSet.memo`, "shown pieces") and kept by what decides them (the
    piece, font, size, the canvas's leading, the font's name in the document and the
    codes ReportLab gave the piece's characters there: its ``splitString``, which is
    made anyway, in the same order, and numbers new characters by first use).  They are
    relative to the pen, so a piece met again anywhere, in any document that gave it
    the same codes, is written without a step per chunk."""
    doc = canvas._doc
    rl_font = rlshim.encoder(font, doc)
    chunks = _chunks(text, font, size, source)
    joined = "".join([chunk[0] for chunk in chunks])
    if not joined:  # nothing shown: no font named in the document
        code: list[str] = []
        _show_chunks(canvas, font, size, chunks, code)
        return tuple(code)
    split = rl_font.splitString(joined, doc)
    key = (text, font, size, source, canvas._leading, rl_font.getSubsetInternalName(0, doc), tuple(split))
    memo = fonts_of(font).memo("shown pieces")
    found = memo.get(key)
    if found is None:
        code = []
        _show_chunks(canvas, font, size, chunks, code, split=split)
        found = tuple(code)
        memo.put(key, found)
    return found


def _carried_stream(canvas, font: str, size: float, text: str, source: str, x: float, y: float,
                    carrier_font: str, carrier_size: float, reverse: bool, source_reversed: bool,
                    marked: frozenset, marked_last: bool, marks: _Marks | None = None,
                    runs: _Runs | None = None) -> tuple[list[str], list]:
    """A raised piece: every glyph as an outline, and its characters on the baseline as
    blank carriers (the font's space glyph, narrowed or widened with ``Tz`` to the
    advance of the glyph each one stands for), so that extractors see one word where
    the piece is (see :func:`_draw_clusters`)."""
    laid = _laid_out(text, font, size, source)
    outlines = [(rlshim.glyph_of(font, glyph), origin, d.y_offset)
                for cluster, pen in laid for glyph, d, origin in _glyphs(cluster, pen)] + _mark_outlines(laid)
    units = []
    scale = size / 1000
    blank = rlshim.glyph_of(carrier_font, " ")
    blank_width = rlshim.code_width(carrier_font, " ") * carrier_size / 1000
    for cluster, pen in laid:
        share = max(_advance(cluster) / len(cluster.text) * scale, MIN_CARRIER_WIDTH)  # Tz 0 would divide by 0
        for j, ch in enumerate(cluster.text):
            slot = len(cluster.text) - 1 - j if is_rtl(cluster.text) else j
            carrier = (rlshim.glyph_code(carrier_font, blank, ch), x + pen * scale + slot * share, 0.0, share,
                       carrier_size, 100 * share / blank_width)
            logical = _logical_index(cluster.start + j, source, source_reversed)
            units.append((logical, [carrier], ch + RLM if logical in marked else None))
    units.sort(key=lambda unit: unit[0])
    return _emit_units(canvas, carrier_font, units, reverse, marked_last, x, y, marks, runs), outlines


def _reading_stream(canvas, font: str, size: float, text: str, source: str, x: float, y: float,
                    reverse: bool, source_reversed: bool, marked: frozenset,
                    marked_last: bool, marks: _Marks | None = None,
                    runs: _Runs | None = None, digits: bool = False) -> tuple[list[str], list]:
    """The text object of a piece of a right-to-left line written unit by unit (see
    :func:`_draw_clusters`), and the (glyph id, x, rise) of its marks, in 1/1000 em from (x, y).

    Writing a piece is per-glyph work, so its operators are kept by the font's set
    (:meth:`FontSet.memo`, "written") keyed by everything they are made from: the piece,
    font, size and place, how it reads, MuPDF's state before it (``runs``) and the font's
    name in this document.  The one thing outside the key is the codes ReportLab gives
    the characters (by first use in each document): the entry keeps the ``splitString``
    calls that made it, and a hit makes the same calls again, in the same order (they
    number new characters as writing would), and is used only if every one gives the
    same codes; otherwise the piece is written afresh (repeated calls give the codes
    already given, so the document is numbered as if written once).  A piece inside a
    link (``marks``) or on a canvas escaping strings its own way is always written."""
    doc = canvas._doc
    rl_font = rlshim.encoder(font, doc)
    key = memo = None
    if marks is None and text and type(canvas)._escape is Canvas._escape:
        memo = fonts_of(font).memo("written")
        key = (text, font, size, source, source_reversed, x, y, reverse, marked, marked_last, digits,
               None if runs is None else (runs.last, runs.rtl), rl_font.getSubsetInternalName(0, doc))
        found = memo.get(key)
        if found is not None:
            code, calls, after = found
            if all(rl_font.splitString(codes, doc) == split for codes, split in calls):
                if runs is not None:
                    runs.last, runs.inherited = after
                return list(code), _outlines_of(text, font, source)
    recorder = None if memo is None else _RecordingEncoder(rl_font)
    code, outlines = _write_reading_stream(canvas, font, size, text, source, x, y, reverse, source_reversed,
                                           marked, marked_last, marks, runs, digits, recorder)
    if memo is not None:
        memo.put(key, (tuple(code), tuple(recorder.calls),
                       None if runs is None else (runs.last, runs.inherited)))
    return code, outlines


def _write_reading_stream(canvas, font: str, size: float, text: str, source: str, x: float, y: float,
                          reverse: bool, source_reversed: bool, marked: frozenset,
                          marked_last: bool, marks: _Marks | None, runs: _Runs | None, digits: bool,
                          encoder) -> tuple[list[str], list]:
    """:func:`_reading_stream` written afresh (through ``encoder``, if given, instead of the
    font's own)."""
    scale = size / 1000
    # (logical index, [(code, x, rise, advance, size, stretch)], ActualText or None)
    units = [(logical, [(glyph, x + origin * scale, y_offset * scale, width * scale, size, 100.0)
                        for glyph, origin, y_offset, width in glyphs],
              (character + RLM if logical in marked else None) if character is not None else actual_text)
             for logical, glyphs, character, actual_text in
             fonts_of(font).cached(_reading_units, "laid out")(text, font, source, source_reversed)]
    return _emit_units(canvas, font, units, reverse, marked_last, x, y, marks, runs, digits, encoder), \
        _outlines_of(text, font, source)


class _RecordingEncoder:
    """A ReportLab font that notes each ``splitString`` call and its result (see
    :func:`_reading_stream`)."""

    def __init__(self, font):
        self.font = font
        self.calls: list[tuple[str, list]] = []

    def splitString(self, text: str, doc) -> list:
        split = self.font.splitString(text, doc)
        self.calls.append((text, split))
        return split

    def getSubsetInternalName(self, subset: int, doc) -> str:
        return self.font.getSubsetInternalName(subset, doc)


def _reading_units(text: str, font: str, source: str, source_reversed: bool) -> tuple:
    """The units :func:`_reading_stream` writes, size-free and in logical order: (logical
    index, ((code, origin, y offset, width) per glyph, 1/1000 em from the piece's start),
    the character of a one-character unit (None for a cluster), the cluster's ActualText
    or None).  Cached by the font's set."""
    units = []
    for cluster, pen in _laid_out(text, font, 0, source):
        glyphs = [(glyph, origin, d.y_offset, d.width) for glyph, d, origin in _glyphs(cluster, pen)]
        if cluster.order:
            for index, glyph in zip(cluster.order, glyphs):
                units.append((_logical_index(cluster.start + index, source, source_reversed), (glyph,),
                              cluster.text[index], None))
        else:
            units.append((_logical_index(cluster.start, source, source_reversed), tuple(glyphs), None,
                          cluster.text if cluster.needs_actual_text else None))
    units.sort(key=lambda unit: unit[0])
    return tuple(units)


POP = "\u202c"  # POP DIRECTIONAL FORMATTING


def _mupdf_level(ch: str) -> int | None:
    """MuPDF's guess of a character's direction (pdf-op-run.c ``guess_bidi_level``): 1 for
    right-to-left letters and Arabic-Indic digits, 0 for left-to-right letters, European
    digits and their signs, None for a neutral, which takes the level before it (0 at the
    start of a text object).

    >>> [_mupdf_level(ch) for ch in "\u0645\u0661a1 .\u064f\u200e\u200f"]
    [1, 1, 0, 0, None, None, None, 0, 1]
    """
    kind = unicodedata.bidirectional(ch)
    if kind in ("R", "AL", "AN"):
        return 1
    if kind in ("CS", "NSM", "BN", "B", "S", "WS", "ON"):
        return None
    return 0


class _Runs:
    """A right-to-left line as MuPDF reads it while it is written, so that each group of
    :func:`_emit_units` can start with the bidi marks MuPDF needs.

    MuPDF (stext-device.c) puts each character on the line it is building unless it jumps
    too far from the last one in the same direction, and, once a right-to-left character
    has moved its pen to the right (visual order), reverses every run of right-to-left
    characters of the line as written.  A group is written in reverse logical order, one
    font subset at a time and the groups in logical order (what pypdf needs), so without
    marks MuPDF joined two groups into one run (reading them in the wrong order, a word
    split at a change of font subset too) or began a new line (a number alone on one was
    never reversed: 10 read 01).  A pop directional formatting (U+202C, to MuPDF left to
    right, to the others an unpaired control they ignore) between two right-to-left groups
    ends the run and, as a change of direction, never begins a new line; a right-to-left
    mark gives the spaces and punctuation a right-to-left group begins with its direction
    (else MuPDF read them with the run before, or began a new line at the next word).  Both
    are zero-width carriers; the other extractors read them as invisible format characters
    (a left-to-right mark, which poppler takes for a strong character, moved spaces)."""

    def __init__(self):
        self.last: int | None = None  # MuPDF's level of the last character written
        self.inherited = 0  # the level a neutral takes
        self.rtl = True  # the piece being written is right to left

    def begin_text(self) -> None:
        self.inherited = 0  # MuPDF starts every text object (BT) over

    def separators(self, written: str) -> str:
        """The marks to write before a group that reads ``written``, of a right-to-left
        piece (``self.rtl``: an odd bidi level) or a left-to-right one (Arabic-Indic
        digits, which MuPDF takes for right to left, or a Latin word)."""
        levels = written.translate(_MUPDF_LEVELS)  # "1", "0" or "." (None) per character
        first = (None if levels[0] == "." else int(levels[0])) if written else 0
        if not self.rtl and "1" not in levels:  # a Latin word: never part of the run before
            return POP if self.last == 1 and first is None else ""
        return (POP if self.last == 1 and first != 0 else "") + (RLM if first is None else "")

    def feed(self, written: str) -> None:
        """Follow MuPDF through ``written``: each character's level, a neutral the one before it."""
        if not written:
            return
        strong = written.translate(_MUPDF_LEVELS).rstrip(".")
        if strong:
            self.inherited = int(strong[-1])
        self.last = self.inherited


class _MupdfLevels(dict):
    """Code point -> :func:`_mupdf_level` as one character ("1", "0", or "." for None), filled
    as characters are met (at most LIMIT), for :meth:`str.translate`."""

    LIMIT = 65_536

    def __missing__(self, code: int) -> str:
        level = _mupdf_level(chr(code))
        letter = "." if level is None else str(level)
        if len(self) < self.LIMIT:
            self[code] = letter
        return letter


_MUPDF_LEVELS = _MupdfLevels()


ALM = "\u061c"  # ARABIC LETTER MARK


def _mark_item(font: str, mark: str, at: float, size: float, rl_font, doc) -> tuple:
    """An encoded item (see :func:`_emit_units`): a zero-width carrier of ``mark`` at ``at``."""
    code = rlshim.glyph_code(font, rlshim.glyph_of(font, CARRIER), mark)
    return (*rl_font.splitString(code, doc)[0], at, 0.0, 0.0, size, 100.0)


def _separator_items(font: str, separators: str, items: list, rl_font, doc) -> list:
    """Encoded items (see :func:`_emit_units`) for zero-width carriers of ``separators``, placed
    where MuPDF's pen is when the group's first item (of ``items``) comes: just left of it in
    a group written left to right, just right of its end in one written right to left (a
    number)."""
    first = items[0]
    _, _, x0, _, width, size, _ = first
    step = CARRIER_STEP * size / 1000
    backwards = len(items) > 1 and items[1][2] < x0
    out = []
    for index, ch in enumerate(separators):
        away = (len(separators) - index) * step
        out.append(_mark_item(font, ch, x0 + width + away if backwards else x0 - away, size, rl_font, doc))
    return out


def _emit_units(canvas, font: str, units: list, reverse: bool, marked_last: bool, x: float, y: float,
                marks: _Marks | None = None, runs: _Runs | None = None, digits: bool = False,
                encoder=None) -> list[str]:
    """A text object writing ``units`` (in logical order) at their absolute positions.

    With ``reverse`` each run of units of one font subset is written backwards
    and the runs in logical order (see :func:`_draw_clusters`).  pypdf carries
    its reading direction over from whatever it read last, so punctuation at
    the logical end of such a piece is written last, after a fresh ``Tf``
    (pypdf ends its run there), and a piece of punctuation alone is written
    in logical order one unit at a time.  ``marked_last`` adds a
    right-to-left mark to the ActualText of the last unit.  ``runs`` (on a
    right-to-left line) starts groups with the bidi marks MuPDF needs, see
    :class:`_Runs`.

    ``digits`` (an Arabic-Indic number on a left-to-right line: a
    reference's label) are written backwards between two zero-width marks
    (both read 10 as 01 before).  An Arabic letter mark just right of the
    number turns pypdf to right to left, which it reads such digits in; its
    ActualText is empty, so that poppler and MuPDF, which read ActualText,
    do not see it (in poppler it moved the number to the end of the line).
    A right-to-left mark a step to the right of MuPDF's pen after the last
    digit tells MuPDF that the number was written in visual order, so that
    it reverses it; its ActualText is a space, which poppler takes for the
    end of a word and does not keep, and it is the glyph of the digit it lies
    on, drawn invisibly, so that pdfminer finds no gap in the number.
    """
    doc = canvas._doc
    rl_font = encoder or rlshim.encoder(font, doc)
    if marked_last and units:
        key, items, actual_text = units[-1]
        units[-1] = (key, items, (actual_text or "".join(rlshim.text_of(font, item[0]) for item in items)) + RLM)
    # every code through splitString at once, in writing order (it numbers new characters by first use)
    split = iter([(subset, bytes((byte,))) for subset, chunk in
                  rl_font.splitString("".join([item[0] for _, items, _ in units for item in items]), doc)
                  for byte in chunk])
    encoded = [[(*next(split), *item[1:]) for item in items] for _, items, _ in units]
    texts = rlshim.texts_of(font)
    unit_texts = ["".join([texts.get(ord(item[0]), item[0]) for item in items]) for _, items, _ in units]
    neutral = [not _LETTERS_MARKS_NUMBERS.search(text.translate(_CATEGORY)) for text in unit_texts]
    # groups of unit numbers in writing order; a fresh group starts with its own Tf, where pypdf starts afresh
    groups: list[tuple[list[int], bool]] = []
    main = len(units)
    if reverse:
        while main and neutral[main - 1]:
            main -= 1  # trailing punctuation: written last, on its own (else pypdf, reading
            # left to right after a Latin word, puts it first)
        if not main:  # only punctuation and spaces: each on its own, in logical order
            groups = [([number], True) for number in range(len(units))]
    if not groups:
        for number in range(main):
            if groups and encoded[groups[-1][0][-1]][0][0] == encoded[number][0][0]:
                groups[-1][0].append(number)
            else:
                groups.append(([number], False))
        if reverse:
            groups = [(run[::-1], fresh) for run, fresh in groups]
            if main < len(units):
                groups.append((list(range(len(units) - 1, main - 1, -1)), True))
    code = ["BT", f"1 0 0 1 {fp_str(x, y)} Tm"]
    subset, size, stretch, rise, at, parts = None, None, 100.0, 0.0, x, []

    def flush():
        if parts:
            code.append(f"[{' '.join(parts)}] TJ")
            parts.clear()

    escape, escaped = canvas._escape, {}  # chunk -> its string operand (a glyph's code is written many times)

    def put(item_subset, chunk, item_x, item_rise, width, item_size, item_stretch):
        nonlocal subset, size, stretch, rise, at
        if (item_subset, item_size) != (subset, size):
            flush()
            code.append(f"{rl_font.getSubsetInternalName(item_subset, doc)} {fp_str(item_size)} Tf")
            subset, size = item_subset, item_size
        if item_stretch != stretch and fp_str(item_stretch) != fp_str(stretch):
            flush()
            stretch = item_stretch
            code.append(f"{fp_str(stretch)} Tz")
        if item_rise != rise and fp_str(item_rise) != fp_str(rise):
            flush()
            rise = item_rise
            code.append(f"{fp_str(rise)} Ts")
        value = (at - item_x) * 1000 / (size * stretch / 100)
        move = fp_str(value)
        if move != "0":
            if value > -MAX_FORWARD_MOVE + 1:  # whatever fp_str rounds it to, one offset
                parts.append(move)
            else:
                parts.extend(_split_move(move))
        shown = escaped.get(chunk)
        if shown is None:
            shown = escaped[chunk] = "(%s)" % escape(chunk)
        parts.append(shown)
        at = item_x + width

    if runs is not None:
        runs.begin_text()
    written_items = [item for run, _ in groups for number in run for item in encoded[number]]
    if digits and written_items:  # see above
        step = CARRIER_STEP * written_items[0][5] / 1000
        right = max(item[2] + item[4] for item in written_items)
        code.append(f"/Span <</ActualText {pdf_text_string('')}>> BDC")
        put(*_mark_item(font, ALM, right + step, written_items[0][5], rl_font, doc))
        flush()
        code.append("EMC")
    for run, fresh in groups:
        if fresh:
            subset = None
        # what MuPDF files the group's glyphs as (an ActualText's characters take its glyphs' direction)
        written = "".join([unit_texts[number] for number in run])
        separators = runs.separators(written) if runs is not None else ""
        group_items = [item for number in run for item in encoded[number]]
        backwards = len(group_items) > 1 and group_items[1][2] < group_items[0][2]
        first_text = unit_texts[run[0]]
        # A number written backwards whose last digit reads a mark for poppler (see _rtl_writing):
        # the mark as a zero-width character of its own just right of the number, instead of in
        # the digit's ActualText, whose rest MuPDF puts where its pen is, at the digit's end, and
        # then reads a space before the next digit ("3, 4", "1 0").
        lead = RLM if backwards and units[run[0]][2] == first_text + RLM else ""
        placed = _separator_items(font, separators + lead, group_items, rl_font, doc) if separators + lead else []
        for index, number in enumerate(run):
            if marks is not None:
                marks.at_logical(units[number][0], code, flush)
            if index == 0:
                for item in placed:
                    put(*item)
            actual_text = None if index == 0 and lead else units[number][2]
            if actual_text is not None:
                flush()
                code.append(f"/Span <</ActualText {pdf_text_string(actual_text)}>> BDC")
            for item in encoded[number]:
                put(*item)
            if actual_text is not None:
                flush()
                code.append("EMC")
        if runs is not None:
            runs.feed(separators + lead + written)
    if digits and written_items:
        flush()
        last = written_items[-1]
        mark_size = last[5]
        # the glyph of the digit it lies on, drawn invisibly
        beside = [item for run, _ in groups for number in run for item in units[number][1]][-2][0]
        mark = rlshim.glyph_code(font, rlshim.glyph_of(font, beside), RLM)
        code.append(f"/Span <</ActualText {pdf_text_string(' ')}>> BDC 3 Tr")
        put(*rl_font.splitString(mark, doc)[0], last[2] + last[4] + step, 0.0,
            rlshim.code_width(font, mark) * mark_size / 1000, mark_size, 100.0)
        flush()
        code.append("0 Tr EMC")
    flush()
    if fp_str(stretch) != "100":
        code.append("100 Tz")
    if fp_str(rise) != "0":
        code.append("0 Ts")
    return code


class _Categories(dict):
    """Code point -> the first letter of its Unicode general category, filled as characters
    are met (at most LIMIT), so :meth:`str.translate` classifies a text at C speed."""

    LIMIT = 65_536

    def __missing__(self, code: int) -> str:
        letter = unicodedata.category(chr(code))[0]
        if len(self) < self.LIMIT:
            self[code] = letter
        return letter


_CATEGORY = _Categories()
_LETTERS_MARKS_NUMBERS = re.compile("[LMN]")


MAX_FORWARD_MOVE = 100  # 1/1000 em: pypdf reads a larger leftward TJ offset as a word space
_LARGEST_MOVE = fp_str(-MAX_FORWARD_MOVE)


def _split_move(part: str) -> list[str]:
    """A TJ offset that moves the pen forward by more than MAX_FORWARD_MOVE, as
    several smaller ones with the same sum (a zero-width mark drawn left of the
    pen needs such a move back; extractors must not take it for a space).

    >>> _split_move("-221")
    ['-100', '-100', '-21']
    """
    if part.startswith("(") or float(part) >= -MAX_FORWARD_MOVE:
        return [part]
    value, pieces = -float(part), []
    while value > MAX_FORWARD_MOVE:
        pieces.append(_LARGEST_MOVE)
        value -= MAX_FORWARD_MOVE
    return pieces + [fp_str(-value)]


class _TextWriter:
    """Text-showing operators for code characters of one TrueType font (what
    ReportLab's ``PDFTextObject._formatText`` writes for a ShapedStr, but
    callable piecewise so marked content can sit between clusters)."""

    def __init__(self, canvas, font: str, size: float):
        self.canvas = canvas
        self.font = rlshim.encoder(font, canvas._doc)
        # the operators of a chunk, cached by the font set (unless the canvas escapes strings its own way)
        self.shown = fonts_of(font).cached(_shown, "shown") if type(canvas)._escape is Canvas._escape \
            else partial(_shown, escape=canvas._escape)
        self.size = size
        self.subset = -1
        self.rise = 0.0

    def split_each(self, texts: list[str], parts: list | None = None) -> list[list[tuple[int, bytes]]]:
        """ReportLab's ``splitString`` of each of ``texts`` (its chunks of one subset), from one
        call for them all (``parts``, if made already): it gives characters their subsets in
        this document by first use, so the texts in order are numbered as one after the
        other, and every character is one byte of a chunk."""
        if parts is None:
            parts = self.font.splitString("".join(texts), self.canvas._doc)
        out, number, offset = [], 0, 0
        for text in texts:
            need, pieces = len(text), []
            while need:
                subset, chunk = parts[number]
                take = min(need, len(chunk) - offset)
                pieces.append((subset, chunk[offset:offset + take]) if take < len(chunk) else parts[number])
                offset, need = offset + take, need - take
                if offset == len(chunk):
                    number, offset = number + 1, 0
            out.append(pieces)
        return out

    def show(self, codes: str, data: list, out: list[str], parts: list | None = None) -> None:
        """Write ``codes`` (with their ShapeData ``data``) as text-showing operators.  Every
        code goes through ReportLab's ``splitString`` in order (it gives each character its
        subset in this document; ``parts`` is its result if already split, see
        :meth:`split_each`); the operators of each chunk of one subset depend only on
        its bytes, glyph data, size and the rise before it, so they are made once per font
        set (:func:`_shown`) for every render that writes the same words."""
        doc = self.canvas._doc
        size = self.size
        position = 0
        shown = self.shown
        for subset, chunk in parts if parts is not None else self.font.splitString(codes, doc):
            if subset != self.subset:
                out.append(f"{self.font.getSubsetInternalName(subset, doc)} {fp_str(size)} Tf "
                           f"{fp_str(self.canvas._leading)} TL")
                self.subset = subset
            ops, self.rise = shown(chunk, tuple(data[position:position + len(chunk)]), size, self.rise)
            out += ops
            position += len(chunk)

    @staticmethod
    def _flush(parts: list[str], run: bytearray, move: float, escape, out: list[str]) -> None:
        if run:
            parts.append("(%s)" % escape(bytes(run)))
        if move:
            number = fp_str(move)
            if number != "0":
                parts += _split_move(number)
        if not parts:
            return
        out.append(f"{parts[0]} Tj" if len(parts) == 1 and parts[0].startswith("(") else f"[{' '.join(parts)}] TJ")

    def reset_rise(self, out: list[str]) -> None:
        if self.rise:
            out.append("0 Ts")
            self.rise = 0.0


def _shown(chunk: bytes, data: tuple, size: float, rise: float, escape=escapePDF) -> tuple[tuple[str, ...], float]:
    """The operators that show ``chunk`` (one subset's codes) with glyph ``data`` at ``size``,
    the text rise being ``rise`` before, and the rise after: glyphs offset or advanced
    otherwise than their width are moved with TJ numbers, raised with Ts."""
    out: list[str] = []
    parts: list[str] = []
    run = bytearray()
    move = 0.0
    for offset, byte in enumerate(chunk):
        d = data[offset]
        glyph_rise = size * d.y_offset / 1000 if d.y_offset else 0.0
        if glyph_rise != rise:
            _TextWriter._flush(parts, run, move, escape, out)
            parts, run, move = [], bytearray(), 0.0
            out.append(f"{fp_str(glyph_rise)} Ts")
            rise = glyph_rise
        move -= d.x_offset
        if move:
            number = fp_str(move)
            if number != "0":
                if run:
                    parts.append("(%s)" % escape(bytes(run)))
                    run = bytearray()
                parts += _split_move(number)
            move = 0.0
        run.append(byte)
        move += d.width - d.x_advance + d.x_offset
    _TextWriter._flush(parts, run, move, escape, out)
    return tuple(out), rise


class TextBlock(Flowable):
    """A paragraph (or a bullet item) laid out by a :class:`Typesetter`.

    ``tag`` is the structure element its text belongs to and ``label_tag``
    the one of its bullet (opaque here; see :mod:`leaflets.render.pdftags`).
    Both pieces of a block split across pages keep them: one element.
    """

    def __init__(self, typesetter: Typesetter, runs: list[Run], style: TextStyle, *,
                 keep_with_next: bool = False, tag: object = None, label_tag: object = None,
                 _lines: list[Line] | None = None, _bullet: bool = True):
        super().__init__()
        self.typesetter = typesetter
        self.runs = runs
        self.style = style
        self.keepWithNext = keep_with_next
        self.tag = tag
        self.label_tag = label_tag
        self._lines = _lines
        self._draw_bullet = _bullet
        self.spaceBefore = style.space_before
        self.spaceAfter = style.space_after

    def __deepcopy__(self, memo) -> TextBlock:
        """A shallow copy.  ReportLab deep-copies flowables before it tries to split them
        (balanced columns); a block's runs, style, tags and laid-out lines are never
        changed once made, so the copy shares them instead of copying every character."""
        clone = copy.copy(self)
        memo[id(self)] = clone
        return clone

    def wrap(self, avail_width, avail_height):
        self.avail = avail_width
        if self._lines is None:
            self._lines = self.typesetter.lines(self.runs, self.style, avail_width - self.style.indent, self.tag)
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
        tags = {"tag": self.tag, "label_tag": self.label_tag}
        first = TextBlock(self.typesetter, self.runs, replace(self.style, space_after=0), _lines=self._lines[:fit],
                          _bullet=self._draw_bullet, **tags)
        rest = TextBlock(self.typesetter, self.runs, replace(self.style, space_before=0), _lines=self._lines[fit:],
                         _bullet=False, **tags)
        return [first, rest]

    def draw(self):
        canvas = self.canv
        style = self.style
        ts = self.typesetter
        y = self.height - style.size * 0.95  # baseline of the first line
        bullet = None
        if style.bullet and self._draw_bullet and self._lines:
            bullet = ts.line_of(style.bullet, style.size, style.bullet_color or style.color, tag=self.label_tag)
            bx = self.avail - style.indent + (style.indent - bullet.width) / 2 if ts.rtl else (
                style.indent - bullet.width) / 2
            if not ts.rtl:
                draw_line(canvas, bullet, bx, y)
        first = y
        for line in self._lines:
            if line.rtl:
                x = self.avail - (style.indent if ts.rtl else 0) - line.width
            else:
                x = 0 if ts.rtl else style.indent
            draw_line(canvas, line, x, y)
            y -= style.leading
        if bullet is not None and ts.rtl:
            # after the item's text: MuPDF reverses a right-to-left run as written, and a
            # bullet written just before a first word that begins a group of its own (a
            # change of font subset inside the word) was read inside that word ("ظ • هرت")
            draw_line(canvas, bullet, bx, first)
        unmark = getattr(canvas, "unmark_content", None)
        if unmark:
            unmark()
