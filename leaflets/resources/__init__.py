"""Where leaflets' own data lives: the fonts, the deck template and the topics it ships.

The data is package data of ``leaflets.resources``, found through
:mod:`importlib.resources`, so a git checkout, an editable install, a wheel
and an install from the sdist all find it the same way, from any working
directory.  In the repository, ``assets``, ``content`` and ``locales`` here
are symbolic links to the top-level folders of the same names, where authors
and translators work and the documentation points; building a wheel or an
sdist copies the files they point to (``[tool.setuptools.package-data]`` in
``pyproject.toml`` lists them).

:class:`ResourceRoot` decides every path to this engine data; a user's own
topics and catalogs are a :class:`leaflets.project.Project`.  This module
imports nothing heavy: the command line asks it for paths before ``--help``.
"""

from __future__ import annotations

import importlib.resources
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from leaflets.errors import Diagnostic, LeafletsError, display_path

DECK_TEMPLATE_NAME = "leaflets.pptx"
REINSTALL = ("the leaflets installation is incomplete: reinstall it (python -m pip install --force-reinstall "
             "leaflets), or in a git checkout restore the file (git checkout -- assets)")


class MissingResource(LeafletsError):
    """A file leaflets ships (a font, the deck template) is not where the package keeps it."""

    def __init__(self, path: Path, what: str):
        super().__init__(Diagnostic(display_path(path), 0, 0, f"{what} is missing; {REINSTALL}"))


@dataclass(frozen=True)
class ResourceRoot:
    """The folder of leaflets' engine data, and the path of each kind of file in it.

    ``folder`` holds ``assets/`` (``fonts/``, ``templates/``), and the
    shipped project: ``content/`` (topics, and ``content/reviews/``) and
    ``locales/`` (catalogs, ``LINGUAS``, ``locales/reviews/``).
    """

    folder: Path

    @classmethod
    def installed(cls) -> "ResourceRoot":
        """The data of the leaflets package that is running."""
        root = importlib.resources.files(__name__)
        if not isinstance(root, Path):  # a zip import: fonts must be files that ReportLab and fontTools open
            raise LeafletsError(Diagnostic(str(root), 0, 0, "leaflets must be installed as files, not run from a "
                                           "zip archive: its fonts and deck template are opened by path"))
        return cls(root)

    @property
    def assets_dir(self) -> Path:
        """Fonts and templates: every file here is part of each artifact's fingerprint."""
        return self.folder / "assets"

    @property
    def fonts_dir(self) -> Path:
        return self.assets_dir / "fonts"

    @property
    def templates_dir(self) -> Path:
        return self.assets_dir / "templates"

    @property
    def deck_template(self) -> Path:
        """The default deck template (``tools/templates/make_template.py`` writes it)."""
        return self.templates_dir / DECK_TEMPLATE_NAME

    @property
    def content_dir(self) -> Path:
        """The topics leaflets ships (used when no project folder is given or found)."""
        return self.folder / "content"

    @property
    def locales_dir(self) -> Path:
        """The catalogs of the shipped topics."""
        return self.folder / "locales"

    def holds(self, path: Path) -> bool:
        """Whether ``path`` lies inside the installed package (so must not be written).

        In a checkout the links lead out of the package, to the folders
        translators edit, and this is False for them.
        """
        try:
            Path(path).resolve().relative_to(self.folder.resolve())
        except ValueError:
            return False
        return True


@lru_cache(maxsize=None)
def resources() -> ResourceRoot:
    """The :class:`ResourceRoot` of the running leaflets package (found once per process)."""
    return ResourceRoot.installed()
