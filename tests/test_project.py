"""A user's project folder: found with --project or in the current folder, else the shipped topics."""

from __future__ import annotations

import shutil

import pypdf
import pytest

from leaflets.project import Project
from leaflets.resources import resources
from tests.conftest import ROOT, run_cli

TITLE_ES = 'msgstr "Dermatitis atópica (eccema)"'


@pytest.fixture
def copied_project(tmp_path):
    """A copy of the shipped project whose Spanish title says which copy it is."""
    folder = tmp_path / "my-clinic"
    shutil.copytree(ROOT / "content", folder / "content")
    shutil.copytree(ROOT / "locales", folder / "locales")
    po = folder / "locales" / "es.po"
    text = po.read_text(encoding="utf-8")
    assert text.count(TITLE_ES) == 1
    po.write_text(text.replace(TITLE_ES, 'msgstr "Dermatitis atópica (copia de la clínica)"'), encoding="utf-8")
    return folder


def handout_text(path) -> str:
    return " ".join(page.extract_text() for page in pypdf.PdfReader(path).pages)


def test_project_option_reads_that_folder_from_anywhere(copied_project, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    result = run_cli("build", "--project", str(copied_project), "--locale", "es", "--format", "pdf",
                     "--paper", "a4", cwd=elsewhere)
    assert result.returncode == 0, result.stderr
    handout = elsewhere / "build" / "es" / "atopic-dermatitis-handout-a4.pdf"  # outputs: ./build
    assert "(copia de la clínica)" in handout_text(handout)
    assert not (copied_project / "build").exists()


def test_the_current_folder_is_the_project_when_it_has_content(copied_project):
    result = run_cli("--locale", "es", "--format", "pdf", "--paper", "a4", "--quiet", cwd=copied_project)
    assert result.returncode == 0, result.stderr
    assert "(copia de la clínica)" in handout_text(copied_project / "build" / "es" / "atopic-dermatitis-handout-a4.pdf")


def test_project_folder_without_content_is_a_usage_error(tmp_path):
    result = run_cli("check", "--project", str(tmp_path), cwd=tmp_path)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert f"--project {tmp_path}: no content/ folder in it" in result.stderr
    missing = run_cli("check", "--project", str(tmp_path / "nowhere"), cwd=tmp_path)
    assert missing.returncode == 2 and f"--project {tmp_path / 'nowhere'}: no such folder" in missing.stderr


def test_without_a_project_the_shipped_topics_are_read(tmp_path):
    assert Project.find(tmp_path) == Project()
    assert Project().content_dir == resources().content_dir
    assert sorted(p.name for p in Project().topic_files()) == ["atopic-dermatitis.yaml"]
    (tmp_path / "content").mkdir()
    assert Project.find(tmp_path) == Project(content_dir=tmp_path / "content", locales_dir=tmp_path / "locales")


def test_in_a_checkout_the_shipped_project_is_the_repository_folders():
    """The package's data links lead to the folders authors and translators edit, which may be written."""
    assert Project().content_dir.resolve() == ROOT / "content"
    assert Project().locales_dir.resolve() == ROOT / "locales"
    assert resources().fonts_dir.resolve() == ROOT / "assets" / "fonts"
    assert not Project().is_packaged and Project().folder == ROOT


def test_catalog_references_do_not_depend_on_the_working_folder(copied_project, tmp_path):
    """`#:` lines name topic files relative to the project folder, wherever the command runs."""
    pot = copied_project / "locales" / "leaflets.pot"
    before = pot.read_text(encoding="utf-8")
    result = run_cli("locales", "extract", "--project", str(copied_project), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    after = pot.read_text(encoding="utf-8")
    assert "#: content/atopic-dermatitis.yaml:10\n" in after and str(tmp_path) not in after
    assert after == before  # nothing changed, so the template is left as it was


def test_a_missing_shipped_font_is_one_line_naming_it(tmp_path, monkeypatch, capsys):
    """An installation without its fonts (a broken wheel, a partial copy) says so, without a traceback."""
    from leaflets import cli
    from leaflets.render import fontset
    monkeypatch.setattr(fontset, "_SHIPPED", fontset.FontSet(tmp_path / "fonts"))  # as if installed without them
    code = cli.main(["check", "--content-dir", str(ROOT / "tests" / "content"), "--locales-dir",
                     str(tmp_path / "no-catalogs")])
    assert code == 1
    err = capsys.readouterr().err
    assert f"error: {tmp_path / 'fonts' / 'NotoSans-Regular.ttf'}: the font NotoSans-Regular.ttf is missing; " \
           "the leaflets installation is incomplete: reinstall it" in err
    assert "Traceback" not in err
