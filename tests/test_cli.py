"""The command line as a user meets it: defaults, help, exit codes."""

from __future__ import annotations

import re
import shutil

import pytest

from leaflets import cli
from tests.conftest import ROOT, run_cli


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


@pytest.mark.parametrize("args", [(), ("build",), ("check",), ("locales", "status"), ("--locale", "es")])
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


# ------------------------------------------------ options without argparse's traps
ONE_HANDOUT = ["--format", "pdf", "--paper", "a4"]
HANDOUT = "atopic-dermatitis-handout-a4.pdf"


def built_files(folder) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*.pdf"))


def test_locale_without_the_build_command_builds_that_locale(tmp_path, monkeypatch, capsys):
    """`--locale es` was read as `--locales-dir es` (a prefix) and built English only, exit 0."""
    monkeypatch.chdir(tmp_path)
    assert cli.main(["--locale", "es", *ONE_HANDOUT, "--quiet"]) == 0
    assert built_files(tmp_path / "build") == [f"es/{HANDOUT}"]


def test_force_with_and_without_the_build_command(tmp_path, capsys):
    out = ["--out", str(tmp_path), "--locale", "en", *ONE_HANDOUT]
    assert cli.main(["build", *out]) == 0
    assert cli.main(["build", *out]) == 0
    assert capsys.readouterr().out.splitlines()[-1].startswith("everything is up to date (1 file, ")
    for args in (["build", "--force", *out], ["--force", *out], [*out, "--force"]):
        assert cli.main(args) == 0
        assert capsys.readouterr().out.splitlines()[-1].startswith("1 built, 0 up to date, 0 failed"), args


def test_options_before_or_after_the_command(tmp_path, capsys):
    before, after = tmp_path / "before", tmp_path / "after"
    assert cli.main(["--out", str(before), "--locale", "fr", "--quiet", "build", *ONE_HANDOUT]) == 0
    assert cli.main(["build", "--out", str(after), "--locale", "fr", "--quiet", *ONE_HANDOUT]) == 0
    assert built_files(before) == built_files(after) == [f"fr/{HANDOUT}"]
    assert (before / "fr" / HANDOUT).read_bytes()[:5] == b"%PDF-"


@pytest.mark.parametrize("args", [
    ("--project", "{p}", "check"), ("check", "--project", "{p}"),
    ("--content-dir", "{p}/content", "--locales-dir", "{p}/locales", "check"),
    ("check", "--content-dir", "{p}/content", "--locales-dir", "{p}/locales"),
    ("--project", "{p}", "locales", "status"), ("locales", "--project", "{p}", "status"),
    ("locales", "status", "--project", "{p}"),
])
def test_project_options_before_or_after_the_command(mini_project, capsys, args):
    assert cli.main([a.format(p=mini_project) for a in args]) == 0
    out = capsys.readouterr().out
    assert out.startswith("ok: 1 topic(s), 1 locale(s): en;") or out.startswith("locale ")


def test_version_names_the_leaflets_that_runs():
    result = run_cli("--version")
    assert result.returncode == 0, result.stderr
    import leaflets
    assert result.stdout.startswith(f"leaflets {leaflets.__version__} from {ROOT / 'leaflets'} (Python 3.")


@pytest.mark.parametrize("args, message", [
    (["build", "--locle", "es"], "build: error: unrecognized arguments: --locle (did you mean --locale?)"),
    (["--locle", "es"], "build: error: unrecognized arguments: --locle (did you mean --locale?)"),
    (["--locale", "es", "--forse"], "unrecognized arguments: --forse (did you mean --force?)"),
    (["locales", "status", "--stric"], "status: error: unrecognized arguments: --stric (did you mean --strict?)"),
    (["check", "--quiet"], "unrecognized arguments: --quiet (--quiet is an option of build, not of check)"),
    (["chek"], "invalid choice: 'chek' (choose from 'build', 'check', 'locales', 'serve') (did you mean check?)"),
    (["locales", "stauts"], "invalid choice: 'stauts' (choose from 'extract', 'init', 'update', 'status', "
                            "'review') (did you mean status?)"),
])
def test_a_misspelt_option_or_command_names_the_closest(tmp_path, capsys, monkeypatch, args, message):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as caught:
        cli.main(args)
    assert caught.value.code == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
    assert not list(tmp_path.iterdir())


@pytest.mark.parametrize("args, given", [
    (["--loc", "es"], "--loc"), (["--locales", "es"], "--locales"), (["build", "--form", "pdf"], "--form"),
    (["--content", "content", "check"], "--content"), (["build", "--al"], "--al"),
])
def test_abbreviations_are_refused(tmp_path, capsys, monkeypatch, args, given):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as caught:
        cli.main(args)
    assert caught.value.code == 2
    assert f"unrecognized arguments: {given}" in capsys.readouterr().err
    assert not list(tmp_path.iterdir())  # nothing was built


@pytest.fixture
def two_topics(tmp_path):
    """The shipped topic (in English and Spanish) plus the small test topic (not translated)."""
    shutil.copytree(ROOT / "content", tmp_path / "content")
    shutil.copy(ROOT / "tests" / "content" / "minimal.yaml", tmp_path / "content" / "mini.yaml")
    (tmp_path / "locales").mkdir()
    shutil.copy(ROOT / "locales" / "es.po", tmp_path / "locales" / "es.po")
    return tmp_path


def test_topic_builds_only_that_topic(two_topics, capsys):
    out = two_topics / "out"
    assert cli.main(["--project", str(two_topics), "build", "--topic", "mini", "--locale", "en", *ONE_HANDOUT,
                     "--out", str(out), "--quiet"]) == 0
    assert built_files(out) == ["en/mini-handout-a4.pdf"]
    assert cli.main(["--project", str(two_topics), "--topic", "mini", "--topic", "atopic-dermatitis",
                     "--locale", "en", *ONE_HANDOUT, "--out", str(out), "--quiet"]) == 0
    assert built_files(out) == [f"en/{HANDOUT}", "en/mini-handout-a4.pdf"]


def spanish_row(capsys) -> tuple[int, int, int]:
    """(translated, total, untranslated) of the es row `locales status` printed."""
    row = re.search(r"^es +(\d+)/(\d+) +\d+ +(\d+) ", capsys.readouterr().out, re.M)
    return int(row[1]), int(row[2]), int(row[3])


def test_topic_checks_and_reports_only_that_topic(two_topics, capsys):
    """The shipped topic is translated, the small one is not: --topic keeps them apart."""
    assert cli.main(["check", "--project", str(two_topics)]) == 1  # mini has no Spanish
    assert "es.po: not in the catalog: 'Mini topic' (used at " in capsys.readouterr().err
    assert cli.main(["check", "--project", str(two_topics), "--topic", "atopic-dermatitis"]) == 0
    assert capsys.readouterr().out.startswith("ok: 1 topic(s), 2 locale(s): en, es;")
    status = ["locales", "status", "--project", str(two_topics), "--locale", "es"]
    assert cli.main([*status, "--topic", "atopic-dermatitis"]) == 0
    translated, total, untranslated = spanish_row(capsys)
    assert translated == total and untranslated == 0
    assert cli.main([*status, "--topic", "mini"]) == 0
    translated, total, untranslated = spanish_row(capsys)
    assert untranslated > 0 and total < 100  # the small topic's strings (and the interface labels)


@pytest.mark.parametrize("command", [["build"], ["check"], ["locales", "status"]])
def test_unknown_topic_is_a_usage_error_listing_the_topics(two_topics, capsys, command):
    with pytest.raises(SystemExit) as caught:
        cli.main([*command, "--project", str(two_topics), "--topic", "eczema"])
    assert caught.value.code == 2
    err = capsys.readouterr().err
    assert "--topic: no topic 'eczema' in " in err and err.rstrip().endswith("topics: atopic-dermatitis, mini")
    assert not (two_topics / "build").exists()


def test_a_reader_that_stops_early_gets_no_traceback(tmp_path):
    """`leaflets locales status | head -1`: the pipe closes before the table is written."""
    import subprocess
    import sys
    process = subprocess.Popen([sys.executable, str(ROOT / "generate.py"), "locales", "status"], cwd=ROOT,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    process.stdout.close()  # the reader is gone before the first line
    stderr = process.stderr.read().decode()
    assert process.wait(timeout=120) == 141
    assert stderr == ""


# ------------------------------------------------ what a command imports (issue 21)
HEAVY = ("pydantic", "reportlab", "pptx", "babel", "uharfbuzz", "fontTools", "lxml", "PIL")
IMPORTS_AT_EXIT = """
import atexit, json, sys
# registered first, so it runs last: after the font sets' finalizers, which ran at exit too
atexit.register(lambda: print(json.dumps(sorted(m for m in {heavy!r} if m in sys.modules))))
sys.argv = ["leaflets", *{args!r}]
from leaflets.cli import main
try:
    code = main()
except SystemExit as exc:
    code = exc.code
print(code, file=sys.stderr)
"""


@pytest.mark.parametrize("args", [["--help"], ["--version"], ["build", "--help"], ["build", "--out", "out"],
                                  ["build", "--locale", "EN", "--format", "pdf", "--paper", "a4", "--out", "out"]])
def test_help_version_and_a_build_that_is_up_to_date_import_nothing_heavy(mini_project, args):
    """``--help``, ``--version`` and a build with nothing to do import none of pydantic, ReportLab,
    python-pptx, Babel, HarfBuzz, fontTools, lxml or Pillow, even at exit: the no-op build imported
    pydantic (the default design, clinic profiles, topic models), Babel (locale tags) and, at exit,
    ReportLab (to hand back the fonts of a font set that had registered none); a preview's no-op
    (``--locale``) imported pydantic to read the pseudo-locales' names."""
    import json
    import os
    import subprocess
    import sys
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1767225600"}
    first = run_cli("--project", str(mini_project), "build", "--out", str(mini_project / "out"), "--quiet",
                    cwd=mini_project, env=env)
    assert first.returncode == 0, first.stderr
    result = subprocess.run([sys.executable, "-c", IMPORTS_AT_EXIT.format(heavy=HEAVY, args=args)],
                            cwd=mini_project, capture_output=True, text=True, env=env, timeout=120)
    assert result.stderr.strip().splitlines()[-1] in ("0", "None"), result.stderr
    if args[0] == "build" and args[1] == "--out":
        assert "everything is up to date" in result.stdout
    assert json.loads(result.stdout.strip().splitlines()[-1]) == []
