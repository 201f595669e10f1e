"""The library's entry point, leaflets.Engine: explicit inputs, data out, every option honoured or
refused, no side effects on the process, and the same bytes as the command line."""

from __future__ import annotations

import datetime as dt
import gc
import json
import os
import re
import signal
import threading
from pathlib import Path

import pytest

import leaflets
from leaflets import BadRequest, Engine, LeafletsError, Project
from leaflets.build import build
from leaflets.manifest import MANIFEST_NAME
from leaflets.plan import BuildOptions, Target
from tests.conftest import ROOT, TOPIC

TOPIC_ID = "atopic-dermatitis"
NEW_YEAR = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine()


@pytest.fixture(scope="module")
def spanish(engine):
    return engine.localize(TOPIC_ID, "es")


def readme_example() -> str:
    """The code of README.md's "Use it as a library" section."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Use it as a library", 1)[1].split("\n## ", 1)[0]
    return re.search(r"```python\n(.*?)```", section, re.S).group(1)


def test_the_readme_example_runs_and_writes_what_it_says(tmp_path, monkeypatch):
    code = readme_example()
    assert len(code.strip().splitlines()) <= 12
    monkeypatch.chdir(tmp_path)
    exec(compile(code, "README.md", "exec"), {})
    pdf = tmp_path / "atopic-dermatitis-handout-a4.pdf"
    assert pdf.read_bytes().startswith(b"%PDF-")


def test_an_artifact_carries_its_metadata(spanish, engine):
    handout = engine.render(spanish, "pdf", paper="letter", created=NEW_YEAR)
    assert (handout.file_name, handout.media_type, handout.count, handout.unit, handout.summary) == (
        "es/atopic-dermatitis-handout-letter.pdf", "application/pdf", 2, "page", "2 pages")
    assert handout.data.startswith(b"%PDF-") and b"/CreationDate (D:20260101000000+00'00')" in handout.data
    deck = engine.render(spanish, "pptx", created=NEW_YEAR)
    assert deck.file_name == "es/atopic-dermatitis-slides.pptx"
    assert deck.media_type == "application/vnd.openxmlformats-officedocument.presentationml.presentation"
    assert deck.unit == "slide" and deck.count > 20 and deck.data.startswith(b"PK")
    assert handout.fingerprint != deck.fingerprint


def test_the_engine_and_the_command_line_build_make_the_same_files(spanish, engine, tmp_path):
    """The build is made of the engine's calls: same bytes, same fingerprints in the manifest."""
    out = tmp_path / "out"
    options = BuildOptions(created=NEW_YEAR)
    build(Project(), out, locales=["es"], formats=["pdf", "pptx"], papers=["a4"], options=options)
    manifest = json.loads((out / MANIFEST_NAME).read_text(encoding="utf-8"))
    for fmt, paper in (("pdf", "a4"), ("pptx", None)):
        artifact = engine.render(spanish, fmt, paper=paper, created=NEW_YEAR)
        assert (out / artifact.file_name).read_bytes() == artifact.data, artifact.file_name
        assert manifest["targets"][artifact.file_name]["fingerprint"] == artifact.fingerprint


def test_the_same_request_gives_the_same_bytes_and_a_changed_one_another_fingerprint(spanish, engine):
    first = engine.render(spanish, "pdf", paper="a4", created=NEW_YEAR)
    again = engine.render(spanish, "pdf", paper="a4", created=NEW_YEAR)
    assert first.data == again.data and first.fingerprint == again.fingerprint
    later = engine.render(spanish, "pdf", paper="a4", created=NEW_YEAR + dt.timedelta(days=1))
    assert later.fingerprint != first.fingerprint and later.data != first.data


@pytest.mark.parametrize("request_, what", [
    ({"format": "pdf"}, "format 'pdf' needs a paper size: a4, letter"),
    ({"format": "pdf", "paper": "a3"}, "format 'pdf' needs a paper size: a4, letter (not 'a3')"),
    ({"format": "pptx", "paper": "a4"}, "format 'pptx' has no paper size (got 'a4')"),
    ({"format": "pdf", "paper": "a4", "template": "deck.pptx"}, "format 'pdf' takes no template"),
    ({"format": "pdf", "paper": "a4", "build_in": True}, "format 'pdf' has no bullets to build in"),
    ({"format": "pdf", "paper": "a4", "created": dt.datetime(2026, 1, 1)}, "created must be a timezone-aware datetime"),
    ({"format": "pdf", "paper": "a4", "created": "2026-01-01"}, "created must be a timezone-aware datetime"),
    ({"format": "docx"}, "no renderer for format 'docx'; the formats are pdf, pptx"),
])
def test_an_option_that_cannot_be_honoured_is_refused(spanish, engine, request_, what):
    request_ = dict(request_)
    with pytest.raises(LeafletsError) as caught:
        engine.render(spanish, request_.pop("format"), **request_)
    assert what in str(caught.value.diagnostics[0])


@pytest.mark.parametrize("field, value, what", [
    ("variant", "clinician", "unknown variant 'clinician'; variants: standard, large-print"),
    ("brand", "clinic-a", "is for brand 'clinic-a' but the options carry None"),
])
def test_unknown_variants_and_brands_without_a_profile_are_refused(spanish, engine, field, value, what):
    target = Target(TOPIC_ID, "es", "pdf", "a4", **{field: value})
    with pytest.raises(BadRequest, match=re.escape(what)):
        engine.render_target(spanish, target)


def test_a_deck_has_one_edition(spanish, engine):
    with pytest.raises(BadRequest, match="format 'pptx' has one edition"):
        engine.render(spanish, "pptx", variant="large-print")


def test_an_edition_is_named_reproducible_and_fingerprinted_by_brand_and_variant(engine):
    clinic = engine.clinic(ROOT / "examples" / "riverside-clinic" / "_brand.yml")
    generic, branded = engine.localize(TOPIC_ID, "en"), engine.localize(TOPIC_ID, "en", clinic=clinic)
    with pytest.raises(BadRequest, match="was localized without a clinic"):
        engine.render(generic, "pdf", paper="a4", clinic=clinic)
    with pytest.raises(BadRequest, match="localized for 'Riverside Skin Clinic', not for 'no clinic'"):
        engine.render(branded, "pdf", paper="a4")
    first = engine.render(branded, "pdf", paper="a4", variant="large-print", clinic=clinic, created=NEW_YEAR)
    again = engine.render(branded, "pdf", paper="a4", variant="large-print", clinic=clinic, created=NEW_YEAR)
    assert first.file_name == "en/atopic-dermatitis-handout-a4-large-print-riverside.pdf"
    assert first.data == again.data and first.fingerprint == again.fingerprint
    standard = engine.render(branded, "pdf", paper="a4", clinic=clinic, created=NEW_YEAR)
    plain = engine.render(generic, "pdf", paper="a4", created=NEW_YEAR)
    large = engine.render(generic, "pdf", paper="a4", variant="large-print", created=NEW_YEAR)
    # the example clinic's language-assistance notice lifts the standard edition's limit to three pages
    assert standard.file_name == "en/atopic-dermatitis-handout-a4-riverside.pdf" and standard.count == 3
    assert len({first.fingerprint, standard.fingerprint, plain.fingerprint, large.fingerprint}) == 4
    assert large.count > 2 and large.file_name == "en/atopic-dermatitis-handout-a4-large-print.pdf"


def test_a_target_of_another_document_is_refused(spanish, engine):
    with pytest.raises(BadRequest, match="is not a file of the es atopic-dermatitis document"):
        engine.render_target(spanish, Target(TOPIC_ID, "de", "pdf", "a4"))


def test_the_date_comes_from_the_request_never_the_environment(spanish, engine, monkeypatch):
    """ReportLab reads SOURCE_DATE_EPOCH itself (and fails on 'abc'); the engine dates explicitly."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "abc")
    handout = engine.render(spanish, "pdf", paper="a4", created=dt.datetime(2027, 6, 1, 12, tzinfo=dt.timezone.utc))
    assert b"/CreationDate (D:20270601120000+00'00')" in handout.data
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    undated = engine.render(spanish, "pdf", paper="a4")
    assert b"D:20260101000000" not in undated.data  # None is now, not the environment's date


# ------------------------------------------------------------------ failing closed
def test_a_locale_without_a_catalog_is_an_error_naming_it(engine):
    with pytest.raises(LeafletsError) as caught:
        engine.localize(TOPIC_ID, "it")
    assert [(d.file, d.message) for d in caught.value.diagnostics] == [("locales/it.po", "catalog not found")]
    with pytest.raises(LeafletsError, match="is not a locale tag"):
        engine.localize(TOPIC_ID, "../../etc")


def test_an_unknown_topic_names_the_known_ones(engine):
    with pytest.raises(LeafletsError, match="no topic 'eczema' in .*; topics: atopic-dermatitis"):
        engine.topic("eczema")


# ------------------------------------------------------------------------ checking
def test_check_reports_what_would_stop_a_build(tmp_path):
    content = tmp_path / "content"
    content.mkdir()
    (content / "mini.yaml").write_bytes((ROOT / "tests" / "content" / "minimal.yaml").read_bytes())
    (tmp_path / "locales").mkdir()
    engine = Engine(Project.in_folder(tmp_path))
    assert engine.check() == []
    (tmp_path / "locales" / "LINGUAS").write_text("it\n", encoding="utf-8")
    assert ["there is no it.po" in d.message for d in engine.check()] == [True]


# ------------------------------------------------------------------ no side effects
def test_the_engine_leaves_the_process_as_it_found_it(spanish, engine, tmp_path):
    """No environment change, garbage-collector tuning, signal handler, thread or process."""
    environ, thresholds, frozen = dict(os.environ), gc.get_threshold(), gc.get_freeze_count()
    handlers = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    threads = threading.active_count()
    import multiprocessing
    children = multiprocessing.active_children()
    engine.render(spanish, "pdf", paper="a4", created=NEW_YEAR)
    engine.render(spanish, "pptx")
    Engine(Project()).check(["en"])
    build(Engine(), tmp_path / "out", locales=["en"], formats=["pdf"], papers=["a4", "letter"])
    assert dict(os.environ) == environ
    # nothing frozen by the engine: the count never grows (it may shrink: objects an earlier test's
    # build froze in this process die as bounded caches drop them)
    assert gc.get_threshold() == thresholds and gc.get_freeze_count() <= frozen
    assert {sig: signal.getsignal(sig) for sig in handlers} == handlers
    assert threading.active_count() == threads and multiprocessing.active_children() == children


def test_importing_leaflets_imports_no_renderer():
    import subprocess
    import sys
    probe = ("import sys, leaflets; leaflets.Engine; leaflets.Project; "
             "print(sorted(m for m in ('reportlab', 'pptx', 'fontTools', 'uharfbuzz') if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_the_public_names_are_documented():
    for name in leaflets.__all__:
        if name == "__version__":
            continue
        value = getattr(leaflets, name)
        assert value.__doc__ and len(value.__doc__.split()) > 5, name
    for name in ("topics", "topic", "translations", "localize", "check", "render", "render_target", "fingerprint"):
        assert len(getattr(Engine, name).__doc__.split()) > 10, name


def test_an_engine_reads_a_project_not_a_path():
    with pytest.raises(TypeError, match="reads a leaflets.Project, not PosixPath"):
        Engine(Path("content"))


def test_the_topic_fixture_is_the_shipped_topic(loaded, engine):
    assert engine.topic(TOPIC_ID).source.file == loaded.source.file == TOPIC.relative_to(ROOT).as_posix()
