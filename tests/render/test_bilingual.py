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
import unicodedata
from pathlib import Path

import page as page_validation
import pdfplumber
import pdfua
import pikepdf
import pytest

from leaflets.build import PAPERS, BuildOptions, build
from leaflets.clinic import load_profile
from leaflets.document import Box, BulletList, Heading, plain
from leaflets.engine import BadRequest, Engine
from leaflets.errors import LeafletsError
from leaflets.manifest import Manifest
from leaflets.plan import Target
from leaflets.project import Project
from tests.conftest import ROOT
from tests.render.test_pdf_text import EXTRACTORS, extract, footer_height, squeezed, visual_to_logical, words

BRAND = ROOT / "examples" / "riverside-clinic" / "_brand.yml"
CREATED = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)
PAIRS = [("ar", "en"), ("hi", "en"), ("en", "es"), ("en", "ar")]


@pytest.fixture(scope="session")
def bilingual(tmp_path_factory, project, shipped) -> Path:
    """Every shipped locale with English (generic), Arabic and Hindi with English in the clinic's
    edition, and English with Spanish."""
    out = tmp_path_factory.mktemp("bilingual")
    build(project, out, locales=[t for t in shipped if t != "en"], formats=["pdf"], variants=["bilingual"],
          options=BuildOptions(created=CREATED, second_locale="en"))
    for second in ("es", "ar"):
        build(project, out, locales=["en"], formats=["pdf"], papers=["a4"], variants=["bilingual"],
              options=BuildOptions(created=CREATED, second_locale=second))
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


def sections(document) -> list[list[list[str]]]:
    """The text of each section of the handout, as the renderer interleaves them: the opening
    (title to key message), each run of blocks from a heading, the closing note.  A section is
    a list of groups read in order; the items of one list are a group read in any order (a
    list of short items is set in two columns, which extractors read row by row)."""
    h = document.handout
    out = [[[h.title], [h.subtitle], [h.audience], [plain(h.key_message.text)]]]
    for index, block in enumerate(h.blocks):
        if isinstance(block, Heading) and (index == 0 or not isinstance(h.blocks[index - 1], Heading)):
            out.append([])
        if isinstance(block, Box):
            out[-1] += [[plain(block.title)], [plain(block.intro)], [plain(i) for i in block.items]]
        elif isinstance(block, BulletList):
            out[-1].append([plain(i) for i in block.items])
        else:
            out[-1].append([plain(block.text)])
    out.append([[h.not_advice]])
    return [[[p for p in group if p] for group in section if any(group)] for section in out]


def find_in_order(text: str, groups: list[list[str]], start: int = 0) -> tuple[list[str], list[int]]:
    """Where each group starts in ``text``, each after the one before; and the parts not found."""
    missing, starts, position = [], [], start
    for group in groups:
        found = {part: text.find(squeezed(part), position) for part in group}
        for part, at in found.items():
            if at < 0 and len(group) > 1:  # an item of a two-column list that wraps, read row by row
                found[part] = words_in_order(text, part, position)
        missing += [part for part, at in found.items() if at < 0]
        hits = [at for at in found.values() if at >= 0]
        starts.append(min(hits) if hits else position)
        position = max((at + len(squeezed(part)) for part, at in found.items() if at >= 0), default=position)
    return missing, starts


def words_in_order(text: str, part: str, start: int) -> int:
    """Where the words of ``part`` start in ``text``, each after the one before (-1: not so);
    pdfplumber reads a two-column list row by row, so an item that wraps comes out in pieces."""
    position = first = -1
    for index, word in enumerate(words(part)):
        position = text.find(word, start if index == 0 else position)
        if position < 0:
            return -1
        first = position if index == 0 else first
        position += len(word)
    return first


def text_of(path: Path, extractor: str) -> str:
    """The body text as ``extractor`` reads it; pdfplumber gives characters in visual order, read
    back (as poppler does) in each page's direction: the direction of most of its letters."""
    if extractor != "pdfplumber":
        return extract(path, extractor)
    footer = footer_height(path)
    pages = []
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            body = page.crop((0, 0, page.width, page.height - footer)).extract_text() or ""
            kinds = [unicodedata.bidirectional(ch) for ch in body]
            rtl = sum(k in ("R", "AL") for k in kinds) > sum(k == "L" for k in kinds)
            pages += [visual_to_logical(line, rtl) for line in body.split("\n")]
    return "\n".join(pages)


# ------------------------------------------------------------------ names, pages
def test_file_names_carry_the_variant_and_the_second_locale(bilingual, shipped):
    for locale in (t for t in shipped if t != "en"):
        for paper in PAPERS:
            assert handout(bilingual, locale, "en", paper).is_file()
    assert handout(bilingual, "en", "es").is_file()
    assert handout(bilingual, "ar", "en", brand="riverside").is_file()
    entry = Manifest.load(bilingual).targets["ar/atopic-dermatitis-handout-a4-bilingual-en.pdf"]
    assert (entry["variant"], entry["second_locale"]) == ("bilingual", "en")


def test_every_locale_fits_the_bilingual_page_limit_of_eight(bilingual, shipped):
    counts = {}
    for path in sorted(bilingual.rglob("*.pdf")):
        with pikepdf.open(path) as pdf:
            counts[path.name] = len(pdf.pages)
    assert counts and all(3 <= n <= 8 for n in counts.values()), counts


# ------------------------------------------------------------------ text
@pytest.mark.parametrize("extractor", EXTRACTORS)
@pytest.mark.parametrize("first,second", PAIRS)
def test_each_language_copies_out_as_its_catalog_text_section_after_section(bilingual, documents, extractor,
                                                                             first, second):
    """Every paragraph, heading and item of each language is found character for character,
    in its order; and each section of the first language comes before the same section in
    the second, which comes before the first language's next section (same direction) or
    its next page of sections (opposite directions, on facing pages)."""
    text = squeezed(text_of(handout(bilingual, first, second), extractor))
    own, other = sections(documents(first)), sections(documents(second))
    missing, own_starts = find_in_order(text, [group for section in own for group in section])
    assert missing == []
    missing, other_starts = find_in_order(text, [group for section in other for group in section])
    assert missing == []
    own_starts = [own_starts[sum(map(len, own[:k]))] for k in range(len(own))]  # each section's first group
    other_starts = [other_starts[sum(map(len, other[:k]))] for k in range(len(other))]
    assert all(a < b for a, b in zip(own_starts, other_starts))
    if documents(first).direction == documents(second).direction:  # else: pages of sections, see below
        assert all(b < a for a, b in zip(own_starts[1:], other_starts))


def test_languages_of_opposite_directions_are_set_on_facing_pages(bilingual, documents):
    """Every page of the Arabic and English handout is in one language, Arabic on pages 1, 3...,
    English on 2, 4... (Arabic pages hold a few Latin names, MSCs, NCT, ClinicalTrials.gov;
    English pages no Arabic at all); the (Latin) references follow the last English page."""
    path = handout(bilingual, "ar", "en")
    with pdfplumber.open(path) as pdf:
        footer = footer_height(path)
        shares = []
        for page in pdf.pages:
            body = page.crop((0, 0, page.width, page.height - footer)).extract_text()
            arabic = sum(unicodedata.bidirectional(ch) == "AL" for ch in body)
            latin = sum(unicodedata.bidirectional(ch) == "L" for ch in body)
            shares.append(arabic / (arabic + latin))
    assert len(shares) % 2 == 0, shares
    assert all(share > 0.9 for share in shares[0::2]), shares
    assert all(share == 0 for share in shares[1:-1:2]), shares
    assert shares[-1] < 0.05, shares  # the last English page, and the references under their Arabic heading


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
    # the first language's elements are the document's, but for the English half of a draft's
    # translation notice, a P with its own /Lang (tests/render/test_pdf_tags.py)
    notice = [("P", lang) for lang in documents(first).footer.notice_langs if lang and lang != first]
    assert [e for e in elements if e[0] != "Div" and e[1] is not None] == notice


def test_arabic_and_english_each_in_their_own_fonts_and_direction(bilingual, documents):
    """The English title (page 2) is set left to right in Noto Sans at the left margin, the
    Arabic title (page 1) right to left in Noto Sans Arabic at the right margin."""
    def fonts(line):
        return {c["fontname"].split("+")[1] for c in line["chars"] if not c["text"].isspace()}

    with pdfplumber.open(handout(bilingual, "ar", "en")) as pdf:
        arabic = pdf.pages[0].extract_text_lines()[0]  # the Arabic title opens page 1
        english = pdf.pages[1].extract_text_lines()[0]
        width = pdf.pages[0].width
    assert english["text"] == documents("en").handout.title
    assert fonts(english) == {"NotoSans-Bold"}
    letters = {c["fontname"].split("+")[1] for c in arabic["chars"] if unicodedata.bidirectional(c["text"]) == "AL"}
    assert letters == {"NotoSansArabic-Bold"}
    assert english["x0"] < 60 and english["x1"] < width / 2 + 100
    assert width - arabic["x1"] < 60 and arabic["x0"] > 100


@pytest.mark.parametrize("first,second,brand", [("ar", "en", None), ("hi", "en", None), ("ar", "en", "riverside"),
                                                ("hi", "en", "riverside"), ("en", "es", None)])
def test_bilingual_handouts_pass_both_pdf_ua_checkers(bilingual, first, second, brand):
    path = str(handout(bilingual, first, second, brand=brand))
    report = page_validation.validate_pdf(path, profile="ua1")
    assert [str(failure) for failure in report.failures] == [], path
    assert [(f.rule_id, f.message) for f in pdfua.validate(path).findings] == [], path


def roles(node) -> list[str]:
    """Every structure element's role under ``node``, depth first."""
    kids = node.get("/K")
    kids = list(kids) if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []
    return [str(node.S)[1:]] + [role for kid in kids if isinstance(kid, pikepdf.Dictionary) and "/S" in kid
                                for role in roles(kid)]


def test_the_clinic_band_is_drawn_once(bilingual):
    """The logo and the QR code (the band's two Figures) come once, with the first language."""
    with pikepdf.open(handout(bilingual, "ar", "en", brand="riverside")) as pdf:
        assert roles(pdf.Root.StructTreeRoot.K).count("Figure") == 2


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
