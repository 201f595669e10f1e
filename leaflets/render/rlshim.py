"""The one place that reaches into ReportLab's private font internals.

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
the PDF's text layer: :func:`to_unicode_cmap` replaces ReportLab's CMap
writer and maps each code to its text (UTF-16BE, any length), dropping
code 0 (``.notdef``, which would map to U+0000).

Dates.  ReportLab dates a PDF from ``SOURCE_DATE_EPOCH`` in the environment
(and crashes on a value that is not a number).  Documents leaflets makes are
dated explicitly instead (:func:`dated`), so a render depends on its options,
never on the process environment.
"""

from __future__ import annotations

import threading
import time
import weakref
from contextlib import contextmanager
from functools import lru_cache

from reportlab.pdfbase import pdfdoc, pdfmetrics, ttfonts

PRIVATE_BASE = 0x100000  # Supplementary Private Use Area-B: far from ReportLab's U+E000 codes

# face name -> code -> text, for codes this module allocated
_TEXTS: dict[str, dict[int, str]] = {}
# (face name, gid, text) -> code
_CODES: dict[tuple[str, int, str], int] = {}


def _face_key(face) -> str:
    name = face.name
    return name.decode("latin-1") if isinstance(name, bytes) else str(name)


@lru_cache(maxsize=None)
def _face(font_name: str):
    return pdfmetrics.getFont(font_name).face


@lru_cache(maxsize=100000)
def glyph_code(font_name: str, gid: int, text: str) -> str:
    """A one-character code that draws glyph ``gid`` of ``font_name`` and extracts as ``text``.

    A glyph the font's cmap reaches from exactly ``text`` keeps that
    character as its code (so ASCII text stays readable in the content
    stream); any other pairing gets a private code registered in the face
    with the glyph's own advance width (so the PDF's /Widths match the font
    program).
    """
    face = _face(font_name)
    if len(text) == 1 and face.charToGlyph.get(ord(text)) == gid and ord(text) < PRIVATE_BASE:
        return text
    key = (_face_key(face), gid, text)
    code = _CODES.get(key)
    if code is None:
        texts = _TEXTS.setdefault(key[0], {})
        code = PRIVATE_BASE + len(texts)
        texts[code] = text
        _CODES[key] = code
        face.charToGlyph[code] = gid
        face.charWidths[code] = face._pdfScale(face.hmetrics[gid][0])
    return chr(code)


def font_program(font_name: str) -> bytes:
    """The TrueType file ReportLab embeds (subsets of) for ``font_name``."""
    return _face(font_name)._ttf_data


def text_of(font_name: str, code: str) -> str:
    """The text a code character extracts as (its ToUnicode entry)."""
    return _TEXTS.get(_face_key(_face(font_name)), {}).get(ord(code), code)


def glyph_of(font_name: str, code: str) -> int:
    """The glyph id a ReportLab code character draws."""
    return _face(font_name).charToGlyph.get(ord(code), 0)


def code_width(font_name: str, code: str) -> float:
    """The /Widths entry (1/1000 em) ReportLab writes for a code character."""
    return _face(font_name).charWidths.get(ord(code), 0)


def _utf16_hex(text: str) -> str:
    return text.encode("utf-16-be").hex().upper()


def to_unicode_cmap(fontname: str, subset: list[int]) -> str:
    """ReportLab's ToUnicode CMap, with real text for private codes and no U+0000 entries."""
    face = fontname.split("+", 1)[-1]
    texts = _TEXTS.get(face, {})
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


# PDF document -> the Descent every TrueType FontDescriptor of it declares (see share_descent)
_DESCENTS: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


def share_descent(canvas, font_name: str) -> None:
    """Make every font of the canvas's document declare the Descent of ``font_name``.

    pdfminer (pdfplumber) draws each glyph's box from its font's Descent and
    groups glyphs into lines by the box's top.  Noto Sans Arabic declares
    -738/1000 em and Noto Sans -293, so the brackets, quotation marks and
    Latin words (Noto Sans) of an Arabic line came out on a line of their
    own.  The Descent is a hint for viewers that lack the font; these PDFs
    embed every font, so nothing is drawn differently.
    """
    _DESCENTS[canvas._doc] = _face(font_name).descent


def _add_subset_objects(self, doc, fontname, subset):
    """ReportLab's subset writer; then the FontDescriptor it registered gets the shared descent."""
    reference = _ORIGINAL_ADD_SUBSET_OBJECTS(self, doc, fontname, subset)
    descent = _DESCENTS.get(doc)
    if descent is not None:
        doc.idToObject[reference.name]["Descent"] = descent
    return reference


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
    """Make ReportLab write :func:`to_unicode_cmap` and shared descents, and date documents
    made inside :func:`dated` (idempotent)."""
    ttfonts.makeToUnicodeCMap = to_unicode_cmap
    ttfonts.TTFontFace.addSubsetObjects = _add_subset_objects
    pdfdoc.TimeStamp = _DatedTimeStamp


install()
