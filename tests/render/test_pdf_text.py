"""The text layer of the handouts: what pdftotext, pypdf and pdfplumber read is the localized text.

Every drawn glyph maps (ToUnicode) to the characters it stands for, never to
a private-use, presentation-form or ligature code point; clusters that are
not one glyph per character carry ActualText; right-to-left text is drawn
in visual order so that each extractor's own bidi gives the logical order.
"""

from __future__ import annotations

import io
import re
import subprocess
import unicodedata
from functools import lru_cache

import pdfplumber
import pikepdf
import pypdf
import pytest

from leaflets.build import Project, load_translations
from leaflets.document import Box, BulletList, Paragraph, plain
from leaflets.localize import localize
from leaflets.render.textengine import bidi_levels, reorder
from tests.conftest import require_tool

LOCALES = Project().locales()
EXTRACTORS = ("pdftotext", "pypdf", "pdfplumber")
FOOTER = 60  # points at the bottom of each page that hold the footer (an artifact, checked in test_pdf_tags)
BIDI_CONTROLS = dict.fromkeys(map(ord, "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"))
# Known extractor limits with combining marks (see test_known_limits_stay_small): (locale, extractor) -> max share
# of extracted words that are not words of the text.
KNOWN_LIMITS = {
    ("hi", "pdfplumber"): 0.02,  # pdfminer orders a mark by its origin, which may lie past the next space
    ("ar", "pdftotext"): 0.08,  # harakat and poppler's bidi of neutrals next to numbers
    ("ar", "pdfplumber"): 0.12,  # harakat (ordered by origin) and gaps after zero-width marks
    ("ar", "pypdf"): 0.3,  # pypdf reverses Arabic-Indic digits and mixes runs at marks and pieces (24 % today)
}


def bad_code_point(char: str) -> bool:
    """Private use, Arabic presentation forms, Latin/Armenian/Hebrew ligatures, or U+0000."""
    code = ord(char)
    return (0xE000 <= code <= 0xF8FF or code >= 0xF0000 or 0xFB00 <= code <= 0xFDFF or 0xFE70 <= code <= 0xFEFF
            or code == 0)


def words(text: str, split_digits: bool = False) -> list[str]:
    """Letters, marks and digits between spaces and punctuation (NFC; bidi controls removed).

    Punctuation is a separator, not part of a word, so an extractor that puts
    a comma on the wrong side of a space still reads the right words.
    """
    text = unicodedata.normalize("NFC", text.translate(BIDI_CONTROLS))
    out, current = [], []
    for ch in text:
        if split_digits and current and (unicodedata.category(ch)[0] == "N") != (
                unicodedata.category(current[-1])[0] == "N"):
            out.append("".join(current))
            current = []
        if unicodedata.category(ch)[0] in "LMN":
            current.append(ch)
        elif current:
            out.append("".join(current))
            current = []
    if current:
        out.append("".join(current))
    return out


@lru_cache(maxsize=None)
def document(tag: str):
    from leaflets.content.load import load_topic
    from tests.conftest import TOPIC
    return localize(load_topic(TOPIC), tag, load_translations(Project(), tag))


def body_text(doc) -> str:
    """Everything the handout body shows, in reading order."""
    h = doc.handout
    parts = [h.title, h.subtitle, h.audience, plain(h.key_message.text)]
    for block in h.blocks:
        if isinstance(block, Box):
            parts += [plain(block.title), plain(block.intro), *(plain(item) for item in block.items)]
        elif isinstance(block, BulletList):
            parts += [plain(item) for item in block.items]
        else:
            parts.append(plain(block.text))
    parts += [h.not_advice, h.references_title]
    parts += [f"{doc.footer.number(ref.number)}. {ref.text}" for ref in h.references]
    return "\n".join(parts)


def visual_to_logical(line: str, rtl: bool) -> str:
    """pdfplumber lists a line's characters left to right; read right-to-left runs back.
    A line with right-to-left letters in a right-to-left document is a right-to-left
    paragraph (the document says so: /Lang and /ViewerPreferences /Direction)."""
    kinds = [unicodedata.bidirectional(ch) for ch in line]
    if not any(kind in ("R", "AL", "AN") for kind in kinds):
        return line
    rtl = rtl and any(kind in ("R", "AL") for kind in kinds)
    return "".join(reorder(list(line), bidi_levels(line, rtl)))


def extract(path, extractor: str) -> str:
    """The text of a handout's body (footer excluded) as ``extractor`` reads it."""
    if extractor == "pdftotext":
        require_tool("pdftotext")
        with pdfplumber.open(path) as pdf:
            width, height = pdf.pages[0].width, pdf.pages[0].height
        return subprocess.run(["pdftotext", "-enc", "UTF-8", "-x", "0", "-y", "0", "-W", str(int(width)),
                               "-H", str(int(height - FOOTER)), str(path), "-"],
                              capture_output=True, text=True, check=True).stdout
    if extractor == "pypdf":
        pages = []
        for page in pypdf.PdfReader(path).pages:
            parts: list[str] = []

            def visit(text, cm, tm, font, size, parts=parts):
                if tm[5] * cm[3] + cm[5] > FOOTER or not text.strip():
                    parts.append(text)
            page.extract_text(visitor_text=visit)
            pages.append("".join(parts))
        return "\n".join(pages)
    with pikepdf.open(path) as pdf:
        preferences = pdf.Root.get("/ViewerPreferences")
        rtl = preferences is not None and preferences.get("/Direction") == pikepdf.Name.R2L
    with pdfplumber.open(path) as pdf:
        return "\n".join(visual_to_logical(line, rtl) for page in pdf.pages
                         for line in (page.crop((0, 0, page.width, page.height - FOOTER)).extract_text() or "")
                         .split("\n"))


def handout(built, tag: str, paper: str = "a4"):
    return built / tag / f"atopic-dermatitis-handout-{paper}.pdf"


def not_words(built, tag: str, extractor: str) -> tuple[list[str], int]:
    """Extracted words that are not words of the text.  Chinese has no spaces and breaks
    lines anywhere, so there a "word" (a run between punctuation) must be a piece of the text."""
    text = body_text(document(tag))
    found = words(extract(handout(built, tag), extractor))
    if tag.split("-")[0] in ("zh", "ja"):
        joined = "".join(words(text))
        return [w for w in found if w not in joined], len(found)
    vocabulary = set(words(text))
    return [w for w in found if w not in vocabulary], len(found)


@pytest.mark.parametrize("tag", LOCALES)
def test_to_unicode_maps_every_code_to_real_text(built, tag):
    """No ToUnicode entry of any font maps to a private-use, presentation-form or ligature code point."""
    for paper in ("a4", "letter"):
        with pikepdf.open(handout(built, tag, paper)) as pdf:
            for page in pdf.pages:
                for name, font in page.Resources.Font.items():
                    cmap = font.ToUnicode.read_bytes().decode("latin-1")
                    blocks = re.findall(r"beginbfchar(.*?)endbfchar", cmap, re.S)
                    targets = [t for block in blocks for t in re.findall(r"<[0-9A-F]{2}> <([0-9A-F]+)>", block)]
                    assert targets, (tag, name)
                    for target in targets:
                        text = bytes.fromhex(target).decode("utf-16-be")
                        assert not any(bad_code_point(ch) for ch in text), (tag, paper, name, target, text)


@pytest.mark.parametrize("extractor", EXTRACTORS)
@pytest.mark.parametrize("tag", LOCALES)
def test_extracted_text_has_no_private_use_presentation_or_ligature_code_points(built, tag, extractor):
    text = extract(handout(built, tag), extractor)
    assert text.strip()
    assert [f"U+{ord(ch):04X}" for ch in text if bad_code_point(ch)] == []


def _exact(tag: str, extractor: str):
    if (tag, extractor) in KNOWN_LIMITS:
        return pytest.param(tag, extractor, marks=pytest.mark.xfail(strict=True, reason="see KNOWN_LIMITS"))
    return pytest.param(tag, extractor)


@pytest.mark.parametrize("tag, extractor", [_exact(tag, extractor) for tag in LOCALES for extractor in EXTRACTORS])
def test_every_extracted_word_is_a_word_of_the_localized_text(built, tag, extractor):
    bad, total = not_words(built, tag, extractor)
    assert total > 200
    assert bad == []


@pytest.mark.parametrize("tag, extractor", sorted(KNOWN_LIMITS))
def test_known_limits_stay_small(built, tag, extractor):
    """Where an extractor's own heuristics still misread marks, the share of wrong words is bounded."""
    bad, total = not_words(built, tag, extractor)
    assert len(bad) / total <= KNOWN_LIMITS[(tag, extractor)], bad[:20]


def test_latin_ligatures_extract_as_letters_and_carry_actual_text(built):
    """Noto Sans draws "fi" and "fl" as ligature glyphs: text reads f, i; the cluster has ActualText."""
    for extractor in EXTRACTORS:
        text = extract(handout(built, "en"), extractor)
        assert "ﬁ" not in text and "ﬂ" not in text
        assert "first" in text.replace("\n", " ") or "flare" in text.replace("\n", " ")
    actual = actual_texts(handout(built, "en"))
    assert set(actual) & {"fi", "fl", "ffi", "ff"}, actual


def actual_texts(path) -> list[str]:
    found = []
    with pikepdf.open(path) as pdf:
        for page in pdf.pages:
            for operands, operator in pikepdf.parse_content_stream(page):
                if operator == pikepdf.Operator("BDC") and operands[0] == "/Span" and "/ActualText" in operands[1]:
                    found.append(str(operands[1].ActualText))
    return found


def test_devanagari_clusters_carry_their_logical_text(built):
    """Conjuncts and reordered matras (not one glyph per character) sit in ActualText spans
    holding the logical characters, each a piece of the localized text."""
    text = unicodedata.normalize("NFC", body_text(document("hi")))
    actual = actual_texts(handout(built, "hi"))
    assert len(actual) > 100
    assert "टि" in actual or "कि" in actual  # an i-matra drawn before its consonant
    assert any("्" in a for a in actual)  # a conjunct or half form
    footer = document("hi").footer
    footer_text = " ".join([footer.content_version, footer.reviewed, footer.language, *footer.notice,
                            footer.page_label(1, 2), footer.page_label(2, 2)])
    for piece in actual:
        assert piece in text or piece in unicodedata.normalize("NFC", footer_text), piece


def _first_paragraph(tag: str, marks: bool) -> str:
    """The first paragraph's text (with ``marks`` false: the first without combining marks,
    which the extractors' own heuristics still misplace in Arabic, see KNOWN_LIMITS)."""
    for block in document(tag).handout.blocks:
        if isinstance(block, Paragraph):
            text = plain(block.text)
            if marks or not any(unicodedata.category(ch) == "Mn" for ch in text):
                return text
    raise AssertionError(f"no such paragraph in {tag}")


@pytest.mark.parametrize("tag, marks", [("hi", True), ("ar", False)])
def test_a_paragraph_copies_out_as_the_catalog_text(built, tag, marks):
    """A paragraph, as pdftotext, pdfplumber and pypdf read it, is the catalog's text word for
    word: the first Hindi paragraph, the first Arabic one without harakat.  (Punctuation and
    spaces around numbers are not compared: poppler's bidi puts a neutral next to a number on
    the wrong side of a space; the superscript citation, not catalog text, is left out.)"""
    expected = words(_first_paragraph(tag, marks), split_digits=True)
    for extractor in EXTRACTORS:
        found = [w for w in words(extract(handout(built, tag), extractor), split_digits=True) if w in set(expected)]
        assert any(found[i:i + len(expected)] == expected for i in range(len(found))), extractor
    if tag == "hi":  # and character for character, spaces aside
        text = "".join(unicodedata.normalize("NFC", extract(handout(built, tag), "pdftotext")).split())
        assert "".join(_first_paragraph(tag, marks).split()) in text


def test_rtl_line_pieces_are_written_right_to_left(built):
    """pypdf reverses each right-to-left piece; writing the pieces of an RTL line from the right
    gives it the pieces in logical order (the bold "important" label comes first)."""
    text = extract(handout(built, "ar"), "pypdf")
    label, _, rest = plain(document("ar").handout.key_message.text).partition(" ")
    assert label + " " + rest.split()[0] in text


def test_extraction_of_the_arabic_title_is_logical(built):
    """The title's words come out in logical order from every extractor."""
    title = words(document("ar").handout.title)
    for extractor in EXTRACTORS:
        found = words(extract(handout(built, "ar"), extractor))
        assert any(found[i:i + len(title)] == title for i in range(len(found))), (extractor, found[:8])


def test_drawn_text_writes_no_forward_move_that_reads_as_a_space():
    """A zero-width mark drawn left of the pen needs a move back; split, it is no word gap for pypdf."""
    from leaflets.render.fonts import DEVANAGARI, stack_for
    from leaflets.render.textengine import Run, TextStyle, Typesetter
    from reportlab.lib.colors import black
    from reportlab.pdfgen import canvas as rl_canvas

    typesetter = Typesetter(stack_for("hi"))
    buffer = io.BytesIO()
    canvas = rl_canvas.Canvas(buffer)
    line = typesetter.lines([Run("कैसे होता है")], TextStyle(14, 18, black), 400)[0]
    typesetter.draw_line(canvas, line, 20, 700)
    canvas.save()
    assert typesetter.font_name(DEVANAGARI, False, False)
    reader = pypdf.PdfReader(io.BytesIO(buffer.getvalue()))
    assert reader.pages[0].extract_text().split() == ["कैसे", "होता", "है"]
    content = reader.pages[0].get_contents().get_data().decode("latin-1")
    numbers = [float(n) for tj in re.findall(r"\[(.*?)\] TJ", content) for n in re.findall(r"(?<=[\s\]])-?[\d.]+", " " + tj)]
    assert numbers and min(numbers) >= -100
