"""Two builds give identical bytes: serial or parallel, in any order."""

from __future__ import annotations

from tests.engine.conftest import artifacts, assert_valid_artifact
from tests.conftest import run_cli

EPOCH = {"SOURCE_DATE_EPOCH": "1767225600"}
LOCALES = ["en", "es", "ar", "zh-Hans"]


def test_parallel_and_serial_builds_in_different_orders_are_identical(tmp_path):
    forward = [arg for tag in LOCALES for arg in ("--locale", tag)]
    backward = [arg for tag in reversed(LOCALES) for arg in ("--locale", tag)]
    parallel = run_cli("build", *forward, "--jobs", "2", "--out", str(tmp_path / "a"), env=EPOCH)
    assert parallel.returncode == 0, parallel.stderr
    serial = run_cli("build", *backward, "--paper", "letter", "--paper", "a4", "--format", "pptx", "--format", "pdf",
                     "--jobs", "1", "--out", str(tmp_path / "b"), env=EPOCH)
    assert serial.returncode == 0, serial.stderr
    first, second = artifacts(tmp_path / "a"), artifacts(tmp_path / "b")
    assert len(first) == 12 and first == second
    for name in first:
        assert_valid_artifact(tmp_path / "a" / name)
