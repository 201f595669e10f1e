"""The PDF handout: text, fonts, metadata, page count, and safe markup."""

from __future__ import annotations

import datetime as dt
import io

import pdfplumber
import pytest
from pypdf import PdfReader

from leaflets.build import load_translations
from leaflets.document import Paragraph, Span, plain
from leaflets.localize import localize
from leaflets.design import DEFAULT_DESIGN
from leaflets.render.pdf import render_handout

STANDARD_14 = {"Courier", "Helvetica", "Times-Roman", "Symbol", "ZapfDingbats", "Times", "Helvetica-Bold"}


def _pdf(built, tag, paper="a4"):
    return built / tag / f"atopic-dermatitis-handout-{paper}.pdf"


def _text(path) -> str:
    with pdfplumber.open(path) as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages)


def _fonts(path) -> list[tuple[str, bool]]:
    reader = PdfReader(path)
    found = []
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font.get("/FontDescriptor")
            if descriptor is None and "/DescendantFonts" in font:
                descriptor = font["/DescendantFonts"][0].get_object().get("/FontDescriptor")
            embedded = descriptor is not None and any(k in descriptor.get_object() for k in ("/FontFile2", "/FontFile3", "/FontFile"))
            found.append((str(font["/BaseFont"]), embedded))
    return found


@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_spanish_handout_text(built, project, paper):
    text = " ".join(_text(_pdf(built, "es", paper)).split())
    catalog = load_translations(project, "es")
    for english in ("What is atopic dermatitis?", "Talk to your doctor or nurse", "References"):
        assert catalog.lookup(english) in text
    assert "12 semanas" in text  # the phase III follow-up, worded by CLDR
    assert "Página 1 de 2" in text


def test_english_handout_text(built):
    text = _text(_pdf(built, "en")).replace("\n", " ")
    assert "What is atopic dermatitis?" in text
    assert "about 4 in 5 no longer have it" in text and "%" not in text.split("References")[0]
    assert "no approved stem cell treatment for eczema" in text
    assert "Page 1 of 2" in text and "Page 2 of 2" in text
    assert "doi:10.1002/stem.2401" in text


@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_page_count_within_limit(built, shipped, paper):
    for tag in shipped:
        pages = len(PdfReader(_pdf(built, tag, paper)).pages)
        assert 1 <= pages <= DEFAULT_DESIGN.page_limit, (tag, paper, pages)


def test_page_sizes(built):
    assert [round(float(v)) for v in PdfReader(_pdf(built, "en", "a4")).pages[0].mediabox[2:]] == [595, 842]
    assert [round(float(v)) for v in PdfReader(_pdf(built, "en", "letter")).pages[0].mediabox[2:]] == [612, 792]


def test_every_font_is_embedded_and_none_is_standard_14(built, shipped):
    for tag in shipped:
        fonts = _fonts(_pdf(built, tag))
        assert fonts
        for name, embedded in fonts:
            assert embedded, (tag, name)
            assert name.split("+")[-1] not in STANDARD_14, (tag, name)
            assert "+" in name, f"{name} is not subset"


def test_metadata(built, project):
    reader = PdfReader(_pdf(built, "es"))
    info = reader.metadata
    assert info.title == load_translations(project, "es").lookup("Atopic dermatitis (eczema)")
    assert info.subject and info.author == "leaflets content team"
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "es"
    assert root["/ViewerPreferences"]["/DisplayDocTitle"] == True  # noqa: E712 (pypdf BooleanObject)


def test_body_text_is_at_least_12_points(built):
    with pdfplumber.open(_pdf(built, "en")) as pdf:
        words = pdf.pages[0].extract_words(extra_attrs=["size"])
    body = [w for w in words if w["text"] == "Atopic" or w["text"] == "eczema."]
    assert body and min(round(w["size"], 1) for w in words if w["text"] in ("Dry", "skin")) >= 12


def test_markup_in_translations_is_escaped(project, loaded, tmp_path):
    """A hostile translation cannot inject ReportLab tags (img, a href, font)."""
    doc = localize(loaded, "en", load_translations(project, "en"))
    evil = '<img src="/etc/passwd"/> <a href="file:///etc/passwd">x</a> & <font size=80>big</font>'
    blocks = (Paragraph((Span(evil),)),) + doc.handout.blocks
    doc = type(doc)(**{**doc.__dict__, "handout": type(doc.handout)(**{**doc.handout.__dict__, "blocks": blocks})})
    out = io.BytesIO()
    render_handout(doc, out, "a4")
    with pdfplumber.open(io.BytesIO(out.getvalue())) as pdf:
        text = pdf.pages[0].extract_text()
    assert '<img src="/etc/passwd"/>' in text
    assert '<font size=80>big</font>' in text


@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_the_renderer_reports_the_pages_each_place_is_drawn_on(project, loaded, paper):
    """``drawn`` comes from the layout itself (the tagged structure records each mark's page);
    the text of the PDF agrees: every heading is on the page reported for it."""
    from leaflets.document import Heading, Place, plain
    document = localize(loaded, "de", load_translations(project, "de"))
    drawn: dict = {}
    buffer = io.BytesIO()
    pages = render_handout(document, buffer, paper, drawn=drawn)
    handout = document.handout
    expected = {Place("handout", part) for part in ("title", "subtitle", "audience", "key_message", "not_advice",
                                                     "references", "footer")}
    expected |= {Place("handout", "block", index) for index in range(len(handout.blocks))}
    assert set(drawn) == expected
    assert drawn[Place("handout", "footer")] == tuple(range(1, pages + 1))
    assert drawn[Place("handout", "title")] == (1,)
    assert all(drawn[place] and set(drawn[place]) <= set(range(1, pages + 1)) for place in expected)
    firsts = [drawn[Place("handout", "block", index)][0] for index in range(len(handout.blocks))]
    assert firsts == sorted(firsts) and firsts[-1] == pages  # blocks in order, over every page
    buffer.seek(0)
    with pdfplumber.open(buffer) as pdf:
        text = [" ".join((page.extract_text() or "").split()) for page in pdf.pages]
    for index, block in enumerate(handout.blocks):
        if isinstance(block, Heading):
            (page,) = drawn[Place("handout", "block", index)]
            assert plain(block.text) in text[page - 1]
            assert all(plain(block.text) not in other for n, other in enumerate(text, 1) if n != page)


def _cited_blocks(doc):
    """(inline, citations) of every text that ends in a citation."""
    from leaflets.document import Box, BulletList
    h = doc.handout
    out = [(h.key_message.text, h.key_message.citations)] if h.key_message.citations else []
    for block in h.blocks:
        if isinstance(block, (BulletList, Box)) and block.citations:
            out.append((block.items[-1], block.citations))
        elif getattr(block, "citations", ()):
            out.append((block.text, block.citations))
    return out


@pytest.mark.parametrize("tag", ["en", "ar", "zh-Hans", "ko", "hi", "de"])
def test_a_citation_never_starts_a_line(project, loaded, tag):
    """A citation is joined to the word before it by a narrow no-break space: at any measure
    it ends that word's line.  (zh-Hans A4 page 1 had a citation on a line of its own: a
    line may break after "。", and the thin space before the citation allowed it.)"""
    from leaflets.render.fonts import stack_for
    from leaflets.render.pdf import make_styles, runs
    from leaflets.render.textlayout import Typesetter

    doc = localize(loaded, tag, load_translations(project, tag))
    ts = Typesetter(stack_for(tag), rtl=doc.direction == "rtl")
    style = make_styles(DEFAULT_DESIGN, DEFAULT_DESIGN.variant.densities[0]).body
    cited = _cited_blocks(doc)
    assert len(cited) >= 8
    for inline, citations in cited:
        text_runs = runs(inline, citations, doc.footer)
        for width in range(120, 540, 9):
            for line in ts.lines(text_runs, style, width)[1:]:
                assert not line.chars[0].rise and line.chars[0].ch != "\u202f", (tag, width, plain(inline)[-30:])


def test_a_citation_is_a_reference_element_a_screen_reader_announces(built):
    """Each citation is a Reference element (inline, in its paragraph or list item) whose Alt
    says what it is in the document's language ("Sources: 1"), not a bare "1" after a word."""
    import pikepdf

    from tests.render.test_pdf_tags import BIDI_MARKS, element_text, mcid_texts, role, struct_tree
    for tag, label in (("en", "Sources: "), ("es", "Fuentes: "), ("ar", "المصادر: ")):
        doc = localize_cached(tag)
        cited = _cited_blocks(doc)
        path = _pdf(built, tag)
        texts = mcid_texts(path)
        with pikepdf.open(path) as pdf:
            found = [(role(e.P), str(e.Alt), element_text(pdf, e, texts)) for e, _ in struct_tree(pdf)
                     if role(e) == "Reference"]
        assert len(found) == len(cited)
        for (parent, alt, text), (_, citations) in zip(found, cited):
            numbers = [doc.footer.number(n) for n in citations]
            assert parent in ("P", "LBody") and alt == label + ", ".join(numbers)
            drawn, want = text.translate(BIDI_MARKS).strip(), ",".join(numbers)
            assert sorted(drawn) == sorted(want) if doc.direction == "rtl" else drawn == want  # RTL: drawn in visual order


def localize_cached(tag):
    from tests.render.test_pdf_text import document
    return document(tag)


def test_the_pdf_is_dated_as_asked_whatever_the_environment_says(project, loaded, monkeypatch):
    """ReportLab dates a PDF from SOURCE_DATE_EPOCH (and fails on 'abc'); a handout is dated
    ``created``, or now, and the same date gives the same bytes."""
    document = localize(loaded, "en", load_translations(project, "en"))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "abc")
    when = dt.datetime(2027, 6, 1, 12, 30, tzinfo=dt.timezone.utc)
    first, again, undated = io.BytesIO(), io.BytesIO(), io.BytesIO()
    render_handout(document, first, "a4", created=when)
    render_handout(document, again, "a4", created=when)
    assert b"/CreationDate (D:20270601123000+00'00')" in first.getvalue()
    assert first.getvalue() == again.getvalue()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    render_handout(document, undated, "a4")
    assert b"D:2026010100" not in undated.getvalue() and b"D:2027" not in undated.getvalue()
