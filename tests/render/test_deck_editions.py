"""Decks of a clinic's edition and with a presenter (issue 18, item 7).

The brand's colours are the generated theme's, its logo (with alt text) is on the title
and closing slides, and a presenter profile fills the title and disclosure slides, which
stay visibly empty without one.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
from lxml import etree
from pptx import Presentation

from leaflets.document import plain
from leaflets.engine import Engine
from leaflets.errors import LeafletsError
from leaflets.presenter import load_presenter
from tests.conftest import ROOT

CREATED = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)
BRAND = ROOT / "examples" / "riverside-clinic" / "_brand.yml"
PRESENTER = ROOT / "examples" / "presenter" / "presenter.yml"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"


@pytest.fixture(scope="module")
def engine():
    return Engine()


@pytest.fixture(scope="module")
def decks(engine):
    """(locale, clinic and presenter?) -> the deck's bytes."""
    clinic, presenter = engine.clinic(BRAND), load_presenter(PRESENTER)
    out = {}
    for locale in ("en", "ar"):
        for edition in (False, True):
            document = engine.localize("atopic-dermatitis", locale, clinic=clinic if edition else None,
                                       presenter=presenter if edition else None)
            out[locale, edition] = engine.render(document, "pptx", created=CREATED,
                                                 clinic=clinic if edition else None).data
    return out


def _logos(data: bytes) -> list[tuple[int, str, int]]:
    prs = Presentation(io.BytesIO(data))
    found = []
    for number, slide in enumerate(prs.slides, start=1):
        for shape in slide.shapes:
            if shape.name == "Logo":
                found.append((number, shape._element.nvPicPr.cNvPr.get("descr"), shape.left))
    return found


def test_the_logo_is_on_the_title_and_closing_slides_with_its_alt_text(decks, engine):
    clinic = engine.clinic(BRAND)
    for locale in ("en", "ar"):
        prs = Presentation(io.BytesIO(decks[locale, True]))
        logos = _logos(decks[locale, True])
        assert [n for n, _, _ in logos][0] == 1 and len(logos) == 2, logos
        closing = logos[1][0]
        assert prs.slides[closing - 1].slide_layout.name == "Closing"
        assert all(alt == clinic.logo.alt for _, alt, _ in logos)
        middle = prs.slide_width // 2
        assert all((left < middle) == (locale == "ar") for _, _, left in logos)  # the far corner, mirrored
        assert _logos(decks[locale, False]) == []


def test_the_brand_colours_are_the_themes(decks):
    with zipfile.ZipFile(io.BytesIO(decks["en", True])) as package:
        theme = etree.fromstring(package.read("ppt/theme/theme1.xml"))
    colour = {el.getparent().tag.removeprefix(A): el.get("val") for el in theme.iter(f"{A}srgbClr")}
    assert (colour["dk1"], colour["dk2"], colour["accent1"], colour["accent5"], colour["hlink"]) == (
        "1B1F24", "1D4E89", "1D4E89", "2E7D4F", "1D4E89")


def _slide_text(data: bytes, number: int) -> list[str]:
    slide = Presentation(io.BytesIO(data)).slides[number - 1]
    return [p.text for shape in slide.shapes if shape.has_text_frame for p in shape.text_frame.paragraphs]


def test_a_presenter_fills_the_title_and_disclosure_slides(decks):
    title = _slide_text(decks["en", True], 1)
    assert "Dr Ana Ruiz, Consultant dermatologist, Riverside Skin Clinic · December 10, 2026" in title
    disclosure = _slide_text(decks["en", True], 2)
    assert "Presenter: Dr Ana Ruiz, Consultant dermatologist, Riverside Skin Clinic" in disclosure
    assert "Financial relationships with companies in this field: None" in disclosure
    assert "Support for this presentation: None" in disclosure
    arabic = " ".join(_slide_text(decks["ar", True], 1))
    assert "١٠ ديسمبر ٢٠٢٦" in arabic  # the talk's date, formatted for the deck's language


def test_without_a_presenter_the_fields_stay_visibly_empty(decks):
    disclosure = _slide_text(decks["en", False], 2)
    assert "Presenter:" in disclosure and "Support for this presentation:" in disclosure
    assert not any("Ruiz" in line for line in _slide_text(decks["en", False], 1))


def test_a_bad_presenter_file_is_an_error_at_its_line(tmp_path):
    path = tmp_path / "presenter.yml"
    path.write_text("name: Dr Ana Ruiz\nrole: Dermatologist\ndate: 2026-02-30\n")
    with pytest.raises(LeafletsError, match=r"presenter.yml:3:7: '2026-02-30' is not a valid value"):
        load_presenter(path)
    path.write_text("name: Dr Ana Ruiz\ninstitutoin: Riverside\n")
    with pytest.raises(LeafletsError, match=r"presenter.yml:2:1: unknown key 'institutoin'"):
        load_presenter(path)


def test_the_presenter_is_data_in_the_document_not_a_translation(engine):
    document = engine.localize("atopic-dermatitis", "es", presenter=load_presenter(PRESENTER))
    assert document.deck.presenter == "Dr Ana Ruiz, Consultant dermatologist, Riverside Skin Clinic"
    assert document.deck.date == "10 de diciembre de 2026"
    assert plain(document.deck.slides[1].bullets[0]).endswith("Dr Ana Ruiz, Consultant dermatologist, "
                                                               "Riverside Skin Clinic")


def test_the_edition_decks_validate_against_ecma_376(decks):
    from tests.render.test_pptx import SCHEMAS, _schema_errors
    from lxml import etree as et
    load = lambda name: et.XMLSchema(et.parse(str(SCHEMAS / name)))  # noqa: E731
    schemas = {"presentationml": load("pml.xsd"), "chart": load("dml-chart.xsd"),
               "drawingml/2006/main": load("dml-main.xsd"),
               "extended-properties": load("shared-documentPropertiesExtended.xsd")}
    for key in (("en", True), ("ar", True)):
        assert _schema_errors(decks[key], schemas) == [], key
