"""Worker processes die with their build: ``kill -9`` of the parent leaves none running.

Before issue 22 every worker of a killed build waited on its job queue for ever.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from leaflets.workers import die_with_parent
from tests.conftest import ROOT


def children(pid: int) -> set[int]:
    """Live (not zombie) processes whose parent is ``pid``."""
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid and fields[0] != "Z":
                found.add(int(entry.name))
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"  # a zombie has exited; only reaping is left (by init, in a container maybe never)


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc (Linux)")
def test_killed_build_leaves_no_worker_running(tmp_path):
    # every locale's deck: four decks took the workers about a second since issue 21, often gone before seen
    build = subprocess.Popen([sys.executable, str(ROOT / "generate.py"), "build", "--force", "--jobs", "2",
                              "--format", "pptx", "--out", str(tmp_path / "out"), "--quiet"],
                             cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        workers: set[int] = set()
        while time.monotonic() < deadline and len(workers) < 2 and build.poll() is None:
            workers = children(build.pid)
            time.sleep(0.05)
        if build.poll() is not None:
            pytest.skip("the build finished before its workers could be seen")
        assert len(workers) == 2, workers
        time.sleep(0.3)  # mid-render
        os.kill(build.pid, signal.SIGKILL)  # the parent alone, as the out-of-memory killer does
        build.wait(10)
        gone_by = time.monotonic() + 1.0
        while time.monotonic() < gone_by and any(alive(pid) for pid in workers):
            time.sleep(0.02)
        left = [pid for pid in workers if alive(pid)]
        assert not left, f"workers still running a second after their build was killed: {left}"
    finally:
        try:
            os.killpg(build.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def test_the_lifeline_alone_ends_a_worker(tmp_path):
    """Without the parent-death signal (not Linux), the pipe the parent holds is enough."""
    read_end, write_end = os.pipe()
    child = os.fork()
    if child == 0:  # the "parent" of a worker: forks the worker, then is killed
        worker = os.fork()
        if worker == 0:
            try:
                import leaflets.workers as workers
                workers.sys = type("NotLinux", (), {"platform": "other"})  # no prctl: the lifeline only
                die_with_parent(os.getppid(), (read_end, write_end))
                os.write(marker_fd := os.open(tmp_path / "worker", os.O_WRONLY | os.O_CREAT), b"%d" % os.getpid())
                os.close(marker_fd)
                time.sleep(30)
            finally:
                os._exit(0)
        os.close(read_end)
        time.sleep(30)
        os._exit(0)
    os.close(read_end)
    os.close(write_end)
    marker = tmp_path / "worker"
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and not (marker.exists() and marker.read_bytes()):
        time.sleep(0.02)
    worker = int(marker.read_bytes())
    os.kill(child, signal.SIGKILL)
    os.waitpid(child, 0)
    gone_by = time.monotonic() + 1.0
    while time.monotonic() < gone_by and alive(worker):
        time.sleep(0.02)
    assert not alive(worker)
