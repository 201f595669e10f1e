"""The text layer of the handouts: what pdftotext, pypdf, pdfplumber and PyMuPDF read is the localized text.

Every drawn glyph maps (ToUnicode) to the characters it stands for, never to
a private-use, presentation-form or ligature code point; clusters that are
not one glyph per character carry ActualText; right-to-left text is drawn
in visual order so that each extractor's own bidi gives the logical order;
marks and citations, which the font or the style raise off the baseline,
are outlines whose characters ride on baseline carriers.  PyMuPDF (MuPDF)
builds lines in content-stream order and reverses right-to-left runs
itself: bidi marks between the groups of a right-to-left line keep its
runs what pypdf reads too.
"""

from __future__ import annotations

import re
import subprocess
import unicodedata
from collections import Counter
from functools import lru_cache

import pdfplumber
import pikepdf
import pymupdf
import pypdf
import pytest

from leaflets.build import Project, load_translations
from leaflets.document import Box, BulletList, Paragraph, plain
from leaflets.localize import localize
from leaflets.render.textlayout import Run, bidi_levels, reorder
from tests.conftest import require_tool

LOCALES = Project().locales()
EXTRACTORS = ("pdftotext", "pypdf", "pdfplumber", "pymupdf")
BIDI_CONTROLS = dict.fromkeys(map(ord, "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"))

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


def blocks(doc) -> list[str]:
    """The text of every block of the handout body, in reading order."""
    h = doc.handout
    parts = [h.title, h.subtitle, h.audience, plain(h.key_message.text)]
    for block in h.blocks:
        if isinstance(block, Box):
            parts += [plain(block.title), plain(block.intro), *(plain(item) for item in block.items)]
            first, *others = [plain(line) for line in block.contacts] or [""]
            parts += [first, " ".join(others)]  # whom to call: the first line, then the others together
        elif isinstance(block, BulletList):
            parts += [plain(item) for item in block.items]
        else:
            parts.append(plain(block.text))
    return [part for part in parts if part]


def body_text(doc) -> str:
    """Everything the handout body shows, in reading order."""
    h = doc.handout
    parts = [*blocks(doc), h.not_advice, h.references_title]
    parts += [f"{doc.footer.number(ref.number)}. {ref.text}" for ref in h.references]
    return "\n".join(parts)


def visual_to_logical(line: str, rtl: bool) -> str:
    """pdfplumber lists a line's characters left to right; read right-to-left runs back.
    A line with right-to-left letters in a right-to-left document (/ViewerPreferences
    /Direction /R2L) is a right-to-left paragraph."""
    line = line.translate(BIDI_CONTROLS)  # format characters: no part in the order (UAX #9, X9)
    kinds = [unicodedata.bidirectional(ch) for ch in line]
    if not any(kind in ("R", "AL", "AN") for kind in kinds):
        return line
    rtl = rtl and any(kind in ("R", "AL") for kind in kinds)
    return "".join(reorder(list(line), bidi_levels(line, rtl)))


@lru_cache(maxsize=None)
def footer_height(path) -> float:
    """Points at the bottom of each page that hold the footer (an artifact, checked in test_pdf_tags):
    everything below the footer's rule, the lowest full-width line of the page.  The body frame
    ends just above the rule, so a body line set low on a full page is never cut off."""
    with pdfplumber.open(path) as pdf:
        page = pdf.pages[0]
        rules = [line["top"] for line in page.lines
                 if abs(line["top"] - line["bottom"]) < 1 and line["x1"] - line["x0"] > 0.6 * page.width]
        return page.height - max(rules) + 0.5


@lru_cache(maxsize=None)
def extract(path, extractor: str) -> str:
    """The text of a handout's body (footer excluded) as ``extractor`` reads it."""
    footer = footer_height(path)
    if extractor == "pdftotext":
        require_tool("pdftotext")
        with pdfplumber.open(path) as pdf:
            width, height = pdf.pages[0].width, pdf.pages[0].height
        return subprocess.run(["pdftotext", "-enc", "UTF-8", "-x", "0", "-y", "0", "-W", str(int(width)),
                               "-H", str(int(height - footer)), str(path), "-"],
                              capture_output=True, text=True, check=True).stdout
    if extractor == "pypdf":
        pages = []
        for page in pypdf.PdfReader(path).pages:
            parts: list[str] = []

            def visit(text, cm, tm, font, size, parts=parts):
                if tm[5] * cm[3] + cm[5] > footer or not text.strip():
                    parts.append(text)
            page.extract_text(visitor_text=visit)
            pages.append("".join(parts))
        return "\n".join(pages)
    if extractor == "pymupdf":
        return "\n".join(pymupdf_lines(path, footer))
    with pikepdf.open(path) as pdf:
        preferences = pdf.Root.get("/ViewerPreferences")
        rtl = preferences is not None and preferences.get("/Direction") == pikepdf.Name.R2L
    with pdfplumber.open(path) as pdf:
        return "\n".join(visual_to_logical(line, rtl) for page in pdf.pages
                         for line in (page.crop((0, 0, page.width, page.height - footer)).extract_text() or "")
                         .split("\n"))


def pymupdf_lines(path, footer: float = 0) -> list[str]:
    """The lines PyMuPDF reads (``page.get_text()``, which is MuPDF's structured text in content
    order), without those whose baseline is in the bottom ``footer`` points of their page."""
    lines = []
    with pymupdf.open(path) as document:
        for page in document:
            for block in page.get_text("dict")["blocks"]:
                for line in block.get("lines", []):
                    if line["spans"] and line["spans"][0]["origin"][1] < page.rect.height - footer:
                        lines.append("".join(span["text"] for span in line["spans"]))
    return lines


def handout(built, tag: str, paper: str = "a4"):
    return built / tag / f"atopic-dermatitis-handout-{paper}.pdf"


def not_words(built, tag: str, extractor: str, paper: str = "a4") -> tuple[list[str], int]:
    """Extracted words that are not words of the text.  Chinese has no spaces and breaks
    lines anywhere, so there a "word" (a run between punctuation) must be a piece of the text."""
    text = body_text(document(tag))
    found = words(extract(handout(built, tag, paper), extractor))
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


@pytest.mark.parametrize("paper", ["a4", "letter"])
@pytest.mark.parametrize("extractor", EXTRACTORS)
@pytest.mark.parametrize("tag", LOCALES)
def test_every_extracted_word_is_a_word_of_the_localized_text(built, tag, extractor, paper):
    """Before: Arabic 5.6 % (pdftotext), 9.6 % (pdfplumber) and 24 % (pypdf) of the words
    were no words of the text, Hindi 1 % (pdfplumber)."""
    bad, total = not_words(built, tag, extractor, paper)
    assert total > 200
    assert bad == []


def squeezed(text: str) -> str:
    """NFC, without white space and bidi controls (pdftotext wraps runs in U+202A..U+202C)."""
    return "".join(unicodedata.normalize("NFC", text.translate(BIDI_CONTROLS)).split())


@pytest.mark.parametrize("extractor", EXTRACTORS)
@pytest.mark.parametrize("tag", LOCALES)
def test_every_block_copies_out_as_the_catalog_text(built, tag, extractor):
    """Copying any paragraph, heading or list item gives its text character for character
    (line breaks aside): Hindi conjuncts, Arabic harakat, numbers with the spaces and
    punctuation on their right side, Latin names inside Arabic, brackets and quotes."""
    text = squeezed(extract(handout(built, tag), extractor))
    missing = [block for block in blocks(document(tag)) if squeezed(block) not in text]
    assert missing == []


def test_copied_arabic_and_hindi_paragraphs_read_as_in_the_catalog(built):
    """The issue's check, spelled out: a Hindi paragraph and an Arabic one with harakat,
    numbers and a citation, as pdftotext, pdfplumber and PyMuPDF give them."""
    for tag, needle in (("hi", "एटोपिक डर्मेटाइटिस एक्ज़िमा का"), ("ar", "وكثيرًا ما تبدأ عند الرُّضَّع")):
        paragraph = next(plain(block.text) for block in document(tag).handout.blocks
                         if isinstance(block, Paragraph) and plain(block.text).startswith(needle))
        for extractor in ("pdftotext", "pdfplumber", "pymupdf"):
            copied = extract(handout(built, tag), extractor)
            start = copied.index(needle)
            assert squeezed(copied[start:start + 2 * len(paragraph)]).startswith(squeezed(paragraph)), extractor


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


def draw_lines(tmp_path, tag: str, lines: list[list], size: float = 14, rtl: bool | None = None):
    """A one-page PDF with each list of runs drawn as a line by the text engine, as the
    handout draws it (one descent for every font of the document); ``rtl``: the base
    direction, by default the language's."""
    from reportlab.lib.colors import black
    from reportlab.pdfgen import canvas as rl_canvas

    from leaflets.render import rlshim
    from leaflets.render.fonts import register_pdf_family, stack_for
    from leaflets.render.pdftext import draw_line
    from leaflets.render.textlayout import TextStyle, Typesetter

    typesetter = Typesetter(stack_for(tag), rtl=tag == "ar" if rtl is None else rtl)
    path = tmp_path / f"{tag}.pdf"
    canvas = rl_canvas.Canvas(str(path))
    rlshim.share_descent(canvas, register_pdf_family(typesetter.stack[0]).regular)
    y = 760
    for runs in lines:
        line, = typesetter.lines(runs, TextStyle(size, size * 1.4, black), 500)
        draw_line(canvas, line, 555 - line.width if line.rtl else 40, y)
        y -= 3 * size
    canvas.save()
    return path


def read_back(path, extractor: str) -> list[str]:
    """The lines an extractor reads, bidi controls removed, white space collapsed."""
    if extractor == "pdftotext":
        require_tool("pdftotext")
        text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True,
                              check=True).stdout
    elif extractor == "pypdf":
        text = pypdf.PdfReader(path).pages[0].extract_text()
    elif extractor == "pymupdf":
        text = "\n".join(pymupdf_lines(path))
    else:
        with pdfplumber.open(path) as pdf:
            text = "\n".join(visual_to_logical(line, True) for line in pdf.pages[0].extract_text().split("\n"))
    lines = [" ".join(unicodedata.normalize("NFC", line.translate(BIDI_CONTROLS)).split()) for line in text.split("\n")]
    return [line for line in lines if line]


LINES = {  # the bugs of the review, one line each
    "ar": [
        [Run("نحو ١ من كل ١٠ أطفال")],  # pdftotext: "نحو  ١من"; pypdf: "٠١"
        [Run("وكيف يُعالَج جافًّا؟")],  # harakat: pdfplumber filed them on lines of their own
        [Run("ابحث عن \"atopic dermatitis\" و\"mesenchymal\".")],  # Latin, quotes and brackets in Arabic
        [Run("لا تنتقل بالعدوى."), Run("\u2009١٠", superscript=True)],  # a citation after a period
        [Run("اطلب المساعدة في اليوم نفسه إذا:")],  # pypdf put the colon first
        # PyMuPDF: "أ ُعطيت" (a mark on a glyph of its own moved no pen), "٤٣", "إل ى" (a change of
        # font subset inside a word), "ClinicalTrials" on a line of its own
        [Run("أُعطيت مرة واحدة إلى ٣٤ بالغًا على موقع ClinicalTrials.gov.")],
        [Run("الجلد."), Run("\u202f٣,٤", superscript=True)],  # PyMuPDF: "٣, ٤"
    ],
    "hi": [[Run("कैसे होता है, लगाएँ एंटीहिस्टामिन")]],  # pdfplumber: "कै से", "लगाए ँ"
    "en": [[Run("first flare"), Run("\u200910", superscript=True)]],
}


@pytest.mark.parametrize("extractor", EXTRACTORS)
@pytest.mark.parametrize("tag", sorted(LINES))
def test_drawn_lines_read_back_as_written(tmp_path, tag, extractor):
    path = draw_lines(tmp_path, tag, LINES[tag])
    expected = [" ".join("".join(run.text for run in runs).split()) for runs in LINES[tag]]
    assert read_back(path, extractor) == expected


@pytest.mark.parametrize("extractor", EXTRACTORS)
def test_an_arabic_indic_number_on_a_left_to_right_line_reads_in_order(tmp_path, extractor):
    """A reference's label in an Arabic handout, on the reference's left-to-right line: pypdf and
    PyMuPDF read "١٠" as "٠١".  (Words: pypdf and PyMuPDF put a space on either side of the
    full stop.)"""
    lines = ["١٠. US Food and Drug Administration.", "١١. Kim EY.", "١٢٣ Kim", "Kim ١٢٣"]
    path = draw_lines(tmp_path, "ar", [[Run(line)] for line in lines], rtl=False)
    assert [words(line) for line in read_back(path, extractor)] == [words(line) for line in lines]


def numbers(text: str) -> Counter:
    """The Arabic-Indic numbers of a text, with the separators inside them ("٣,٤" for a citation)."""
    return Counter(re.findall(r"[٠-٩]+(?:[,،٫][٠-٩]+)*", text.translate(BIDI_CONTROLS)))


@pytest.mark.parametrize("paper", ["a4", "letter"])
@pytest.mark.parametrize("extractor", EXTRACTORS)
def test_every_arabic_number_reads_as_written(built, extractor, paper):
    """The numbers of the Arabic handout, its citations and the references' labels included, as
    every extractor reads them (PyMuPDF read 10 as 01 and 34 as 43, and "٣,٤" as "٣, ٤")."""
    doc = document("ar")
    cited = [block.citations for block in doc.handout.blocks if getattr(block, "citations", ())]
    cited += [doc.handout.key_message.citations]
    expected = numbers(body_text(doc)) + numbers(" ".join(",".join(doc.footer.number(n) for n in c)
                                                          for c in cited if c))
    assert numbers(extract(handout(built, "ar", paper), extractor)) == expected


def test_a_citation_with_a_zero_width_character_is_drawn(tmp_path):
    """A raised piece's carriers get the advance of their glyph; a zero-width character
    gave Tz 0 and a division by zero."""
    path = draw_lines(tmp_path, "en", [[Run("word"), Run("\u200b1\u200d2", superscript=True)]])
    text = read_back(path, "pypdf")[0]
    assert "".join(ch for ch in text if unicodedata.category(ch) != "Cf") == "word12"


def test_nothing_in_the_text_layer_is_raised(built):
    """Marks the font positions and superscript citations are outlines; their characters
    sit on the baseline (pdfplumber and poppler file a raised glyph on a line of its own)."""
    for tag in ("ar", "hi", "en"):
        with pikepdf.open(handout(built, tag)) as pdf:
            for page in pdf.pages:
                rises = [operands[0] for operands, operator in pikepdf.parse_content_stream(page)
                         if operator == pikepdf.Operator("Ts") and float(operands[0])]
                assert rises == [], tag


def test_every_font_of_a_handout_declares_one_descent(built):
    for tag in ("ar", "zh-Hans", "en"):
        with pikepdf.open(handout(built, tag)) as pdf:
            descents = {float(font.FontDescriptor.Descent) for page in pdf.pages
                        for font in page.Resources.Font.values()}
        assert len(descents) == 1, (tag, descents)


@pytest.mark.parametrize("word", ["صغيرة", "مرطّبًا", "الإكزيما", "يُعالَج", "لإ"])
def test_no_two_codes_of_a_word_share_a_position(word):
    """A ligature's extra characters ride on carriers just inside its right edge, never on
    the next glyph's origin (pdfminer sorts such a tie by stream order, poppler at random)."""
    from leaflets.render.fonts import ARABIC, stack_for
    from leaflets.render.pdftext import clusters
    from leaflets.render.textlayout import Typesetter, shape

    font = Typesetter(stack_for("ar")).font_name(ARABIC, False, False)
    origins, pen = [], 0.0
    for cluster in clusters(word, font, 12):
        at = pen
        for d in cluster.data:
            origins.append(at + d.x_offset)
            at += d.x_advance
        pen = at
    assert origins == sorted(origins) and len(set(origins)) == len(origins), origins
    assert len(origins) >= len([d for d in shape(word, font, 12).__shapeData__ if d.x_advance])


def test_harakat_are_outlines_where_harfbuzz_puts_them(tmp_path):
    """يُعالَج: the damma and the fatha are filled paths, not glyphs of the text layer."""
    from leaflets.render.fonts import ARABIC, stack_for
    from leaflets.render.pdftext import clusters
    from leaflets.render.textlayout import Typesetter, shape

    font = Typesetter(stack_for("ar")).font_name(ARABIC, False, False)
    shaped = shape("يُعالَج", font, 12).__shapeData__
    marks = sorted((d.x_offset, d.y_offset) for d in shaped if d.x_advance == 0)
    outlines = [outline for cluster in clusters("يُعالَج", font, 12) for outline in cluster.outlines]
    assert len(outlines) == len(marks) == 2 and sorted(rise for _, _, rise in outlines) == sorted(y for _, y in marks)
    path = draw_lines(tmp_path, "ar", [[Run("يُعالَج")]])
    with pikepdf.open(path) as pdf:
        operators = [str(operator) for _, operator in pikepdf.parse_content_stream(pdf.pages[0])]
    assert operators.count("f") == 2


def test_drawn_text_writes_no_forward_move_that_reads_as_a_space(tmp_path):
    """A move to the right larger than 0.1 em inside TJ is a word gap to pypdf: never written."""
    path = draw_lines(tmp_path, "ar", LINES["ar"])
    with pikepdf.open(path) as pdf:
        numbers = [float(item) for operands, operator in pikepdf.parse_content_stream(pdf.pages[0])
                   if operator == pikepdf.Operator("TJ") for item in operands[0] if not isinstance(item, pikepdf.String)]
    assert numbers and min(numbers) >= -100
