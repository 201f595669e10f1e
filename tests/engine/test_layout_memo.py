"""A handout's density is remembered per input fingerprint, so a later render, build or check
lays it out once; a memo that is stale or tampered with never changes a byte (issue 21)."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from leaflets import Engine, Project
from leaflets.build import BuildOptions, build, remembered_layouts
from leaflets.layoutmemo import LayoutMemo, seal, unseal, user_secret
from leaflets.manifest import MANIFEST_NAME
from leaflets.plan import Target
from leaflets.render import pdf
from leaflets.render.fontset import FontSet
from leaflets.resources import resources
from tests.engine.conftest import artifacts

CREATED = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)
SECRET = bytes(range(32))


@pytest.fixture
def passes(monkeypatch) -> dict:
    """Stories laid out, measured (for the density) and drawn, counted."""
    counts = {"laid_out": 0, "measured": 0, "drawn": 0}
    story, fill, draw = pdf.HandoutBuilder.story, pdf.fill, pdf._build

    def counted(name, function):
        def wrapper(*args, **kwargs):
            counts[name] += 1
            return function(*args, **kwargs)
        return wrapper

    monkeypatch.setattr(pdf.HandoutBuilder, "story", counted("laid_out", story))
    monkeypatch.setattr(pdf, "fill", counted("measured", fill))
    monkeypatch.setattr(pdf, "_build", counted("drawn", draw))
    return counts


@pytest.fixture
def fresh_engine():
    """Engines each with a font set of their own: no density cached by another test's renders."""
    made = []

    def make(project: Project | None = None) -> Engine:
        fonts = FontSet(resources().fonts_dir)
        made.append(fonts)
        return Engine(project or Project(), fonts=fonts)

    yield make
    for fonts in made:
        fonts.close()


def _build(engine: Engine, out, secret=SECRET, force=True):
    return build(engine, out, locales=["en"], formats=["pdf"], force=force, memo_secret=secret,
                 options=BuildOptions(created=CREATED))


def test_a_render_draws_the_density_the_engine_remembers(fresh_engine, passes):
    """Before, a render whose font set no longer cached the density measured it again (9 of 29
    layouts over the 20 shipped handouts thrown away): the engine now remembers the density drawn
    by the inputs' fingerprint, and draws it without measuring."""
    engine = fresh_engine()
    document = engine.localize(engine.topics()[0], "en")
    first = engine.render(document, "pdf", paper="a4", created=CREATED)
    assert passes["measured"] >= 2 and passes["laid_out"] > passes["drawn"] == 1
    engine.fonts.clear_caches()  # no density, no measured story cached by the fonts
    counts = dict(passes)
    again = engine.render(document, "pdf", paper="a4", created=CREATED)
    assert again.data == first.data
    assert (passes["measured"] - counts["measured"], passes["laid_out"] - counts["laid_out"],
            passes["drawn"] - counts["drawn"]) == (0, 1, 1)


def test_a_rebuild_lays_each_handout_out_once_from_the_sealed_manifest(tmp_path, fresh_engine, passes):
    out = tmp_path / "out"
    _build(fresh_engine(), out)
    cold = dict(passes)
    assert cold["laid_out"] > cold["drawn"] == 2  # the density search threw some away
    entries = json.loads((out / MANIFEST_NAME).read_text())["targets"]
    assert all(unseal(SECRET, entry["layout"]) for entry in entries.values())
    before = artifacts(out)
    _build(fresh_engine(), out)  # another engine, other fonts: only the manifest remembers
    assert (passes["measured"] - cold["measured"], passes["laid_out"] - cold["laid_out"],
            passes["drawn"] - cold["drawn"]) == (0, 2, 2)
    assert artifacts(out) == before


@pytest.mark.parametrize("tamper", ["other density", "other secret", "stale key", "not sealed"])
def test_a_tampered_or_stale_memo_is_ignored_and_measured(tmp_path, fresh_engine, passes, tamper):
    out = tmp_path / "out"
    _build(fresh_engine(), out)
    cold = dict(passes)
    before = artifacts(out)
    manifest = json.loads((out / MANIFEST_NAME).read_text())
    densities = [d.name for d in pdf.DEFAULT_DESIGN.variant.densities]
    for entry in manifest["targets"].values():
        key, density = unseal(SECRET, entry["layout"])
        other = densities[0] if density != densities[0] else densities[1]
        entry["layout"] = {
            "other density": entry["layout"].replace(density + ":", other + ":", 1),  # MAC no longer verifies
            "other secret": seal(b"x" * 32, key, other),
            "stale key": seal(SECRET, "sha256:" + "0" * 64, other),  # verifies, but no input has this key
            "not sealed": other,
        }[tamper]
    (out / MANIFEST_NAME).write_text(json.dumps(manifest))
    _build(fresh_engine(), out)
    assert passes["measured"] - cold["measured"] == cold["measured"]  # searched again, as cold
    assert artifacts(out) == before


def test_check_uses_the_remembered_density(tmp_path, fresh_engine, passes):
    """``check`` measures a handout once at the density a build drew for the same inputs."""
    out = tmp_path / "out"
    _build(fresh_engine(), out)
    engine = fresh_engine()
    engine.remember_layouts(remembered_layouts(out, SECRET))
    document = engine.localize(engine.topics()[0], "en")
    counts = dict(passes)
    for paper in ("a4", "letter"):
        engine.measured(document, Target(document.topic_id, "en", "pdf", paper), BuildOptions())
    assert passes["measured"] == counts["measured"] and passes["laid_out"] - counts["laid_out"] == 2
    assert remembered_layouts(out, b"y" * 32) == []  # another secret verifies nothing


def test_a_document_is_digested_once_per_engine(fresh_engine, monkeypatch):
    """``Engine.render`` fingerprints every file it makes; the document's digest (its whole JSON
    form) was computed again for each, some 16 ms of a 100 ms warm handout."""
    import leaflets.engine as engine_module
    engine = fresh_engine()
    document = engine.localize(engine.topics()[0], "en")
    digests = []
    original = engine_module.document_digest
    monkeypatch.setattr(engine_module, "document_digest", lambda doc: digests.append(doc) or original(doc))
    prints = {engine.render(document, "pdf", paper=paper, created=CREATED).fingerprint for paper in ("a4", "letter")}
    prints.add(engine.fingerprint(document, Target(document.topic_id, "en", "pptx")))
    assert len(prints) == 3 and digests == [document]
    kept = [engine_module.LocalizedDocument(**{**document.__dict__, "title": str(index)})
            for index in range(engine_module.MAX_DOCUMENT_DIGESTS + 5)]
    for other in kept:  # bounded
        engine._document_sha(other)
    del other
    digests.clear()  # (the counting above kept each document digested)
    assert len(engine._document_shas) == engine_module.MAX_DOCUMENT_DIGESTS
    import gc
    import weakref
    gone = weakref.ref(kept.pop())
    gc.collect()
    assert gone() is None  # the engine does not keep a document alive (a patient's copy is personal data)


def test_the_memo_is_bounded_and_the_secret_private(tmp_path):
    memo = LayoutMemo(size=3)
    for index in range(5):
        memo.put(f"k{index}", "tight")
    assert len(memo) == 3 and memo.get("k0") is None and memo.get("k4") == "tight"
    secret = user_secret(tmp_path / "cache")
    assert secret is not None and len(secret) == 32 and user_secret(tmp_path / "cache") == secret
    path = tmp_path / "cache" / "layout-memo.key"
    assert path.stat().st_mode & 0o077 == 0
    path.chmod(0o644)  # readable by others: not trusted, nor overwritten
    assert user_secret(tmp_path / "cache") is None and path.read_bytes() == secret


def test_the_command_line_keeps_the_memo_between_build_and_check(mini_project, tmp_path, monkeypatch, passes):
    """``leaflets build`` seals each handout's density in the manifest with the user's secret;
    ``leaflets check`` on that folder, its stamps changed by another date, measures each handout
    once at that density instead of searching."""
    from leaflets.cli import main
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    out = tmp_path / "out"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    assert main(["build", "--project", str(mini_project), "--out", str(out), "--quiet", "--jobs", "1"]) == 0
    assert (tmp_path / "cache" / "leaflets" / "layout-memo.key").is_file()
    sealed = [e["layout"] for e in json.loads((out / MANIFEST_NAME).read_text())["targets"].values() if "layout" in e]
    assert len(sealed) == 2
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767312000")  # every stamp differs: nothing counts as built
    from leaflets.render.fontset import shipped_fonts
    shipped_fonts().clear_caches()  # the process's font set cached the density: empty it, as a new process has
    counts = dict(passes)
    assert main(["check", "--project", str(mini_project), "--out", str(out)]) == 0
    assert passes["measured"] == counts["measured"] and passes["laid_out"] - counts["laid_out"] == 2
