"""Fixtures for the web app: an app on the shipped project (in-process, with its worker pool), and
a live ``leaflets serve`` on a loopback port for the browser and load tests."""

from __future__ import annotations

import datetime as dt
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import ROOT

CREATED = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)


def settings_for(tmp_path: Path, **changes):
    from leaflets.resources import resources
    from leaflets.web import Settings
    values = dict(content_dir=ROOT / "content", locales_dir=ROOT / "locales", cache_dir=tmp_path / "cache",
                  workers=2, created=CREATED, secret="test-secret-" + "0" * 20)
    values.update(changes)
    del resources
    return Settings(**values)


@pytest.fixture(scope="session")
def client(tmp_path_factory):
    """A TestClient of an app on the shipped project: two render workers, a fresh cache (one per
    test process: starting workers is the expensive part)."""
    import warnings

    from starlette.testclient import TestClient

    from leaflets.web import create_app
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        app = create_app(settings_for(tmp_path_factory.mktemp("web")))
        with TestClient(app) as test_client:
            yield test_client


def csrf_of(client, path: str = "/translate") -> str:
    import re
    page = client.get(path)
    return re.search(r'name="csrf" value="([0-9a-f]+)"', page.text).group(1)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class LiveServer:
    """``leaflets serve`` in a subprocess, on a free loopback port."""

    def __init__(self, tmp_path: Path, *extra: str, env: dict | None = None):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.cache = tmp_path / "cache"
        self.log = open(tmp_path / "serve.log", "wb")
        self.process = subprocess.Popen(
            [sys.executable, str(ROOT / "generate.py"), "serve", "--project", str(ROOT), "--port", str(self.port),
             "--cache-dir", str(self.cache), *extra],
            cwd=tmp_path, stdout=self.log, stderr=subprocess.STDOUT,
            env={**os.environ, "SOURCE_DATE_EPOCH": str(int(CREATED.timestamp())), **(env or {})})
        self.wait()

    def wait(self, timeout: float = 90) -> None:
        import httpx
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"leaflets serve exited {self.process.returncode}: "
                                   f"{Path(self.log.name).read_text(errors='replace')}")
            try:
                if httpx.get(self.url + "/healthz", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.2)
        raise RuntimeError("leaflets serve did not start")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    server = LiveServer(tmp_path_factory.mktemp("live"))
    yield server
    server.stop()
