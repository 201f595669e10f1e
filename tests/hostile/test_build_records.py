"""A build trusts only what it checks: hostile manifests, links and odd files in the output and
the project, and odd environments.  Each case names what it gave before issue 22."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import resource
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from leaflets import cli
from leaflets.build import Project, build
from leaflets.errors import LeafletsError
from leaflets.i18n.review import parse_stamp
from leaflets.manifest import MANIFEST_NAME, Manifest
from leaflets.progress import LineReporter
from leaflets.render.reproducible import normalize_zip
from tests.conftest import ROOT

LOCALES = ["de", "en", "es"]
HANDOUTS = [f"{locale}/atopic-dermatitis-handout-a4.pdf" for locale in LOCALES]
DE, EN, ES = HANDOUTS


def run(project, out):
    """One in-process build of three A4 handouts; returns (result, stdout, stderr)."""
    stdout, stderr = io.StringIO(), io.StringIO()
    result = build(project, out, locales=LOCALES, formats=["pdf"], papers=["a4"], jobs=1,
                   reporter=LineReporter(stdout, stderr))
    return result, stdout.getvalue(), stderr.getvalue()


def written(result, out) -> list[str]:
    return sorted(path.relative_to(out).as_posix() for path, _ in result.written)


def run_cli(*args, env=None, timeout=90, memory=None):
    """The command line in a subprocess with a time limit (a hang fails the test, not the run)
    and optionally an address-space limit (a runaway read fails it, not the machine)."""
    limit = (lambda: resource.setrlimit(resource.RLIMIT_AS, (memory, memory))) if memory else None
    return subprocess.run([sys.executable, str(ROOT / "generate.py"), *args], capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, timeout=timeout, preexec_fn=limit)


@pytest.fixture(scope="module")
def pristine(tmp_path_factory):
    base = tmp_path_factory.mktemp("records")
    shutil.copytree(ROOT / "content", base / "content")
    # the catalogs of the languages built here, no others: `check` lays out every language it finds
    others = [f"{tag}.po" for tag in Project().locales() if tag not in LOCALES]
    shutil.copytree(ROOT / "locales", base / "locales", ignore=lambda folder, names: [n for n in names if n in others])
    project = Project(content_dir=base / "content", locales_dir=base / "locales")
    result, _, _ = run(project, base / "out")
    assert written(result, base / "out") == HANDOUTS
    return base


@pytest.fixture
def first(pristine, tmp_path):
    for name in ("content", "locales", "out"):
        shutil.copytree(pristine / name, tmp_path / name, symlinks=True)
    return Project(content_dir=tmp_path / "content", locales_dir=tmp_path / "locales"), tmp_path / "out"


def sha(path: Path) -> str:
    return "sha256:" + hashlib.sha256(path.read_bytes()).hexdigest()


# -------------------------------------------------------------- manifest
def forge(out: Path, edit) -> None:
    path = out / MANIFEST_NAME
    data = json.loads(path.read_text(encoding="utf-8"))
    edit(data)
    path.write_text(json.dumps(data), encoding="utf-8")


@pytest.mark.parametrize("forged_id", ["elsewhere", None, ["a", "list"], "../../etc"])
def test_a_recorded_topic_id_never_decides_what_is_built(first, forged_id):
    """Before: the manifest's topic id (trusted when the file's digest matched) made the build
    plan another topic: "everything is up to date (0 files)" with the three files deleted;
    a null id was a traceback."""
    project, out = first
    topic = project.content_dir / "atopic-dermatitis.yaml"
    forge(out, lambda data: data.update(topics={str(topic.relative_to(Path.cwd())) if topic.is_relative_to(
        Path.cwd()) else str(topic): {"sha256": sha(topic), "id": forged_id}}))
    for name in HANDOUTS:
        (out / name).unlink()
    result, stdout, _ = run(project, out)
    assert written(result, out) == HANDOUTS, stdout


def test_an_entry_copied_from_another_file_does_not_make_it_up_to_date(first):
    project, out = first
    (out / ES).write_bytes((out / EN).read_bytes())  # es now holds the English handout
    forge(out, lambda data: data["targets"].__setitem__(ES, data["targets"][EN]))
    result, _, _ = run(project, out)
    assert written(result, out) == [ES]


@pytest.mark.parametrize("name, make, reason", [
    ("deep-nesting", lambda p: p.write_bytes(b'{"format": 1, "targets": ' + b"[" * 200_000 + b"]" * 200_000 + b"}"),
     "nested 200001 levels deep"),
    ("wrong-types", lambda p: p.write_text(json.dumps({"format": 1, "targets": {EN: {"bytes": "many"}}})),
     "has 'bytes' of the wrong type"),
    ("folder", lambda p: p.mkdir(), "is a folder, not a file"),
    ("link", lambda p: p.symlink_to(p.parent.parent / "elsewhere.json"), "is a link"),
])
def test_an_odd_manifest_is_ignored_with_its_reason(first, name, make, reason):
    """Before: RecursionError traceback (deep nesting); a link was followed outside --out."""
    project, out = first
    (out.parent / "elsewhere.json").write_bytes((out / MANIFEST_NAME).read_bytes())
    (out / MANIFEST_NAME).unlink()
    make(out / MANIFEST_NAME)
    result, _, stderr = run(project, out)
    assert f"warning: manifest ignored: {MANIFEST_NAME}" in stderr and reason in stderr, stderr
    assert written(result, out) == HANDOUTS  # a full rebuild


@pytest.mark.parametrize("special", ["fifo", "dev-zero"])
def test_a_manifest_that_never_ends_is_not_read(first, special):
    """Before: a FIFO hung the build; a link to /dev/zero read gigabytes."""
    project, out = first
    path = out / MANIFEST_NAME
    path.unlink()
    if special == "fifo":
        os.mkfifo(path)
    else:
        path.symlink_to("/dev/zero")
    result = run_cli("--content-dir", str(project.content_dir), "--locales-dir", str(project.locales_dir), "build",
                     "--locale", "en", "--format", "pdf", "--paper", "a4", "--out", str(out), timeout=90,
                     memory=2 * 1024**3)
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    assert "manifest ignored:" in result.stderr


def test_a_catalog_edited_in_place_keeping_size_and_time_is_rebuilt(first):
    """Before: the digest was taken from the manifest's cache by size and modification time."""
    project, out = first
    run(project, out)  # a no-op build here, so that whatever it remembers is about these very files
    po = project.locales_dir / "es.po"
    before = po.stat()
    text = po.read_text(encoding="utf-8")
    old = 'msgstr "Dermatitis atópica (eccema)"'
    po.write_text(text.replace(old, 'msgstr "Dermatitis atópica (ECCEMA)"', 1), encoding="utf-8")
    os.utime(po, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert po.stat().st_size == before.st_size and po.stat().st_mtime_ns == before.st_mtime_ns
    result, _, _ = run(project, out)
    assert written(result, out) == [ES]


def test_manifest_load_refuses_what_is_not_one(tmp_path):
    assert Manifest.load(tmp_path).ignored is None  # none at all: nothing to say
    (tmp_path / MANIFEST_NAME).write_text('{"format": 1, "targets": {"x": {"topic": null}}}')
    assert "entry 'x' has 'topic' of the wrong type" in Manifest.load(tmp_path).ignored
    (tmp_path / MANIFEST_NAME).write_bytes(b"{}" + b" " * (17 * 1024 * 1024))
    assert "larger than 16 MB" in Manifest.load(tmp_path).ignored


# ------------------------------------------------------------------ paths
def test_a_link_in_the_output_folder_is_not_written_through(first, tmp_path):
    """Before: out/es, a link to a folder outside --out, was written through (a file there replaced)."""
    project, out = first
    outside = tmp_path / "outside"
    outside.mkdir()
    victim = outside / "atopic-dermatitis-handout-a4.pdf"
    victim.write_text("precious")
    shutil.rmtree(out / "es")
    (out / "es").symlink_to(outside)
    with pytest.raises(LeafletsError) as caught:
        run(project, out)
    assert "es: cannot write here: it is a symbolic link" in str(caught.value)
    assert victim.read_text() == "precious" and sorted(p.name for p in outside.iterdir()) == [victim.name]


def test_a_link_as_the_output_file_is_replaced_not_followed(first, tmp_path):
    project, out = first
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    (out / DE).unlink()
    (out / DE).symlink_to(victim)
    result, _, _ = run(project, out)
    assert DE in written(result, out)
    assert victim.read_text() == "precious" and not (out / DE).is_symlink()


@pytest.mark.parametrize("target", ["/etc/passwd", "/etc/hostname"])
def test_a_catalog_linked_to_a_system_file_is_not_quoted(first, target):
    """Before: the catalog's syntax errors quoted the system file's lines."""
    project, out = first
    po = project.locales_dir / "es.po"
    po.unlink()
    po.symlink_to(target)
    first_line = Path(target).read_text().splitlines()[0][:20]
    result = run_cli("--content-dir", str(project.content_dir), "--locales-dir", str(project.locales_dir), "check")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "es.po: is a link to a file outside its folder" in result.stderr
    assert first_line not in result.stderr


def test_a_topic_file_linked_outside_the_project_is_not_read(tmp_path):
    content = tmp_path / "content"
    content.mkdir()
    (content / "topic.yaml").symlink_to("/etc/passwd")
    result = run_cli("--content-dir", str(content), "check")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "topic.yaml: is a link to a file outside its folder" in result.stderr and "root:" not in result.stderr


@pytest.mark.parametrize("what", ["catalog", "topic"])
def test_a_fifo_input_is_refused_by_type(tmp_path, what):
    content, locales = tmp_path / "content", tmp_path / "locales"
    shutil.copytree(ROOT / "tests" / "content", content, ignore=shutil.ignore_patterns("bad", "*.py", "__pycache__"))
    locales.mkdir()
    os.mkfifo(content / "second.yaml" if what == "topic" else locales / "es.po")
    result = run_cli("--content-dir", str(content), "--locales-dir", str(locales), "build", "--locale",
                     "es" if what == "catalog" else "en", "--format", "pdf", "--out", str(tmp_path / "out"),
                     timeout=90)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "a pipe (FIFO), not a file" in result.stderr, result.stderr


# ------------------------------------------------------------ environment
@pytest.mark.parametrize("epoch, year", [(4354819200, 2108), (253402300799, 9999)])
def test_dates_zip_cannot_hold_are_clamped_in_members_only(epoch, year):
    """Before: "internal error ... ushort format" for decks from 4354819200 (2108) on."""
    when = dt.datetime.fromtimestamp(epoch, dt.timezone.utc)
    source = io.BytesIO()
    with zipfile.ZipFile(source, "w") as package:
        package.writestr("docProps/core.xml", "<dcterms:created>x</dcterms:created>")
        package.writestr("ppt/media/image1.png", b"png")
    with zipfile.ZipFile(io.BytesIO(normalize_zip(source.getvalue(), when))) as package:
        assert {info.date_time for info in package.infolist()} == {(2107, 12, 31, 23, 59, 58)}
        assert f"<dcterms:created>{year}-" in package.read("docProps/core.xml").decode()


def test_a_deck_dated_after_2107_builds(tmp_path):
    result = run_cli("build", "--locale", "en", "--format", "pptx", "--out", str(tmp_path / "out"), "--quiet",
                     env={"SOURCE_DATE_EPOCH": "4354819200"}, timeout=300)
    assert result.returncode == 0, result.stderr
    deck = tmp_path / "out" / "en" / "atopic-dermatitis-slides.pptx"
    with zipfile.ZipFile(deck) as package:
        assert b"2108-01-01T00:00:00Z" in package.read("docProps/core.xml")


@pytest.mark.parametrize("name", [b"out\xff", b"d\xe9j\xe0-vu"])
def test_an_output_path_not_in_the_locales_encoding_is_printed_escaped(tmp_path, name):
    """Before: UnicodeEncodeError traceback after the file was written (LANG=C, strict UTF-8 output)."""
    out = os.fsencode(tmp_path) + b"/" + name
    result = subprocess.run([sys.executable, str(ROOT / "generate.py"), "build", "--locale", "en", "--format", "pdf",
                             "--paper", "a4", "--out", out], capture_output=True, timeout=300,
                            env={**os.environ, "LANG": "C", "LC_ALL": "C", "PYTHONIOENCODING": "utf-8"})
    assert result.returncode == 0 and b"Traceback" not in result.stderr, result.stderr
    assert b"wrote " in result.stdout and b"\\x" in result.stdout


@pytest.mark.parametrize("reviewer", ["Dr " + "A" * 5000 + ", dermatologist", "Dr Ana\x1b[31m Ruiz, nurse"])
def test_a_reviewer_name_from_a_file_is_length_limited(reviewer):
    """Before: a 5,000-character name in a catalog's review header was accepted and broke the deck
    footer, blamed on the catalog."""
    with pytest.raises(ValueError, match="reviewer's name"):
        parse_stamp(f"{reviewer} | 2026-01-01 | sha256:00")


def test_negative_zero_fact_reads_zero_in_handout_and_deck(tmp_path):
    """Before: a fact of -0.0 read "0" in the handout but "-0.0" in the deck's chart cache."""
    from leaflets.content.load import load_topic
    from leaflets.localize import localize
    from leaflets.render.pptx import render_deck
    text = (ROOT / "content" / "atopic-dermatitis.yaml").read_text(encoding="utf-8")
    old = "severity_severe: {kind: percent, value: 7,"
    assert old in text
    path = tmp_path / "topic.yaml"
    path.write_text(text.replace(old, "severity_severe: {kind: percent, value: -0.0,", 1), encoding="utf-8")
    loaded = load_topic(path)
    assert str(loaded.topic.facts["severity_severe"].value) == "0.0"
    document = localize(loaded, "en")
    buffer = io.BytesIO()
    render_deck(document, buffer)
    with zipfile.ZipFile(buffer) as package:
        caches = [package.read(n) for n in package.namelist() if n.startswith("ppt/charts/chart")]
    assert caches and not any(b"<c:v>-0" in cache for cache in caches)
    assert any(b"<c:v>0.0</c:v>" in cache or b"<c:v>0</c:v>" in cache for cache in caches)


def test_read_only_review_is_one_line(tmp_path, capsys, monkeypatch):
    """A review in a read-only checkout: one line naming the record, no traceback, no change."""
    import errno
    import tempfile
    project = tmp_path / "project"
    for name in ("content", "locales"):
        shutil.copytree(ROOT / name, project / name)
    before = (project / "locales" / "es.po").read_bytes()

    def read_only(*args, **kwargs):
        raise OSError(errno.EROFS, os.strerror(errno.EROFS))
    monkeypatch.setattr(tempfile, "mkstemp", read_only)
    code = cli.main(["--project", str(project), "locales", "review", "es", "--reviewer", "Dr Ana Ruiz, nurse"])
    err = capsys.readouterr().err
    assert code == 1 and "Traceback" not in err
    assert err.splitlines()[0].endswith("cannot write: Read-only file system"), err
    assert (project / "locales" / "es.po").read_bytes() == before


@pytest.mark.parametrize("special", ["fifo", "link"])
def test_the_preview_memo_is_read_only_as_a_file_in_out(tmp_path, special):
    """``build --only`` keeps layout facts in OUT/leaflets-preview.json: a FIFO there hung it; a link
    was followed (and its target rewritten)."""
    out = tmp_path / "out"
    out.mkdir()
    memo = out / "leaflets-preview.json"
    victim = tmp_path / "victim.json"
    victim.write_text('{"layouts": {}}')
    if special == "fifo":
        os.mkfifo(memo)
    else:
        memo.symlink_to(victim)
    result = run_cli("build", "--locale", "en", "--format", "pdf", "--paper", "a4", "--only",
                     "Atopic dermatitis (eczema)", "--out", str(out), timeout=120)
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    assert (out / "en" / "atopic-dermatitis-handout-a4.only.pdf").is_file()
    assert victim.read_text() == '{"layouts": {}}'


def test_linguas_linked_to_a_system_file_is_not_quoted(tmp_path):
    """Before: `check` printed each line of /etc/passwd as "not a locale tag"."""
    from leaflets.i18n.locales import linguas_problems
    locales = tmp_path / "locales"
    shutil.copytree(ROOT / "locales", locales)
    (locales / "LINGUAS").unlink(missing_ok=True)
    (locales / "LINGUAS").symlink_to("/etc/passwd")
    problems = [str(d) for d in linguas_problems(locales)]
    assert problems == [f"{locales / 'LINGUAS'}: is a link to a file outside its folder; not read"]
