"""World scripts: no tofu, shaping, right-to-left order, CJK line breaks, deck font slots."""

from __future__ import annotations

import io
import unicodedata

import pdfplumber
import pytest
from pptx import Presentation
from reportlab.lib.colors import black
from reportlab.pdfgen import canvas as rl_canvas

from leaflets.build import load_translations
from leaflets.localize import localize
from leaflets.render.fonts import ARABIC, DEVANAGARI, family_covering, script_fonts, stack_for
from leaflets.render.preflight import missing_glyphs
from leaflets.render.pdftext import draw_line
from leaflets.render.textlayout import Run, TextStyle, Typesetter, shape

NS = {"a": "http://schemas.openxmlformats.org/drawingml/2006/main"}
CLOSING = set("，。！？、）：；」』】")
OPENING = set("（「『【")


def _nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def _baseline(char) -> int:
    """The baseline (text matrix y), the same for every font on a line, unlike top/bottom."""
    return round(char["matrix"][5])


def _lines(page, max_bottom=None):
    """Characters of a page grouped into lines by baseline, top line first, each left to right."""
    rows: dict[int, list] = {}
    for char in page.chars:
        if char["text"].strip() and (max_bottom is None or char["bottom"] <= max_bottom):
            rows.setdefault(_baseline(char), []).append(char)
    return [sorted(chars, key=lambda c: c["x0"]) for _, chars in sorted(rows.items(), reverse=True)]


def _words(line, gap=2.0):
    """Split a line's characters (left to right) into words at visible gaps."""
    words, current = [], [line[0]]
    for char in line[1:]:
        if char["x0"] - current[-1]["x1"] > gap:
            words.append(current)
            current = []
        current.append(char)
    words.append(current)
    return words


def test_preflight_names_locale_msgid_and_code_point(project, loaded):
    doc = localize(loaded, "es", load_translations(project, "es"))
    doc = type(doc)(**{**doc.__dict__, "texts": doc.texts + (("Medicine for skin infections", "Medicamentos para las infecciones de la piel ሰ"),)})
    translations = load_translations(project, "es")
    problems = [str(d) for d in missing_glyphs(doc, loaded, translations)]
    line = translations.line_of("Medicine for skin infections")
    assert line > 0
    assert problems == [f"locales/es.po:{line}:1: [glyphs] locale es: msgid 'Medicine for skin infections': character 'ሰ' (U+1230 ETHIOPIC "
                        "SYLLABLE SA) is in no font of the es font stack (Noto Sans); it would print as an empty box"]


def test_every_shipped_locale_passes_the_preflight(project, loaded, shipped):
    for tag in shipped:
        doc = localize(loaded, tag, load_translations(project, tag))
        assert missing_glyphs(doc, loaded, load_translations(project, tag)) == [], tag


@pytest.mark.parametrize("family, text", [(ARABIC, "مرحبا بكم"), (DEVANAGARI, "क्षमा हिन्दी")])
def test_shaping_changes_the_glyphs(family, text):
    """HarfBuzz output differs from one-glyph-per-character (joining forms, conjuncts, reordering)."""
    typesetter = Typesetter((family,))
    font = typesetter.font_name(family, False, False)
    shaped = shape(text, font, 12)
    assert str(shaped) != text
    assert len(getattr(shaped, "__shapeData__", [])) > 0


def _render_line(text: str, language: str, width: float = 400, rtl: bool | None = None):
    typesetter = Typesetter(stack_for(language), rtl=language == "ar" if rtl is None else rtl)
    lines = typesetter.lines([Run(text)], TextStyle(14, 18, black), width)
    buffer = io.BytesIO()
    canvas = rl_canvas.Canvas(buffer, pagesize=(width + 40, 400))
    y = 380
    for line in lines:
        x = 20 + (width - line.width if line.rtl else 0)
        draw_line(canvas, line, x, y)
        y -= 18
    canvas.save()
    return pdfplumber.open(io.BytesIO(buffer.getvalue())), lines


def test_arabic_words_run_right_to_left_and_numbers_left_to_right():
    text = "شارك ٣٤ بالغًا في الدراسة وبلغت نسبة EASI-50 نحو ٥٥٪ من المرضى"
    pdf, lines = _render_line(text, "ar")
    chars = _lines(pdf.pages[0])[0]
    # the rightmost word on the first line is the first word of the sentence
    rightmost = _words(chars)[-1]
    assert _nfkc("".join(c["text"] for c in reversed(rightmost))) == "شارك"
    # digits of ٣٤ and ٥٥ read left to right: the first logical digit has the smaller x
    digits = [c for c in chars if len(c["text"]) == 1 and unicodedata.category(c["text"]) == "Nd"]
    values = [(c["x0"], unicodedata.digit(c["text"])) for c in digits]
    xs = {v: x for x, v in values}
    assert xs[3] < xs[4]  # "٣٤"
    # the Latin acronym keeps its order too
    latin = "".join(c["text"] for c in chars if c["text"].isascii() and c["text"].isalnum())
    assert "EASI50" in latin
    # and the number sits to the left of the first word (it comes later in reading order)
    assert xs[3] < rightmost[0]["x0"]


@pytest.mark.parametrize("text, rtl", [
    ("در این مطالعه ۳۴ بزرگسال و ۱۰ درصد بیماران", True),  # Persian text: CLDR's 'arabext' digits
    ("about ۳۴ adults and ۱۰ in ۲۰ children", False),  # an English stand-in of a Persian document
])
def test_extended_arabic_indic_digits_read_left_to_right(text, rtl):
    """Persian digits are Arabic script, which HarfBuzz shapes right to left, but European
    numbers to bidi: whatever the line's direction, ۳۴ is drawn ۳ then ۴, left to right."""
    pdf, _ = _render_line(text, "fa", rtl=rtl)
    chars = _lines(pdf.pages[0])[0]
    digits = [(c["x0"], c["text"]) for c in chars if unicodedata.category(c["text"][:1]) == "Nd"]
    drawn = "".join(text for _, text in sorted(digits))
    numbers = [n for n in "".join(ch if ch.isdigit() else " " for ch in text).split()]
    expected = "".join(numbers if not rtl else reversed(numbers))
    assert drawn == expected


def test_arabic_handout_heading_reads_right_to_left(built):
    with pdfplumber.open(built / "ar" / "atopic-dermatitis-handout-a4.pdf") as pdf:
        page = pdf.pages[0]
        title = _lines(page)[0]
        words = _words(title)
        assert _nfkc("".join(c["text"] for c in reversed(words[-1]))) == "التهاب"  # first word, rightmost
        # "(الإكزيما)" ends the line on the left: its last character, ")", is drawn mirrored as "(" there
        # and extracts as the ")" of the logical text (after the invisible bidi marks for MuPDF)
        assert "".join(c["text"] for c in words[0] if unicodedata.category(c["text"]) != "Cf").startswith(")")
        assert page.width - words[-1][-1]["x1"] < 60  # right-aligned: at the margin (up to 16 mm + bearing)


def test_chinese_lines_never_start_with_closing_or_end_with_opening_punctuation(built):
    checked = 0
    for paper in ("a4", "letter"):
        with pdfplumber.open(built / "zh-Hans" / f"atopic-dermatitis-handout-{paper}.pdf") as pdf:
            for page in pdf.pages:
                for line in _lines(page, max_bottom=page.height - 60):
                    assert line[0]["text"] not in CLOSING, "".join(c["text"] for c in line)
                    assert line[-1]["text"] not in OPENING, "".join(c["text"] for c in line)
                    checked += 1
    assert checked > 80


def test_kinsoku_moves_punctuation_with_the_previous_character():
    """Where a line would start with '，', the previous character moves down with it."""
    typesetter = Typesetter(stack_for("zh"))
    style = TextStyle(12, 15, black)
    text = "一二三四五六七八九十，一二三"
    width = typesetter.width(typesetter.chars([Run("一二三四五六七八九十")], style)) + 0.5
    lines = typesetter.lines([Run(text)], style, width)
    assert all("".join(c.ch for c in line.chars)[0] not in CLOSING for line in lines)
    assert "".join(c.ch for c in lines[0].chars) == "一二三四五六七八九"


@pytest.mark.parametrize("tag, lang, slot, typeface, rtl", [
    ("zh-Hans", "zh-CN", "ea", "Noto Sans SC", False), ("ko", "ko-KR", "ea", "Noto Sans KR", False),
    ("ar", "ar-EG", "cs", "Noto Sans Arabic", True), ("hi", "hi-IN", "cs", "Noto Sans Devanagari", False),
    ("ru", "ru-RU", "latin", "Noto Sans", False), ("vi", "vi-VN", "latin", "Noto Sans", False),
    ("fr", "fr-FR", "latin", "Noto Sans", False), ("de", "de-DE", "latin", "Noto Sans", False),
    ("es", "es-ES", "latin", "Noto Sans", False), ("en", "en-US", "latin", "Noto Sans", False),
])
def test_deck_language_font_slots_and_direction(built, tag, lang, slot, typeface, rtl):
    prs = Presentation(str(built / tag / "atopic-dermatitis-slides.pptx"))
    assert prs.core_properties.language == lang
    body = prs.slides[2].placeholders[1].text_frame  # learning objectives
    for paragraph in body.paragraphs:
        ppr = paragraph._p.find("a:pPr", NS)
        assert (ppr is not None and ppr.get("rtl") == "1" and ppr.get("algn") == "r") == rtl
        for run in paragraph.runs:
            rpr = run._r.find("a:rPr", NS)
            assert rpr.get("lang") == lang
            # a run names a typeface only where the theme's font for the script is not the one needed;
            # a stretch the script's font has no glyphs for (Latin, parentheses) names Noto Sans
            text = run.text
            expected = typeface if slot == "latin" or any(
                family_covering((stack_for(tag)[0],), ch) and not ch.isascii() for ch in text) else None
            if expected:
                assert _typeface(rpr, slot, tag) == expected, text
            else:
                assert _typeface(rpr, slot, tag) in (typeface, "Noto Sans"), text
            assert _typeface(rpr, "latin", tag) == "Noto Sans"


def _typeface(rpr, slot: str, tag: str) -> str:
    from leaflets.render.deck_template import DeckTemplate
    own = rpr.find(f"a:{slot}", NS)
    if own is not None:
        return own.get("typeface")
    theme = DeckTemplate().theme_fonts()
    script = script_fonts(tag).theme_script
    return (theme.get(script) if script and slot != "latin" else None) or theme[slot]


# Persian and Urdu are written in Arabic script, Marathi and Nepali in Devanagari: decks
# get the script's font in its slot, as the handout does, on any template.
SCRIPT_DECKS = [("fa", "درمان با سلول بنیادی هنوز آزمایشی است", "Noto Sans Arabic"),
                ("ur", "اسٹیم سیل کا علاج ابھی تجرباتی ہے", "Noto Sans Arabic"),
                ("mr", "स्टेम सेल उपचार अजून प्रायोगिक आहे", "Noto Sans Devanagari"),
                ("ne", "स्टेम सेल उपचार अझै प्रयोगात्मक छ", "Noto Sans Devanagari")]


@pytest.mark.parametrize("tag, sentence, typeface", SCRIPT_DECKS)
def test_deck_font_slot_follows_the_script_not_the_language(loaded, tmp_path, tag, sentence, typeface):
    """A deck of a language no catalog ships (English stand-ins, one slide in the language)
    gets the script's font in ``a:cs``, as LibreOffice reads it (the run's own, else the theme's
    slot): named on the run on a presenter's template (PowerPoint's stock one: Calibri, no
    complex-script font) and, for Devanagari, on the project's (whose cs slot is Arabic); the
    handout draws the same text with the same family."""
    from dataclasses import replace

    from leaflets.document import Span
    from leaflets.i18n.catalog import Translations
    from leaflets.render.deck_template import DeckTemplate
    from leaflets.render.pptx import render_deck

    assert stack_for(tag)[0].name == typeface  # the handout's family for the script
    document = localize(loaded, tag, Translations(file=f"locales/{tag}.po"), allow_incomplete=True)
    slides = list(document.deck.slides)
    index = next(i for i, s in enumerate(slides) if s.kind == "bullets")
    slides[index] = replace(slides[index], bullets=((Span(sentence),),))
    document = replace(document, deck=replace(document.deck, slides=tuple(slides)))
    office = tmp_path / "office.pptx"
    Presentation().save(str(office))
    for template in (office, None):
        buffer = io.BytesIO()
        render_deck(document, buffer, template=template)
        theme = DeckTemplate(template).theme_fonts()
        prs = Presentation(buffer)
        runs = [r for slide in prs.slides for shape in slide.placeholders if shape.has_text_frame
                for p in shape.text_frame.paragraphs for r in p.runs if r.text == sentence]
        assert runs, (tag, template)
        for run in runs:
            rpr = run._r.find("a:rPr", NS)
            own = rpr.find("a:cs", NS)
            assert (own.get("typeface") if own is not None else theme.get("cs")) == typeface, (tag, template)
            assert (own is not None) == (theme.get("cs") != typeface)  # named only where the theme lacks it
            assert rpr.find("a:ea", NS) is None and rpr.find("a:latin", NS) is None
            assert rpr.get("lang") == document.office_lang
