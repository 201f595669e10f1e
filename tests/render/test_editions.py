"""Clinic editions and large print (issue 18, items 2, 3 and 4), on every shipped locale.

One build per session makes, for every shipped locale on A4 and Letter, the example
clinic's standard and large-print handouts and the generic large-print handout (the
generic standard ones are the session's ``built``).  The tests read them back: where the
clinic's band and whom-to-call lines are, the sizes and fonts of every character, the
structure tree's figures, and the two PDF/UA checkers.
"""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import unicodedata
from collections import Counter
from pathlib import Path

import page as page_validation
import pdfplumber
import pdfua
import pikepdf
import pytest

from leaflets.build import PAPERS, BuildOptions, build
from leaflets.clinic import load_profile
from leaflets.document import Box, plain
from leaflets.engine import Engine
from tests.conftest import ROOT, require_tool

BRAND = ROOT / "examples" / "riverside-clinic" / "_brand.yml"
CREATED = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)


@pytest.fixture(scope="session")
def profile():
    return load_profile(BRAND)


@pytest.fixture(scope="session")
def editions(tmp_path_factory, project, shipped, profile) -> Path:
    """Every shipped locale's clinic editions (standard, large print) and generic large print."""
    out = tmp_path_factory.mktemp("editions")
    build(project, out, locales=shipped, formats=["pdf"], variants=["standard", "large-print"],
          options=BuildOptions(created=CREATED, clinic=profile))
    build(project, out, locales=shipped, formats=["pdf"], variants=["large-print"],
          options=BuildOptions(created=CREATED))
    return out


@pytest.fixture(scope="session")
def clinic_documents(project, loaded, shipped, profile) -> dict:
    """Every shipped locale localized for the example clinic, once: the documents the editions
    were rendered from, which several tests hold the PDFs against."""
    engine = Engine(project)
    return {locale: engine.localize(loaded, locale, clinic=profile) for locale in shipped}


def handout(out: Path, locale: str, paper: str, variant: str | None, brand: str | None) -> Path:
    extra = "".join(f"-{part}" for part in (paper, variant, brand) if part)
    return out / locale / f"atopic-dermatitis-handout{extra}.pdf"


def page_text(path: Path, first: int, last: int | None = None) -> str:
    require_tool("pdftotext")
    return subprocess.run(["pdftotext", "-f", str(first), "-l", str(last or first), str(path), "-"],
                          capture_output=True, text=True, check=True).stdout


def squeeze(text: str) -> str:
    """Without white space and the bidi marks poppler puts around right-to-left runs."""
    return "".join(ch for ch in re.sub(r"\s+", "", text) if unicodedata.category(ch) != "Cf")


def pages(path: Path) -> int:
    with pikepdf.open(path) as pdf:
        return len(pdf.pages)


# ------------------------------------------------------------------ names
def test_file_names_carry_the_variant_and_the_brand(editions, shipped):
    for locale in shipped:
        for paper in PAPERS:
            for variant, brand in (("large-print", "riverside"), (None, "riverside"), ("large-print", None)):
                assert handout(editions, locale, paper, variant, brand).is_file(), (locale, paper, variant, brand)


# -------------------------------------------------------- the clinic band
@pytest.mark.parametrize("paper", PAPERS)
def test_the_clinic_edition_fits_its_pages_with_the_band_and_whom_to_call_on_page_1(
        editions, clinic_documents, shipped, paper):
    """The example clinic prints the language-assistance notice, so its standard edition may
    take 3 pages (TAGLINE_PAGE_LIMIT); the band and whom-to-call stay on page 1."""
    for locale in shipped:
        path = handout(editions, locale, paper, None, "riverside")
        assert 2 <= pages(path) <= 3, (locale, paper)
        first = squeeze(page_text(path, 1))
        document = clinic_documents[locale]
        band = document.handout.clinic
        assert squeeze(band.name) in first and squeeze(band.offer) in first, locale
        assert all(squeeze(line) in first for line in band.lines), locale
        [box] = [b for b in document.handout.blocks if isinstance(b, Box) and b.tone == "get_help"]
        assert len(box.contacts) == 3, locale  # call us (hours), at other times, in an emergency
        for line in box.contacts:
            assert squeeze(plain(line)) in first, (locale, paper, plain(line))
        assert "555-0100" in plain(box.contacts[0]) and "911" in plain(box.contacts[2])


def test_the_phone_reads_left_to_right_in_arabic(editions):
    """After Arabic words the bidi algorithm would show 555-0199 as 0199-555; it is set as one
    left-to-right piece, so every extractor reads the number as it is dialled."""
    text = page_text(handout(editions, "ar", "a4", None, "riverside"), 1)
    assert "555-0199" in text and "555-0100" in text and "0199-555" not in text and "0100-555" not in text


def test_the_logo_and_the_qr_code_are_figures_with_alt_text(editions, clinic_documents, profile):
    for locale in ("en", "ar"):
        document = clinic_documents[locale]
        with pikepdf.open(handout(editions, locale, "a4", None, "riverside")) as pdf:
            figures = _elements(pdf, "/Figure")
            alts = [str(f.Alt) for f in figures]
            assert alts == [profile.logo.alt, document.handout.clinic.qr_alt], locale
            assert all(len(f.A.BBox) == 4 for f in figures)
            assert document.handout.clinic.qr_url in alts[1]


@pytest.mark.parametrize("locale", ["en", "ar", "hi", "zh-Hans"])
def test_clinic_and_large_print_editions_pass_both_pdf_ua_checkers(editions, locale):
    for paper in ("a4",) if locale in ("hi", "zh-Hans") else PAPERS:
        for variant, brand in ((None, "riverside"), ("large-print", "riverside"), ("large-print", None)):
            path = str(handout(editions, locale, paper, variant, brand))
            report = page_validation.validate_pdf(path, profile="ua1")
            assert [str(failure) for failure in report.failures] == [], path
            assert [(f.rule_id, f.message) for f in pdfua.validate(path).findings] == [], path


def test_headings_and_rules_are_in_the_brand_colour(editions, profile):
    with pdfplumber.open(handout(editions, "en", "a4", None, "riverside")) as pdf:
        title = [c for c in pdf.pages[0].chars if c["size"] >= 17]
    colours = Counter(tuple(round(v, 3) for v in c["non_stroking_color"]) for c in title)
    river = tuple(round(int("1D4E89"[i:i + 2], 16) / 255, 3) for i in (0, 2, 4))
    assert colours.most_common(1)[0][0] == river


# ------------------------------------------------------------ large print
def _char_sizes(path: Path) -> tuple[Counter, set[str], list[float]]:
    sizes, fonts, gaps = Counter(), set(), []
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            body_lines = sorted({round(c["top"], 1) for c in page.chars if round(c["size"], 1) == 18 and c["text"].strip()})
            gaps += [b - a for a, b in zip(body_lines, body_lines[1:])]
            for c in page.chars:
                if c["text"].strip():
                    sizes[round(c["size"], 2)] += 1
                    fonts.add(c["fontname"])
    return sizes, fonts, gaps


@pytest.mark.parametrize("brand", [None, "riverside"])
def test_large_print_sets_nothing_below_16_pt_body_18_headings_22_no_italics(editions, shipped, brand):
    for locale in shipped:
        for paper in PAPERS:
            path = handout(editions, locale, paper, "large-print", brand)
            sizes, fonts, gaps = _char_sizes(path)
            assert min(sizes) >= 16, (locale, paper, sorted(sizes)[:3])
            assert sizes[18] > 1000 and 12 not in sizes, (locale, paper)  # the body, at 18 pt
            assert not [f for f in fonts if "Italic" in f or "Oblique" in f], (locale, paper)
            assert min(gaps) >= 1.5 * 18 - 0.1, (locale, paper, min(gaps))  # line spacing of the body
            assert pages(path) > 2  # the page limit lifts: reflowed, never scaled
            with pikepdf.open(path) as pdf:
                box = [float(v) for v in pdf.pages[0].MediaBox]
            assert box[2:] == ([595.2756, 841.8898] if paper == "a4" else [612, 792]) or \
                [round(v) for v in box[2:]] == ([595, 842] if paper == "a4" else [612, 792])


def test_large_print_headings_are_at_least_22_pt(editions):
    with pdfplumber.open(handout(editions, "en", "a4", "large-print", None)) as pdf:
        words = pdf.pages[0].extract_words(extra_attrs=["size"])
    sizes: dict[str, float] = {}
    for word in words:
        sizes.setdefault(word["text"], word["size"])
    assert sizes["dermatitis?"] >= 22 and sizes["Atopic"] >= 22  # a section heading and the title


def test_only_the_standard_clinic_edition_offers_large_print(editions, clinic_documents):
    offer = clinic_documents["en"].handout.clinic.offer
    assert offer == "Ask us for this leaflet in large print or another language."
    assert squeeze(offer) in squeeze(page_text(handout(editions, "en", "a4", None, "riverside"), 1))
    assert squeeze(offer) not in squeeze(page_text(handout(editions, "en", "a4", "large-print", "riverside"), 1))


def test_a_generic_handout_names_no_clinic(built):
    text = squeeze(page_text(built / "en" / "atopic-dermatitis-handout-a4.pdf", 1))
    assert "Riverside" not in text and "Whotocall:yourdoctor,nurseorpharmacist." in text


# ------------------------------------------ language-assistance notice (issue 18, item 6)
def _words(text: str) -> list[str]:
    """Letters, marks and digits between spaces and punctuation (bidi controls dropped)."""
    text = unicodedata.normalize("NFC", text)
    return re.findall(r"[^\W_]+", "".join(ch for ch in text if unicodedata.category(ch) != "Cf"))


def _elements(pdf, role: str) -> list:
    """The structure elements of ``role`` (e.g. "/Figure"), in the tree's reading order."""
    found = []

    def walk(node):
        if node.get("/S") == role:
            found.append(node)
        kids = node.get("/K")
        for kid in (kids if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []):
            if isinstance(kid, pikepdf.Dictionary):
                walk(kid)

    walk(pdf.Root.StructTreeRoot)
    return found


def _tagline_elements(path: Path) -> list[tuple[str, str]]:
    """(/Lang, text role) of every P of the last Sect: the notice is the document's final section."""
    with pikepdf.open(path) as pdf:
        last = _elements(pdf, "/Sect")[-1]
        return [(str(k.get("/Lang", "")), str(k.S)) for k in last.K if isinstance(k, pikepdf.Dictionary)]


@pytest.mark.parametrize("paper", PAPERS)
def test_every_locale_prints_each_tagline_in_its_own_language_on_the_last_page(
        editions, clinic_documents, shipped, profile, paper):
    for locale in shipped:
        document = clinic_documents[locale]
        taglines = document.handout.taglines
        assert [t.lang for t in taglines] == list(profile.taglines), locale
        assert len({t.text for t in taglines}) == len(taglines)  # each from its own catalog
        assert all("555-0100" in t.text for t in taglines)
        assert [t.direction for t in taglines if t.lang == "ar"] == ["rtl"]
        for variant in (None, "large-print"):
            path = handout(editions, locale, paper, variant, "riverside")
            text = page_text(path, pages(path))
            last, last_words = squeeze(text), set(_words(text))
            for tagline in taglines:
                if tagline.direction == "ltr":  # the whole line, in order
                    assert squeeze(tagline.text) in last, (locale, paper, variant, tagline.lang)
                # every word; a right-to-left line in a left-to-right page comes out in visual runs
                # from poppler (as the English half of a draft notice does in an Arabic one)
                assert set(_words(tagline.text)) <= last_words, (locale, paper, variant, tagline.lang)
            langs = [lang for lang, role in _tagline_elements(path)]
            own = document.locale
            # /Lang on each paragraph whose language is not the document's (it inherits that one)
            assert langs == [("" if t.lang == own else t.lang) for t in taglines], (locale, variant)


def test_taglines_are_at_least_body_size(editions):
    """The 2024 rule asks for a conspicuous size; leaflets sets them at the body size or larger
    (README.md, "Language-assistance notice"): 12 pt standard, 18 pt large print."""
    for variant, body in ((None, 12), ("large-print", 18)):
        path = handout(editions, "en", "letter", variant, "riverside")
        with pdfplumber.open(path) as pdf:
            chars = [c for c in pdf.pages[-1].chars if c["text"].strip()]
            text = "".join(c["text"] for c in chars)
            start, end = text.index("Freelanguagehelp"), text.index("Contentversion")  # the notice, not the footer
            notice = [c for c in chars[start:] if c["bottom"] < chars[end]["top"]]  # above the footer
            sizes = {round(c["size"], 1) for c in notice}
            assert len(notice) > 200  # all seven lines
        assert min(sizes) >= body, (variant, sorted(sizes))
