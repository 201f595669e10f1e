"""Decks on templates no one here wrote: python-pptx's default, templates saved by LibreOffice
Impress, and one with renamed and missing layouts; footers, semantic colours and right-to-left
chrome on any of them."""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from pptx import Presentation
from pptx.enum.shapes import PP_PLACEHOLDER

from leaflets.build import load_translations
from leaflets.design import contrast
from leaflets.document import plain
from leaflets.i18n.pseudo import PseudoTranslations
from leaflets.localize import localize
from leaflets.render.deck_template import DeckTemplate
from leaflets.render.pptx import SlideOverflow, render_deck
from tests.conftest import require_tool
from tests.render.test_pptx import EXAMPLE_TEMPLATE, NS, _schema_errors, schemas  # noqa: F401 (a fixture)

LO_TEMPLATES = Path("/usr/lib/libreoffice/share/template/common/presnt")
FOOTERS = (PP_PLACEHOLDER.DATE, PP_PLACEHOLDER.FOOTER, PP_PLACEHOLDER.SLIDE_NUMBER)

# A presentation LibreOffice writes from nothing but its defaults: what any ODP becomes.
MINIMAL_ODP = {
    "mimetype": "application/vnd.oasis.opendocument.presentation",
    "META-INF/manifest.xml": (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
        'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.'
        'presentation"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        '</manifest:manifest>'),
    "content.xml": (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" office:version="1.2"><office:body>'
        '<office:presentation><draw:page draw:name="page1"/></office:presentation></office:body>'
        '</office:document-content>'),
}


def _odp(path: Path, source: Path | None) -> None:
    """An ODP: a copy of one of LibreOffice's own presentation templates, or a minimal one."""
    if source is not None and source.is_file():
        shutil.copy(source, path)
        return
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", MINIMAL_ODP["mimetype"], compress_type=zipfile.ZIP_STORED)
        for name, text in MINIMAL_ODP.items():
            if name != "mimetype":
                archive.writestr(name, text)


@pytest.fixture(scope="session")
def foreign_templates(tmp_path_factory) -> dict[str, Path]:
    """The template set, made once per session: python-pptx's default (4:3, small footer boxes,
    a green accent3), two templates LibreOffice saved as PPTX from ODPs (its Vivid and Focus
    designs where installed, else a plain ODP), and the renamed-layouts example without its
    section and title-only layouts."""
    soffice = require_tool("soffice")
    out = tmp_path_factory.mktemp("templates")
    made = {}
    default = out / "python-pptx.pptx"
    Presentation().save(str(default))
    made["python-pptx"] = default
    odps = []
    for name in ("Vivid", "Focus"):
        odp = out / f"{name}.odp"
        _odp(odp, LO_TEMPLATES / f"{name}.otp")
        odps.append(str(odp))
    subprocess.run([soffice, f"-env:UserInstallation=file://{out}/profile", "--headless", "--convert-to", "pptx",
                    "--outdir", str(out), *odps], capture_output=True, timeout=300, check=True,
                   env={"HOME": str(out), "PATH": "/usr/bin:/bin"})
    for name in ("Vivid", "Focus"):
        made[f"libreoffice-{name}"] = out / f"{name}.pptx"
    prs = Presentation(str(EXAMPLE_TEMPLATE))
    master = prs.slide_masters[0]
    for layout in list(master.slide_layouts):
        if layout.name == "Abschnitt":  # its section layout: section slides fall back
            master.slide_layouts.remove(layout)
    renamed = out / "renamed-and-missing.pptx"
    prs.save(str(renamed))
    made["renamed-and-missing"] = renamed
    return made


def _document(loaded, project, tag):
    if tag == "en-XA":
        return localize(loaded, "en-XA", PseudoTranslations(), allow_incomplete=True)
    return localize(loaded, tag, load_translations(project, tag))


def _render(document, template) -> Presentation:
    buffer = io.BytesIO()
    render_deck(document, buffer, template=template)
    return Presentation(buffer)


# One locale of every script the shipped locales are written in (Latin, Cyrillic, Arabic right to
# left, Devanagari, Simplified Chinese, Korean: each its own font stack, Office slot and theme
# script) and the pseudo-locale's accented, lengthened text.  On a foreign template the code path
# is the script's, not the language's; every shipped locale still runs on the shipped template in
# the session's build (test_pptx.py validates every part of those decks and LibreOffice draws them).
ONE_LOCALE_PER_SCRIPT = ("en", "ru", "ar", "hi", "zh-Hans", "ko", "en-XA")


def test_one_locale_per_script_covers_the_shipped_scripts(shipped):
    """A locale in a new script joins the set above, or its decks never meet a foreign template."""
    from leaflets.i18n.locales import script_of
    from leaflets.i18n.pseudo import PSEUDO_LOCALES
    covered = {script_of(PSEUDO_LOCALES.get(tag, tag)) for tag in ONE_LOCALE_PER_SCRIPT}
    missing = {tag: script_of(tag) for tag in shipped if script_of(tag) not in covered}
    assert not missing, f"add a locale of each script to ONE_LOCALE_PER_SCRIPT: {missing}"
    assert set(ONE_LOCALE_PER_SCRIPT) - {"en-XA"} <= set(shipped)


@pytest.mark.parametrize("name", ["python-pptx", "libreoffice-Vivid", "libreoffice-Focus"])
def test_every_script_builds_on_foreign_templates(foreign_templates, loaded, project, schemas, name):
    """A locale of every shipped script and en-XA, with no failure, every part schema-valid."""
    template = foreign_templates[name]
    for tag in ONE_LOCALE_PER_SCRIPT:
        buffer = io.BytesIO()
        render_deck(_document(loaded, project, tag), buffer, template=template)
        if tag in ("en", "ar", "en-XA"):  # the parts the renderer writes (a template's masters are its own)
            errors = [e for e in _schema_errors(buffer.getvalue(), schemas)
                      if not e.startswith(("ppt/slideMasters/", "ppt/slideLayouts/", "ppt/theme/"))]
            assert errors == [], (name, tag)


def test_libreoffice_subtitle_gets_its_own_box(foreign_templates, loaded, project):
    """LibreOffice writes title and subtitle without an index: the subtitle keeps its layout's box,
    not the title's (which made a false 'subtitle does not fit... shorten the translation')."""
    prs = _render(_document(loaded, project, "en"), foreign_templates["libreoffice-Vivid"])
    slide = prs.slides[0]
    layout = {ph.placeholder_format.type: ph for ph in slide.slide_layout.placeholders}
    subtitle = next(ph for ph in slide.placeholders if ph.placeholder_format.type == PP_PLACEHOLDER.SUBTITLE)
    box = layout[PP_PLACEHOLDER.SUBTITLE]
    assert (subtitle.left, subtitle.top, subtitle.width, subtitle.height) == (box.left, box.top, box.width,
                                                                              box.height)
    assert subtitle.top > layout[PP_PLACEHOLDER.TITLE].top + layout[PP_PLACEHOLDER.TITLE].height - 1
    assert "What it is, how it is treated" in subtitle.text_frame.text


def test_section_slides_fall_back_in_order(foreign_templates, loaded, project):
    """No section layout: Title Only (LibreOffice's); the section's line of text is still on the
    slide.  A template whose section layout was deleted takes its layout of the same placeholder
    types (a title and one text box)."""
    document = _document(loaded, project, "en")
    sections = [s for s in document.deck.slides if s.kind == "section"]
    for name, expected in (("libreoffice-Vivid", "Title Only"), ("libreoffice-Focus", "Title Only"),
                           ("renamed-and-missing", "Literatur")):
        prs = _render(document, foreign_templates[name])
        used = [s for s in prs.slides if any(sh.has_text_frame and sh.text_frame.text == "Current management"
                                             for sh in s.shapes)]
        assert used and used[0].slide_layout.name == expected, name
        texts = [sh.text_frame.text for sh in used[0].shapes if sh.has_text_frame]
        assert any(t.startswith("AAD guidelines for adults") for t in texts), (name, texts)
    assert len(sections) == 3


def test_layout_fallback_chain_without_title_only(tmp_path, loaded, project):
    """Without Section Header and Title Only, section slides take the Title Slide layout; without
    that too, Title and Content."""
    prs = Presentation()  # python-pptx's default: Office's layout names
    master = prs.slide_masters[0]
    for layout in list(master.slide_layouts):
        if layout.name in ("Section Header", "Title Only"):
            master.slide_layouts.remove(layout)
    path = tmp_path / "no-section.pptx"
    prs.save(str(path))
    template = DeckTemplate(path)
    assert template.layout("Section").layout.name == "Title Slide"
    assert template.layout("Section").substitute_for == "Section"


def test_too_small_box_names_the_template_not_the_translation(tiny_boxes_template, loaded, project):
    """A template whose content box is too small: the error names template, layout, placeholder and
    its size, and never asks for a shorter translation."""
    path = tiny_boxes_template
    with pytest.raises(SlideOverflow) as caught:
        render_deck(_document(loaded, project, "en"), io.BytesIO(), template=path)
    message = str(caught.value)
    assert message.startswith("tiny-boxes.pptx: layout '")
    assert "placeholder '" in message and " cm)" in message and "is too small for the" in message
    assert "shorten the translation" not in message


# ------------------------------------------------------------------ footers
def test_footers_never_fail_and_never_shrink_below_the_notice(foreign_templates, loaded, project):
    """python-pptx's footer boxes are 2.3 in wide: the German review date moves to the title and
    closing slides instead of failing or shrinking to 9 pt."""
    document = _document(loaded, project, "de")
    prs = _render(document, foreign_templates["python-pptx"])
    reviewed = document.footer.reviewed
    closing = next(plain(s.title) for s in document.deck.slides if s.kind == "closing")
    shown = 0
    floor = 12  # the notice's (and footer's) floor on this 7.5 in tall slide
    for number, slide in enumerate(prs.slides, start=1):
        for shape in slide.placeholders:
            if shape.placeholder_format.type in FOOTERS:
                assert reviewed not in shape.text_frame.text, number
                for rpr in shape._element.iter(f"{{{NS['a']}}}rPr"):
                    assert int(rpr.get("sz", "1200")) >= floor * 100, number
        moved = [s for s in slide.shapes if s.name == "Footer text"]
        title = slide.shapes.title.text_frame.text if slide.shapes.title is not None else ""
        if number == 1 or title.startswith(closing):  # the closing slide and its continuation
            assert moved and reviewed in moved[0].text_frame.text, number
            assert all(int(r.get("sz")) >= floor * 100 for r in moved[0]._element.iter(f"{{{NS['a']}}}rPr"))
            shown += 1
        else:
            assert not moved, number
    assert shown >= 2


def test_footers_stay_in_their_boxes_on_the_project_template(built):
    prs = Presentation(str(built / "de" / "atopic-dermatitis-slides.pptx"))
    assert not [s for slide in prs.slides for s in slide.shapes if s.name == "Footer text"]
    dates = [ph.text_frame.text for ph in prs.slides[2].placeholders if ph.placeholder_format.type == PP_PLACEHOLDER.DATE]
    assert dates and "2026" in dates[0]


# ------------------------------------------------------------------ colours
def _colour(run_or_fill, template: DeckTemplate, layout) -> str:
    srgb = run_or_fill.find(".//a:solidFill/a:srgbClr", NS)
    if srgb is not None:
        return "#" + srgb.get("val")
    return template.theme_colors(layout)[run_or_fill.find(".//a:solidFill/a:schemeClr", NS).get("val")]


def test_semantic_colours_are_readable_on_any_theme(foreign_templates, loaded, project):
    """Sources line, notice and tag reach 4.5:1 against what is behind them; python-pptx's default
    theme's accent3 (light green, 2.18:1 on white) is not used for the sources line."""
    for name in ("python-pptx", "libreoffice-Focus"):
        template = DeckTemplate(foreign_templates[name])
        prs = _render(_document(loaded, project, "de"), foreign_templates[name])
        checked = 0
        for slide in prs.slides:
            background = template.background(slide.slide_layout) or "#FFFFFF"
            for shape in slide.shapes:
                if shape.name not in ("Sources", "Translation notice", "Investigational tag"):
                    continue
                behind = background
                if shape.name == "Investigational tag":
                    behind = _colour(shape._element.find(".//p:spPr", NS), template, slide.slide_layout)
                for rpr in shape._element.iter(f"{{{NS['a']}}}rPr"):
                    assert contrast(_colour(rpr, template, slide.slide_layout), behind) >= 4.5, (name, shape.name)
                    checked += 1
        assert checked > 20, name
    sources = [s for slide in _render(_document(loaded, project, "en"), foreign_templates["python-pptx"]).slides
               for s in slide.shapes if s.name == "Sources"]
    assert sources and all(r.find(".//a:schemeClr", NS).get("val") != "accent3"
                           for s in sources for r in s._element.iter(f"{{{NS['a']}}}rPr"))


def test_project_template_keeps_its_semantic_colours(built):
    prs = Presentation(str(built / "en" / "atopic-dermatitis-slides.pptx"))
    sources = [s for slide in prs.slides if "Section" not in slide.slide_layout.name for s in slide.shapes
               if s.name == "Sources"]
    assert sources and {r.find(".//a:schemeClr", NS).get("val") for s in sources
                        for r in s._element.iter(f"{{{NS['a']}}}rPr")} == {"accent3"}


# ------------------------------------------------------------------ right to left
def test_rtl_deck_mirrors_the_renderers_chrome(built):
    """Arabic: the tag under the title's right end (its start), the sources line across the
    band; the date at the right and the slide number at the left; the title slide's accent bar
    at the right."""
    prs = Presentation(str(built / "ar" / "atopic-dermatitis-slides.pptx"))
    width = prs.slide_width
    tagged = 0
    for slide in prs.slides:
        shapes = {s.name: s for s in slide.shapes}
        if "Investigational tag" in shapes and "Sources" in shapes:
            tag, title = shapes["Investigational tag"], slide.shapes.title
            assert abs(tag.left + tag.width - (title.left + title.width)) < 12700
            assert tag.left > width // 2
            tagged += 1
        kinds = {ph.placeholder_format.type: ph for ph in slide.placeholders}
        if PP_PLACEHOLDER.DATE in kinds and PP_PLACEHOLDER.SLIDE_NUMBER in kinds:
            date, number_box = kinds[PP_PLACEHOLDER.DATE], kinds[PP_PLACEHOLDER.SLIDE_NUMBER]
            assert date.left + date.width > 0.9 * width  # ends at the right margin
            assert number_box.left + number_box.width < width // 2 < date.left + date.width
            number = kinds[PP_PLACEHOLDER.SLIDE_NUMBER]._element.find(".//a:pPr", NS)
            assert number.get("algn") == "l"
    assert tagged >= 3
    title = prs.slides[0]
    assert title._element.get("showMasterSp") == "0"
    bar = [s for s in title.shapes if s.name == "Accent Bar"]
    assert bar and bar[0].left + bar[0].width == width


def test_ltr_deck_keeps_its_chrome(built):
    prs = Presentation(str(built / "en" / "atopic-dermatitis-slides.pptx"))
    assert prs.slides[0]._element.get("showMasterSp") is None
    slide = next(s for s in prs.slides if {"Investigational tag", "Sources"} <= {sh.name for sh in s.shapes})
    shapes = {s.name: s for s in slide.shapes}
    assert shapes["Investigational tag"].left == slide.shapes.title.left
    assert shapes["Investigational tag"].left < prs.slide_width // 2


def test_rtl_table_cells_align_with_their_column(built):
    prs = Presentation(str(built / "ar" / "atopic-dermatitis-slides.pptx"))
    cells = [c for slide in prs.slides for s in slide.shapes if s.has_table for row in s.table.rows
             for c in row.cells]
    latin = [c for c in cells if c.text.strip() and not any("\u0600" <= ch <= "\u06ff" for ch in c.text)]
    assert latin  # drug names, Latin-only
    for cell in cells:
        for p in cell._tc.iter(f"{{{NS['a']}}}p"):
            ppr = p.find("a:pPr", NS)
            assert ppr is not None and ppr.get("algn") == "r", cell.text


def test_english_reference_keeps_one_run_and_one_link_per_doi(built):
    for tag in ("ar", "hi"):
        prs = Presentation(str(built / tag / "atopic-dermatitis-slides.pptx"))
        links = 0
        for slide in prs.slides:
            if slide.slide_layout.name not in ("References",):
                continue
            for p in slide._element.iter(f"{{{NS['a']}}}p"):
                runs = p.findall("a:r", NS)
                linked = [r for r in runs if r.find("a:rPr/a:hlinkClick", NS) is not None]
                for run in linked:
                    assert run.findtext("a:t", namespaces=NS).startswith(("doi:", "http")), tag
                dois = [r for r in runs if "doi:" in (r.findtext("a:t", namespaces=NS) or "")]
                assert len(linked) == len(dois) <= 1, (tag, [r.findtext("a:t", namespaces=NS) for r in runs])
                links += len(linked)
        assert links >= 5, tag


def test_template_colours_and_background():
    template = DeckTemplate()
    colors = template.theme_colors()
    assert colors["bg1"] == colors["lt1"] == "#FFFFFF" and colors["tx1"] == colors["dk1"]
    layouts = {layout.name: layout for layout in template.layouts()}
    section = next(layout for name, layout in layouts.items() if name in ("Section", "Section Header"))
    assert template.background(section) == colors["accent1"]


# ------------------------------------------------------------------ interop
def test_shipped_template_has_office_names_and_an_empty_slide_list():
    from leaflets.render.deck_template import DEFAULT_TEMPLATE
    prs = Presentation(str(DEFAULT_TEMPLATE))
    names = [layout.name for layout in prs.slide_layouts]
    assert names[:4] == ["Title Slide", "Section Header", "Title and Content", "Two Content"]
    with zipfile.ZipFile(DEFAULT_TEMPLATE) as package:
        presentation = package.read("ppt/presentation.xml").decode()
    assert "<p:sldIdLst/>" in presentation


def test_old_layout_names_are_still_accepted(tmp_path):
    from leaflets.render import deck_design
    from leaflets.render.deck_template_writer import TemplateSpec, write
    old = tmp_path / "old-names.pptx"
    write(old, TemplateSpec(names={n: n for n in deck_design.LAYOUTS}))
    template = DeckTemplate(old)
    assert template.layout("Title").layout.name == "Title" and template.layout("Section").layout.name == "Section"
    assert template.layout("Title").substitute_for is None


def test_powerpoint_sections_from_the_section_slides(built, loaded, project):
    path = built / "en" / "atopic-dermatitis-slides.pptx"
    prs = Presentation(str(path))
    p14 = "{http://schemas.microsoft.com/office/powerpoint/2010/main}"
    sections = prs.part._element.findall(f".//{p14}section")
    section_titles = [plain(s.title) for s in _document(loaded, project, "en").deck.slides if s.kind == "section"]
    assert [s.get("name") for s in sections] == [plain(_document(loaded, project, "en").deck.slides[0].title),
                                                 *section_titles]
    ids = [e.get("id") for e in prs.slides._sldIdLst]
    listed = [e.get("id") for s in sections for e in s.iter(f"{p14}sldId")]
    assert listed == ids  # every slide in exactly one section, in order
    for section in sections[1:]:
        first = section.find(f".//{p14}sldId").get("id")
        assert prs.slides[ids.index(first)].shapes.title.text_frame.text == section.get("name")


def test_pandoc_uses_the_shipped_template_as_reference_doc(tmp_path):
    pandoc = shutil.which("pandoc")
    if pandoc is None:
        pytest.skip("pandoc not installed")
    from leaflets.render.deck_template import DEFAULT_TEMPLATE
    source = tmp_path / "talk.md"
    source.write_text("# Section\n\n## A slide\n\n- one\n- two\n", encoding="utf-8")
    out = tmp_path / "talk.pptx"
    result = subprocess.run([pandoc, str(source), "-o", str(out), "--reference-doc", str(DEFAULT_TEMPLATE)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "Couldn't find layout" not in result.stderr
    assert {s.slide_layout.name for s in Presentation(str(out)).slides} <= {"Section Header", "Title and Content",
                                                                             "Title Slide"}
