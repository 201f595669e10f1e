"""``check`` measures layouts, drawing and writing nothing, and does not lay out again what a
build already wrote from the same inputs (issue 21)."""

from __future__ import annotations

import pytest

from leaflets import Engine, Project
from leaflets.build import BuildOptions, build, built_targets
from leaflets.fit import check_targets
from leaflets.design import STANDARD, Design
from leaflets.plan import Target
from leaflets.render import pdf, pdftext
from leaflets.render.contract import LayoutOverflow
from tests.conftest import ROOT


@pytest.fixture
def mini(tmp_path) -> Engine:
    """A project of the small fixture topic, English only: quick to lay out."""
    content = tmp_path / "content"
    content.mkdir()
    (content / "mini.yaml").write_bytes((ROOT / "tests" / "content" / "minimal.yaml").read_bytes())
    (tmp_path / "locales").mkdir()
    return Engine(Project.in_folder(tmp_path))


def _targets(engine: Engine) -> list[Target]:
    topic = engine.topics()[0].topic.topic.id
    return [Target(topic, "en", "pdf", "a4"), Target(topic, "en", "pdf", "letter"), Target(topic, "en", "pptx")]


def test_check_draws_no_text_and_writes_no_file(mini, monkeypatch):
    """Before, check rendered every file to memory: every line drawn, the PDF tagged and written,
    the deck's package saved."""
    import pptx.presentation

    def refused(*args, **kwargs):
        raise AssertionError("check drew or wrote a file")

    monkeypatch.setattr(pdftext, "positioned", refused)  # placing a line's glyphs to draw them
    monkeypatch.setattr(pdf, "finish", refused)  # tagging and writing the PDF
    monkeypatch.setattr(pptx.presentation.Presentation, "save", refused)
    assert mini.check() == []


def test_a_measurement_counts_and_overflows_as_the_render(mini, monkeypatch):
    document = mini.localize(mini.topics()[0], "en")
    for target in _targets(mini):
        options = BuildOptions()
        assert mini.measured(document, target, options) == mini.rendered(document, target, options).count
    shipped = Engine(Project())
    english = shipped.localize(shipped.topics()[0], "en")
    one_page = BuildOptions(design=Design(variant=STANDARD.model_copy(update={"page_limit": 1})))
    target = Target(english.topic_id, "en", "pdf", "letter")
    with pytest.raises(LayoutOverflow) as measured:
        shipped.measured(english, target, one_page)
    with pytest.raises(LayoutOverflow) as rendered:
        shipped.rendered(english, target, one_page)
    assert str(measured.value) == str(rendered.value) and measured.value.pages == rendered.value.pages == 2


def _check_after(engine: Engine, out, options: BuildOptions):
    """What ``leaflets check --out OUT`` asks: the engine's check, told which files the build wrote
    from today's inputs."""
    ids = [loaded.topic.topic.id for loaded in engine.topics()]
    return engine.check(fitted=built_targets(engine, out, check_targets(ids, engine.locales()), options))


def test_check_skips_the_files_a_build_wrote_from_the_same_inputs(mini, tmp_path, monkeypatch):
    out = tmp_path / "out"
    build(mini, out, options=BuildOptions())
    measured, localized = [], []
    measure, localize = mini.measured, mini.localize
    monkeypatch.setattr(mini, "measured", lambda document, target, *a, **k: measured.append(target) or
                        measure(document, target, *a, **k))
    monkeypatch.setattr(mini, "localize", lambda *a, **k: localized.append(a) or localize(*a, **k))
    assert _check_after(mini, out, BuildOptions()) == []
    assert measured == [] and localized == []  # every file built from today's inputs: nothing read again
    assert mini.check() == [] and len(measured) == 3  # without the build folder: every file measured
    deck, a4, _ = _targets(mini)[2], *_targets(mini)[:2]
    deck.path(out).unlink()
    a4.path(out).write_bytes(b"not the file the manifest recorded")
    measured.clear()
    assert _check_after(mini, out, BuildOptions()) == []
    assert sorted(measured) == sorted([deck, a4])  # what is missing or damaged is measured
    measured.clear()
    assert _check_after(mini, out, BuildOptions(allow_incomplete=True)) == []
    assert len(measured) == 3  # other options, other stamps: the build's files say nothing
    topic = next((tmp_path / "content").glob("*.yaml"))
    topic.write_text(topic.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    measured.clear()
    assert _check_after(mini, out, BuildOptions()) == [] and len(measured) == 3  # an edited topic


def test_the_check_command_reads_the_build_folder(mini_project):
    """``leaflets check --out DIR`` after ``leaflets build --out DIR``: nothing to lay out again."""
    from tests.conftest import run_cli
    folder = mini_project
    assert run_cli("build", "--out", "out", "--quiet", cwd=folder).returncode == 0
    checked = run_cli("check", "--out", "out", cwd=folder)
    assert checked.returncode == 0 and checked.stdout.startswith("ok: 1 topic(s)"), checked.stderr
