"""Build guarantees: nothing written on errors, reproducible bytes."""

from __future__ import annotations

import hashlib
import shutil

from tests.conftest import ROOT, run_cli


def _digests(folder):
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_source_date_epoch_gives_identical_bytes(tmp_path):
    env = {"SOURCE_DATE_EPOCH": "1767225600"}
    for run in ("a", "b"):
        result = run_cli("build", "--locale", "en", "--locale", "es", "--out", str(tmp_path / run), env=env)
        assert result.returncode == 0, result.stderr
    first, second = _digests(tmp_path / "a"), _digests(tmp_path / "b")
    assert len(first) == 6 and first == second


def test_a_broken_catalog_stops_the_build_before_any_file(tmp_path):
    locales = tmp_path / "locales"
    shutil.copytree(ROOT / "locales", locales)
    po = locales / "es.po"
    text = po.read_text(encoding="utf-8")
    text = text.replace('msgid "Atopic dermatitis (eczema)"\nmsgstr "', 'msgid "Atopic dermatitis (eczema)"\nmsgstr "{oops} ', 1)
    po.write_text(text, encoding="utf-8")
    result = run_cli("--locales-dir", str(locales), "build", "--out", str(tmp_path / "out"))
    assert result.returncode == 1
    assert "locales/es.po" in result.stderr and "{oops}" in result.stderr
    assert not (tmp_path / "out").exists()
