"""Fixtures for build-engine tests: a private copy of the project to edit."""

from __future__ import annotations

import hashlib
import shutil
import zipfile
from pathlib import Path

import pytest

from leaflets.build import Project
from leaflets.manifest import MANIFEST_NAME
from tests.conftest import ROOT


@pytest.fixture
def project_copy(tmp_path) -> Project:
    """content/ and locales/ copied, so a test may edit them."""
    shutil.copytree(ROOT / "content", tmp_path / "content")
    shutil.copytree(ROOT / "locales", tmp_path / "locales")
    return Project(content_dir=tmp_path / "content", locales_dir=tmp_path / "locales")


def artifacts(folder: Path) -> dict[str, str]:
    """sha256 of every artifact under ``folder`` (the manifest excluded)."""
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file() and p.name != MANIFEST_NAME}


def hidden_files(folder: Path) -> list[Path]:
    return [p for p in folder.rglob(".*")]


def assert_valid_artifact(path: Path) -> None:
    """A complete PDF (parses, has pages) or a complete OOXML package."""
    data = path.read_bytes()
    if path.suffix == ".pdf":
        import pypdf
        assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF"), path
        assert len(pypdf.PdfReader(path).pages) >= 1, path
    elif path.suffix == ".pptx":
        with zipfile.ZipFile(path) as package:
            assert package.testzip() is None, path
            assert "ppt/presentation.xml" in package.namelist(), path
    else:
        raise AssertionError(f"unexpected file in the output: {path}")
