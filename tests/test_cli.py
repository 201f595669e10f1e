"""The command line as a user meets it: defaults, help, exit codes."""

from __future__ import annotations

import pytest

from tests.conftest import run_cli


def test_no_arguments_builds_everything_into_build(tmp_path, shipped):
    result = run_cli(cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    for tag in shipped:
        for name in ("atopic-dermatitis-handout-a4.pdf", "atopic-dermatitis-handout-letter.pdf",
                     "atopic-dermatitis-slides.pptx"):
            path = tmp_path / "build" / tag / name
            assert path.is_file() and path.stat().st_size > 10_000, path
            assert f"wrote build/{tag}/{name}" in result.stdout
    assert not list((tmp_path / "build").rglob(".*"))  # no temporary files left behind


def test_build_one_locale_one_format(tmp_path):
    result = run_cli("build", "--locale", "es", "--format", "pdf", "--paper", "letter", "--out", str(tmp_path / "o"))
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in (tmp_path / "o").rglob("*.*")) == [
        "atopic-dermatitis-handout-letter.pdf", "leaflets-manifest.json"]


@pytest.mark.parametrize("args", [(), ("build",), ("check",)])
def test_help_on_every_command(args):
    result = run_cli(*args, "--help")
    assert result.returncode == 0
    assert "usage: generate.py" in result.stdout


@pytest.mark.parametrize("args, message", [
    (("build", "--format", "docx"), "invalid choice: 'docx'"),
    (("build", "--locale", "../../etc"), "is not a locale tag"),
    (("build", "--locale", "pt-BR"), "locale 'pt-BR' is not shipped"),
    (("frobnicate",), "invalid choice: 'frobnicate'"),
])
def test_usage_errors_exit_2(args, message, tmp_path):
    result = run_cli(*args, cwd=tmp_path)
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "build").exists()


def test_check_passes_on_the_shipped_project():
    result = run_cli("check")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("ok: 1 topic(s)")
