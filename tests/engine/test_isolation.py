"""Failure isolation: one broken catalog or topic does not stop the others."""

from __future__ import annotations

import shutil

from leaflets.manifest import MANIFEST_NAME
from tests.engine.conftest import assert_valid_artifact, hidden_files
from tests.conftest import ROOT, run_cli

FILES = ("atopic-dermatitis-handout-a4.pdf", "atopic-dermatitis-handout-letter.pdf", "atopic-dermatitis-slides.pptx")


def test_an_empty_catalog_fails_alone(tmp_path, shipped):
    locales = tmp_path / "locales"
    shutil.copytree(ROOT / "locales", locales)
    (locales / "pt-BR.po").write_text("", encoding="utf-8")
    out = tmp_path / "out"
    result = run_cli("--locales-dir", str(locales), "build", "--out", str(out))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "pt-BR.po" in result.stderr
    for tag in shipped:
        for name in FILES:
            assert_valid_artifact(out / tag / name)
    assert not (out / "pt-BR").exists()
    assert "30 built, 0 up to date, 1 failed" in result.stdout
    assert not hidden_files(out)


def test_a_broken_entry_fails_its_locale_only(tmp_path):
    locales = tmp_path / "locales"
    shutil.copytree(ROOT / "locales", locales)
    po = locales / "es.po"
    text = po.read_text(encoding="utf-8")
    text = text.replace('msgid "Atopic dermatitis (eczema)"\nmsgstr "', 'msgid "Atopic dermatitis (eczema)"\nmsgstr "{oops} ', 1)
    po.write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    result = run_cli("--locales-dir", str(locales), "build", "--locale", "es", "--locale", "de", "--format", "pdf",
                     "--paper", "a4", "--out", str(out))
    assert result.returncode == 1
    assert "locales/es.po:" in result.stderr and "{oops}" in result.stderr
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*.pdf")) == [
        "de/atopic-dermatitis-handout-a4.pdf"]
    assert (out / MANIFEST_NAME).is_file()


def test_a_broken_topic_fails_alone_and_duplicate_ids_are_refused(tmp_path):
    content = tmp_path / "content"
    content.mkdir()
    shutil.copy(ROOT / "tests" / "content" / "minimal.yaml", content / "a-mini.yaml")
    shutil.copy(ROOT / "tests" / "content" / "minimal.yaml", content / "b-mini-again.yaml")
    shutil.copy(ROOT / "tests" / "content" / "minimal.yaml", content / "c-other.yaml")
    other = content / "c-other.yaml"
    other.write_text(other.read_text(encoding="utf-8").replace("id: mini", "id: other", 1), encoding="utf-8")
    (content / "d-broken.yaml").write_text("topic: [unclosed\n", encoding="utf-8")
    out = tmp_path / "out"
    result = run_cli("--content-dir", str(content), "build", "--locale", "en", "--format", "pdf", "--paper", "a4",
                     "--out", str(out))
    assert result.returncode == 1
    assert "a-mini.yaml:3:7: duplicate topic id 'mini' (also in" in result.stderr
    assert "b-mini-again.yaml:3:7: duplicate topic id 'mini'" in result.stderr
    assert "d-broken.yaml:2:1: YAML syntax error" in result.stderr
    assert [p.name for p in out.rglob("*.pdf")] == ["other-handout-a4.pdf"]


def test_a_worker_that_dies_fails_its_targets_and_the_build_ends(tmp_path, monkeypatch):
    """A worker killed mid-render (out of memory, a crash in C) is reported; the build never hangs."""
    import io
    import os as os_module

    import pytest

    import leaflets.workers
    from leaflets.build import BuildFailed, Project, build
    from leaflets.progress import LineReporter

    original = leaflets.workers.render_target

    def dying(document, target, options, engine, second=None):
        if target.locale == "de":
            os_module._exit(9)
        return original(document, target, options, engine, second)

    monkeypatch.setattr(leaflets.workers, "render_target", dying)  # the forked workers inherit it
    out = tmp_path / "out"
    with pytest.raises(BuildFailed) as caught:
        build(Project(), out, locales=["en", "de", "es"], formats=["pdf", "pptx"], papers=["a4"], jobs=2,
              reporter=LineReporter(io.StringIO(), io.StringIO()))
    messages = [str(d) for _, diagnostics in caught.value.result.failures for d in diagnostics]
    assert any("a worker process ended unexpectedly while rendering de/" in m for m in messages), messages
    assert not hidden_files(out)
    for path in out.rglob("*.p*"):
        assert_valid_artifact(path)
    assert not (out / "de").exists()


def test_jobs_submitted_after_a_worker_died_fail_instead_of_raising(monkeypatch):
    import os as os_module
    import time

    import leaflets.workers
    from leaflets.engine import Engine
    from leaflets.plan import BuildOptions, Target
    from leaflets.workers import Job, RenderPool

    def dying(document, target, options, engine, second=None):
        os_module._exit(9)

    monkeypatch.setattr(leaflets.workers, "render_target", dying)
    pool = RenderPool(Engine(), jobs=2, expected=10, locales=set())
    first = Job(Target("t", "en", "pdf", "a4"), None, BuildOptions(), "topic.yaml")
    pool.submit(first)
    deadline = time.monotonic() + 30
    outcomes = []
    while not outcomes and time.monotonic() < deadline:  # wait until the pool knows it is broken
        outcomes += pool.ready()
        time.sleep(0.05)
    pool.submit(Job(Target("t", "en", "pdf", "letter"), None, BuildOptions(), "topic.yaml"))
    outcomes += list(pool.finish())
    assert sorted(o.target.paper for o in outcomes) == ["a4", "letter"]
    assert all("a worker process ended unexpectedly" in o.errors[0].message for o in outcomes)


def test_a_build_keeps_a_few_jobs_per_worker_in_flight_never_all(monkeypatch):
    """Localizing is faster than rendering: without a bound every job (and its document) waited
    in the parent at once, which grew with the number of topics (20 copies of the shipped
    topic: 136 MB, 107 MB with the bound).  The build loop submits and collects as
    ``leaflets.build`` does; jobs in flight never exceed the bound, and every job comes back."""
    import time

    import leaflets.workers
    from leaflets.engine import Engine
    from leaflets.plan import BuildOptions, Target
    from leaflets.render.contract import Rendered
    from leaflets.workers import IN_FLIGHT_PER_WORKER, Job, RenderPool

    def slow(document, target, options, engine, second=None, layout=None):
        time.sleep(0.02)
        return Rendered(b"%PDF", 1, "page")

    monkeypatch.setattr(leaflets.workers, "render_target", slow)
    pool = RenderPool(Engine(), jobs=2, expected=40, locales=set())
    outcomes, most = [], 0
    for number in range(40):
        pool.submit(Job(Target(f"t{number}", "en", "pdf", "a4"), None, BuildOptions(), "topic.yaml"))
        most = max(most, pool.pending)
        outcomes += pool.ready()
    outcomes += list(pool.finish())
    assert pool.workers == 2
    assert most <= IN_FLIGHT_PER_WORKER * 2 + 1  # the bound, and the one just submitted
    assert sorted(o.target.topic for o in outcomes) == sorted(f"t{n}" for n in range(40))
    assert not any(o.errors for o in outcomes)
