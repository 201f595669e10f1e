"""Ctrl-C, kill and kill -9 during a build: no temporary file, only whole artifacts."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from tests.engine.conftest import assert_valid_artifact, hidden_files
from tests.conftest import ROOT


def start_build(out, *args):
    """A build in its own process group (as a terminal runs it)."""
    return subprocess.Popen([sys.executable, str(ROOT / "generate.py"), "build", "--force", "--jobs", "2",
                             "--out", str(out), *args], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, start_new_session=True)


def wait_for_first_file(process, out, timeout=60.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if any(out.rglob("*.pdf")) or process.poll() is not None:
            return
        time.sleep(0.02)
    pytest.fail("the build wrote nothing")


def assert_clean(out):
    assert not hidden_files(out), hidden_files(out)
    for path in out.rglob("*"):
        if path.is_file() and path.suffix in (".pdf", ".pptx"):
            assert_valid_artifact(path)


@pytest.mark.parametrize("signum, code", [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_interrupted_build_exits_cleanly(tmp_path, signum, code):
    out = tmp_path / "out"
    process = start_build(out)
    wait_for_first_file(process, out)
    if process.poll() is not None:
        pytest.skip("the build finished before it could be interrupted")
    os.killpg(process.pid, signum)  # the whole group, workers included, as Ctrl-C does
    stdout, stderr = process.communicate(timeout=60)
    if process.returncode == 0 and not stderr and " 0 failed" in stdout:
        # the build (some 3 s now) ended between the check above and the signal: nothing was interrupted
        pytest.skip("the build finished before the signal reached it")
    assert process.returncode == code, (stdout, stderr)
    assert "Traceback" not in stderr and "Traceback" not in stdout
    assert stderr.strip().splitlines()[-1].startswith("interrupted: build stopped, no partial or temporary files")
    assert len(stderr.strip().splitlines()) == 1, stderr
    assert_clean(out)
    assert not [p for p in out.rglob("*") if p.is_file() and p.stat().st_size == 0]


def test_debris_of_a_killed_build_is_removed_by_the_next(tmp_path):
    out = tmp_path / "out"
    process = start_build(out, "--locale", "en", "--locale", "de")
    wait_for_first_file(process, out)
    os.killpg(process.pid, signal.SIGKILL)
    process.communicate(timeout=60)
    # what a build killed mid-write leaves: a temporary file named for its (now dead) process
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    debris = out / "de" / f".atopic-dermatitis-slides.pptx.leaflets-tmp.{dead.stdout.strip()}.0badcafe"
    debris.parent.mkdir(parents=True, exist_ok=True)
    debris.write_bytes(b"PK\x03\x04 half a deck")
    alive = out / f".other.leaflets-tmp.{os.getpid()}.0badcafe"  # a build still running: left alone
    alive.write_bytes(b"in progress")
    result = subprocess.run([sys.executable, str(ROOT / "generate.py"), "build", "--locale", "en", "--locale", "de",
                             "--out", str(out)], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert not debris.exists() and alive.exists()
    alive.unlink()
    assert_clean(out)
    assert len(list(out.rglob("*.p*"))) == 6
