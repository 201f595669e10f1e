"""The translator's round trip through the CLI, on a copy of the project."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pdfplumber
import pytest
from pptx import Presentation
from pypdf import PdfReader

from leaflets.i18n.catalogs import catalog_bytes, open_catalog, write_atomic
from tests.conftest import ROOT, run_cli

TOPIC = "atopic-dermatitis"


@pytest.fixture()
def copy(tmp_path) -> Path:
    """A private copy of content/ and locales/ to change freely."""
    shutil.copytree(ROOT / "content", tmp_path / "content")
    shutil.copytree(ROOT / "locales", tmp_path / "locales")
    return tmp_path


SMALL_COPY = ("de", "es")


@pytest.fixture()
def small_copy(tmp_path) -> Path:
    """A private copy of content/ with the German and Spanish catalogs only: for tests of one or
    two languages whose command (``check``, a default build, a strict status) lays out every
    language the copy has; the real topic, two real catalogs, a third of the work."""
    shutil.copytree(ROOT / "content", tmp_path / "content")
    shutil.copytree(ROOT / "locales", tmp_path / "locales", ignore=lambda folder, names: [
        n for n in names if n.endswith(".po") and n[:-3] not in SMALL_COPY])
    return tmp_path


def cli(copy: Path, *args: str, **kwargs):
    return run_cli("--content-dir", str(copy / "content"), "--locales-dir", str(copy / "locales"), *args,
                   cwd=copy, **kwargs)


def edit_source(copy: Path, old: str, new: str) -> None:
    """Change the English source of the copied topic (the first occurrence of ``old``)."""
    yaml = copy / "content" / f"{TOPIC}.yaml"
    text = yaml.read_text(encoding="utf-8")
    assert old in text
    yaml.write_text(text.replace(old, new, 1), encoding="utf-8")


def fill(po: Path, tag: str) -> None:
    """Translate every entry as its source with the first letter's case swapped (valid for every check)."""
    catalog = open_catalog(po, tag)
    for message in catalog:
        forms = (message.msgid,) + (message.msgid_plural,) * (len(message.msgstr) - 1) if message.plural \
            else (message.msgid,)
        message.msgstr = tuple(_swap_first_letter(form) for form in forms)
    write_atomic(po, catalog_bytes(catalog))


def _swap_first_letter(text: str) -> str:
    """'Dry skin' -> 'dry skin'; placeholders and tags are left alone."""
    inside = False
    for index, ch in enumerate(text):
        if ch in "{<":
            inside = True
        elif ch in "}>":
            inside = False
        elif not inside and ch.isalpha():
            return text[:index] + ch.swapcase() + text[index + 1:]
    return text


def pdf_text(path: Path) -> str:
    with pdfplumber.open(path) as pdf:
        return " ".join(" ".join((page.extract_text() or "").split()) for page in pdf.pages)


def slide_xml(path: Path) -> list[str]:
    from lxml import etree
    return [etree.tostring(slide._element, encoding="unicode") for slide in Presentation(str(path)).slides]


def test_new_language_without_code_change(copy):
    result = cli(copy, "locales", "init", "it")
    assert result.returncode == 0, result.stderr
    po = copy / "locales" / "it.po"
    text = po.read_text(encoding="utf-8")
    assert '"Language: it\\n"' in text
    assert "Plural-Forms: nplurals=2; plural=(n != 1);" in text  # the classic formula Poedit and pofilter expect
    # untranslated: the build refuses, and says what is missing
    refused = cli(copy, "build", "--locale", "it", "--out", str(copy / "out"))
    assert refused.returncode == 1 and "untranslated: 'umbilical cord (blood)'" in refused.stderr
    assert "--allow-incomplete" in refused.stderr  # the refusal says how to preview anyway
    assert not (copy / "out").exists()
    fill(po, "it")
    built = cli(copy, "build", "--locale", "it", "--out", str(copy / "out"))
    assert built.returncode == 0, built.stderr
    handout = copy / "out" / "it" / f"{TOPIC}-handout-a4.pdf"
    deck = copy / "out" / "it" / f"{TOPIC}-slides.pptx"
    assert PdfReader(handout).trailer["/Root"]["/Lang"] == "it"
    assert "italiano" in pdf_text(handout)  # language name from CLDR
    assert Presentation(str(deck)).core_properties.language == "it-IT"


@pytest.mark.parametrize("tag, message", [
    ("xx-Bogus", "'xx-Bogus' is not a locale tag"), ("../etc", "is not a locale tag"),
    ("qq", "'qq' is not a locale Babel (CLDR) knows"), ("es", "catalog exists already"),
])
def test_init_rejects_bad_or_existing_locales(copy, tag, message):
    result = cli(copy, "locales", "init", tag)
    assert result.returncode == 1
    assert message in result.stderr
    assert not (copy / "etc.po").exists()


def test_changed_source_becomes_fuzzy_with_previous_text(copy):
    edit_source(copy, '"Medicine for skin infections"', '"Medicines for skin infections"')
    assert cli(copy, "locales", "status", "--strict", "--locale", "es").returncode == 1  # catalogs lack the new text
    result = cli(copy, "locales", "update")
    assert result.returncode == 0, result.stderr
    es = (copy / "locales" / "es.po").read_text(encoding="utf-8")
    entry = re.search(r'#, fuzzy, max-length:160\n#\| msgid "Medicine for skin infections"\nmsgid "Medicines for skin infections"\nmsgstr "([^"]*)"', es)
    assert entry and entry.group(1) == "Medicamentos para las infecciones de la piel"
    status = cli(copy, "locales", "status", "--strict", "--locale", "es")
    assert status.returncode == 1
    assert re.search(r"^es +(\d+)/(\d+) +1 +0 +0", status.stdout, re.M), status.stdout
    # the fuzzy entry is never used: the Spanish build refuses
    build = cli(copy, "build", "--locale", "es", "--out", str(copy / "out"))
    assert build.returncode == 1 and re.search(r"locales/es\.po:\d+:1: fuzzy translation of 'Medicines for skin infections'",
                                               build.stderr), build.stderr


def test_removed_source_becomes_obsolete(copy):
    edit_source(copy, '          - "Medicine for skin infections"\n', "")
    assert cli(copy, "locales", "update").returncode == 0
    assert '#~ msgid "Medicine for skin infections"' in (copy / "locales" / "es.po").read_text(encoding="utf-8")


def test_allow_incomplete_marks_english_fallback(copy):
    edit_source(copy, '"Medicine for skin infections"', '"Medicines for skin infections"')
    result = cli(copy, "build", "--locale", "es", "--format", "pdf", "--paper", "a4", "--allow-incomplete",
                 "--out", str(copy / "out"))
    assert result.returncode == 0, result.stderr
    text = pdf_text(copy / "out" / "es" / f"{TOPIC}-handout-a4.pdf")
    assert "Medicines for skin infections" in text
    assert "Some parts are not translated yet and are shown in English." in text


def test_draft_and_reviewed_footers(copy):
    built = cli(copy, "build", "--locale", "es", "--out", str(copy / "draft"))
    assert built.returncode == 0, built.stderr
    draft_text = pdf_text(copy / "draft" / "es" / f"{TOPIC}-handout-a4.pdf")
    english = "Draft translation: not yet checked by a qualified reviewer."
    assert draft_text.count(english) == 2  # on every page of the two-page handout
    assert "Traducción provisional" in draft_text
    assert all(english in xml for xml in slide_xml(copy / "draft" / "es" / f"{TOPIC}-slides.pptx"))

    reviewed = cli(copy, "locales", "review", "es", "--reviewer", "Dr Ana Ruiz, dermatologist", "--date", "2026-11-20")
    assert reviewed.returncode == 0, reviewed.stderr
    assert cli(copy, "build", "--locale", "es", "--out", str(copy / "rev")).returncode == 0
    text = pdf_text(copy / "rev" / "es" / f"{TOPIC}-handout-a4.pdf")
    assert english not in text
    assert "Dr Ana Ruiz, dermatologist" in text and "20 de noviembre de 2026" in text
    assert all("Dr Ana Ruiz" in xml for xml in slide_xml(copy / "rev" / "es" / f"{TOPIC}-slides.pptx"))
    status = cli(copy, "locales", "status").stdout
    assert re.search(r"^es .*reviewed by Dr Ana Ruiz, dermatologist on 2026-11-20$", status, re.M)

    # a later source change makes the review stale: drafts again
    edit_source(copy, '"Medicine for skin infections"', '"Medicines for skin infections"')
    assert re.search(r"^es .*draft: changed since the review by Dr Ana Ruiz, dermatologist on 2026-11-20$",
                     cli(copy, "locales", "status").stdout, re.M)


def test_review_headers_survive_update(copy):
    assert cli(copy, "locales", "review", "fr", "--reviewer", "Dr Luc Martin, dermatologue",
               "--date", "2026-11-20").returncode == 0
    assert cli(copy, "locales", "update").returncode == 0
    text = (copy / "locales" / "fr.po").read_text(encoding="utf-8")
    assert '"X-Reviewed-atopic-dermatitis: Dr Luc Martin, dermatologue | 2026-11-20 | "' in text, text[:1500]
    assert "reviewed by Dr Luc Martin" in cli(copy, "locales", "status").stdout


def test_extract_honours_source_date_epoch(copy):
    result = cli(copy, "locales", "extract", env={"SOURCE_DATE_EPOCH": "1767225600"})
    assert result.returncode == 0, result.stderr
    pot = (copy / "locales" / "leaflets.pot").read_text(encoding="utf-8")
    assert '"POT-Creation-Date: 2026-01-01 00:00+0000\\n"' in pot
    entry = pot.split('msgid "Medicine for skin infections"')[0].rsplit("\n\n", 1)[1]
    assert "#. audience: patient" in entry and "#: content/atopic-dermatitis.yaml:" in entry
    assert "#. length budget: 160 characters" in entry
    assert "{child_prevalence} = 10.7%" in pot


def test_pseudo_locale_build(copy):
    result = cli(copy, "build", "--locale", "en-XA", "--out", str(copy / "out"))
    assert result.returncode == 0, result.stderr
    text = pdf_text(copy / "out" / "en-XA" / f"{TOPIC}-handout-a4.pdf")
    assert "[Àţôþîç ðéŕɱàţîţîš (éçžéɱà)" in text
    assert "12 weeks" in text  # facts still formatted


def test_allow_incomplete_notice_fits_the_page(copy):
    """With missing strings the footer carries two notices, each in two languages: all inside the margins."""
    po = copy / "locales" / "ru.po"
    parts = po.read_text(encoding="utf-8").split("\n\n")
    for index in range(3, len(parts), 5):
        parts[index] = re.sub(r'msgstr "[^"]*"(\n"[^\n]*")*', 'msgstr ""', parts[index])
    po.write_text("\n\n".join(parts), encoding="utf-8")
    built = cli(copy, "build", "--locale", "ru", "--format", "pdf", "--allow-incomplete", "--out", str(copy / "out"))
    assert built.returncode == 0, built.stderr
    for paper in ("a4", "letter"):
        with pdfplumber.open(copy / "out" / "ru" / f"{TOPIC}-handout-{paper}.pdf") as pdf:
            for page in pdf.pages:
                text = " ".join((page.extract_text() or "").split())
                assert "Some parts are not translated yet and are shown in English." in text
                assert "Draft translation: not yet checked by a qualified reviewer." in text
                edge = 10 * 72 / 25.4  # footer text keeps 10 mm from every edge
                footer = [c for c in page.chars if c["top"] > page.height - 3 * edge]
                assert len(footer) > 200
                assert all(edge - 0.5 <= c["x0"] and c["x1"] <= page.width - edge + 0.5 for c in footer)
                assert all(c["bottom"] <= page.height - edge + 0.5 for c in footer)
                assert min(round(c["size"], 2) for c in footer) >= 9  # wrapped, not shrunk to fit


def test_init_warns_when_the_shipped_font_draws_the_script_in_another_style(copy):
    """Urdu is written in Nastaliq; the shipped Arabic font is Naskh: init says so, and still succeeds."""
    result = cli(copy, "locales", "init", "ur")
    assert result.returncode == 0, result.stderr
    assert (copy / "locales" / "ur.po").exists()
    assert "wrote " in result.stdout
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning: ")]
    assert len(warnings) == 1, result.stderr
    assert "ur (Urdu) is normally written in the Nastaliq style" in warnings[0]
    assert "Noto Sans Arabic draws Naskh" in warnings[0] and "Noto Nastaliq Urdu" in warnings[0]
    persian = cli(copy, "locales", "init", "fa")  # Persian print is Naskh: nothing to say
    assert persian.returncode == 0 and "warning" not in persian.stderr, persian.stderr
