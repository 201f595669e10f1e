"""Incremental builds: a target is rebuilt exactly when its inputs change."""

from __future__ import annotations

import datetime as dt
import io
import json
import shutil
from dataclasses import replace

import pytest

import leaflets.build
import leaflets.engine
from leaflets.build import Project, build
from leaflets.design import DEFAULT_DESIGN
from leaflets.manifest import MANIFEST_NAME
from leaflets.plan import BuildOptions, FileDigests, Target
from leaflets.progress import LineReporter
from tests.engine.conftest import artifacts
from tests.conftest import ROOT

LOCALES = ["en", "es", "de"]


def run(project, out, **kwargs):
    """One quiet in-process build of 3 locales × (A4 handout, deck); returns (result, stdout)."""
    stdout = io.StringIO()
    result = build(project, out, locales=LOCALES, formats=["pdf", "pptx"], papers=["a4"], jobs=1,
                   reporter=LineReporter(stdout, io.StringIO()), **kwargs)
    return result, stdout.getvalue()


def names(result, out):
    return sorted(path.relative_to(out).as_posix() for path, _ in result.written)


@pytest.fixture(scope="module")
def pristine(tmp_path_factory):
    """The project and its first build, made once for the module."""
    base = tmp_path_factory.mktemp("incremental")
    for name in ("content", "locales"):
        shutil.copytree(ROOT / name, base / name)
    project = Project(content_dir=base / "content", locales_dir=base / "locales")
    result, _ = run(project, base / "out")
    assert len(result.written) == 6 and (base / "out" / MANIFEST_NAME).is_file()
    return base


@pytest.fixture
def first(pristine, tmp_path):
    """A private copy of the project and of its first build."""
    for name in ("content", "locales", "out"):
        shutil.copytree(pristine / name, tmp_path / name)
    return Project(content_dir=tmp_path / "content", locales_dir=tmp_path / "locales"), tmp_path / "out"


def test_nothing_changed_nothing_rebuilt(first):
    project, out = first
    before = {p: p.stat().st_mtime_ns for p in out.rglob("*.p*")}
    result, stdout = run(project, out)
    assert result.written == [] and len(result.up_to_date) == 6
    assert stdout.startswith("everything is up to date (6 files")
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*.p*")} == before


def test_one_translation_changed_rebuilds_only_that_locale(first):
    project, out = first
    po = project.locales_dir / "es.po"
    text = po.read_text(encoding="utf-8")
    old = 'msgstr "Dermatitis atópica (eccema)"'
    assert old in text  # the topic's title: on the handout and the deck
    po.write_text(text.replace(old, 'msgstr "Dermatitis atópica (eczema)"', 1), encoding="utf-8")
    result, _ = run(project, out)
    assert names(result, out) == ["es/atopic-dermatitis-handout-a4.pdf", "es/atopic-dermatitis-slides.pptx"]


def test_a_change_no_target_uses_rebuilds_nothing(first):
    """A translator's comment changes the catalog file but no entry a target uses."""
    project, out = first
    po = project.locales_dir / "de.po"
    po.write_text("# a translator's note\n" + po.read_text(encoding="utf-8"), encoding="utf-8")
    result, stdout = run(project, out)
    assert result.written == [] and "everything is up to date" in stdout


def test_a_font_changed_rebuilds_everything(first, tmp_path, monkeypatch):
    project, out = first
    assets = tmp_path / "assets"
    shutil.copytree(ROOT / "assets", assets)
    font = assets / "fonts" / "NotoSans-Regular.ttf"
    data = bytearray(font.read_bytes())
    data[-1] ^= 0xFF  # a different font file (the copy is only fingerprinted)
    font.write_bytes(bytes(data))
    monkeypatch.setattr(leaflets.engine, "ASSETS_DIR", assets)
    result, _ = run(project, out)
    assert len(result.written) == 6


def test_the_generator_changed_rebuilds_everything(first, monkeypatch):
    project, out = first
    monkeypatch.setattr(leaflets.engine, "generator_id", lambda: "leaflets 9.9 (another version)")
    result, _ = run(project, out)
    assert len(result.written) == 6


def test_force_rebuilds_everything_with_the_same_bytes(first):
    project, out = first
    before = artifacts(out)
    result, _ = run(project, out, force=True)
    assert len(result.written) == 6
    # without SOURCE_DATE_EPOCH decks carry the current time; handouts are invariant only with it
    assert set(artifacts(out)) == set(before)


def test_a_damaged_or_missing_file_is_rebuilt(first):
    project, out = first
    damaged = out / "de" / "atopic-dermatitis-handout-a4.pdf"
    damaged.write_bytes(damaged.read_bytes()[:1000])
    (out / "en" / "atopic-dermatitis-slides.pptx").unlink()
    result, _ = run(project, out)
    assert names(result, out) == ["de/atopic-dermatitis-handout-a4.pdf", "en/atopic-dermatitis-slides.pptx"]


@pytest.mark.parametrize("manifest", [b"", b"{not json", b"[]", b'{"format": 1, "targets": [1, 2]}',
                                      b'{"format": 999}', "\u00e9".encode("latin-1")])
def test_a_broken_manifest_means_rebuild_not_crash(first, manifest):
    project, out = first
    (out / MANIFEST_NAME).write_bytes(manifest)
    result, _ = run(project, out)
    assert len(result.written) == 6


def test_options_are_part_of_the_fingerprint(first):
    """An option the renderers get (the date) rebuilds every file; one that only the documents
    get (--allow-incomplete) rebuilds the files whose document it changes: none, where every
    catalog is complete and no English stands in."""
    project, out = first
    dated = BuildOptions(created=dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc))
    result, _ = run(project, out, options=dated)
    assert len(result.written) == 6
    result, stdout = run(project, out, options=replace(dated, allow_incomplete=True))
    assert result.written == [] and "everything is up to date" in stdout


def test_an_option_given_twice_is_refused_not_dropped(first):
    """``allow_incomplete`` as a keyword next to ``options`` would lose one of the two."""
    project, out = first
    with pytest.raises(TypeError, match="allow_incomplete in options or as a keyword, not both"):
        run(project, out, options=BuildOptions(), allow_incomplete=True)


def test_the_design_is_part_of_every_fingerprint(first):
    """One changed colour rebuilds every file, handouts and decks: the design's digest is in each
    fingerprint and inputs stamp; the same design again rebuilds nothing, and going back to the
    default rebuilds everything once more."""
    project, out = first
    created = leaflets.build.source_date()
    recoloured = DEFAULT_DESIGN.updated({"palette": {"accent": "#0B5D6C"}})
    before = json.loads((out / MANIFEST_NAME).read_text(encoding="utf-8"))["targets"]
    result, _ = run(project, out, options=BuildOptions(created=created, design=recoloured))
    assert len(result.written) == 6
    after = json.loads((out / MANIFEST_NAME).read_text(encoding="utf-8"))["targets"]
    assert all(after[name]["fingerprint"] != before[name]["fingerprint"] for name in before)
    result, stdout = run(project, out, options=BuildOptions(created=created, design=recoloured))
    assert result.written == [] and "everything is up to date" in stdout
    result, _ = run(project, out, options=BuildOptions(created=created))
    assert len(result.written) == 6


def test_the_options_name_the_design_by_its_digest():
    target = Target("atopic-dermatitis", "en", "pptx")
    options = BuildOptions()
    data = options.for_target(target, FileDigests())
    assert options.design is DEFAULT_DESIGN and data["design"] == DEFAULT_DESIGN.digest()
    larger = BuildOptions(design=DEFAULT_DESIGN.updated({"type": {"handout": {"body": 13}}}))
    assert larger.for_target(Target("atopic-dermatitis", "en", "pdf", "a4"), FileDigests())["design"] != data["design"]
