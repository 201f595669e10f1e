"""Property tests: any text goes through localization and both renderers
without a crash, and text the fonts can draw comes back out of the PDF and
the deck.  Few examples (each renders a handout and a deck)."""

from __future__ import annotations

import io
import json
import tempfile
import unicodedata
from pathlib import Path

import pdfplumber
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from pptx import Presentation

from leaflets.content.load import load_topic
from leaflets.errors import LeafletsError
from leaflets.localize import localize
from leaflets.render.fonts import LATIN, coverage
from leaflets.render.pdf import render_handout
from leaflets.render.pptx import render_deck
from leaflets.i18n.catalog import SourceTranslations
from leaflets.render.preflight import missing_glyphs
from tests.conftest import ROOT

MINIMAL = (ROOT / "tests" / "content" / "minimal.yaml").read_text(encoding="utf-8")
SETTINGS = settings(max_examples=15, deadline=None, derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def drawable(code: int) -> bool:
    """Drawn by the Latin stack, left to right, not markup, not a mark or control."""
    ch = chr(code)
    return (unicodedata.category(ch)[0] in "LNPSZ" and unicodedata.bidirectional(ch) not in ("R", "AL", "AN")
            and ch not in "{}<>")


DRAWABLE = sorted(c for c in coverage(LATIN.regular) & coverage(LATIN.bold) if drawable(c))
any_text = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=30)
drawable_text = st.text(st.sampled_from([chr(c) for c in DRAWABLE]), min_size=1, max_size=40).filter(str.strip)


def pipeline(text: str):
    """The minimal topic with ``text`` as a handout paragraph and a slide bullet:
    load, localize, preflight, render; returns (pdf bytes, pptx bytes)."""
    source = MINIMAL.replace('"About {share} of people."', json.dumps(text, ensure_ascii=False), 1)
    source = source.replace('["Share: {share}"]', "[" + json.dumps(text, ensure_ascii=False) + "]", 1)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "topic.yaml"
        path.write_text(source, encoding="utf-8")
        loaded = load_topic(path)
    document = localize(loaded, "en")
    problems = missing_glyphs(document, loaded, SourceTranslations())
    if problems:
        raise LeafletsError(problems)
    pdf, deck = io.BytesIO(), io.BytesIO()
    render_handout(document, pdf, "a4")
    render_deck(document, deck)
    return pdf.getvalue(), deck.getvalue()


def normal(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


@SETTINGS
@given(any_text)
def test_any_text_is_an_artifact_or_a_clear_error(text):
    try:
        pdf, deck = pipeline(text)
    except LeafletsError as exc:
        assert all(d.file.endswith("topic.yaml") for d in exc.diagnostics)
        return
    assert pdf.startswith(b"%PDF") and deck.startswith(b"PK")


@SETTINGS
@given(drawable_text)
def test_drawable_text_comes_back_out_of_the_pdf_and_the_deck(text):
    pdf, deck = pipeline(text)
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        extracted = "".join(page.extract_text() or "" for page in document.pages)
    assert normal(text) in normal(extracted)
    slides = Presentation(io.BytesIO(deck)).slides
    shown = "".join(shape.text_frame.text for slide in slides for shape in slide.shapes if shape.has_text_frame)
    assert normal(text) in normal(shown)


@pytest.mark.parametrize("text", ["Ω" * 200, "ﬁ ﬂ office", "a\u00a0b\u202fc", "x" * 500])
def test_examples_found_worth_keeping(text):
    pdf, _ = pipeline(text)
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        page = document.pages[0]
        assert normal(text) in normal(page.extract_text())
        assert max(char["x1"] for char in page.chars) <= page.width


json_values = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
                           lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner,
                                                                                       max_size=3), max_leaves=12)


@settings(max_examples=200, deadline=None, derandomize=True, database=None)
@given(st.one_of(st.binary(max_size=300), json_values.map(lambda v: json.dumps(v).encode()),
                 st.dictionaries(st.text(max_size=30), json_values, max_size=3).map(
                     lambda targets: json.dumps({"format": 1, "generator": "g", "targets": targets}).encode())))
def test_any_manifest_is_used_whole_or_ignored_with_a_reason(data):
    """A manifest is a hint: whatever its bytes, loading never fails; it is either well-formed
    in every entry, or ignored with one line saying why (issue 22)."""
    from leaflets.manifest import MANIFEST_NAME, Manifest, entry_problem
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / MANIFEST_NAME).write_bytes(data)
        manifest = Manifest.load(Path(folder))
    if manifest.ignored is None:
        assert all(entry_problem(entry) is None for entry in manifest.targets.values())
    else:
        assert manifest.targets == {} and "\n" not in manifest.ignored
