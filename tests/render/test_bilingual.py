"""Bilingual handouts (issue 18, item 5): each section in the patient's language, then in a second one.

One build per session makes every shipped locale's bilingual handout with English on A4
and Letter (the generic edition), and the example clinic's for Arabic and Hindi; the
engine makes English with Spanish.  The tests read them back: the words each extractor
copies out (each language's catalog text, section by section), the structure tree's
language Divs, the fonts and alignment of each language, both PDF/UA checkers, and
what the engine, the build and the command line refuse.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import shutil
import subprocess
import sys
from pathlib import Path

import page as page_validation
import pdfplumber
import pdfua
import pikepdf
import pytest

from leaflets.build import PAPERS, BuildOptions, build
from leaflets.clinic import load_profile
from leaflets.document import Box, BulletList, Heading
from leaflets.engine import BadRequest, Engine
from leaflets.errors import LeafletsError
from leaflets.manifest import Manifest
from leaflets.plan import Target
from leaflets.project import Project
from tests.conftest import ROOT
from tests.render.test_pdf_text import EXTRACTORS, extract, squeezed

BRAND = ROOT / "examples" / "riverside-clinic" / "_brand.yml"
CREATED = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)
PAIRS = [("ar", "en"), ("hi", "en"), ("en", "es")]


@pytest.fixture(scope="session")
def bilingual(tmp_path_factory, project, shipped) -> Path:
    """Every shipped locale with English (generic), Arabic and Hindi with English in the clinic's
    edition, and English with Spanish."""
    out = tmp_path_factory.mktemp("bilingual")
    build(project, out, locales=[t for t in shipped if t != "en"], formats=["pdf"], variants=["bilingual"],
          options=BuildOptions(created=CREATED, second_locale="en"))
    build(project, out, locales=["en"], formats=["pdf"], papers=["a4"], variants=["bilingual"],
          options=BuildOptions(created=CREATED, second_locale="es"))
    build(project, out, locales=["ar", "hi"], formats=["pdf"], papers=["a4"], variants=["bilingual"],
          options=BuildOptions(created=CREATED, second_locale="en", clinic=load_profile(BRAND)))
    return out


def handout(out: Path, locale: str, second: str, paper: str = "a4", brand: str | None = None) -> Path:
    return out / locale / f"atopic-dermatitis-handout-{paper}-bilingual-{second}{f'-{brand}' if brand else ''}.pdf"


@pytest.fixture(scope="session")
def engine() -> Engine:
    return Engine()


@pytest.fixture(scope="session")
def documents(engine):
    topic = engine.topic("atopic-dermatitis")
    return lambda locale: engine.localize(topic, locale)


def sections(document) -> list[list[str]]:
    """The text of each section of the handout, as the renderer interleaves them: the opening
    (title to key message), each run of blocks from a heading, the closing note."""
    h = document.handout
    out = [[h.title, h.subtitle, h.audience, "".join(s.text for s in h.key_message.text)]]
    for index, block in enumerate(h.blocks):
        if isinstance(block, Heading) and index and not isinstance(h.blocks[index - 1], Heading):
            out.append([])
        if isinstance(block, Box):
            out[-1] += ["".join(s.text for s in block.title), *("".join(s.text for s in i) for i in block.items)]
        elif isinstance(block, BulletList):
            out[-1] += ["".join(s.text for s in i) for i in block.items]
        else:
            out[-1].append("".join(s.text for s in block.text))
    out.append([h.not_advice])
    return [[part for part in section if part] for section in out]


# ------------------------------------------------------------------ names, pages
def test_file_names_carry_the_variant_and_the_second_locale(bilingual, shipped):
    for locale in (t for t in shipped if t != "en"):
        for paper in PAPERS:
            assert handout(bilingual, locale, "en", paper).is_file()
    assert handout(bilingual, "en", "es").is_file()
    assert handout(bilingual, "ar", "en", brand="riverside").is_file()
    entry = Manifest.load(bilingual).targets["ar/atopic-dermatitis-handout-a4-bilingual-en.pdf"]
    assert (entry["variant"], entry["second_locale"]) == ("bilingual", "en")


def test_every_locale_fits_the_bilingual_page_limit_of_six(bilingual, shipped):
    counts = {}
    for path in sorted(bilingual.rglob("*.pdf")):
        with pikepdf.open(path) as pdf:
            counts[path.name] = len(pdf.pages)
    assert counts and all(3 <= n <= 6 for n in counts.values()), counts


# ------------------------------------------------------------------ text
@pytest.mark.parametrize("extractor", EXTRACTORS)
@pytest.mark.parametrize("first,second", PAIRS)
def test_each_language_copies_out_as_its_catalog_text_section_after_section(bilingual, documents, extractor,
                                                                             first, second):
    """Every paragraph, heading and item of both languages is found, in reading order: a
    section in the first language, the same section in the second, then the next."""
    text = squeezed(extract(handout(bilingual, first, second), extractor))
    expected = [part for own, other in zip(sections(documents(first)), sections(documents(second)))
                for part in own + other]
    position, missing = 0, []
    for part in expected:
        found = text.find(squeezed(part), position)
        if found < 0:
            missing.append(part)
        else:
            position = found + len(squeezed(part))
    assert missing == []


# ------------------------------------------------------------------ structure, fonts, direction
def structure(path: Path) -> tuple[str, list[tuple[str, str | None]]]:
    """The document's /Lang and its top-level elements (role, /Lang)."""
    with pikepdf.open(path) as pdf:
        root = pdf.Root.StructTreeRoot.K
        document = root[0] if isinstance(root, pikepdf.Array) else root
        kids = document.K if isinstance(document.K, pikepdf.Array) else [document.K]
        return str(pdf.Root.Lang), [(str(k.S)[1:], str(k.Lang) if "/Lang" in k else None)
                                    for k in kids if isinstance(k, pikepdf.Dictionary)]


@pytest.mark.parametrize("first,second", PAIRS)
def test_each_second_language_section_is_a_div_in_its_language(bilingual, documents, first, second):
    lang, elements = structure(handout(bilingual, first, second))
    assert lang == first
    divs = [e for e in elements if e[0] == "Div"]
    assert divs == [("Div", second)] * len(sections(documents(second)))
    assert all(e[1] is None for e in elements if e[0] != "Div")  # the first language's are the document's


def test_arabic_and_english_each_in_their_own_fonts_and_direction(bilingual, documents):
    """The English title is set left to right in Noto Sans at the left margin, the Arabic
    title right to left in Noto Sans Arabic at the right margin."""
    with pdfplumber.open(handout(bilingual, "ar", "en")) as pdf:
        page = pdf.pages[0]
        lines = page.extract_text_lines()
        english = next(l for l in lines if l["text"] == documents("en").handout.title)
        arabic = lines[0]  # the Arabic title opens the page
        fonts = lambda line: {c["fontname"].split("+")[1] for c in line["chars"] if not c["text"].isspace()}
        assert fonts(english) == {"NotoSans-Bold"} or fonts(english) <= {"NotoSans-Bold", "NotoSans-Regular"}
        assert all("Arabic" in name for name in fonts(arabic))
        assert english["x0"] < 60 and english["x1"] < page.width / 2 + 100
        assert page.width - arabic["x1"] < 60 and arabic["x0"] > 100


@pytest.mark.parametrize("first,second,brand", [("ar", "en", None), ("hi", "en", None), ("ar", "en", "riverside"),
                                                ("hi", "en", "riverside"), ("en", "es", None)])
def test_bilingual_handouts_pass_both_pdf_ua_checkers(bilingual, first, second, brand):
    path = str(handout(bilingual, first, second, brand=brand))
    report = page_validation.validate_pdf(path, profile="ua1")
    assert [str(failure) for failure in report.failures] == [], path
    assert [(f.rule_id, f.message) for f in pdfua.validate(path).findings] == [], path


def test_the_clinic_band_is_drawn_once(bilingual, documents):
    with pikepdf.open(handout(bilingual, "ar", "en", brand="riverside")) as pdf:
        figures = [k for k in pdf.Root.StructTreeRoot.K.K if str(k.S) == "/Sect"]
    assert len(figures) == 1  # the band (logo, name, contacts, QR) of the first language only


# ------------------------------------------------------------------ engine
def test_the_engine_renders_it_reproducibly_from_two_documents(engine, documents, bilingual):
    first, second = documents("en"), documents("es")
    one = engine.render(first, "pdf", paper="a4", variant="bilingual", second=second, created=CREATED)
    two = engine.render(first, "pdf", paper="a4", variant="bilingual", second=second, created=CREATED)
    assert one.data == two.data == handout(bilingual, "en", "es").read_bytes()
    assert one.file_name == "en/atopic-dermatitis-handout-a4-bilingual-es.pdf"
    assert one.target.second_locale == "es"


def test_the_fingerprint_includes_the_second_document(engine, documents):
    first, second = documents("ar"), documents("en")
    target = Target("atopic-dermatitis", "ar", "pdf", "a4", "bilingual", None, "en")
    options = BuildOptions(second_locale="en")
    changed = dataclasses.replace(second, handout=dataclasses.replace(second.handout, title="Eczema"))
    assert (engine.fingerprint(first, target, options, second=second)
            != engine.fingerprint(first, target, options, second=changed))
    standard = Target("atopic-dermatitis", "ar", "pdf", "a4")
    assert engine.fingerprint(first, target, options, second=second) != engine.fingerprint(first, standard)


def test_the_engine_refuses_a_bilingual_deck_and_a_missing_or_same_second_language(engine, documents):
    first, second = documents("ar"), documents("en")
    with pytest.raises(BadRequest, match="variants are handout editions"):
        engine.render(first, "pptx", variant="bilingual", second=second)
    with pytest.raises(BadRequest, match="needs its second language"):
        engine.render(first, "pdf", paper="a4", variant="bilingual")
    with pytest.raises(BadRequest, match="must differ"):
        engine.render(first, "pdf", paper="a4", variant="bilingual", second=first)
    with pytest.raises(BadRequest, match="only the bilingual edition"):
        engine.render(first, "pdf", paper="a4", second=second)


def test_the_engine_offers_the_bilingual_edition(engine):
    edition = engine.edition("bilingual")
    assert (edition.variant, edition.second_locale) == ("bilingual", True)


# ------------------------------------------------------------------ build, command line
def test_a_second_build_is_up_to_date_and_a_changed_second_catalog_rebuilds(tmp_path):
    for name in ("content", "locales"):
        shutil.copytree(ROOT / name, tmp_path / name)
    project = Project.in_folder(tmp_path)
    options = BuildOptions(created=CREATED, second_locale="fr")
    kwargs = dict(locales=["es"], formats=["pdf"], papers=["a4"], variants=["bilingual"], options=options)
    assert len(build(project, tmp_path / "out", **kwargs).written) == 1
    assert build(project, tmp_path / "out", **kwargs).written == []
    catalog = tmp_path / "locales" / "fr.po"
    catalog.write_text(catalog.read_text(encoding="utf-8").replace(
        'msgstr "Dermatite atopique (eczéma)"', 'msgstr "La dermatite atopique (eczéma)"', 1), encoding="utf-8")
    written = build(project, tmp_path / "out", **kwargs).written
    assert [p.name for p, _ in written] == ["atopic-dermatitis-handout-a4-bilingual-fr.pdf"]
    assert "La dermatite atopique" in extract(written[0][0], "pdfplumber")


def test_the_build_needs_a_second_locale_for_the_bilingual_edition(project, tmp_path):
    with pytest.raises(LeafletsError, match="second language"):
        build(project, tmp_path, locales=["es"], formats=["pdf"], variants=["bilingual"],
              options=BuildOptions(created=CREATED))


@pytest.mark.parametrize("arguments,message", [
    (["--variant", "bilingual"], "--variant bilingual needs its second language"),
    (["--variant", "bilingual", "--second-locale", "en", "--format", "pptx"], "a deck has one language"),
    (["--second-locale", "en"], "only the bilingual edition has a second language"),
    (["--variant", "bilingual", "--second-locale", "xx-Nope"], "--second-locale xx-Nope"),
])
def test_the_command_line_refuses_a_bilingual_edition_it_cannot_make(tmp_path, arguments, message):
    result = subprocess.run([sys.executable, str(ROOT / "generate.py"), "build", "--out", str(tmp_path / "out"),
                             "--locale", "es", *arguments], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 2
    assert message in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()
