"""Tagged PDF/UA-1: checkers, structure tree integrity, reading order, artifacts, links, outline, metadata."""

from __future__ import annotations

import io
import re
import unicodedata
from collections import Counter
from dataclasses import replace

import page as page_validation
import pdfplumber
import pdfua
import pikepdf
import pytest

from leaflets.document import Box, BulletList, Callout, Heading, Paragraph, Span, plain
from leaflets.render.pdf import WEB_ADDRESS, render_handout
from tests.render.test_pdf_text import LOCALES, body_text, document, handout

STRUCTURE_LOCALES = ["en", "ar", "hi", "zh-Hans"]
PAPERS = ("a4", "letter")


# ---------------------------------------------------------------- helpers
def struct_tree(pdf: pikepdf.Pdf):
    """(element, depth) for every structure element, in structure (reading) order."""
    out = []

    def walk(elem, depth):
        out.append((elem, depth))
        kids = elem.get("/K")
        if kids is None:
            return
        for kid in (kids if isinstance(kids, pikepdf.Array) else [kids]):
            if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") not in ("/MCR", "/OBJR"):
                walk(kid, depth + 1)
    walk(pdf.Root.StructTreeRoot.K, 0)
    return out


def content_items(pdf: pikepdf.Pdf, elem):
    """An element's own kids in order: ("mcid", page index, mcid) and ("objr", annotation)."""
    pages = {page.obj.objgen: index for index, page in enumerate(pdf.pages)}
    kids = elem.get("/K")
    items = []
    for kid in (kids if isinstance(kids, pikepdf.Array) else [kids]):
        if isinstance(kid, int):
            items.append(("mcid", pages[elem.Pg.objgen], int(kid)))
        elif kid.get("/Type") == "/MCR":
            items.append(("mcid", pages[kid.Pg.objgen], int(kid.MCID)))
        elif kid.get("/Type") == "/OBJR":
            items.append(("objr", kid.Obj))
        else:
            items.append(("elem", kid))
    return items


def role(elem) -> str:
    return str(elem.S)[1:]


def _to_unicode(font) -> dict[int, str]:
    cmap = font.ToUnicode.read_bytes().decode("latin-1")
    return {int(code, 16): bytes.fromhex(text).decode("utf-16-be")
            for block in re.findall(r"beginbfchar(.*?)endbfchar", cmap, re.S)
            for code, text in re.findall(r"<([0-9A-F]{2})> <([0-9A-F]+)>", block)}


def marked_text(path):
    """Text per marked-content sequence as an ActualText-aware reader sees it:
    ((page, MCID) -> text, page -> artifact text, page -> text outside any marked content)."""
    source = path.getvalue() if isinstance(path, io.BytesIO) else path
    mcids: dict[tuple[int, int], str] = {}
    artifacts: dict[int, str] = {}
    loose: dict[int, str] = {}
    with pikepdf.open(io.BytesIO(source) if isinstance(source, bytes) else source) as pdf:
        for index, page in enumerate(pdf.pages):
            fonts = {name: _to_unicode(font) for name, font in page.Resources.Font.items()}
            font: dict[int, str] = {}
            stack: list[list] = []  # [kind, mcid, actual text, collected]
            for operands, operator in pikepdf.parse_content_stream(page):
                op = str(operator)
                if op in ("BDC", "BMC"):
                    props = operands[1] if op == "BDC" else None
                    mcid = props.get("/MCID") if isinstance(props, pikepdf.Dictionary) else None
                    actual = props.get("/ActualText") if isinstance(props, pikepdf.Dictionary) else None
                    stack.append([str(operands[0]), mcid, None if actual is None else str(actual), []])
                elif op == "EMC":
                    kind, mcid, actual, collected = stack.pop()
                    text = actual if actual is not None else "".join(collected)
                    if mcid is not None:
                        mcids[(index, int(mcid))] = text
                    elif kind == "/Artifact" and not stack:
                        artifacts[index] = artifacts.get(index, "") + text
                    if stack:
                        stack[-1][3].append(text)
                elif op == "Tf":
                    font = fonts[str(operands[0])]
                elif op in ("Tj", "TJ"):
                    strings = operands[0] if op == "TJ" else [operands[0]]
                    text = "".join(font.get(byte, "\ufffd") for string in strings
                                   if isinstance(string, pikepdf.String) for byte in bytes(string))
                    if stack:
                        stack[-1][3].append(text)
                    else:
                        loose[index] = loose.get(index, "") + text
    return mcids, artifacts, loose


def mcid_texts(path) -> dict[tuple[int, int], str]:
    return marked_text(path)[0]


def element_text(pdf, elem, texts) -> str:
    out = []
    for item in content_items(pdf, elem):
        if item[0] == "mcid":
            out.append(texts.get(item[1:], ""))
        elif item[0] == "elem":
            out.append(element_text(pdf, item[1], texts))
    return "".join(out)


BIDI_MARKS = dict.fromkeys(map(ord, "\u061c\u200f\u202c"))


def squeeze(text: str) -> str:
    """NFC without white space and without the invisible bidi marks the text layer writes for
    extractors: the right-to-left marks ActualText adds for poppler's bidi after numbers in
    Arabic (see pdftext._ends_left_to_right), and the marks between the runs of a right-to-left
    line and around a number for pypdf and MuPDF (see pdftext._Runs and _emit_units)."""
    return "".join(unicodedata.normalize("NFC", text.translate(BIDI_MARKS)).split())


def expected_elements(doc) -> list[tuple[str, str]]:
    """(role, text) of the leaf elements a handout must have, in reading order."""
    h, footer = doc.handout, doc.footer

    def cited(inline, citations):
        return plain(inline) + ("\u2009" + ",".join(footer.number(n) for n in citations) if citations else "")

    def items(block, checkbox):
        out = []
        for i, item in enumerate(block.items):
            out += ([] if checkbox else [("Lbl", "•")])
            out.append(("LBody", cited(item, block.citations if i == len(block.items) - 1 else ())))
        return out

    out = [("H1", h.title), ("P", h.subtitle), ("P", h.audience), ("P", footer.reviewed),
           *(("P", part) for part in footer.notice), ("P", cited(h.key_message.text, h.key_message.citations))]
    level = 1
    for block in h.blocks:
        if isinstance(block, Heading):
            level = block.level
            out.append((f"H{block.level}", plain(block.text)))
        elif isinstance(block, BulletList):
            out += items(block, block.marker == "checkbox")
        elif isinstance(block, Box):
            out.append((f"H{level + 1}", plain(block.title)))
            if block.intro:
                out.append(("P", plain(block.intro)))
            out += items(block, block.tone == "every_day")
            out += [("P", line) for line in contact_paragraphs(block)]
        else:
            out.append(("P", cited(block.text, block.citations)))
    out += [("P", h.not_advice), ("H2", h.references_title)]
    for ref in h.references:
        out += [("Lbl", f"{footer.number(ref.number)}."), ("LBody", ref.text)]
    return out


LEAVES = {"H1", "H2", "H3", "P", "Lbl", "LBody"}


def contact_paragraphs(box) -> list[str]:
    """The whom-to-call lines of a get-help box as the handout sets them: the first line, then
    the others in one paragraph (issue 18)."""
    first, *others = [plain(line) for line in box.contacts] or [""]
    return [text for text in (first, " ".join(others)) if text]


# ------------------------------------------------------------- checkers
@pytest.mark.parametrize("paper", PAPERS)
@pytest.mark.parametrize("tag", LOCALES)
def test_page_validation_ua1_reports_no_failed_rule(built, tag, paper):
    report = page_validation.validate_pdf(str(handout(built, tag, paper)), profile="ua1")
    assert [str(failure) for failure in report.failures] == []
    assert report.is_compliant


@pytest.mark.parametrize("tag", LOCALES)
def test_pdfua_second_opinion_finds_nothing(built, tag):
    for paper in PAPERS:
        report = pdfua.validate(str(handout(built, tag, paper)))
        assert [(f.rule_id, f.message) for f in report.findings] == []
        assert report.exit_code == 0


def test_the_checkers_fail_an_untagged_pdf(tmp_path):
    """The checkers can fail: a plain ReportLab PDF is not PDF/UA."""
    from reportlab.pdfgen import canvas as rl_canvas
    path = tmp_path / "plain.pdf"
    canvas = rl_canvas.Canvas(str(path))
    canvas.drawString(72, 720, "Hello")
    canvas.save()
    assert not page_validation.validate_pdf(str(path), profile="ua1").is_compliant
    assert pdfua.validate(str(path)).exit_code != 0


# ------------------------------------------------------------- structure
@pytest.mark.parametrize("tag", STRUCTURE_LOCALES)
def test_every_mcid_is_reachable_and_the_parent_tree_agrees(built, tag):
    path = handout(built, tag)
    with pikepdf.open(path) as pdf:
        reachable: dict[tuple[int, int], object] = {}
        for elem, _ in struct_tree(pdf):
            for item in content_items(pdf, elem):
                if item[0] == "mcid":
                    assert item[1:] not in reachable, item
                    reachable[item[1:]] = elem
        drawn = set()
        for index, page in enumerate(pdf.pages):
            for operands, operator in pikepdf.parse_content_stream(page):
                if operator == pikepdf.Operator("BDC") and isinstance(operands[1], pikepdf.Dictionary) \
                        and "/MCID" in operands[1]:
                    drawn.add((index, int(operands[1].MCID)))
        assert drawn == set(reachable)
        nums = pdf.Root.StructTreeRoot.ParentTree.Nums
        tree = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
        for index, page in enumerate(pdf.pages):
            assert int(page.StructParents) == index
            assert page.Tabs == "/S"
            for mcid, elem in enumerate(tree[index]):
                assert elem.objgen == reachable[(index, mcid)].objgen
        assert int(pdf.Root.StructTreeRoot.ParentTreeNextKey) == max(tree) + 1


@pytest.mark.parametrize("tag", STRUCTURE_LOCALES)
def test_no_text_is_untagged_and_only_the_footer_is_an_artifact(built, tag):
    footer = document(tag).footer
    footer_text = squeeze("".join([footer.content_version, footer.reviewed, footer.language, *footer.notice,
                                   footer.page_label(1, 2), footer.page_label(2, 2), " · · / "]))
    mcids, artifacts, loose = marked_text(handout(built, tag))
    assert loose == {}
    assert set(artifacts) == {0, 1}
    for page, text in artifacts.items():
        assert not Counter(squeeze(text)) - Counter(footer_text), text
        assert not Counter(squeeze(footer.page_label(page + 1, 2))) - Counter(squeeze(text))
    tagged = squeeze("".join(mcids.values()))
    assert squeeze(footer.content_version) not in tagged
    with pikepdf.open(handout(built, tag)) as pdf:
        for page in pdf.pages:
            depth, marked = 0, 0
            for operands, operator in pikepdf.parse_content_stream(page):
                name = str(operator)
                if name in ("BDC", "BMC"):
                    depth += 1
                elif name == "EMC":
                    depth -= 1
                elif name in ("f", "f*", "S", "B", "b", "re") and depth == 0:
                    pytest.fail(f"painting outside marked content: {name}")
                marked += name == "BDC"
            assert depth == 0 and marked


def footer_chars(path) -> dict[int, list[dict]]:
    """The characters drawn below the footer's rule (the lowest full-width line), by page index."""
    out = {}
    with pdfplumber.open(path) as plumber:
        for index, page in enumerate(plumber.pages):
            rule = max(line["top"] for line in page.lines if line["x1"] - line["x0"] > 0.7 * page.width)
            out[index] = [char for char in page.chars if char["top"] > rule and char["text"].strip()]
    return out


@pytest.mark.parametrize("paper", PAPERS)
@pytest.mark.parametrize("tag", LOCALES)
def test_review_date_and_translation_notice_are_content_at_a_readable_size(built, tag, paper):
    """The review date and the draft-translation notice (in the language and in English) are P
    elements read after the title block, drawn in the first page's footer, and an artifact only
    where later pages repeat them; no footer text is under 9 pt.  Before, the whole footer was an
    artifact, which screen readers skip, at 8.5 pt and the notice at 6.5 to 8 pt."""
    doc = document(tag)
    footer, path = doc.footer, handout(built, tag, paper)
    parts = [footer.reviewed, *footer.notice]
    assert len(footer.notice) == (0 if tag == "en" else 2)  # no catalog is reviewed yet: all drafts
    mcids, artifacts, _ = marked_text(path)
    with pikepdf.open(path) as pdf:
        tree = struct_tree(pdf)
        leaves = [e for e, _ in tree if role(e) in LEAVES]
        audience = next(i for i, e in enumerate(leaves)
                        if Counter(squeeze(element_text(pdf, e, mcids))) == Counter(squeeze(doc.handout.audience)))
        elements = leaves[audience + 1:audience + 1 + len(parts)]
        assert [role(e) for e in elements] == ["P"] * len(parts)
        for elem, part, lang in zip(elements, parts, ("", *footer.notice_langs)):
            got = squeeze(element_text(pdf, elem, mcids))
            assert Counter(got) == Counter(squeeze(part)) if doc.direction == "rtl" else got == squeeze(part)
            assert str(elem.get("/Lang", "")) == (lang if lang and lang != tag else "")
            assert {item[1] for item in content_items(pdf, elem) if item[0] == "mcid"} == {0}  # the first page
    for part in parts:
        assert squeeze(part) not in squeeze(artifacts[0])
        assert Counter(squeeze(part)) <= Counter(squeeze(artifacts[1]))  # printed on every page
    for page, chars in footer_chars(path).items():
        text = squeeze("".join(c["text"] for c in chars))
        assert all(Counter(squeeze(part)) <= Counter(text) for part in parts), page
        assert min(round(c["size"], 2) for c in chars) >= 9, (page, sorted({round(c["size"], 2) for c in chars}))


@pytest.mark.parametrize("tag", STRUCTURE_LOCALES)
def test_structure_order_is_the_reading_order(built, tag):
    """Leaf elements in structure order hold the document's blocks in reading order.  Within an
    element, left-to-right text is compared as drawn; right-to-left text (drawn in visual order)
    as the same characters."""
    doc = document(tag)
    rtl = doc.direction == "rtl"
    path = handout(built, tag)
    texts = mcid_texts(path)
    with pikepdf.open(path) as pdf:
        leaves = [(role(elem), element_text(pdf, elem, texts)) for elem, _ in struct_tree(pdf) if role(elem) in LEAVES]
    expected = expected_elements(doc)
    assert [r for r, _ in leaves] == [r for r, _ in expected]
    for (got_role, got), (_, want) in zip(leaves, expected):
        if rtl:
            assert Counter(squeeze(got)) == Counter(squeeze(want)), want
        else:
            assert squeeze(got) == squeeze(want)


@pytest.mark.parametrize("tag", STRUCTURE_LOCALES)
def test_headings_lists_and_callouts(built, tag):
    doc = document(tag)
    with pikepdf.open(handout(built, tag)) as pdf:
        tree = struct_tree(pdf)
        assert role(tree[0][0]) == "Document" and tree[0][1] == 0
        headings = [role(e) for e, _ in tree if role(e).startswith("H")]
        assert headings[0] == "H1" and headings.count("H1") == 1
        assert all(int(b[1]) - int(a[1]) <= 1 for a, b in zip(headings, headings[1:]))  # no level skipped
        lists = [e for e, _ in tree if role(e) == "L"]
        list_blocks = [b for b in doc.handout.blocks if isinstance(b, (BulletList, Box))]
        assert len(lists) == len(list_blocks) + 1  # and the references
        for elem, block in zip(lists, [*list_blocks, None]):
            items = [kid for kind, kid in (i[:2] for i in content_items(pdf, elem)) if kind == "elem"]
            assert {role(i) for i in items} == {"LI"}
            assert len(items) == (len(block.items) if block else len(doc.handout.references))
            checkbox = block is not None and (getattr(block, "marker", "") == "checkbox"
                                              or getattr(block, "tone", "") == "every_day")
            for item in items:
                assert [role(k[1]) for k in content_items(pdf, item)] == (["LBody"] if checkbox else ["Lbl", "LBody"])
            assert elem.A.O == "/List"
            assert elem.A.ListNumbering == ("/Decimal" if block is None else "/None" if checkbox else "/Disc")
        notes = [e for e, _ in tree if role(e) == "Note"]
        callouts = 1 + sum(isinstance(b, Callout) for b in doc.handout.blocks)
        assert len(notes) == callouts
        assert len({str(n.ID) for n in notes}) == callouts
        assert all(role(e.K[0]) == "P" for e in notes)
        sections = [e for e, _ in tree if role(e) == "Sect"]
        assert len(sections) == sum(isinstance(b, Box) for b in doc.handout.blocks)
        assert all(role(e.K[0]) == "H3" for e in sections)  # each box is inside an H2 section


def test_a_box_title_is_one_level_below_the_heading_of_its_section(built):
    """Both boxes sit inside H2 sections ("Signs to look for", "How is it treated?"): their
    titles are H3, so a screen reader's list of headings nests them (they were H2)."""
    doc = document("en")
    boxes = [plain(b.title) for b in doc.handout.blocks if isinstance(b, Box)]
    texts = mcid_texts(handout(built, "en"))
    with pikepdf.open(handout(built, "en")) as pdf:
        headings = [(role(e), squeeze(element_text(pdf, e, texts))) for e, _ in struct_tree(pdf)
                    if role(e) in ("H1", "H2", "H3")]
    assert [r for r, text in headings if text in {squeeze(b) for b in boxes}] == ["H3"] * len(boxes)
    previous = [headings[i - 1][0] for i, (r, _) in enumerate(headings) if r == "H3"]
    assert set(previous) <= {"H2", "H3"}


@pytest.mark.parametrize("tag", STRUCTURE_LOCALES)
def test_every_element_id_is_in_the_id_tree(built, tag):
    """PDF 1.7 14.7.2: elements with an ID (the Notes) are listed in the structure tree's IDTree."""
    with pikepdf.open(handout(built, tag)) as pdf:
        with_id = {str(e.ID): e.objgen for e, _ in struct_tree(pdf) if "/ID" in e}
        names = list(pdf.Root.StructTreeRoot.IDTree.Names)
        tree = {str(key): value.objgen for key, value in zip(names[::2], names[1::2])}
    assert with_id and tree == with_id
    assert list(tree) == sorted(tree)


@pytest.mark.parametrize("tag", STRUCTURE_LOCALES)
def test_language_of_elements_and_document(built, tag):
    """Every passage in another language than the document's has /Lang: the English half of the
    translation notice, the English search terms a translation quotes ("atopic dermatitis",
    "mesenchymal"; they had none) and the references."""
    path = handout(built, tag)
    texts = mcid_texts(path)
    with pikepdf.open(path) as pdf:
        assert str(pdf.Root.Lang) == tag
        langs = [(role(e), str(e.Lang)) for e, _ in struct_tree(pdf) if "/Lang" in e]
        spans = [squeeze(element_text(pdf, e, texts)) for e, _ in struct_tree(pdf) if "/Lang" in e and role(e) == "Span"]
    references = len(document(tag).handout.references)
    if tag == "en":
        assert langs == []
    else:
        assert langs == [("P", "en")] + [("Span", "en")] * 2 + [("LI", "en")] * references
        assert spans == ["atopicdermatitis", "mesenchymal"]


def test_english_fallback_span_is_tagged_with_its_language():
    doc = document("es")
    blocks = list(doc.handout.blocks)
    index = next(i for i, b in enumerate(blocks) if isinstance(b, Paragraph))
    blocks[index] = replace(blocks[index], text=blocks[index].text + (Span(" Dry skin", lang="en", fallback=True),))
    doc = replace(doc, handout=replace(doc.handout, blocks=tuple(blocks)))
    buffer = io.BytesIO()
    render_handout(doc, buffer, "a4")
    with pikepdf.open(io.BytesIO(buffer.getvalue())) as pdf:
        spans = [e for e, _ in struct_tree(pdf) if role(e) == "Span"][:1]  # the search terms come later
        assert [str(s.Lang) for s in spans] == ["en"]
        assert role(spans[0].P) == "P"
        assert element_text(pdf, spans[0], mcid_texts(buffer)).strip() == "Dry skin"


def test_a_paragraph_split_across_pages_stays_one_element():
    doc = document("en")
    long = Paragraph((Span(" ".join(["Moisturise your skin every day, even when it looks clear."] * 150)),))
    doc = replace(doc, handout=replace(doc.handout, blocks=(*doc.handout.blocks[:2], long, *doc.handout.blocks[2:])))
    buffer = io.BytesIO()
    render_handout(doc, buffer, "a4", enforce_limit=False)
    with pikepdf.open(io.BytesIO(buffer.getvalue())) as pdf:
        texts = mcid_texts(buffer)
        split = [e for e, _ in struct_tree(pdf) if role(e) == "P"
                 and len({i[1] for i in content_items(pdf, e) if i[0] == "mcid"}) > 1]
        # the long paragraph is one element across its pages (a paragraph of the topic that a
        # page break happens to split is one element too, and is not the subject here)
        ours = [e for e in split if squeeze(element_text(pdf, e, texts)) == squeeze(plain(long.text))]
        assert len(ours) == 1
        assert all(role(e) == "P" for e in split)


# ------------------------------------------------------- links, outline, metadata
@pytest.mark.parametrize("tag", STRUCTURE_LOCALES)
def test_every_doi_and_url_is_a_link_inside_its_link_element(built, tag):
    doc = document(tag)
    path = handout(built, tag)
    targets = {(f"https://doi.org/{r.doi}" if r.doi else r.url) for r in doc.handout.references if r.doi or r.url}
    addresses = WEB_ADDRESS.findall(body_text(doc).split(doc.handout.references_title)[0])
    targets |= {f"https://{a.lower()}" for a in addresses}
    assert targets and addresses
    with pikepdf.open(path) as pdf, pdfplumber.open(path) as plumber:
        nums = pdf.Root.StructTreeRoot.ParentTree.Nums
        tree = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
        seen = set()
        for index, page in enumerate(pdf.pages):
            for annot in page.get("/Annots", []):
                assert annot.Subtype == "/Link"
                uri = str(annot.A.URI)
                seen.add(uri)
                elem = tree[int(annot.StructParent)]
                assert role(elem) == "Link" and role(elem.P) in ("LBody", "P")
                assert any(i[0] == "objr" and i[1].objgen == annot.objgen for i in content_items(pdf, elem))
                contents = str(annot.Contents)
                assert uri.removeprefix("https://doi.org/").removeprefix("https://").lower() in contents.lower()
                x0, y0, x1, y1 = [float(v) for v in annot.Rect]
                inside = "".join(c["text"] for c in sorted(plumber.pages[index].chars, key=lambda c: c["x0"])
                                 if y0 <= c["matrix"][5] <= y1 and x0 <= (c["x0"] + c["x1"]) / 2 <= x1)
                assert squeeze(inside) in squeeze(contents)
                assert len(squeeze(inside)) >= 6
        assert seen == targets


@pytest.mark.parametrize("tag", STRUCTURE_LOCALES)
def test_in_text_links_hold_their_text(built, tag):
    """The web addresses in running text (ClinicalTrials.gov, trialsearch.who.int) are content
    of their Link elements, not only of the paragraph around them (a screen reader reads the
    link's text inside the link); the paragraph still reads whole, in order."""
    doc = document(tag)
    addresses = WEB_ADDRESS.findall(body_text(doc).split(doc.handout.references_title)[0])
    path = handout(built, tag)
    texts = mcid_texts(path)
    with pikepdf.open(path) as pdf:
        links = [(squeeze(element_text(pdf, e, texts)), str(e.K[-1].Obj.A.URI)) for e, _ in struct_tree(pdf)
                 if role(e) == "Link" and role(e.P) == "P"]
    assert len(links) == len(addresses) == 2
    for (text, uri), address in zip(links, addresses):
        assert text == squeeze(address) and uri == f"https://{address.lower()}"


@pytest.mark.parametrize("tag", STRUCTURE_LOCALES)
def test_outline_has_one_bookmark_per_heading_pointing_at_it(built, tag):
    doc = document(tag)
    titles = [plain(b.text if isinstance(b, Heading) else b.title) for b in doc.handout.blocks
              if isinstance(b, (Heading, Box))] + [doc.handout.references_title]
    path = handout(built, tag)
    with pikepdf.open(path) as pdf, pdfplumber.open(path) as plumber:
        assert pdf.Root.PageMode == "/UseOutlines"
        with pdf.open_outline() as outline:
            [root] = outline.root
            assert root.title == doc.handout.title
            assert [child.title for child in root.children] == titles
            pages = {p.obj.objgen: i for i, p in enumerate(pdf.pages)}
            for item in [root, *root.children]:
                destination = item.destination
                index, top = pages[destination[0].objgen], float(destination[3])
                page = plumber.pages[index]
                line = page.within_bbox((0, page.height - top, page.width, page.height - top + 30)).extract_text()
                first_word = item.title.split()[0]
                assert first_word in line or first_word[::-1] in line or doc.direction == "rtl", (item.title, line)


@pytest.mark.parametrize("tag", STRUCTURE_LOCALES)
def test_catalog_and_xmp_metadata(built, tag):
    doc = document(tag)
    with pikepdf.open(handout(built, tag)) as pdf:
        assert pdf.Root.MarkInfo.Marked is True
        assert pdf.Root.ViewerPreferences.DisplayDocTitle is True
        assert pdf.Root.ViewerPreferences.get("/Direction") == ("/R2L" if doc.direction == "rtl" else None)
        xmp = pdf.Root.Metadata.read_bytes().decode("utf-8")
        assert pdf.Root.Metadata.Subtype == "/XML"
    assert "<pdfuaid:part>1</pdfuaid:part>" in xmp
    title = re.search(r'<dc:title><rdf:Alt><rdf:li xml:lang="x-default">(.*?)</rdf:li>', xmp).group(1)
    assert title == doc.title.replace("&", "&amp;")
    assert re.search(r"<dc:language><rdf:Bag><rdf:li>(.*?)</rdf:li>", xmp).group(1) == tag


def test_notice_parts_in_another_language_are_marked_with_it_inside_the_artifact(tmp_path):
    """On the pages after the first, where the footer is an artifact."""
    doc = document("es")
    footer = replace(doc.footer, notice=("Traducción en borrador.", "Draft translation."), notice_langs=("es", "en"))
    doc = replace(doc, footer=footer)
    path = tmp_path / "es.pdf"
    assert render_handout(doc, path, "a4") == 2
    _, artifacts, _ = marked_text(path)
    assert "Draft translation." in artifacts[1]
    with pikepdf.open(path) as pdf:
        stack, english = [], []
        for operands, operator in pikepdf.parse_content_stream(pdf.pages[1]):
            if str(operator) in ("BDC", "BMC"):
                props = operands[1] if str(operator) == "BDC" else None
                stack.append(str(props.get("/Lang")) if isinstance(props, pikepdf.Dictionary) and "/Lang" in props
                             else str(operands[0]))
            elif str(operator) == "EMC":
                stack.pop()
            elif str(operator) in ("Tj", "TJ") and stack and stack[-1] == "en":
                english.append(stack[:])
        assert english and all(s[0] == "/Artifact" for s in english)
    assert page_validation.validate_pdf(str(path), profile="ua1").is_compliant


def test_a_notice_too_long_for_one_row_wraps_at_its_size(tmp_path):
    """A notice part wider than the footer at 9 pt goes on to more rows, each inside the page and
    above the paper's edge distance, all of it in its element (it used to shrink to 6.5 pt and
    then run off the page)."""
    doc = document("de")
    long = " ".join([doc.footer.notice[0]] * 3)
    doc = replace(doc, footer=replace(doc.footer, notice=(long, doc.footer.notice[1])))
    path = tmp_path / "de.pdf"
    assert render_handout(doc, path, "a4") == 2
    mcids, _, _ = marked_text(path)
    with pikepdf.open(path) as pdf:
        texts = [squeeze(element_text(pdf, e, mcids)) for e, _ in struct_tree(pdf) if role(e) == "P"]
    assert squeeze(long) in texts
    with pdfplumber.open(path) as plumber:
        width, height = plumber.pages[0].width, plumber.pages[0].height
    for chars in footer_chars(path).values():
        rows = {round(c["top"]) for c in chars}
        assert len(rows) >= 4  # the first row, the long part on two or more, the English part
        assert min(round(c["size"], 2) for c in chars) >= 9
        assert min(c["x0"] for c in chars) >= 10 * 72 / 25.4 and max(c["x1"] for c in chars) <= width - 10 * 72 / 25.4
        assert max(c["bottom"] for c in chars) <= height - 10 * 72 / 25.4
