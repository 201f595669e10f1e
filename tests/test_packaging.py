"""leaflets installed from its sdist and wheel, not from a checkout: everything it reads comes with it.

One slow test builds the sdist from the sources, the wheel from the sdist
(so both must carry the data), installs the wheel into a new virtual
environment and runs the ``leaflets`` console script from a folder that is
not a checkout.  The build is offline (``--no-build-isolation``, with the
setuptools of the test extra); the new environment reaches the
dependencies already installed here through a ``.pth`` file, so nothing is
downloaded, while leaflets itself can only come from the wheel.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import venv
import zipfile
from importlib import metadata
from pathlib import Path

import pypdf
import pytest

from tests.conftest import ROOT

# What the wheel is built from: the package (whose resources/ links lead to the folders below) and its metadata.
SOURCES = ["pyproject.toml", "README.md", "LICENSE", "MANIFEST.in", "leaflets", "assets", "content", "locales"]
PACKAGED = ["leaflets/resources/assets/fonts/NotoSans-Regular.ttf", "leaflets/resources/assets/fonts/OFL.txt",
            "leaflets/resources/assets/fonts/README.md", "leaflets/resources/assets/templates/leaflets.pptx",
            "leaflets/resources/content/atopic-dermatitis.yaml",
            "leaflets/resources/content/reviews/plain-language-terms.yaml",
            "leaflets/resources/locales/es.po", "leaflets/resources/locales/leaflets.pot",
            "leaflets/web/templates/clinic.html", "leaflets/web/static/app.css", "leaflets/web/static/app.js",
            "leaflets/web/locales/web.pot", "leaflets/web/locales/ar.po"]


def run(command: list[str], cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, env=env, timeout=600)


def succeeded(result: subprocess.CompletedProcess) -> str:
    assert result.returncode == 0, f"{result.args}\n{result.stdout}\n{result.stderr}"
    return result.stdout


def test_wheel_installs_and_runs_from_any_folder(tmp_path):
    setuptools = tuple(int(part) for part in metadata.version("setuptools").split(".")[:2])
    assert setuptools >= (77, 0), "the test extra's setuptools>=77 builds the wheel (pip install -e '.[test]')"
    source = tmp_path / "source"
    source.mkdir()
    for name in SOURCES:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, source / name, symlinks=True,
                            ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy2(ROOT / name, source / name)
    dist = tmp_path / "dist"
    sdist = succeeded(run([sys.executable, "-c", "import sys; from setuptools import build_meta; "
                           "print(build_meta.build_sdist(sys.argv[1]))", str(dist)], cwd=source)).split()[-1]
    succeeded(run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
                   "--no-index", str(dist / sdist), "-w", str(dist)], cwd=tmp_path))
    wheel = next(dist.glob("leaflets-*.whl"))
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    assert set(PACKAGED) <= names, sorted(set(PACKAGED) - names)
    assert not [n for n in names if n.startswith(("tests/", "tools/", "content/", "locales/", "assets/"))]

    environment = tmp_path / "venv"
    try:
        venv.create(environment, with_pip=False)
    except (OSError, subprocess.CalledProcessError) as exc:
        pytest.skip(f"cannot create a virtual environment here ({exc}); CI installs the wheel itself")
    python = environment / "bin" / "python"
    purelib = Path(succeeded(run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                                 cwd=tmp_path)).strip())
    here = dict.fromkeys([sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]])
    (purelib / "dependencies-of-the-test-environment.pth").write_text("\n".join(here) + "\n", encoding="utf-8")
    succeeded(run([sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet", "--no-deps",
                   "--no-index", str(wheel)], cwd=tmp_path))

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    leaflets = str(environment / "bin" / "leaflets")
    assert f" from {purelib / 'leaflets'} " in succeeded(run([leaflets, "--version"], elsewhere, env))
    checked = succeeded(run([leaflets, "check"], elsewhere, env))
    assert checked.startswith("ok: 1 topic(s), 10 locale(s): en, ar, de, es, fr, hi, ko, ru, vi, zh-Hans;")
    built = succeeded(run([leaflets, "build", "--locale", "es", "--format", "pdf", "--paper", "a4"], elsewhere, env))
    assert "wrote build/es/atopic-dermatitis-handout-a4.pdf (2 pages" in built
    handout = pypdf.PdfReader(elsewhere / "build" / "es" / "atopic-dermatitis-handout-a4.pdf")
    assert "Dermatitis atópica (eccema)" in handout.pages[0].extract_text()
    assert sorted(p.name for p in elsewhere.iterdir()) == ["build"]
    assert "start the web app" in succeeded(run([leaflets, "--help"], elsewhere, env))

    refused = run([leaflets, "locales", "update"], elsewhere, env)
    assert refused.returncode == 2 and "Traceback" not in refused.stderr
    assert "locales update writes catalogs, and these are the installed leaflets package's own" in refused.stderr
