"""Hostile and broken inputs: each gives a clear error naming file and line, or
is rendered literally; never a traceback, a write outside --out, or a
partial or temporary file.  Cases are listed in :mod:`tests.hostile.cases`."""

from __future__ import annotations

import errno
import os
import re
import shutil
from pathlib import Path

import pdfplumber
import pytest

from leaflets import cli
from leaflets.build import Project, load_topics, load_translations
from leaflets.content.load import load_topic
from leaflets.errors import LeafletsError
from leaflets.localize import localize
from tests.conftest import ROOT, run_cli
from tests.hostile.cases import CATALOG, CATALOG_FILES, CONTENT, CONTENT_FILES, LITERAL

MINIMAL = (ROOT / "tests" / "content" / "minimal.yaml").read_text(encoding="utf-8")
SPANISH = (ROOT / "locales" / "es.po").read_text(encoding="utf-8")


def edit(text: str, old: str, new: str) -> tuple[str, int]:
    """``text`` with ``old`` replaced once by ``new``, and the line where the edit starts."""
    assert old in text
    return text.replace(old, new, 1), text[:text.index(old)].count("\n") + 1


def everything_under(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*")}


# ----------------------------------------------------------------- content
@pytest.mark.parametrize("name, old, new, expected", CONTENT, ids=[c[0] for c in CONTENT])
def test_content_case_is_an_error_at_its_line(tmp_path, name, old, new, expected):
    text, line = edit(MINIMAL, old, new)
    path = tmp_path / f"{name}.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(LeafletsError) as caught:
        load_topic(path)
    hits = [d for d in caught.value.diagnostics if expected in d.message]
    assert hits, [str(d) for d in caught.value.diagnostics]
    assert all(d.file.endswith(f"{name}.yaml") for d in caught.value.diagnostics)
    assert any(line <= d.line <= line + new.count("\n") for d in hits), [str(d) for d in hits]


@pytest.mark.parametrize("name, data, expected", CONTENT_FILES, ids=[c[0] for c in CONTENT_FILES])
def test_content_file_case_is_an_error_naming_the_file(tmp_path, name, data, expected):
    path = tmp_path / f"{name}.yaml"
    path.write_bytes(data)
    with pytest.raises(LeafletsError) as caught:
        load_topic(path)
    assert any(expected in d.message and d.file.endswith(f"{name}.yaml") for d in caught.value.diagnostics), \
        [str(d) for d in caught.value.diagnostics]


@pytest.mark.parametrize("name", ["python-object-tag", "deep-lists", "nan-percent", "impossible-date"])
def test_content_cases_through_the_command_line(tmp_path, name):
    _, old, new, expected = next(c for c in CONTENT if c[0] == name)
    content = tmp_path / "content"
    content.mkdir()
    (content / "topic.yaml").write_text(edit(MINIMAL, old, new)[0], encoding="utf-8")
    marker = tmp_path / "owned"
    result = run_cli("--content-dir", str(content), "build", "--out", str(tmp_path / "out"), cwd=tmp_path)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr and expected in result.stderr
    assert "content/topic.yaml:" in result.stderr
    assert everything_under(tmp_path) == {"content", "content/topic.yaml"} and not marker.exists()


def test_two_topics_with_one_id(tmp_path):
    content = tmp_path / "content"
    content.mkdir()
    for name in ("a.yaml", "b.yaml"):
        (content / name).write_text(MINIMAL, encoding="utf-8")
    result = run_cli("--content-dir", str(content), "check", cwd=tmp_path)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "content/a.yaml:3:7: duplicate topic id 'mini' (also in content/b.yaml)" in result.stderr


# ---------------------------------------------------------------- catalogs
@pytest.mark.parametrize("name, old, new, expected", CATALOG, ids=[c[0] for c in CATALOG])
def test_catalog_case_is_an_error_naming_file_and_line(tmp_path, name, old, new, expected):
    text, line = edit(SPANISH, old, new)
    locales = tmp_path / "locales"
    locales.mkdir()
    (locales / "es.po").write_text(text, encoding="utf-8")
    project = Project(locales_dir=locales)
    with pytest.raises(LeafletsError) as caught:
        localize(load_topics(project)[0], "es", load_translations(project, "es"))
    hits = [d for d in caught.value.diagnostics if expected in d.message]
    assert hits, [str(d) for d in caught.value.diagnostics][:5]
    assert all(d.file.endswith("locales/es.po") and d.line > 0 for d in hits), [str(d) for d in hits]


@pytest.mark.parametrize("name, data, expected, line", CATALOG_FILES, ids=[c[0] for c in CATALOG_FILES])
def test_catalog_file_case_is_an_error_at_its_line(tmp_path, name, data, expected, line):
    locales = tmp_path / "locales"
    locales.mkdir()
    (locales / "es.po").write_bytes(data)
    with pytest.raises(LeafletsError) as caught:
        project = Project(locales_dir=locales)
        localize(load_topics(project)[0], "es", load_translations(project, "es"))
    hits = [d for d in caught.value.diagnostics if expected in d.message]
    assert hits, [str(d) for d in caught.value.diagnostics][:5]
    assert all(d.file.endswith("locales/es.po") and d.line == line for d in hits), [str(d) for d in hits]


@pytest.mark.parametrize("name", ["duplicate-live-and-obsolete", "unterminated", "three-forms-for-spanish"])
def test_a_broken_catalog_never_hides_the_others(tmp_path, name):
    """status lists every other language, JSON stays valid, --strict fails, check names the line."""
    import json
    _, old, new, expected = next(c for c in CATALOG if c[0] == name)
    locales = tmp_path / "locales"
    shutil.copytree(ROOT / "locales", locales)
    (locales / "es.po").write_text(edit(SPANISH, old, new)[0], encoding="utf-8")
    text = run_cli("--locales-dir", str(locales), "locales", "status")
    assert text.returncode == 1 and "Traceback" not in text.stderr  # bad input: exit 1 even without --strict
    assert text.stderr.strip().splitlines()[-1] == "cannot be read: es", text.stderr
    assert re.search(r"^es .* cannot be read: .*locales/es\.po:\d+:\d+: ", text.stdout, re.M), text.stdout
    assert all(re.search(rf"^{tag} +(\d+)/\1 ", text.stdout, re.M) for tag in ("de", "fr", "zh-Hans")), text.stdout
    listed = run_cli("--locales-dir", str(locales), "locales", "status", "--format", "json", "--strict",
                     "--locale", "es", "--locale", "de")
    data = json.loads(listed.stdout)
    assert listed.returncode == 1 and data["schema_version"] == 2 and data["complete"] is False
    rows = {row["locale"]: row for row in data["locales"]}
    assert rows["es"]["state"] == "broken" and expected in rows["es"]["problems"][0]["message"]
    assert rows["es"]["problems"][0]["line"] > 0 and rows["de"]["state"] == "ok" and rows["de"]["complete"]
    update = run_cli("--locales-dir", str(locales), "locales", "update")
    assert "Traceback" not in update.stderr and re.search(r"^updated \S*locales/de\.po: ", update.stdout, re.M)
    if name == "three-forms-for-spanish":  # readable: update moves it to the policy's two forms
        assert update.returncode == 0 and "nplurals=2; plural=(n != 1);" in (locales / "es.po").read_text("utf-8")
    else:  # unreadable: left exactly as it was, the others updated
        assert update.returncode == 1 and "1 catalog(s) left as they were" in update.stderr
        assert (locales / "es.po").read_text(encoding="utf-8") == edit(SPANISH, old, new)[0]


@pytest.mark.parametrize("name, translation", LITERAL, ids=[c[0] for c in LITERAL])
def test_catalog_text_that_looks_like_code_is_rendered_literally(tmp_path, name, translation):
    text, _ = edit(SPANISH, 'msgstr "Dermatitis atópica (eccema)"', f'msgstr "{translation}"')
    locales = tmp_path / "locales"
    locales.mkdir()
    (locales / "es.po").write_text(text, encoding="utf-8")
    code = cli.main(["--locales-dir", str(locales), "build", "--locale", "es", "--format", "pdf", "--paper", "a4",
                     "--out", str(tmp_path / "out"), "--quiet"])
    assert code == 0
    pdf = tmp_path / "out" / "es" / "atopic-dermatitis-handout-a4.pdf"
    with pdfplumber.open(pdf) as document:
        page = document.pages[0]
        extracted = "".join(page.extract_text().split())
        assert "".join(translation.split()) in extracted
        assert max(char["x1"] for char in page.chars) <= page.width - 20  # nothing runs off the page


def test_unknown_tag_shaped_catalog_is_reported_not_a_crash(tmp_path):
    locales = tmp_path / "locales"
    shutil.copytree(ROOT / "locales", locales)
    shutil.copy(locales / "es.po", locales / "xx-QQ.po")
    shutil.copy(locales / "es.po", locales / "notes-backup.po")  # not tag-shaped: not a locale, ignored
    result = run_cli("--locales-dir", str(locales), "build", "--format", "pptx", "--out", str(tmp_path / "out"))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "xx-QQ.po: 'xx-QQ' is not a locale Babel (CLDR) knows" in result.stderr
    assert len(list((tmp_path / "out").rglob("*.pptx"))) == 10
    status = run_cli("--locales-dir", str(locales), "locales", "status")
    assert "Traceback" not in status.stderr


@pytest.mark.parametrize("make", ["folder", "huge", "link-loop"])
def test_unreadable_catalog_is_an_error_naming_it(tmp_path, make):
    locales = tmp_path / "locales"
    locales.mkdir()
    path = locales / "es.po"
    if make == "folder":
        path.mkdir()
    elif make == "huge":
        path.write_bytes(b"#" * (9 * 1024 * 1024))
    else:
        path.symlink_to(path)
    with pytest.raises(LeafletsError) as caught:
        load_translations(Project(locales_dir=locales), "es")
    assert caught.value.diagnostics[0].file.endswith("locales/es.po")


# ------------------------------------------------------------ command line
@pytest.mark.parametrize("args, expected", [
    (["build", "--jobs", "0"], "expected a whole number of processes from 1 to 256"),
    (["build", "--jobs", "-1"], "got '-1'"),
    (["build", "--jobs", "two"], "expected a whole number of processes"),
    (["build", "--jobs", "100000"], "from 1 to 256"),
    (["build", "--jobs", "\u0662"], "expected a whole number of processes"),
    (["build", "--locale", "../../etc"], "is not a locale tag"),
    (["build", "--locale", ""], "is not a locale tag"),
    (["build", "--locale", "xx-QQ"], "is not a locale Babel (CLDR) knows"),
    (["build", "--locale", "en;rm -rf /"], "is not a locale tag"),
    (["build", "--locale", "e" * 10000], "is not a locale tag"),
    (["build", "--locale", "pt-BR"], "locale 'pt-BR' is not shipped"),
    (["build", "--format", "docx"], "invalid choice: 'docx'"),
    (["build", "--paper", "a3"], "invalid choice: 'a3'"),
    (["build", "--frobnicate"], "unrecognized arguments: --frobnicate"),
    (["locales", "review", "es", "--reviewer", "X, Y", "--date", "2026-02-30"], "'2026-02-30' is not a date YYYY-MM-DD"),
])
def test_bad_arguments_are_usage_errors(tmp_path, capsys, monkeypatch, args, expected):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as caught:
        cli.main(args)
    assert caught.value.code == 2
    assert expected in capsys.readouterr().err
    assert not list(tmp_path.iterdir())


def test_missing_content_folder_is_an_error(tmp_path, capsys):
    code = cli.main(["--content-dir", str(tmp_path / "nowhere"), "build", "--out", str(tmp_path / "out")])
    assert code == 1
    assert "nowhere: no topic files (*.yaml) found" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


# ------------------------------------------------------- file-system faults
def build_one(out, capsys) -> tuple[int, str]:
    code = cli.main(["build", "--locale", "en", "--format", "pdf", "--paper", "a4", "--out", str(out), "--quiet"])
    return code, capsys.readouterr().err


def assert_one_line_naming(err: str, path: str, reason: str) -> None:
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in err, err
    assert path in lines[0] and reason in lines[0], err


def test_out_is_a_file(tmp_path, capsys):
    (tmp_path / "out").write_text("not a folder")
    code, err = build_one(tmp_path / "out", capsys)
    assert code == 1
    assert_one_line_naming(err, "out", "it is a file, not a folder")
    assert (tmp_path / "out").read_text() == "not a folder"


def test_out_is_inside_a_file(tmp_path, capsys):
    (tmp_path / "file").write_text("x")
    code, err = build_one(tmp_path / "file" / "out", capsys)
    assert code == 1
    assert_one_line_naming(err, "file", "this is a file, not a folder")


def test_locale_folder_is_a_file(tmp_path, capsys):
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "en").write_text("x")
    code, err = build_one(tmp_path / "out", capsys)
    assert code == 1
    assert_one_line_naming(err, "out/en", "a file, not a folder")


def test_artifact_path_is_a_folder(tmp_path, capsys):
    (tmp_path / "out" / "en" / "atopic-dermatitis-handout-a4.pdf").mkdir(parents=True)
    code, err = build_one(tmp_path / "out", capsys)
    assert code == 1
    assert_one_line_naming(err, "atopic-dermatitis-handout-a4.pdf", "it is a folder, not a file")
    assert everything_under(tmp_path / "out") <= {"en", "en/atopic-dermatitis-handout-a4.pdf", "leaflets-manifest.json"}
    assert (tmp_path / "out" / "en" / "atopic-dermatitis-handout-a4.pdf").is_dir()


def test_out_where_nothing_may_be_created(capsys):
    code, err = build_one(Path("/sys/leaflets-out"), capsys)
    assert code == 1
    assert_one_line_naming(err, "/sys/leaflets-out", "cannot create the output folder")


@pytest.mark.parametrize("fault, call, reason", [
    (errno.EROFS, "open", "the file system is read-only"),
    (errno.EACCES, "open", "permission denied"),
    (errno.ENOSPC, "write", "no space left on the device"),
    (errno.EDQUOT, "write", "disk quota exceeded"),
    (errno.EIO, "fsync", "input/output error"),
    (errno.EXDEV, "replace", "cannot write"),
])
def test_write_faults_are_one_line_errors(tmp_path, capsys, monkeypatch, fault, call, reason):
    """Faults a root-run test cannot cause for real (read-only, full disk) are injected."""
    real = getattr(os, call)

    def failing(*args, **kwargs):
        if call == "open" and ".leaflets-tmp." not in str(args[0]):
            return real(*args, **kwargs)
        raise OSError(fault, os.strerror(fault))

    out = tmp_path / "out"
    out.mkdir()
    monkeypatch.setattr(os, call, failing)
    code, err = build_one(out, capsys)
    monkeypatch.undo()
    assert code == 1
    assert_one_line_naming(err, "out/en/atopic-dermatitis-handout-a4.pdf", reason)
    assert everything_under(out) <= {"en", "leaflets-manifest.json"}
