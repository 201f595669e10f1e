"""The PPTX deck: schema validity, template, footers, charts, tables, fit, direction, LibreOffice."""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import subprocess
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest
from lxml import etree
from pptx import Presentation
from pptx.util import Emu

from leaflets.build import load_translations
from leaflets.design import DEFAULT_DESIGN
from leaflets.document import Diagram, DiagramLane, Slide, Span
from leaflets.i18n.pseudo import PseudoTranslations
from leaflets.localize import localize
from leaflets.render import deck_design as design
from leaflets.render.deck_fit import Measurer, Piece
from leaflets.render.deck_template import DEFAULT_TEMPLATE, TemplateError, inherited_spacing
from leaflets.render.fonts import FONT_DIR
from leaflets.render.pptx import render_deck
from tests.conftest import ROOT, require_tool, run_cli

NS = {"a": "http://schemas.openxmlformats.org/drawingml/2006/main",
      "p": "http://schemas.openxmlformats.org/presentationml/2006/main",
      "c": "http://schemas.openxmlformats.org/drawingml/2006/chart",
      "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships"}
SCHEMAS = ROOT / "tests" / "schemas" / "ecma-376"  # vendored: see its README.md
EXAMPLE_TEMPLATE = Path(__file__).parent / "templates" / "renamed-layouts.pptx"
DECK = "atopic-dermatitis-slides.pptx"
FIXED = dt.datetime(2020, 1, 1)


def _deck(built, tag):
    return Presentation(str(built / tag / DECK))


@pytest.fixture(scope="module")
def schemas():
    if not SCHEMAS.is_dir():
        pytest.fail(f"ECMA-376 schemas not found at {SCHEMAS}")
    load = lambda name: etree.XMLSchema(etree.parse(str(SCHEMAS / name)))  # noqa: E731
    return {"presentationml": load("pml.xsd"), "chart": load("dml-chart.xsd"), "drawingml/2006/main": load(
        "dml-main.xsd"), "extended-properties": load("shared-documentPropertiesExtended.xsd")}


def _schema_errors(data: bytes, schemas) -> list[str]:
    errors = []
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        for name in package.namelist():
            if not name.endswith(".xml") or name.startswith("["):
                continue
            root = etree.fromstring(package.read(name))
            namespace = etree.QName(root).namespace or ""
            schema = next((s for key, s in schemas.items() if key in namespace), None)
            if schema is None:
                continue
            if not schema.validate(root):
                errors += [f"{name}: {e.message}" for e in schema.error_log][:3]
    return errors


def test_every_part_of_every_deck_validates(built, shipped, schemas):
    """Slides, notes, layouts, masters, presentation, charts, theme and app.xml against ECMA-376."""
    for tag in shipped:
        data = (built / tag / DECK).read_bytes()
        assert _schema_errors(data, schemas) == [], tag
        with zipfile.ZipFile(built / tag / DECK) as package:
            names = package.namelist()
        assert any(n.startswith("ppt/charts/") for n in names) and any(n.startswith("ppt/theme/") for n in names)


def test_templates_validate(schemas):
    for path in (DEFAULT_TEMPLATE, EXAMPLE_TEMPLATE):
        assert _schema_errors(path.read_bytes(), schemas) == [], path


def test_template_is_reproducible(tmp_path):
    """The committed template is what the generator writes."""
    result = subprocess.run(["python", str(ROOT / "tools" / "templates" / "make_template.py"), "--out",
                             str(tmp_path / "t.pptx")], capture_output=True, text=True, check=True)
    assert "wrote" in result.stdout
    assert (tmp_path / "t.pptx").read_bytes() == DEFAULT_TEMPLATE.read_bytes()


def test_template_theme_fonts_and_layouts():
    prs = Presentation(str(DEFAULT_TEMPLATE))
    assert (prs.slide_width, prs.slide_height) == (12192000, 6858000)
    assert [layout.name for layout in prs.slide_layouts] == list(design.LAYOUT_NAMES.values())
    assert prs.slide_layouts[0].name == "Title Slide" and prs.slide_layouts[1].name == "Section Header"
    theme = prs.slide_masters[0].part.part_related_by(
        "http://schemas.openxmlformats.org/officeDocument/2006/relationships/theme").blob
    root = etree.fromstring(theme)
    assert root.find(".//a:accent1/a:srgbClr", NS).get("val") == DEFAULT_DESIGN.palette.accent[1:]
    minor = root.find(".//a:minorFont", NS)
    scripts = {f.get("script"): f.get("typeface") for f in minor.findall("a:font", NS)}
    assert scripts == design.SCRIPT_FONTS
    assert minor.find("a:latin", NS).get("typeface") == "Noto Sans"
    for layout in prs.slide_layouts:
        types = {ph.get("type") for ph in layout._element.iter(f"{{{NS['p']}}}ph")}
        assert {"dt", "ftr", "sldNum"} <= types, layout.name
    master = prs.slide_masters[0]._element
    title_style = master.find(".//p:titleStyle/a:lvl1pPr/a:defRPr", NS)
    body_style = master.find(".//p:bodyStyle/a:lvl1pPr/a:defRPr", NS)
    assert title_style.get("sz") == "3200" and title_style.get("b") == "1"
    assert int(body_style.get("sz")) >= 2000


def test_exact_slide_size_and_package_properties(built, shipped):
    for tag in shipped:
        prs = _deck(built, tag)
        assert (prs.slide_width, prs.slide_height) == (Emu(12192000), Emu(6858000))
        sld_sz = prs.part._element.find("p:sldSz", NS)
        assert sld_sz.get("type") is None  # not "screen4x3"
        with zipfile.ZipFile(built / tag / DECK) as package:
            app = etree.fromstring(package.read("docProps/app.xml"))
            core = package.read("docProps/core.xml").decode()
            assert not any("thumbnail" in n for n in package.namelist())
        ep = "{http://schemas.openxmlformats.org/officeDocument/2006/extended-properties}"
        assert app.findtext(f"{ep}Slides") == str(len(prs.slides))
        assert app.findtext(f"{ep}PresentationFormat") == "Widescreen"
        titles = [t.text for t in app.iter("{http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes}lpstr")]
        assert prs.slides[0].shapes.title.text_frame.text in titles
        assert "python-pptx" not in core and "PowerPoint Presentation" not in core


def test_slides_use_named_layouts_and_inherit_geometry(built):
    prs = _deck(built, "en")
    for number, slide in enumerate(prs.slides, start=1):
        assert slide.slide_layout.name in design.LAYOUT_NAMES.values(), number
        # the content starts lower under the investigational tag or a title of three lines:
        # those boxes are given their own geometry, inside the layout's, ending where it ends
        moved = any(sh.name == "Investigational tag" for sh in slide.shapes) or (
            slide.shapes.title is not None and slide.shapes.title._element.find("p:spPr/a:xfrm", NS) is not None)
        for sp in slide.shapes._spTree.iterchildren(f"{{{NS['p']}}}sp"):
            if sp.find(".//p:ph", NS) is not None:
                own = sp.find("p:spPr/a:xfrm", NS)
                assert own is None or moved, (number, "placeholder with its own geometry")
                for rpr in sp.iter(f"{{{NS['a']}}}rPr"):
                    assert rpr.find("a:solidFill", NS) is None, number
                    assert rpr.find("a:latin", NS) is None or rpr.find("a:latin", NS).get("typeface") == "+mn-lt"


def test_slide_number_date_and_footer_are_placeholders(built, shipped):
    for tag in shipped:
        prs = _deck(built, tag)
        footer = None
        for number, slide in enumerate(prs.slides, start=1):
            tree = slide.shapes._spTree
            fields = tree.xpath(".//p:sp[.//p:ph[@type='sldNum']]//a:fld")
            assert len(fields) == 1 and fields[0].get("type") == "slidenum", (tag, number)
            assert tree.xpath(".//p:sp[.//p:ph[@type='dt']]//a:t/text()"), (tag, number)
            text = "".join(tree.xpath(".//p:sp[.//p:ph[@type='ftr']]//a:t/text()"))
            assert text and (footer is None or text == footer)
            footer = text


def test_chart_is_editable_and_linked(built, shipped):
    for tag in shipped:
        prs = _deck(built, tag)
        frames = [s for slide in prs.slides for s in slide.shapes if s.has_chart]
        assert len(frames) == 1, tag
        space = frames[0].chart._chartSpace
        labels = space.find(".//c:barChart/c:dLbls", NS)
        assert labels is not None
        assert labels.find("c:numFmt", NS).get("sourceLinked") == "1"
        assert labels.find("c:showVal", NS).get("val") == "1"
        typed = space.xpath(".//c:dLbl/c:tx")
        # the labels follow the cells, except where the percent sign is not "%" (Arabic ٪): no
        # spreadsheet format multiplies by 100 there, so each bar has the document's own text
        assert len(typed) == (3 if tag == "ar" else 0), tag
        value_axis = space.find(".//c:valAx", NS)
        assert value_axis.find("c:delete", NS).get("val") == "1" or value_axis.find(
            "c:tickLblPos", NS).get("val") != "none"
        code = space.find(".//c:val//c:formatCode", NS).text
        assert "%" in code or "٪" in code
        fill = space.find(".//c:ser/c:spPr/a:solidFill/a:schemeClr", NS)
        assert fill is not None and fill.get("val") == "accent1"  # the theme's colour, not a fixed one
        # the workbook holds numbers with that format
        workbook = frames[0].chart.part.chart_workbook.xlsx_part.blob
        with zipfile.ZipFile(io.BytesIO(workbook)) as xlsx:
            sheet = xlsx.read("xl/worksheets/sheet1.xml").decode()
            styles = xlsx.read("xl/styles.xml").decode()
        assert re.search(r'<c r="B2" s="\d+"><v>[0-9.]+</v>', sheet), tag
        assert "%" in styles or "٪" in styles


def test_chart_number_format_follows_locale(built, shipped):
    """Every locale's cells hold the same fractions; the labels read as the locale writes them:
    through the number format where it multiplies by 100, else as the document's own text."""
    for tag in shipped:
        space = [s for slide in _deck(built, tag).slides for s in slide.shapes if s.has_chart][0].chart._chartSpace
        values = [float(v.text) for v in space.findall(".//c:val//c:v", NS)]
        assert values == [0.67, 0.26, 0.07], tag
    for tag, expected in (("en", "67%"), ("de", "67 %"), ("ar", "٦٧٪")):
        space = [s for slide in _deck(built, tag).slides for s in slide.shapes if s.has_chart][0].chart._chartSpace
        code = space.find(".//c:val//c:formatCode", NS).text
        value = float(space.find(".//c:val//c:v", NS).text)
        custom = space.find(".//c:dLbl/c:tx/c:rich", NS)
        shown = "".join(t.text for t in custom.iter(f"{{{NS['a']}}}t")) if custom is not None else _apply_format(
            code, value)
        assert shown.replace("\u061c", "") == expected, (tag, code, value)


def _apply_format(code: str, value: float) -> str:
    """Enough of the spreadsheet format language for the chart's percent formats."""
    native = code.startswith("[$-2")
    code = re.sub(r"^\[\$-[0-9A-F]+\]", "", code)
    percent = "%" in re.sub(r'"[^"]*"', "", code)
    number = value * 100 if percent else value
    decimals = len(code.split(".")[1].split('"')[0].rstrip("%")) if "." in code else 0
    text = f"{number:.{decimals}f}" + "".join(re.findall(r'"([^"]*)"', code)).replace("\u061c", "")
    text += "%" if percent else ""
    return text.translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")) if native else text


def test_tables_use_theme_colours_and_centre_text(built):
    prs = _deck(built, "en")
    frames = [s for slide in prs.slides for s in slide.shapes if s.has_table]
    assert frames
    tbl = frames[0]._element.find(".//a:tbl", NS)
    assert tbl.find("a:tblPr", NS).get("firstRow") == "1"
    for cell in tbl.iter(f"{{{NS['a']}}}tc"):
        tc_pr = cell.find("a:tcPr", NS)
        assert tc_pr.get("anchor") == "ctr"
        assert tc_pr.find("a:solidFill/a:schemeClr", NS) is not None
        assert tc_pr.find("a:solidFill/a:srgbClr", NS) is None
        for rpr in cell.iter(f"{{{NS['a']}}}rPr"):
            assert int(rpr.get("sz", "1800")) >= 1600


def test_minimum_sizes(built, shipped):
    """Body >= 20 pt, table >= 16 pt, everything else (sources, references, notice) >= 12 pt."""
    for tag in shipped:
        for number, slide in enumerate(_deck(built, tag).slides, start=1):
            for rpr in slide._element.iter(f"{{{NS['a']}}}rPr", f"{{{NS['a']}}}endParaRPr"):
                if rpr.get("sz"):
                    assert int(rpr.get("sz")) >= 1200, (tag, number)
            for ph in slide.placeholders:
                if ph.placeholder_format.idx == 1 and slide.slide_layout.name in ("Title and Content", "Closing"):
                    for rpr in ph._element.iter(f"{{{NS['a']}}}rPr"):
                        assert int(rpr.get("sz", "2400")) >= 2000, (tag, number)


def test_alt_text_on_charts_tables_and_diagrams(built, shipped):
    for tag in shipped:
        for number, slide in enumerate(_deck(built, tag).slides, start=1):
            tree = slide.shapes._spTree
            for frame in tree.iter(f"{{{NS['p']}}}graphicFrame", f"{{{NS['p']}}}pic", f"{{{NS['p']}}}grpSp"):
                descr = frame.find(".//p:cNvPr", NS).get("descr", "")
                assert len(descr) > 10 and not descr.endswith((".png", ".xlsx")), (tag, number, descr)


def test_references_link_dois_and_keep_their_language(built):
    prs = _deck(built, "ar")
    slides = [s for s in prs.slides if s.slide_layout.name == "References"]
    assert slides
    links = [rel.target_ref for s in slides for rel in s.part.rels.values() if rel.is_external]
    assert "https://doi.org/10.1002/stem.2401" in links
    for slide in slides:
        body = slide.placeholders[1]._element
        for p in body.iter(f"{{{NS['a']}}}p"):
            if not p.findall("a:r", NS):
                continue
            assert p.find("a:pPr", NS).get("rtl") == "0"
            assert {r.get("lang") for r in p.iter(f"{{{NS['a']}}}rPr")} == {"en-US"}
            first = p.find("a:r/a:t", NS).text
            assert first[0] in "٠١٢٣٤٥٦٧٨٩", first  # one digit system: the deck's


def test_rtl_deck_paragraph_direction_follows_script(built):
    prs = _deck(built, "ar")
    slide = prs.slides[2]
    for p in slide.placeholders[1]._element.iter(f"{{{NS['a']}}}p"):
        if p.findall("a:r", NS):
            assert p.find("a:pPr", NS).get("rtl") == "1"
            assert p.find("a:pPr", NS).get("algn") == "r"
    notice = [sp for sp in slide.shapes if sp.name == "Translation notice"][0]
    paragraphs = notice._element.findall(".//a:p", NS)
    english = [p for p in paragraphs if "Draft translation" in "".join(p.itertext())][0]
    assert english.find("a:pPr", NS).get("rtl") == "0"
    assert english.find("a:r/a:rPr", NS).get("lang") == "en-US"
    footer = "".join(slide._element.xpath(".//p:sp[.//p:ph[@type='ftr']]//a:t/text()"))
    assert not re.search(r"[0-9]", footer), footer  # the version in Arabic-Indic digits too
    date = "".join(slide._element.xpath(".//p:sp[.//p:ph[@type='dt']]//a:t/text()"))
    assert re.search("[٠-٩]", date) and not re.search(r"[0-9]", date), date
    number = "".join(slide._element.xpath(".//a:fld[@type='slidenum']/a:t/text()"))
    assert number == "٣", number  # the field's current text, in the deck's digits


def test_chart_title_does_not_repeat_the_slide_title(loaded):
    doc = localize(loaded, "en")
    slides = list(doc.deck.slides)
    index = next(i for i, s in enumerate(slides) if s.kind == "chart")
    from leaflets.document import plain
    slides[index] = replace(slides[index], chart=replace(slides[index].chart, title=plain(slides[index].title)))
    buffer = io.BytesIO()
    render_deck(replace(doc, deck=replace(doc.deck, slides=tuple(slides))), buffer)
    chart = [s.chart for slide in Presentation(buffer).slides for s in slide.shapes if s.has_chart][0]
    assert not chart.has_title


def _pseudo_document(loaded):
    return localize(loaded, "en-XA", PseudoTranslations(), allow_incomplete=True)


def _synthetic(loaded):
    """The source document with every new slide kind (section, diagram, closing) and tags."""
    doc = localize(loaded, "en")
    slides = list(doc.deck.slides)
    section = Slide("section", (Span("Mesenchymal stem cells"),), subtitle=(Span("What the trials show"),),
                    notes=("Section.",))
    lanes = Diagram("lanes", (
        DiagramLane((Span("Phase I/IIa (2017)"),), ((Span("34 adults"),), (Span("One injection"),),
                                                    (Span("12 weeks, no control"),))),
        DiagramLane((Span("Phase II (2024)"),), ((Span("Placebo-controlled"),), (Span("Two doses"),),
                                                 (Span("No clear benefit"),)), emphasis=True)),
        alt="Two trial designs side by side: arms, dose, follow-up and control")
    ladder = Diagram("ladder", tuple(DiagramLane((Span(t),), ((Span(s),),)) for t, s in (
        ("Emollients", "everyone"), ("Topical steroids", "flares"), ("Systemic or biologic", "severe"),
        ("Trials only", "MSC therapy"))), alt="Treatment ladder from emollients up to trials")
    diagram = Slide("diagram", (Span("Trial designs"),), diagram=lanes, notes=("Designs.",),
                    investigational="Investigational", sources="Sources: Kim 2017; Seo 2024")
    ladder_slide = Slide("diagram", (Span("Treatment ladder"),), diagram=ladder, notes=("Ladder.",),
                         bullets=((Span("MSC therapy is not a rung of care yet."),),))
    closing = Slide("closing", (Span("Key messages"),), bullets=((Span("Common, often early"),),
                                                                (Span("MSC therapy is investigational"),)),
                    subtitle=(Span("Questions?"),), notes=("Close.",))
    slides[3:3] = [section, diagram, ladder_slide]
    slides.insert(-1, closing)
    return replace(doc, deck=replace(doc.deck, slides=tuple(slides)))


@pytest.fixture(scope="module")
def extra_decks(tmp_path_factory, loaded):
    """en-XA and a synthetic deck with every slide kind, rendered once."""
    out = tmp_path_factory.mktemp("decks")
    documents = {"en-XA": _pseudo_document(loaded), "kinds": _synthetic(loaded)}
    for name, document in documents.items():
        render_deck(document, out / f"{name}.pptx")
    return out, documents


def _inherited_size(slide, sp) -> float:
    """The size a text shape's runs get from the layout or master when they set none."""
    ph = sp.find(".//p:ph", NS)
    master = slide.slide_layout.slide_master._element
    if ph is None:
        return 18
    kind, idx = ph.get("type", "obj"), ph.get("idx")
    for container in (slide.slide_layout._element, master):
        for other in container.iter(f"{{{NS['p']}}}ph"):
            same = (other.get("type", "obj") == kind) and (container is master or other.get("idx") == idx)
            if same or (container is master and kind in ("title", "ctrTitle") and other.get("type") == "title"):
                size = other.getparent().getparent().getparent().find(".//a:lstStyle/a:lvl1pPr/a:defRPr", NS)
                if size is not None and size.get("sz"):
                    return int(size.get("sz")) / 100
    style = "titleStyle" if kind in ("title", "ctrTitle") else "bodyStyle"
    return int(master.find(f".//p:{style}/a:lvl1pPr/a:defRPr", NS).get("sz")) / 100


def _boxes_fit(prs, locale: str, rtl: bool, fonts=None) -> list[str]:
    """Measure every text shape of every slide independently of the renderer (with ``fonts``, a
    font set, instead of the shipped fonts: what another font makes of the same boxes)."""
    measurer = Measurer(locale, rtl) if fonts is None else Measurer(locale, rtl, fonts)
    problems = []
    for number, slide in enumerate(prs.slides, start=1):
        shapes = list(slide.shapes)
        for shape in list(shapes):
            if shape.shape_type is not None and shape.shape_type == 6:  # group: its children
                shapes += list(shape.shapes)
        for shape in shapes:
            if not shape.has_text_frame or not shape.text_frame.text.strip():
                continue
            sp = shape._element
            body_pr = sp.find(".//a:bodyPr", NS)
            inset_x = int(body_pr.get("lIns", design.INSET_X)) if body_pr is not None else design.INSET_X
            inset_y = int(body_pr.get("tIns", design.INSET_Y)) if body_pr is not None else design.INSET_Y
            default = _inherited_size(slide, sp)
            paragraphs, size = [], default
            bulleted = False
            for p in sp.iter(f"{{{NS['a']}}}p"):
                runs = p.findall("a:r", NS) + p.findall("a:fld", NS)
                if not runs:
                    continue
                size = min(int(r.find("a:rPr", NS).get("sz", default * 100)) / 100 for r in runs)
                paragraphs.append([Piece(r.findtext("a:t", None, NS) or "",
                                         r.find("a:rPr", NS).get("b") == "1") for r in runs])
                ppr = p.find("a:pPr", NS)
                bulleted = (sp.find(".//p:ph", NS) is not None and sp.find(".//p:ph", NS).get("type") is None
                            and slide.slide_layout.name != "References"
                            and (ppr is None or ppr.find("a:buNone", NS) is None))
            indent = 342900 if bulleted else 0
            width = (shape.width - 2 * inset_x - indent) / 12700
            height = (shape.height - 2 * inset_y) / 12700
            line, space = 1.0, 0.0
            if sp.find(".//p:ph", NS) is not None:  # the template's spacing
                spacing = inherited_spacing(shape)
                line, space = spacing.line or 1.0, (spacing.before or 0) + (spacing.after or 0)
            need = measurer.height(paragraphs, size, width, line=line, space_after=space)
            if need > height + 0.5:
                problems.append(f"{locale} slide {number} {shape.name!r}: needs {need:.0f} pt, has {height:.0f} pt")
    return problems


def test_every_text_box_fits_in_every_locale(built, shipped, extra_decks):
    """Every text box, in every shipped locale and en-XA, measured with the text engine and real fonts."""
    problems = []
    for tag in shipped:
        prs = _deck(built, tag)
        problems += _boxes_fit(prs, tag, tag == "ar")
    out, _ = extra_decks
    problems += _boxes_fit(Presentation(str(out / "en-XA.pptx")), "en-XA", False)
    problems += _boxes_fit(Presentation(str(out / "kinds.pptx")), "en", False)
    assert problems == [], "\n".join(problems)


def test_new_slide_kinds_render(extra_decks, schemas):
    out, documents = extra_decks
    data = (out / "kinds.pptx").read_bytes()
    assert _schema_errors(data, schemas) == []
    prs = Presentation(io.BytesIO(data))
    layouts = [s.slide_layout.name for s in prs.slides]
    assert {"Section Header", "Diagram", "Closing"} <= set(layouts)
    diagram = prs.slides[layouts.index("Diagram")]
    groups = [s for s in diagram.shapes if s.shape_type == 6]
    assert groups and groups[0]._element.find(".//p:cNvPr", NS).get("descr").startswith("Two trial designs")
    texts = [s.text_frame.text for s in groups[0].shapes if s.has_text_frame]
    assert "Placebo-controlled" in texts and "No clear benefit" in texts
    assert any(s.name == "Investigational tag" and s.text_frame.text == "Investigational" for s in diagram.shapes)
    prompts = [ph.text_frame.text for slide in prs.slides if slide.slide_layout.name == "Closing"
               for ph in slide.placeholders if ph.has_text_frame]
    assert "Questions?" in prompts


def test_overflow_fails_naming_locale_slide_and_msgid(loaded):
    doc = localize(loaded, "en")
    long = Span("An impossibly long title " * 30)
    slides = list(doc.deck.slides)
    slides[2] = replace(slides[2], title=(long,))
    doc = replace(doc, deck=replace(doc.deck, slides=tuple(slides)))
    from leaflets.render.pptx import SlideOverflow
    with pytest.raises(SlideOverflow, match=r"en: slide 3 \(title\): 'An impossibly long title"):
        render_deck(doc, io.BytesIO())


def test_long_bullets_continue_on_another_slide(loaded):
    doc = localize(loaded, "en")
    slides = list(doc.deck.slides)
    bullets = tuple((Span(f"Point {n}: a bullet long enough to need most of a line on the slide"),) for n in range(12))
    slides[2] = replace(slides[2], bullets=bullets)
    doc = replace(doc, deck=replace(doc.deck, slides=tuple(slides)))
    buffer = io.BytesIO()
    count = render_deck(doc, buffer)
    assert count > len(doc.deck.slides)
    prs = Presentation(buffer)
    texts = [p.text for s in prs.slides for ph in s.placeholders if ph.placeholder_format.idx == 1
             and ph.has_text_frame for p in ph.text_frame.paragraphs if p.text.startswith("Point ")]
    assert len(texts) == 12


# ------------------------------------------------------------- templates
def _texts(prs):
    return [[sh.text_frame.text for sh in s.shapes if sh.has_text_frame and sh.text_frame.text.strip()]
            for s in prs.slides]


def test_presenters_template_with_renamed_layouts(loaded):
    document = _synthetic(loaded)
    ours, theirs = io.BytesIO(), io.BytesIO()
    assert render_deck(document, ours) == render_deck(document, theirs, template=EXAMPLE_TEMPLATE)
    a, b = Presentation(ours), Presentation(theirs)
    assert _texts(a) == _texts(b)
    example_names = {layout.name for layout in b.slide_layouts}
    for slide_a, slide_b in zip(a.slides, b.slides):
        assert slide_b.slide_layout.name in example_names
        position = list(design.LAYOUT_NAMES.values()).index(slide_a.slide_layout.name)
        assert slide_b.slide_layout.name == list(b.slide_layouts)[position].name
    assert "Delete me" not in str(_texts(b))  # the template's sample slide is gone
    theme = b.slide_masters[0].part.part_related_by(
        "http://schemas.openxmlformats.org/officeDocument/2006/relationships/theme").blob
    assert b"6B2D8F" in theme


def test_missing_layout_is_a_clear_error(tmp_path, loaded):
    prs = Presentation(str(EXAMPLE_TEMPLATE))
    master = prs.slide_masters[0]
    for layout in list(master.slide_layouts):
        if layout.name in ("Titelfolie",):
            master.slide_layouts.remove(layout)
    broken = tmp_path / "no-title.pptx"
    prs.save(str(broken))
    with pytest.raises(TemplateError, match=r"no layout named 'Title'.*Abschnitt"):
        render_deck(localize(loaded, "en"), io.BytesIO(), template=broken)


def test_cli_template_option(tmp_path):
    result = run_cli("build", "--locale", "en", "--format", "pptx", "--template", str(EXAMPLE_TEMPLATE),
                     "--out", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    prs = Presentation(str(tmp_path / "out" / "en" / DECK))
    assert prs.slides[0].slide_layout.name == "Titelfolie"
    bad = tmp_path / "bad.pptx"
    bad.write_text("not a zip")
    result = run_cli("build", "--locale", "en", "--format", "pptx", "--template", str(bad),
                     "--out", str(tmp_path / "out2"))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "not a readable PowerPoint presentation" in result.stderr
    assert not (tmp_path / "out2").exists()


# ------------------------------------------------------------ LibreOffice
def test_libreoffice_renders_every_deck_without_overflow(built, shipped, extra_decks, tmp_path):
    """Every deck converts; every word LibreOffice draws lies inside a shape of its slide."""
    soffice = require_tool("soffice")
    import pdfplumber

    fonts_conf = tmp_path / "fonts.conf"
    fonts_conf.write_text(f'<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
                          f'<dir>{FONT_DIR}</dir><include ignore_missing="yes">/etc/fonts/fonts.conf</include>'
                          f'</fontconfig>', encoding="utf-8")
    decks = {}
    for tag in shipped:
        decks[tag] = built / tag / DECK
    out_dir, _ = extra_decks
    decks["en-XA"] = out_dir / "en-XA.pptx"
    decks["kinds"] = out_dir / "kinds.pptx"
    copies = []
    for tag, path in decks.items():
        copy = tmp_path / f"deck-{tag}.pptx"
        shutil.copy(path, copy)
        copies.append(str(copy))
    out = tmp_path / "pdf"
    result = subprocess.run([soffice, f"-env:UserInstallation=file://{tmp_path}/profile", "--headless",
                             "--convert-to", "pdf", "--outdir", str(out), *copies],
                            capture_output=True, text=True, timeout=900,
                            env={"FONTCONFIG_FILE": str(fonts_conf), "HOME": str(tmp_path), "PATH": "/usr/bin:/bin"})
    assert result.returncode == 0, result.stderr
    problems = []
    for tag, path in decks.items():
        prs = Presentation(str(path))
        pdf = pdfplumber.open(out / f"deck-{tag}.pdf")
        assert len(pdf.pages) == len(prs.slides), tag
        scale = 12700  # EMU per point
        for number, (slide, page) in enumerate(zip(prs.slides, pdf.pages), start=1):
            rects = []
            for shape in slide.shapes:
                members = list(shape.shapes) + [shape] if shape.shape_type == 6 else [shape]
                for s in members:
                    if s.width and s.height:
                        rects.append((s.left / scale, s.top / scale, (s.left + s.width) / scale,
                                      (s.top + s.height) / scale))
            for char in page.chars:  # every glyph from the shipped fonts
                # but the bullets, drawn in the bullet font the template names (Arial: where
                # Debian's fonts-liberation2 is installed, as in CI, Liberation Sans stands in)
                bullet = char["text"] == "•" and any(f in char["fontname"] for f in ("Arial", "LiberationSans"))
                if "Noto" not in char["fontname"] and not bullet:
                    # LibreOffice ignores per-run fonts in chart titles: punctuation there may fall back
                    chart_title = any(sh.has_chart for sh in slide.shapes) and not char["text"].isalnum()
                    if not chart_title:
                        problems.append(f"{tag} slide {number}: {char['text']!r} in {char['fontname']}")
            for word in page.extract_words():
                inside = any(x0 - 3 <= word["x0"] and word["x1"] <= x1 + 3 and y0 - 3 <= word["top"]
                             and word["bottom"] <= y1 + 3 for x0, y0, x1, y1 in rects)
                on_page = 0 <= word["x0"] and word["x1"] <= page.width and word["bottom"] <= page.height
                if not (inside and on_page):
                    problems.append(f"{tag} slide {number}: {word['text']!r} at "
                                    f"({word['x0']:.0f},{word['top']:.0f})-({word['x1']:.0f},{word['bottom']:.0f})")
    assert problems == [], "\n".join(problems)


def test_every_slide_has_speaker_notes(built, shipped):
    for tag in shipped:
        for number, slide in enumerate(_deck(built, tag).slides, start=1):
            assert slide.has_notes_slide, (tag, number)
            assert slide.notes_slide.notes_text_frame.text.strip(), (tag, number)


def test_core_properties(built, project):
    prs = _deck(built, "es")
    assert prs.core_properties.language == "es-ES"
    assert prs.core_properties.title == load_translations(project, "es").lookup("Atopic dermatitis (eczema)")
    assert prs.core_properties.last_modified_by == "leaflets"


def test_native_table_with_trial_results(built):
    prs = _deck(built, "es")
    tables = [s for slide in prs.slides for s in slide.shapes if s.has_table]
    assert tables
    cells = [c.text for t in tables for row in t.table.rows for c in row.cells]
    assert "28 de marzo de 2017" in cells  # a fact formatted by Babel in a cell
    assert any("31,8\u00a0%" in c and "27,2\u00a0%" in c for c in cells)  # the evidence summary
    # the first trial's doses left its table for its notes (issue 20: about 40 words a slide)
    notes = [slide.notes_slide.notes_text_frame.text for slide in prs.slides]
    assert any("2,5\u00a0×\u00a010⁷" in n for n in notes)


def test_native_chart_with_localized_categories(built, project):
    prs = _deck(built, "es")
    chart = [s.chart for slide in prs.slides for s in slide.shapes if s.has_chart][0]
    catalog = load_translations(project, "es")
    assert list(chart.plots[0].categories) == [catalog.lookup(c) for c in ("Mild", "Moderate", "Severe")]
    assert [round(v, 2) for v in chart.plots[0].series[0].values] == [0.67, 0.26, 0.07]


def test_office_template_falls_back_by_placeholder_types(tmp_path, loaded, schemas):
    """PowerPoint's stock template: no Chart, Table, Diagram or References layout, a vertical-text
    layout to avoid, 4:3 slides and a small date box."""
    office = tmp_path / "office.pptx"
    Presentation().save(str(office))
    buffer = io.BytesIO()
    render_deck(_synthetic(loaded), buffer, template=office)
    assert _schema_errors(buffer.getvalue(), schemas) == []
    prs = Presentation(buffer)
    layouts = [s.slide_layout.name for s in prs.slides]
    assert layouts[0] == "Title Slide" and "Section Header" in layouts
    assert not any("Vertical" in name for name in layouts)
    charts = [s for slide in prs.slides for s in slide.shapes if s.has_chart]
    assert charts and charts[0].left + charts[0].width <= prs.slide_width
    for slide in prs.slides:  # sizes written where the template's would not fit stay above the floors
        for rpr in slide._element.iter(f"{{{NS['a']}}}rPr"):
            assert int(rpr.get("sz", "1800")) >= 900


def test_notice_parts_are_grouped_by_language(loaded):
    doc = localize(loaded, "en")
    footer = replace(doc.footer, notice=("Algunas partes no están traducidas.", "Some parts are not translated.",
                                         "Traducción provisional.", "Draft translation."),
                     notice_langs=("", "en", "", "en"), notice_is_warning=True)
    doc = replace(doc, locale="es", office_lang="es-ES", footer=footer)
    buffer = io.BytesIO()
    render_deck(doc, buffer)
    slide = Presentation(buffer).slides[1]
    notice = [s for s in slide.shapes if s.name == "Translation notice"][0]
    paragraphs = notice.text_frame.paragraphs
    assert [p.text for p in paragraphs] == ["Algunas partes no están traducidas. Traducción provisional.",
                                            "Some parts are not translated. Draft translation."]
    assert [p.runs[0]._r.find("a:rPr", NS).get("lang") for p in paragraphs] == ["es-ES", "en-US"]
    assert all(r.font.size.pt >= 12 for p in paragraphs for r in p.runs)
    footer_top = min(s.top for s in slide.placeholders if s.placeholder_format.idx in (10, 11, 12))
    assert notice.top + notice.height <= footer_top  # no overlap with the footers
    assert notice.top + notice.height <= prs_title_safe_bottom()


def prs_title_safe_bottom() -> int:
    return round(design.SLIDE_HEIGHT * 0.95)


def test_font_overrides_only_where_the_theme_lacks_the_script():
    from leaflets.render.deck_template import DeckTemplate
    from leaflets.render.pptx import font_overrides
    theme = DeckTemplate().theme_fonts()
    assert font_overrides("en", theme) == {} and font_overrides("ar", theme) == {}
    assert font_overrides("zh-Hans", theme) == {}
    assert font_overrides("hi", theme) == {"cs": "Noto Sans Devanagari"}
    assert font_overrides("ko", theme) == {"ea": "Noto Sans KR"}
    # by script, not by language: Persian and Urdu are Arabic script, Marathi and Nepali Devanagari
    assert font_overrides("fa", theme) == {} and font_overrides("ur", theme) == {}
    assert font_overrides("mr", theme) == font_overrides("ne", theme) == {"cs": "Noto Sans Devanagari"}
    assert font_overrides("fa", {"latin": "Calibri", "cs": ""}) == {"cs": "Noto Sans Arabic"}


def test_arabic_percent_sign_in_handout_deck_and_chart(built, project, loaded):
    """١٠٫٧٪ with CLDR's Arabic percent sign, never an ASCII % after Arabic-Indic digits."""
    doc = localize(loaded, "ar", load_translations(project, "ar"))
    # content 2.0 gives patients natural frequencies, not percentages; every percent
    # the document formats (deck text, notes, chart labels) uses the Arabic sign
    everything = " ".join(text for _, text in doc.texts)
    assert "٪" in everything and not re.search(r"[٠-٩]\s?%", everything)
    with zipfile.ZipFile(built / "ar" / DECK) as deck:
        slides = "".join(deck.read(n).decode("utf-8") for n in deck.namelist() if n.startswith("ppt/slides/slide"))
        charts = "".join(deck.read(n).decode("utf-8") for n in deck.namelist() if n.startswith("ppt/charts/chart"))
    assert "٪" in slides and not re.search(r"[٠-٩]%", slides)
    assert "٪" in charts and not re.search(r"[٠-٩]%", charts)


def test_every_run_is_language_tagged(built, shipped):
    """Runs carry the deck's language; the references (published in English) are en-US, their
    numbers included; the notice's parts and untranslated stand-ins carry their own."""
    for tag in shipped:
        prs = _deck(built, tag)
        lang = prs.core_properties.language
        for slide in prs.slides:
            for part in (slide, slide.notes_slide):
                for rpr in part._element.iter(f"{{{NS['a']}}}rPr"):
                    run = rpr.getparent()
                    if run.tag.endswith("fld") or not (run.findtext("a:t", namespaces=NS) or "").strip():
                        continue
                    if rpr.get("i") == "1" and rpr.get("lang") == "en-US":
                        continue  # an untranslated stand-in (--allow-incomplete) keeps its language
                    shape = next(rpr.iterancestors(f"{{{NS['p']}}}sp", f"{{{NS['p']}}}graphicFrame"), None)
                    name = shape.find(".//p:cNvPr", NS).get("name") if shape is not None else ""
                    if name == "Translation notice":
                        continue  # parts in their own languages: test_notice_parts_are_grouped_by_language
                    ph = shape.find(".//p:ph", NS) if shape is not None else None
                    reference = (part is slide and slide.slide_layout.name == "References" and ph is not None
                                 and ph.get("idx") == "1")
                    expected = "en-US" if reference else lang
                    assert rpr.get("lang") == expected, (tag, run.findtext("a:t", namespaces=NS)[:40])


# ------------------------------------------------------------- partial decks (build --only)
def _slide_xml(data: bytes) -> list[str]:
    return [etree.tostring(slide._element, encoding="unicode") for slide in Presentation(io.BytesIO(data)).slides]


def _as_text_number(xml: str) -> str:
    """A full deck's slide with its slide-number field written as the plain text a partial deck has."""
    return re.sub(r'<a:fld [^>]*type="slidenum"[^>]*>(.*?)</a:fld>', r"<a:r>\1</a:r>", xml)


@pytest.mark.parametrize("tag", ["de", "ar"])
def test_partial_deck_holds_the_same_slides_as_the_full_deck(project, loaded, schemas, tag):
    """Only the chosen document slides, each exactly as in the full deck: same layout, all its
    continuation slides, and its slide number in the full deck (as text, since a slide-number
    field would count from 1 again)."""
    document = localize(loaded, tag, load_translations(project, tag))
    full, numbers = io.BytesIO(), {}
    total = render_deck(document, full, created=FIXED, numbers=numbers)
    assert sorted(numbers) == list(range(len(document.deck.slides)))
    assert [n for index in sorted(numbers) for n in numbers[index]] == list(range(1, total + 1))
    continued = [index for index, ns in numbers.items() if len(ns) > 1]
    assert continued  # the shipped deck has slides that continue
    full_xml = _slide_xml(full.getvalue())
    counts = {index: len(ns) for index, ns in numbers.items()}
    for only, known in (({continued[0]}, counts), ({1, continued[-1]}, None), ({0, 2}, {})):
        partial, got = io.BytesIO(), {}
        written = render_deck(document, partial, created=FIXED, only=only, counts=known, numbers=got)
        assert got == numbers  # numbered as the full deck, whatever was known beforehand
        wanted = [n for index in sorted(only) for n in numbers[index]]
        assert written == len(wanted)
        assert _slide_xml(partial.getvalue()) == [_as_text_number(full_xml[n - 1]) for n in wanted]
        assert _schema_errors(partial.getvalue(), schemas) == []
        prs = Presentation(io.BytesIO(partial.getvalue()))
        assert [s.slide_layout.name for s in prs.slides] == [
            Presentation(io.BytesIO(full.getvalue())).slides[n - 1].slide_layout.name for n in wanted]
        with zipfile.ZipFile(partial) as package:
            names = package.namelist()
            assert sorted(n for n in names if re.fullmatch(r"ppt/slides/slide\d+\.xml", n)) == sorted(
                f"ppt/slides/slide{i}.xml" for i in range(1, written + 1))
            assert f"<Slides>{written}</Slides>" in package.read("docProps/app.xml").decode()
