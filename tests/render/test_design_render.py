"""A second design reaches both renderers: a high-contrast palette and larger type, built
through the build (and its worker processes), read back from the PDF and the deck's XML."""

from __future__ import annotations

import io
import zipfile
from collections import Counter

import pdfplumber
import pytest
from lxml import etree
from pptx import Presentation

from leaflets.build import build, load_translations
from leaflets.design import DEFAULT_DESIGN, Design
from leaflets.localize import localize
from leaflets.plan import BuildOptions
from leaflets.progress import LineReporter
from leaflets.render.deck_design import theme_colors
from leaflets.render.deck_template import DEFAULT_TEMPLATE
from leaflets.render.deck_template_writer import TemplateSpec, template_bytes, write
from leaflets.render.pptx import render_deck

NS = {"a": "http://schemas.openxmlformats.org/drawingml/2006/main",
      "p": "http://schemas.openxmlformats.org/presentationml/2006/main",
      "c": "http://schemas.openxmlformats.org/drawingml/2006/chart"}
HANDOUT = "en/atopic-dermatitis-handout-a4.pdf"
DECK = "en/atopic-dermatitis-slides.pptx"

HIGH_CONTRAST = DEFAULT_DESIGN.updated({
    "name": "high-contrast",
    "palette": {"ink": "#000000", "accent": "#003B46", "accent_tint": "#E6F0F2", "accent_secondary": "#1F6F7C",
                "muted": "#333333", "fallback_ink": "#4B5563", "warning": "#8A3B00", "caution": "#995C00",
                "caution_tint": "#FFF1D6", "danger": "#8F1B12", "danger_tint": "#FCE4E1", "link": "#003B46",
                "visited_link": "#333333"},
    "type": {"handout": {"body": 13},
             "deck": {"body": {"size": 26, "floor": 22}, "chart": {"size": 20, "floor": 16, "line": 1.0}}},
    "variant": {"page_limit": 3},  # a larger body needs more room: the variant's page limit is part of the design
})


@pytest.fixture(scope="module")
def outputs(tmp_path_factory, project):
    """English and German (six files: enough for worker processes) in each design."""
    out = {}
    for design in (DEFAULT_DESIGN, HIGH_CONTRAST):
        folder = tmp_path_factory.mktemp(design.name)
        build(project, folder, locales=["en", "de"], jobs=2, reporter=LineReporter(io.StringIO(), io.StringIO()),
              options=BuildOptions(design=design))
        out[design.name] = folder
    return out


def _rgb(colour: str) -> tuple[float, ...]:
    return tuple(round(int(colour[i:i + 2], 16) / 255, 4) for i in (1, 3, 5))


def _colour(value) -> tuple[float, ...]:
    return tuple(round(v, 4) for v in value or ())


def _handout(path) -> dict:
    """The body text's size and colour (the commonest pair), and the colours of headings,
    fills and rules."""
    with pdfplumber.open(path) as pdf:
        chars = [c for page in pdf.pages for c in page.chars if c["text"].strip()]
        pairs = Counter((round(c["size"], 2), _colour(c["non_stroking_color"])) for c in chars)
        (body, ink), _ = pairs.most_common(1)[0]
        return {
            "body": body,
            "ink": ink,
            "heading_colours": {_colour(c["non_stroking_color"]) for c in chars if "Bold" in c["fontname"]},
            "fills": {_colour(r["non_stroking_color"]) for page in pdf.pages for r in page.rects if r["fill"]},
            "rules": {_colour(ln["stroking_color"]) for page in pdf.pages for ln in page.lines},
        }


@pytest.mark.parametrize("design", [DEFAULT_DESIGN, HIGH_CONTRAST], ids=lambda d: d.name)
def test_the_handout_is_set_in_the_designs_colours_and_sizes(outputs, design):
    found = _handout(outputs[design.name] / HANDOUT)
    palette = design.palette
    assert found["body"] == design.type.handout.body
    assert found["ink"] == _rgb(palette.ink)
    assert {_rgb(palette.accent), _rgb(palette.danger)} <= found["heading_colours"]  # headings, get-help box
    assert {_rgb(palette.accent_tint), _rgb(palette.caution_tint), _rgb(palette.danger_tint)} <= found["fills"]
    assert _rgb(palette.accent) in found["rules"]  # the footer rule


def test_the_two_handouts_differ_exactly_there(outputs):
    default, high = (_handout(outputs[name] / HANDOUT) for name in ("leaflets", "high-contrast"))
    assert (default["body"], high["body"]) == (12, 13)
    assert (default["ink"], high["ink"]) == (_rgb(DEFAULT_DESIGN.palette.ink), (0, 0, 0))
    assert default["fills"].isdisjoint(high["fills"]) and default["rules"].isdisjoint(high["rules"])


def _part(path, name: str):
    with zipfile.ZipFile(path) as package:
        return etree.fromstring(package.read(name))


@pytest.mark.parametrize("design", [DEFAULT_DESIGN, HIGH_CONTRAST], ids=lambda d: d.name)
def test_the_deck_theme_and_sizes_follow_the_design(outputs, design):
    path = outputs[design.name] / DECK
    theme = _part(path, "ppt/theme/theme1.xml")
    scheme = {el.tag.split("}")[1]: el.find("a:srgbClr", NS).get("val")
              for el in theme.find(".//a:clrScheme", NS)}
    assert scheme == theme_colors(design.palette)
    assert scheme["dk1"] == design.palette.ink[1:] and scheme["accent1"] == design.palette.accent[1:]
    master = _part(path, "ppt/slideMasters/slideMaster1.xml")
    deck = design.type.deck
    assert master.find(".//p:bodyStyle/a:lvl1pPr/a:defRPr", NS).get("sz") == str(round(deck.body.size * 100))
    assert master.find(".//p:titleStyle/a:lvl1pPr/a:defRPr", NS).get("sz") == str(round(deck.title.size * 100))
    prs = Presentation(str(path))
    chart = next(s.chart for slide in prs.slides for s in slide.shapes if s.has_chart)
    assert chart._chartSpace.find("c:txPr//a:defRPr", NS).get("sz") == str(round(deck.chart.size * 100))
    shrunk = [(slide.slide_layout.name, int(rpr.get("sz"))) for slide in prs.slides for ph in slide.placeholders
              if ph.placeholder_format.idx == 1 and ph.has_text_frame
              for rpr in ph._element.iter(f"{{{NS['a']}}}rPr") if rpr.get("sz")]
    floors = {"References": deck.references.floor}  # the reference list fits to its own floor
    assert all(size >= floors.get(layout, deck.body.floor) * 100 for layout, size in shrunk)  # never below it


def test_the_template_is_made_from_the_same_design(outputs, tmp_path, project, loaded):
    """Each deck is built on the project template written from its design (the shipped file is
    the default design's); writing the high-contrast template to a file and building on it as a
    presenter's template gives the same slides."""
    assert template_bytes(DEFAULT_DESIGN) == DEFAULT_TEMPLATE.read_bytes()
    written = tmp_path / "high-contrast.pptx"
    write(written, TemplateSpec(design=HIGH_CONTRAST))
    assert written.read_bytes() == template_bytes(HIGH_CONTRAST)
    with zipfile.ZipFile(written) as template, zipfile.ZipFile(outputs["high-contrast"] / DECK) as built:
        assert template.read("ppt/theme/theme1.xml") == built.read("ppt/theme/theme1.xml")
        styles = [etree.tostring(etree.fromstring(package.read("ppt/slideMasters/slideMaster1.xml")).find(
            "p:txStyles", NS), method="c14n") for package in (template, built)]
        assert styles[0] == styles[1]
    document = localize(loaded, "en", load_translations(project, "en"))
    on_project, on_file = io.BytesIO(), io.BytesIO()
    render_deck(document, on_project, design=HIGH_CONTRAST)
    render_deck(document, on_file, design=HIGH_CONTRAST, template=written)
    with zipfile.ZipFile(on_project) as a, zipfile.ZipFile(on_file) as b:
        slides = sorted(n for n in a.namelist() if n.startswith("ppt/slides/slide"))
        assert slides and slides == sorted(n for n in b.namelist() if n.startswith("ppt/slides/slide"))
        assert all(a.read(n) == b.read(n) for n in slides)


def test_a_design_crosses_to_worker_processes_intact():
    """Jobs carry the design to forked workers by pickling: it must arrive equal and valid."""
    import pickle
    again = pickle.loads(pickle.dumps(HIGH_CONTRAST))
    assert again == HIGH_CONTRAST and isinstance(again, Design) and again.digest() == HIGH_CONTRAST.digest()
