"""The one place that reaches into ReportLab's private internals.

ReportLab writes each shaped glyph as a one-byte code of a font subset and
derives the subset's ToUnicode CMap from the *character* it used to reach
the glyph: ``glyphToChar[gid][0]`` (a presentation form such as U+FEDF, a
ligature such as U+FB01) or, for glyphs without a cmap entry (Devanagari
conjuncts, reordered matras), a private-use code point.  Copy and paste
then yields presentation forms, ligature code points and U+E0xx.

This shim lets the text engine choose the code for every glyph itself:
:func:`glyph_code` returns a code that draws glyph ``gid`` and whose
ToUnicode entry is ``text``, the logical characters the glyph stands for.
Codes live in Supplementary Private Use Area-B internally, but never reach
the PDF's text layer: the subset writer (:func:`_add_subset_objects`)
replaces ReportLab's ToUnicode CMap with :func:`to_unicode_cmap`, which maps
each code to its text (UTF-16BE, any length) and drops code 0 (``.notdef``,
which would map to U+0000).

Thread safety.  A registered TrueType font is shared by every document that
uses it, and ReportLab mutates it: HarfBuzz shaping adds private code points
for glyphs without a cmap entry, :func:`glyph_code` adds codes of its own,
and writing a document's subsets reads the font file through a cursor kept
on the face.  Each font leaflets registers (:func:`register`) belongs to one
:class:`~leaflets.render.fontset.FontSet`, and everything here that mutates
or reads a face through its cursor holds that font set's lock.  The codes a
face was given are kept on the face (:class:`FaceCodes`), so two font sets
never share them.  What is per document (a subset's assignments, the shared
descent) lives on the document.

Dates.  ReportLab dates a PDF from ``SOURCE_DATE_EPOCH`` in the environment
(and crashes on a value that is not a number).  Documents leaflets makes are
dated explicitly instead (:func:`dated`), so a render depends on its options,
never on the process environment.
"""

from __future__ import annotations

import re
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field

from reportlab.pdfbase import pdfdoc, pdfmetrics, ttfonts

from leaflets.lru import Memo
from leaflets.render.fontset import CACHE_SIZES

PRIVATE_BASE = 0x100000  # Supplementary Private Use Area-B: far from ReportLab's U+E000 codes
PRIVATE_LAST = 0x10FFFD  # the last code point of Plane 16 that is not a noncharacter


@dataclass
class FaceCodes:
    """The private codes leaflets gave one face: code -> text, and (gid, text) -> code.

    Grows with the distinct (glyph, text) pairs ever drawn with the face (a few
    thousand for a whole language), never beyond the 65 534 codes of Plane 16;
    the codes must stay valid as long as a document may use them, so nothing is
    evicted: the table ends with its font set.
    """

    lock: threading.RLock
    texts: dict[int, str] = field(default_factory=dict)
    codes: dict[tuple[int, str], int] = field(default_factory=dict)
    # a subset's codes -> its font program (ReportLab's makeSubset; see _make_subset), and (its name,
    # its codes) -> its ToUnicode CMap (see _add_subset_objects), bounded
    subsets: Memo = field(default_factory=lambda: Memo(CACHE_SIZES["font subsets"]))


class OutOfCodes(RuntimeError):
    """A face was given every private code Plane 16 has."""


def register(name: str, font, lock) -> None:
    """Make ``font`` (a ReportLab TTFont) ReportLab's font ``name``, owned by the font set whose
    ``lock`` guards it.

    ``pdfmetrics.registerFont`` would hand out the first font registered for a face
    (PostScript) name instead, so two font sets of the same files would share one
    face; the registry is written directly, and nothing else of ReportLab's is touched
    (its family mappings serve its Paragraph markup, which leaflets never uses).
    """
    if name in pdfmetrics._fonts:
        raise ValueError(f"ReportLab already has a font named {name!r}")
    font.face._leaflets = FaceCodes(lock)
    font.shapable = True  # whatever RL_unShapedFontGlob said when ReportLab was imported
    pdfmetrics._fonts[name] = font


def unregister(names) -> None:
    """Forget fonts :func:`register` registered (their font set has ended)."""
    for name in names:
        pdfmetrics._fonts.pop(name, None)


def _face(font_name: str):
    return pdfmetrics.getFont(font_name).face


def face_lock(font_name: str):
    """The lock that guards the face of ``font_name`` (its font set's)."""
    return _face(font_name)._leaflets.lock


def glyph_code(font_name: str, gid: int, text: str) -> str:
    """A one-character code that draws glyph ``gid`` of ``font_name`` and extracts as ``text``.

    A glyph the font's cmap reaches from exactly ``text`` keeps that
    character as its code (so ASCII text stays readable in the content
    stream); any other pairing gets a private code registered in the face
    with the glyph's own advance width (so the PDF's /Widths match the font
    program).  Once given, a pairing keeps its code for the life of the face.
    """
    face = _face(font_name)
    if len(text) == 1 and face.charToGlyph.get(ord(text)) == gid and ord(text) < PRIVATE_BASE:
        return text
    table: FaceCodes = face._leaflets
    key = (gid, text)
    code = table.codes.get(key)
    if code is None:
        with table.lock:
            code = table.codes.get(key)  # another thread may have given it meanwhile
            if code is None:
                code = PRIVATE_BASE + len(table.texts)
                if code > PRIVATE_LAST:
                    raise OutOfCodes(f"the font {font_name} has used all {PRIVATE_LAST - PRIVATE_BASE + 1} private "
                                     "codes; start a new font set")
                face.charToGlyph[code] = gid
                face.charWidths[code] = face._pdfScale(face.hmetrics[gid][0])
                table.texts[code] = text
                table.codes[key] = code  # last: a code is visible only once the face can draw it
    return chr(code)


# ReportLab's shaping features (ttfonts.shapeFragWord's default), kept here so shape_str shapes as it does
SHAPING_FEATURES = {"kern": True, "liga": True, "dlig": True}


def shape_str(text: str, font_name: str, size: float):
    """ReportLab's ``ttfonts.shapeStr(text, font_name, size)``, exactly: the same
    :class:`~reportlab.pdfbase.ttfonts.ShapedStr` (codes and shape data), or ``text`` itself
    where HarfBuzz changes nothing, and the same private code points added to the face in
    the same order.

    Why not call it: ``shapeStr`` builds a fragment word around the text, makes a new
    HarfBuzz font at every call and asks HarfBuzz for every glyph's *name*
    (``glyph_to_string``), which it needs only for a glyph without a cmap entry; on a
    cold build that was most of the shaping time.  Here the HarfBuzz font is made once
    per font and size (kept on the ReportLab font) and a glyph's name is read only when
    a private code point is added for it.  The caller holds the face's lock (shaping may
    add private code points).
    """
    import uharfbuzz
    if not text:
        return text
    ttf = pdfmetrics.getFont(font_name)
    if not hasattr(ttf, "hbFont"):  # not a TrueType font: ReportLab leaves the text unshaped
        return text
    fonts = ttf.__dict__.setdefault("_leaflets_hb", {})
    hb_font = fonts.get(size)
    if hb_font is None:
        hb_font = fonts[size] = ttf.hbFont(size)  # also installs ttf.hbAddPrivate, as shapeStr's call does
    buffer = uharfbuzz.Buffer()
    buffer.cluster_level = uharfbuzz.BufferClusterLevel.MONOTONE_CHARACTERS
    buffer.add_str(text)
    buffer.guess_segment_properties()
    uharfbuzz.shape(hb_font, buffer, SHAPING_FEATURES)
    face = ttf.face
    to_char, widths = face.glyphToChar, face.charWidths
    # ReportLab's face._pdfScale: the value itself at 1000 units per em, else times 1000/upem
    factor = None if face.unitsPerEm == 1000 else 1000 / face.unitsPerEm
    length = len(text)
    codes: list[str] = []
    data: list = []
    changed = shaped = False
    ShapeData = ttfonts.ShapeData
    for index, (info, position) in enumerate(zip(buffer.glyph_infos, buffer.glyph_positions)):
        gid = info.codepoint
        x_advance = position.x_advance
        chars = to_char.get(gid)
        uchar = chars[0] if chars else ttf.hbAddPrivate(hb_font.glyph_to_string(gid), gid, x_advance)
        width = widths[uchar]
        code = chr(uchar)
        codes.append(code)
        x_offset, y_advance, y_offset = position.x_offset, position.y_advance, position.y_offset
        if factor is not None:
            x_advance, x_offset = x_advance * factor, x_offset * factor
            y_advance, y_offset = y_advance * factor, y_offset * factor
        shaped = shaped or (x_offset != 0 or y_offset != 0 or index >= length
                            or (text[index] == code and x_advance != width))
        changed = changed or shaped or index >= length or text[index] != code
        data.append(ShapeData(info.cluster, x_advance, y_advance, x_offset, y_offset, width))
    if not changed:
        return text
    return ttfonts.ShapedStr("".join(codes), shapeData=data)


def font_program(font_name: str) -> bytes:
    """The TrueType file ReportLab embeds (subsets of) for ``font_name``."""
    return _face(font_name)._ttf_data


def text_of(font_name: str, code: str) -> str:
    """The text a code character extracts as (its ToUnicode entry)."""
    return _face(font_name)._leaflets.texts.get(ord(code), code)


def texts_of(font_name: str) -> dict[int, str]:
    """The private codes of ``font_name`` and the text each extracts as (read only: a code
    not in it extracts as itself, see :func:`text_of`)."""
    return _face(font_name)._leaflets.texts


def glyph_of(font_name: str, code: str) -> int:
    """The glyph id a ReportLab code character draws."""
    return _face(font_name).charToGlyph.get(ord(code), 0)


def code_width(font_name: str, code: str) -> float:
    """The /Widths entry (1/1000 em) ReportLab writes for a code character."""
    return _face(font_name).charWidths.get(ord(code), 0)


def descent(font_name: str) -> float:
    """The Descent (1/1000 em) of ``font_name``'s FontDescriptor."""
    return _face(font_name).descent


NUMBER_CHARACTERS = "".join(map(chr, (*range(0x0660, 0x066D), *range(0x06F0, 0x06FA), *range(0x0966, 0x0970),
                                         0x060C, 0x2009, 0x202F, 0x2013, 0x2212)))
"""Digits and the separators inside numbers that are not ASCII (Arabic-Indic, extended
Arabic-Indic and Devanagari digits, Arabic decimal and thousands separators and percent,
the Arabic comma, thin and narrow no-break spaces, en dash, minus sign)."""


def encoder(font_name: str, doc):
    """ReportLab's font for writing ``font_name`` into ``doc`` (its ``splitString`` gives each
    character its subset and code), with :data:`NUMBER_CHARACTERS` given codes in the first
    subset before anything else is written.

    ReportLab numbers a document's characters by first use, 256 to a subset, so a number
    whose digits were first used far apart ("٨:٠٠" after 300 other Arabic glyphs) was
    written in two subsets, and the text layer writes each subset as a group of its own:
    poppler read the mark between the two groups as a strong right-to-left character and
    read "٠٨:٠".  ASCII digits and separators are always in the first subset (ReportLab
    keeps ASCII readable); these are the others.
    """
    font = pdfmetrics.getFont(font_name)
    if doc not in font.state:  # ReportLab's per-document subset state: not made yet
        font.splitString(NUMBER_CHARACTERS, doc)
    return font


def _utf16_hex(text: str) -> str:
    return text.encode("utf-16-be").hex().upper()


def to_unicode_cmap(fontname: str, subset: list[int], texts: dict[int, str]) -> str:
    """A subset's ToUnicode CMap: real text for private codes (``texts``: code -> text, the
    face's :class:`FaceCodes`) and no U+0000 entries."""
    entries = []
    for index, code in enumerate(subset):
        if code == 0:
            continue
        text = texts.get(code)
        if text is None:
            if 0xE000 <= code <= 0xF8FF or code >= 0xF0000:
                continue  # a private code ReportLab made up: never drawn by leaflets
            text = chr(code)
        entries.append(f"<{index:02X}> <{_utf16_hex(text)}>")
    lines = [
        "/CIDInit /ProcSet findresource begin", "12 dict begin", "begincmap", "/CIDSystemInfo",
        f"<< /Registry ({fontname})", f"/Ordering ({fontname})", "/Supplement 0", ">> def",
        f"/CMapName /{fontname} def", "/CMapType 2 def", "1 begincodespacerange",
        f"<00> <{len(subset) - 1:02X}>", "endcodespacerange",
    ]
    for start in range(0, len(entries), 100):  # a bfchar block holds at most 100 entries
        block = entries[start:start + 100]
        lines += [f"{len(block)} beginbfchar", *block, "endbfchar"]
    lines += ["endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end"]
    return "\n".join(lines)


def share_descent(canvas, font_name: str) -> None:
    """Make every font of the canvas's document declare the Descent of ``font_name``.

    pdfminer (pdfplumber) draws each glyph's box from its font's Descent and
    groups glyphs into lines by the box's top.  Noto Sans Arabic declares
    -738/1000 em and Noto Sans -293, so the brackets, quotation marks and
    Latin words (Noto Sans) of an Arabic line came out on a line of their
    own.  The Descent is a hint for viewers that lack the font; these PDFs
    embed every font, so nothing is drawn differently.  Kept on the document,
    which is what it is about.
    """
    canvas._doc._leaflets_descent = descent(font_name)


def _add_subset_objects(self, doc, fontname, subset):
    """ReportLab's subset writer, for a face leaflets registered: under its font set's lock
    (it reads the font file through the face's cursor), then with the subset's ToUnicode
    CMap written by :func:`to_unicode_cmap` and the document's shared descent."""
    table = getattr(self, "_leaflets", None)
    if table is None:  # not ours: ReportLab's own behaviour
        return _ORIGINAL_ADD_SUBSET_OBJECTS(self, doc, fontname, subset)
    with table.lock:
        reference = _ORIGINAL_ADD_SUBSET_OBJECTS(self, doc, fontname, subset)
    cmap = doc.idToObject.get("toUnicodeCMap:" + fontname)
    if cmap is not None:  # TTFont.addObjects registered it just before calling this
        # the text of a code, once given, never changes: the same subset has the same CMap
        key = ("cmap", fontname, tuple(subset))
        content = table.subsets.get(key)
        if content is None:
            with table.lock:
                texts = dict(table.texts)
            content = pdfdoc_bytes(to_unicode_cmap(fontname, subset, texts))
            table.subsets.put(key, content)
        cmap.content = content
    shared = getattr(doc, "_leaflets_descent", None)
    if shared is not None:
        doc.idToObject[reference.name]["Descent"] = shared
    return reference


_PDFDOC_GAPS = re.compile(r"[\x18-\x1f]")  # ASCII that PDFDocEncoding does not map to itself (or at all)


def pdfdoc_bytes(stream):
    """A stream's content (a page's operators, a ToUnicode CMap) as the bytes ReportLab
    would write for it.  Uncompressed, it encodes a text in PDFDocEncoding at save, a
    character at a time; these are ASCII (strings escaped, codes in hex), which
    PDFDocEncoding maps to the same bytes except 0x18 to 0x1F, so such a text is encoded
    at once, and anything else left to ReportLab."""
    if isinstance(stream, str) and stream.isascii() and not _PDFDOC_GAPS.search(stream):
        return stream.encode("ascii")
    return stream


def _make_subset(self, subset):
    """ReportLab's font program of a subset (the glyphs its codes draw), for a face leaflets
    registered: kept by the subset's codes in the face's table.  A code, once given,
    draws the same glyph for the life of the face, so the same codes make the same
    program, and every document that numbers its characters alike (the same document
    rendered again) embeds it without subsetting the font again."""
    table = getattr(self, "_leaflets", None)
    if table is None:  # not ours: ReportLab's own behaviour
        return _ORIGINAL_MAKE_SUBSET(self, subset)
    key = ("program", tuple(subset))
    program = table.subsets.get(key)
    if program is None:
        program = _ORIGINAL_MAKE_SUBSET(self, subset)
        table.subsets.put(key, program)
    return program


_ORIGINAL_MAKE_SUBSET = getattr(ttfonts.TTFontFace.makeSubset, "original", ttfonts.TTFontFace.makeSubset)
_make_subset.original = _ORIGINAL_MAKE_SUBSET


_ORIGINAL_ADD_SUBSET_OBJECTS = getattr(ttfonts.TTFontFace.addSubsetObjects, "original",
                                       ttfonts.TTFontFace.addSubsetObjects)
_add_subset_objects.original = _ORIGINAL_ADD_SUBSET_OBJECTS


# ------------------------------------------------------------------ dates
_DATING = threading.local()  # .when: the date of the PDF documents made on this thread, inside dated()
_ORIGINAL_TIME_STAMP = getattr(pdfdoc.TimeStamp, "original", pdfdoc.TimeStamp)


class _DatedTimeStamp(_ORIGINAL_TIME_STAMP):
    """ReportLab's document time stamp; inside :func:`dated`, the date given there instead of
    the clock or ``SOURCE_DATE_EPOCH``."""

    original = _ORIGINAL_TIME_STAMP

    def __init__(self, invariant=None):
        if not hasattr(_DATING, "when"):
            super().__init__(invariant)
            return
        when = _DATING.when
        if when is None:  # not reproducible: the clock, in local time, as ReportLab dates by default
            t = time.time()
            local = time.localtime(t)
            self.lt, self.dhh = tuple(local), int(local.tm_gmtoff / 3600.0)
            self.dmm, self.tzname = (local.tm_gmtoff % 3600) % 60, local.tm_zone
        else:  # as ReportLab reads SOURCE_DATE_EPOCH: whole seconds, UTC
            t = int(when.timestamp())
            self.lt, self.dhh, self.dmm, self.tzname = time.gmtime(t), 0, 0, "UTC"
        self.t = t
        self.YMDhms = tuple(self.lt)[:6]


@contextmanager
def dated(when):
    """PDF documents made on this thread inside are dated ``when`` (an aware datetime; None:
    now), whatever the environment says.  ReportLab seeds each document's /ID from the
    date, so the same date gives the same bytes."""
    outer = getattr(_DATING, "when", _UNSET)
    _DATING.when = when
    try:
        yield
    finally:
        if outer is _UNSET:
            del _DATING.when
        else:
            _DATING.when = outer


_UNSET = object()


def install() -> None:
    """Make ReportLab write leaflets' ToUnicode CMaps and shared descents for leaflets' fonts,
    and date documents made inside :func:`dated` (idempotent; other fonts and documents
    are left as ReportLab makes them)."""
    ttfonts.TTFontFace.addSubsetObjects = _add_subset_objects
    ttfonts.TTFontFace.makeSubset = _make_subset
    pdfdoc.TimeStamp = _DatedTimeStamp


install()
