"""Page flow of the laid-out handout, read back from the PDF with pdfplumber.

Lines are classified by how they are drawn: headings are bold, accent- or
warning-coloured and larger than body text; list items start with a bullet;
the footer lies below the footer rule.  Every shipped locale and both papers
are checked (English stands in where a catalog is not translated yet).
"""

from __future__ import annotations

import dataclasses
import io

import pdfplumber
import pytest
from babel import Locale
from reportlab.lib.units import mm

from leaflets.build import load_translations
from leaflets.design import DEFAULT_DESIGN
from leaflets.localize import localize
from leaflets.render import pdf
from leaflets.render.fontset import shipped_fonts

PAPERS = ("a4", "letter")
HEADING_COLOURS = {(0.043137, 0.364706, 0.419608), (0.705882, 0.137255, 0.094118)}  # ACCENT, get-help red


@dataclasses.dataclass
class Line:
    page: int
    top: float
    x0: float
    x1: float
    page_width: float
    text: str
    kind: str  # heading, bullet, body
    indented: bool = False  # starts in from the frame's start edge: a wrapped list item, a box


BULLETS = {"•", "·"}  # CJK fonts map the bullet glyph to the middle dot


def _classify(line: dict, boxes: list[dict]) -> str:
    """A list item starts with a bullet or beside a drawn tick box."""
    chars = [c for c in line["chars"] if c["text"].strip()]
    if any(c["text"] in BULLETS for c in (chars[0], chars[-1])):
        return "bullet"
    if any(line["top"] <= (box["top"] + box["bottom"]) / 2 <= line["bottom"] for box in boxes):
        return "bullet"
    colour = tuple(round(v, 6) for v in (chars[0].get("non_stroking_color") or ()))
    if "Bold" in chars[0]["fontname"] and chars[0]["size"] >= 10.5 and colour in HEADING_COLOURS:
        return "heading"
    return "body"


def _footer_rule(page) -> float:
    """The top of the footer: the lowest rule that spans most of the page."""
    rules = [ln for ln in page.lines if ln["x1"] - ln["x0"] > 0.7 * page.width]
    return max(ln["top"] for ln in rules)


def read_layout(data: bytes, rtl: bool = False) -> tuple[list[Line], list[dict]]:
    """Body lines in reading order, and the footer's characters with their page size."""
    body, footer = [], []
    with pdfplumber.open(io.BytesIO(data)) as document:
        for number, page in enumerate(document.pages, start=1):
            rule = _footer_rule(page)
            boxes = [r for r in page.rects if r["width"] < 10 and abs(r["width"] - r["height"]) < 0.5]
            for line in page.extract_text_lines(strip=True, return_chars=True):
                if not line["text"].strip():
                    continue
                if line["top"] > rule:
                    footer += [dict(c, page_width=page.width, page_height=page.height) for c in line["chars"]
                               if c["text"].strip()]
                else:
                    body.append(Line(number, line["top"], line["x0"], line["x1"], page.width, line["text"],
                                     _classify(line, boxes)))
    for number in {line.page for line in body}:
        lines = [line for line in body if line.page == number]
        start = max(line.x1 for line in lines) if rtl else min(line.x0 for line in lines)
        for line in lines:
            line.indented = (start - line.x1 if rtl else line.x0 - start) > 3
    return body, footer


@pytest.fixture(scope="module")
def layouts(built, shipped) -> dict:
    """Every shipped locale on both papers, read back from the session's build (the handouts
    other modules read too; the date a build stamps on a file moves nothing on its pages)."""
    out = {}
    for tag in shipped:
        rtl = Locale.parse(tag, sep="-").text_direction == "rtl"  # as the localizer sets it
        for paper in PAPERS:
            data = (built / tag / f"atopic-dermatitis-handout-{paper}.pdf").read_bytes()
            with pdfplumber.open(io.BytesIO(data)) as document:
                pages = len(document.pages)
            out[tag, paper] = (pages, *read_layout(data, rtl))
    return out


def _cases(layouts):
    return sorted(layouts)


def test_every_handout_is_two_pages(layouts):
    assert {key: pages for key, (pages, _, _) in layouts.items() if pages != DEFAULT_DESIGN.page_limit} == {}


def test_no_heading_is_last_on_a_page(layouts):
    for key, (_, body, _) in layouts.items():
        for page in {line.page for line in body}:
            lines = [line for line in body if line.page == page]
            assert lines[-1].kind != "heading", (key, page, lines[-1].text)


def test_a_list_introduction_stays_with_its_first_two_items(layouts):
    checked = 0
    for key, (_, body, _) in layouts.items():
        for index, line in enumerate(body[:-1]):
            if line.kind == "body" and not line.indented and body[index + 1].kind == "bullet":
                items = [b for b in body[index + 1:] if b.kind == "bullet"][:2]
                assert all(item.page == line.page for item in items), (key, line.text, [i.text for i in items])
                checked += 1
    assert checked >= 3 * len(layouts)  # treatments, questions to ask, closing: in every handout


def test_footer_text_is_at_least_10_mm_from_every_edge(layouts):
    for key, (_, _, footer) in layouts.items():
        assert footer, key
        for char in footer:
            assert char["page_height"] - char["bottom"] >= 10 * mm - 0.01, (key, char["text"])
            assert char["x0"] >= 10 * mm - 0.01 and char["page_width"] - char["x1"] >= 10 * mm - 0.01, key


def test_a4_and_letter_share_a_density(layouts, project, loaded, shipped):
    for tag in shipped:
        a4 = [line for line in layouts[tag, "a4"][1] if line.page == 1][0]
        letter = [line for line in layouts[tag, "letter"][1] if line.page == 1][0]
        # the same margin (so the same density): the start side of the title line
        if localize(loaded, tag, load_translations(project, tag), allow_incomplete=True).direction == "rtl":
            assert a4.page_width - a4.x1 == pytest.approx(letter.page_width - letter.x1, abs=0.01), tag
        else:
            assert a4.x0 == pytest.approx(letter.x0, abs=0.01), tag


def test_titles_never_end_with_a_lone_word(layouts, project, loaded):
    document = localize(loaded, "en", load_translations(project, "en"))
    ts = pdf.Typesetter(pdf.stack_for("en"))
    style = pdf.make_styles(DEFAULT_DESIGN, DEFAULT_DESIGN.variant.densities[0]).title
    title = [pdf.Run("Atopic dermatitis and what the newest research on stem cells shows")]
    width = ts.lines(title, style, 10_000)[0].width - 1  # one word too narrow: greedy lines leave it alone
    assert pdf._words(ts.lines(title, style, width)[-1]) == 1
    assert pdf._words(pdf.balanced_lines(ts, title, style, width)[-1]) >= 2
    for key, (_, body, _) in layouts.items():
        if key[0] in ("zh-Hans", "ko"):  # no spaces between words
            continue
        titles = [line for line in body if line.page == 1][:4]
        heads = [line for line in titles if line.kind == "heading"]
        if len(heads) > 1:
            assert len(heads[-1].text.split()) >= 2, (key, heads[-1].text)
    assert document.handout.title


def test_references_are_8_point_with_a_hanging_indent_and_may_split(project, loaded):
    document = localize(loaded, "en", load_translations(project, "en"))
    many = document.handout.references * 8
    long = dataclasses.replace(document, handout=dataclasses.replace(document.handout, references=many))
    buffer = io.BytesIO()
    pages = pdf.render_handout(long, buffer, "a4", enforce_limit=False)
    assert pages > DEFAULT_DESIGN.page_limit
    with pdfplumber.open(io.BytesIO(buffer.getvalue())) as result:
        last = result.pages[-1]
        words = last.extract_words(extra_attrs=["size"])
        numbers = [w for w in words if w["text"].rstrip(".").isdigit() and w["text"].endswith(".")]
        assert numbers, "references continue on the last page"
        assert min(w["size"] for w in words if w["top"] < _footer_rule(last)) >= 8 - 1e-6
        # hanging indent: text lines of an entry start right of its number
        lines = last.extract_text_lines(return_chars=True)
        starts = {round(line["chars"][0]["x0"]) for line in lines if line["top"] < _footer_rule(last)}
        column_lefts = {round(w["x0"]) for w in numbers}
        indent = DEFAULT_DESIGN.type.handout.reference_indent
        assert any(any(0 < s - c <= indent + 1 for c in column_lefts) for s in starts)
        assert {w["x0"] < last.width / 2 for w in numbers} == {True, False}  # two columns


def test_density_is_chosen_by_measuring_and_the_handout_laid_out_once(project, loaded, monkeypatch):
    document = localize(loaded, "en", load_translations(project, "en"))
    calls = []
    build = pdf._build
    monkeypatch.setattr(pdf, "_build", lambda *args: calls.append(args[3].name) or build(*args))
    pdf.render_handout(document, io.BytesIO(), "letter")
    pdf.render_handout(document, io.BytesIO(), "a4")
    assert len(calls) == 2 and calls[0] == calls[1] == pdf.choose_density(document, DEFAULT_DESIGN).name


def _violations(data: bytes) -> list[str]:
    body, _ = read_layout(data)
    found = []
    for page in {line.page for line in body}:
        lines = [line for line in body if line.page == page]
        if lines[-1].kind == "heading":
            found.append(f"heading last on page {page}: {lines[-1].text}")
    for index, line in enumerate(body[:-1]):
        if line.kind == "body" and not line.indented and body[index + 1].kind == "bullet":
            items = [b for b in body[index + 1:] if b.kind == "bullet"][:2]
            if not all(item.page == line.page for item in items):
                found.append(f"introduction apart from its items: {line.text}")
    return found


@pytest.mark.parametrize("filler", [5, 6])
def test_page_breaks_that_used_to_strand_headings_and_introductions(project, loaded, filler):
    """Regression (issue 8): with the old story (keepWithNext on headings, list items loose),
    pushing the English text down by a few paragraphs left a heading last on a page and a
    treatment-list introduction on the page before its items, at these densities."""
    from leaflets.document import Paragraph, Span
    document = localize(loaded, "en", load_translations(project, "en"))
    blocks = list(document.handout.blocks)
    blocks[1:1] = [Paragraph((Span("Filler line to move the page break. " * 3),))] * filler
    moved = dataclasses.replace(document, handout=dataclasses.replace(document.handout, blocks=tuple(blocks)))
    for paper in PAPERS:
        for density in DEFAULT_DESIGN.variant.densities[:2]:
            buffer = io.BytesIO()
            pdf._build(moved, buffer, paper, density, DEFAULT_DESIGN, True, shipped_fonts())
            assert _violations(buffer.getvalue()) == [], (paper, density.name)


def reference_places(data: bytes) -> list[set[tuple[int, bool]]]:
    """For each reference entry, in order: the (page, right half?) places its text is drawn in,
    from its LBody element's marked content."""
    import pikepdf

    from tests.render.test_pdf_tags import content_items, role, struct_tree
    with pikepdf.open(io.BytesIO(data)) as tagged:
        references = [e for e, _ in struct_tree(tagged) if role(e) == "L"][-1]
        bodies = []
        for item in (kid for kind, kid in (i[:2] for i in content_items(tagged, references)) if kind == "elem"):
            body = next(kid for kind, kid in (i[:2] for i in content_items(tagged, item))
                        if kind == "elem" and role(kid) == "LBody")
            marks, stack = set(), [body]
            while stack:
                for found in content_items(tagged, stack.pop()):
                    if found[0] == "mcid":
                        marks.add(found[1:])
                    elif found[0] == "elem":
                        stack.append(found[1])
            bodies.append(marks)
    with pdfplumber.open(io.BytesIO(data)) as result:
        return [{(page, char["x0"] > result.pages[page].width / 2) for page, mcid in marks
                 for char in result.pages[page].chars if char.get("mcid") == mcid} for marks in bodies]


@pytest.mark.parametrize("filler", [0, 6, 9, 15])
def test_a_reference_is_never_split_across_columns_or_pages(project, loaded, filler):
    """The reference columns break between entries: pushed down by filler text, reference 5 (6)
    and references 3 and 6 (9) of the English handout were split across columns or pages."""
    from leaflets.document import Paragraph, Span
    for tag in ("en", "ar"):
        document = localize(loaded, tag, load_translations(project, tag))
        filled = Paragraph((Span(" ".join(["Moisturise every day."] * (40 + filler * 4))),))
        moved = dataclasses.replace(document, handout=dataclasses.replace(
            document.handout, blocks=document.handout.blocks + ((filled,) if filler else ())))
        buffer = io.BytesIO()
        pdf.render_handout(moved, buffer, "a4", enforce_limit=False)
        places = reference_places(buffer.getvalue())
        assert len(places) == len(document.handout.references)
        assert [n for n, place in enumerate(places, start=1) if len(place) != 1] == [], (tag, filler)


def test_shipped_handouts_keep_every_reference_in_one_column(built, shipped):
    for tag in shipped:
        for paper in PAPERS:
            data = (built / tag / f"atopic-dermatitis-handout-{paper}.pdf").read_bytes()
            assert all(len(place) == 1 for place in reference_places(data)), (tag, paper)


def test_arabic_reference_columns_run_right_to_left_and_read_in_order(built, project, loaded):
    """In Arabic the first column is the right one, and extractors that follow columns read the
    references 1 to 11 in order (poppler read the right column, 7 to 11, first)."""
    import re
    import subprocess

    from pypdf import PdfReader

    from tests.conftest import require_tool
    document = localize(loaded, "ar", load_translations(project, "ar"))
    count = len(document.handout.references)
    for paper in PAPERS:
        path = built / "ar" / f"atopic-dermatitis-handout-{paper}.pdf"
        places = reference_places(path.read_bytes())
        assert all(right for place in places[:2] for _, right in place)  # the first entries: right column
        assert not any(right for place in places[-2:] for _, right in place)
        require_tool("pdftotext")
        texts = {"pdftotext": subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True,
                                             text=True, check=True).stdout,
                 "pypdf": "\n".join(page.extract_text() for page in PdfReader(path).pages)}
        labels = [document.footer.number(n) + "." for n in range(1, count + 1)]
        for extractor, text in texts.items():
            # each entry's label, as drawn at the start of its line (bidi marks around the number;
            # pypdf reads a space before the full stop)
            marks = "\u061c\u202a-\u202e\u200e\u200f"
            found = re.findall(rf"^\s*[{marks}]*([٠-٩]+)[{marks} ]*\.", text, re.M)
            assert [f"{n}." for n in found][-count:] == labels, (extractor, paper)

