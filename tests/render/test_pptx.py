"""The PPTX deck: structure, notes, language tags, table, chart, LibreOffice."""

from __future__ import annotations

import shutil
import subprocess

from pptx import Presentation
from pptx.util import Emu

from leaflets.build import load_translations
from leaflets.render.fonts import FONT_DIR
from tests.conftest import require_tool

NS = {"a": "http://schemas.openxmlformats.org/drawingml/2006/main",
      "p": "http://schemas.openxmlformats.org/presentationml/2006/main"}
SLIDES = 23  # content 2.0: section, diagram, disclosure and closing slides


def _deck(built, tag):
    return Presentation(str(built / tag / "atopic-dermatitis-slides.pptx"))


def test_slide_count_and_16x9(built):
    prs = _deck(built, "en")
    assert len(prs.slides) == SLIDES
    assert (prs.slide_width, prs.slide_height) == (Emu(12191695), Emu(6858000)) or \
        abs(prs.slide_width / prs.slide_height - 16 / 9) < 0.01


def test_layouts_span_the_wide_slide(built):
    """The 4:3 template's layouts were rescaled, not just the slide size."""
    prs = _deck(built, "en")
    for layout in prs.slide_layouts:
        for shape in layout.placeholders:
            if shape.width:
                assert shape.left + shape.width <= prs.slide_width + 10
    title_layout = prs.slide_layouts[0].placeholders[0]
    assert title_layout.left + title_layout.width > prs.slide_width * 0.8


def test_every_slide_has_speaker_notes(built, shipped):
    for tag in shipped:
        for number, slide in enumerate(_deck(built, tag).slides, start=1):
            assert slide.has_notes_slide, (tag, number)
            assert slide.notes_slide.notes_text_frame.text.strip(), (tag, number)


ENGLISH_NOTICE = "Draft translation: not yet checked by a qualified reviewer."


def _reference_texts(built) -> set[str]:
    """The reference entries' texts (English, as published), from the English deck's reference slide."""
    slide = [s for s in _deck(built, "en").slides][-1]
    return {t for t in slide._element.xpath(".//a:t/text()") if "." in t and len(t) > 20}


def test_every_run_is_language_tagged(built, shipped):
    """Runs carry the deck's language; the English half of the draft notice and the
    references (published in English) are en-US."""
    references = _reference_texts(built)
    assert len(references) >= 8
    for tag in shipped:
        prs = _deck(built, tag)
        lang = prs.core_properties.language
        for slide in prs.slides:
            for part in (slide, slide.notes_slide):
                runs = part._element.xpath(".//a:r")
                assert runs
                for run in runs:
                    rpr = run.find("a:rPr", NS)
                    text = run.findtext("a:t", namespaces=NS)
                    expected = "en-US" if text == ENGLISH_NOTICE or text in references else lang
                    assert rpr.get("lang") == expected, (tag, text, rpr.get("lang"))
                    assert rpr.find("a:latin", NS) is not None


def test_core_properties(built, project):
    prs = _deck(built, "es")
    assert prs.core_properties.language == "es-ES"
    assert prs.core_properties.title == load_translations(project, "es").lookup("Atopic dermatitis (eczema)")


def test_native_table_with_trial_results(built):
    prs = _deck(built, "es")
    tables = [s for slide in prs.slides for s in slide.shapes if s.has_table]
    assert len(tables) == 3  # first trial, approved systemic drugs, evidence summary
    cells = [c.text for table in tables for row in table.table.rows for c in row.cells]
    assert any("2,5\u00a0×\u00a010⁷" in c for c in cells)
    assert any("34" in c for c in cells)


def test_native_chart_with_localized_labels(built, project):
    prs = _deck(built, "es")
    charts = [s.chart for slide in prs.slides for s in slide.shapes if s.has_chart]
    assert len(charts) == 1
    chart = charts[0]
    catalog = load_translations(project, "es")
    assert list(chart.plots[0].categories) == [catalog.lookup(c) for c in ("Mild", "Moderate", "Severe")]
    labels = [p.data_label.text_frame.text for p in chart.plots[0].series[0].points]
    assert labels == ["67\u00a0%", "26\u00a0%", "7\u00a0%"]
    assert [round(v, 2) for v in chart.plots[0].series[0].values] == [0.67, 0.26, 0.07]


def test_references_slide_lists_dois(built):
    slide = _deck(built, "en").slides[-1]
    text = "\n".join(s.text_frame.text for s in slide.shapes if s.has_text_frame)
    assert "doi:10.1002/stem.2401" in text and "doi:10.2310/6620.2007.06034" in text


def test_libreoffice_converts_every_deck(built, shipped, tmp_path):
    """Every deck opens and converts in LibreOffice, one page per slide, in our fonts."""
    soffice = require_tool("soffice")
    require_tool("pdffonts")
    fonts_conf = tmp_path / "fonts.conf"
    fonts_conf.write_text(f'<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
                          f'<dir>{FONT_DIR}</dir><include ignore_missing="yes">/etc/fonts/fonts.conf</include>'
                          f'</fontconfig>', encoding="utf-8")
    decks = []
    for tag in shipped:
        copy = tmp_path / f"deck-{tag}.pptx"
        shutil.copy(built / tag / "atopic-dermatitis-slides.pptx", copy)
        decks.append(str(copy))
    out = tmp_path / "pdf"
    result = subprocess.run([soffice, f"-env:UserInstallation=file://{tmp_path}/profile", "--headless",
                             "--convert-to", "pdf", "--outdir", str(out), *decks],
                            capture_output=True, text=True, timeout=900,
                            env={"FONTCONFIG_FILE": str(fonts_conf), "HOME": str(tmp_path), "PATH": "/usr/bin:/bin"})
    assert result.returncode == 0, result.stderr
    for tag in shipped:
        pdf = out / f"deck-{tag}.pdf"
        assert pdf.exists(), (tag, result.stdout, result.stderr)
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
        assert f"Pages: {SLIDES}" in " ".join(info.split()), (tag, info)
        fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
        assert "NotoSans" in fonts, (tag, fonts)


def test_arabic_percent_sign_in_handout_deck_and_chart(built, project, loaded):
    """١٠٫٧٪ with CLDR's Arabic percent sign, never an ASCII % after Arabic-Indic digits."""
    import re
    import zipfile
    from leaflets.build import load_translations
    from leaflets.document import plain
    from leaflets.localize import localize

    doc = localize(loaded, "ar", load_translations(project, "ar"))
    # content 2.0 gives patients natural frequencies, not percentages; every percent
    # the document formats (deck text, notes, chart labels) uses the Arabic sign
    everything = " ".join(text for _, text in doc.texts)
    assert "٪" in everything and not re.search(r"[٠-٩]\s?%", everything)
    with zipfile.ZipFile(built / "ar" / "atopic-dermatitis-slides.pptx") as deck:
        slides = "".join(deck.read(n).decode("utf-8") for n in deck.namelist() if n.startswith("ppt/slides/slide"))
        charts = "".join(deck.read(n).decode("utf-8") for n in deck.namelist() if n.startswith("ppt/charts/chart"))
    assert "٪" in slides and not re.search(r"[٠-٩]%", slides)
    assert "٪" in charts and not re.search(r"[٠-٩]%", charts)


def test_reference_numbers_use_the_document_digits(built):
    ar = Presentation(str(built / "ar" / "atopic-dermatitis-slides.pptx"))
    texts = ar.slides[len(ar.slides) - 1]._element.xpath(".//a:t/text()")
    assert "١. " in texts and "1. " not in texts
