"""Shared fixtures: the real project, and one build of it per test session."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from leaflets.build import Project, build
from leaflets.content.load import load_topic

ROOT = Path(__file__).resolve().parents[1]
TOPIC = ROOT / "content" / "atopic-dermatitis.yaml"


# The modules that keep a worker busiest, heaviest first (their summed per-test durations in the
# whole suite on the 2-core machine, after the economies of issue 16's last item).  --dist loadscope sends whole modules to
# the workers in collection order (--no-loadscope-reorder in pyproject's addopts); xdist's own order,
# most tests first, sent the one-test soak, thread and wheel modules last, to one worker, while the
# other sat idle.  Longest first, then the rest as xdist orders them, ends both workers together.
HEAVY_FIRST = (
    "tests/render/test_editions.py",
    "tests/i18n/test_review.py",
    "tests/engine/test_threads.py",
    "tests/render/test_pptx.py",
    "tests/render/test_pdf_text.py",
    "tests/engine/test_soak.py",
    "tests/test_packaging.py",
    "tests/render/test_deck_templates.py",
    "tests/web/test_translate.py",
    "tests/hostile/test_corpus.py",
    "tests/i18n/test_status.py",
    "tests/i18n/test_workflow.py",
    "tests/test_cli.py",
    "tests/engine/test_reproducible.py",
    "tests/i18n/test_shipping.py",
    "tests/render/test_pageflow.py",
    "tests/i18n/test_merge.py",
    "tests/hostile/test_build_records.py",
    "tests/i18n/test_rules.py",
)


def pytest_collection_modifyitems(session, config, items):
    """Modules in HEAVY_FIRST's order, then the others with the most tests first (xdist's order);
    a module's tests keep their order."""
    modules: dict[str, list] = {}
    for item in items:
        modules.setdefault(item.nodeid.split("::")[0], []).append(item)

    def rank(module: str) -> tuple[int, int]:
        if module in HEAVY_FIRST:
            return 0, HEAVY_FIRST.index(module)
        return 1, -len(modules[module])

    items[:] = [item for module in sorted(modules, key=rank) for item in modules[module]]


def pytest_addoption(parser):
    parser.addoption("--update-goldens", action="store_true", help="rewrite tests/golden/*.json from the current output")
    parser.addoption("--thread-rounds", type=int, default=2, metavar="N",
                     help="rounds of tests/engine/test_threads.py, each from cold fonts (default 2; the issue's is 20)")


@pytest.fixture(scope="session")
def update_goldens(request) -> bool:
    return request.config.getoption("--update-goldens")


@pytest.fixture(scope="session")
def project() -> Project:
    return Project()


@pytest.fixture(scope="session")
def loaded():
    return load_topic(TOPIC)


@pytest.fixture(scope="session")
def shipped(project) -> list[str]:
    return project.locales()


@pytest.fixture(scope="session")
def built(tmp_path_factory, project, shipped) -> Path:
    """Every handout and deck for every shipped locale, built once."""
    out = tmp_path_factory.mktemp("build")
    build(project, out, locales=shipped)
    return out


def run_cli(*args: str, cwd: Path | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    """Run generate.py as a user would, in a subprocess."""
    return subprocess.run(["python", str(ROOT / "generate.py"), *args], cwd=cwd or ROOT, capture_output=True,
                          text=True, env={**os.environ, **(env or {})}, timeout=600)


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def require_tool(name: str) -> str:
    """A tool the render checks need; missing is a failure under CI, a skip locally."""
    path = shutil.which(name)
    if path is None:
        if os.environ.get("CI"):
            pytest.fail(f"{name} is required in CI (.ci/run installs it)")
        pytest.skip(f"{name} not installed")
    return path


@pytest.fixture
def mini_project(tmp_path):
    """A project folder with the small test topic and no catalogs (English only)."""
    folder = tmp_path / "mini-project"
    (folder / "content").mkdir(parents=True)
    (folder / "content" / "mini.yaml").write_bytes((ROOT / "tests" / "content" / "minimal.yaml").read_bytes())
    return folder
