"""Every shipped catalog passes GNU gettext's and translate-toolkit's checks."""

from __future__ import annotations

import subprocess

import pytest

from tests.conftest import ROOT, require_tool

CATALOGS = sorted((ROOT / "locales").glob("*.po"))
# pofilter's tests in its 'critical' category (translate.filters.checks: @critical)
POFILTER_CRITICAL = ["escapes", "newlines", "tabs", "printf", "pythonbraceformat", "variables", "xmltags", "nplurals"]


@pytest.mark.parametrize("po", CATALOGS, ids=[p.stem for p in CATALOGS])
def test_msgfmt_check(po, tmp_path):
    msgfmt = require_tool("msgfmt")
    result = subprocess.run([msgfmt, "--check", "-o", str(tmp_path / "out.mo"), str(po)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "error" not in result.stderr.lower(), result.stderr


@pytest.mark.parametrize("po", CATALOGS, ids=[p.stem for p in CATALOGS])
def test_pofilter_critical_tests(po, tmp_path):
    pofilter = require_tool("pofilter")
    out = tmp_path / "failures.po"
    tests = [arg for name in POFILTER_CRITICAL for arg in ("-t", name)]
    result = subprocess.run([pofilter, "--progress=none", *tests, str(po), str(out)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    failures = out.read_text(encoding="utf-8") if out.exists() else ""
    assert "(pofilter)" not in failures, failures


def test_pofilter_catches_a_broken_placeholder(tmp_path):
    """The external check is real: it fails on a catalog we break on purpose."""
    pofilter = require_tool("pofilter")
    broken = tmp_path / "es.po"
    broken.write_text((ROOT / "locales" / "es.po").read_text(encoding="utf-8").replace(
        "adultos: {lesion_sites_clinical}", "adultos: {lesion_sites_clinicl}", 1), encoding="utf-8")
    out = tmp_path / "failures.po"
    subprocess.run([pofilter, "--progress=none", "-t", "pythonbraceformat", str(broken), str(out)], check=True)
    assert "(pofilter) pythonbraceformat" in out.read_text(encoding="utf-8")
