"""Diagnostics that point at a place in a source file.

Every user-facing error in leaflets is a :class:`Diagnostic`: a file, a line,
a column and a sentence saying what was expected.  Stages collect as many as
they can before failing, so one run reports every problem instead of the first.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem found in one source file.

    ``line`` and ``column`` are 1-based; 0 means "the file as a whole".
    """

    file: str
    line: int
    column: int
    message: str

    def __str__(self) -> str:
        if self.line:
            return f"{self.file}:{self.line}:{self.column}: {self.message}"
        return f"{self.file}: {self.message}"


class LeafletsError(Exception):
    """Raised with one or more diagnostics; the CLI prints them and exits 1."""

    def __init__(self, diagnostics: list[Diagnostic] | Diagnostic):
        if isinstance(diagnostics, Diagnostic):
            diagnostics = [diagnostics]
        self.diagnostics = list(diagnostics)
        super().__init__("\n".join(str(d) for d in self.diagnostics))


def display_path(path: Path | str) -> str:
    """A path as users should read it: relative to the working directory if possible."""
    path = Path(path)
    try:
        shown = str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        shown = str(path)
    except (OSError, RuntimeError):  # a symlink loop, a vanished working directory
        shown = os.path.abspath(path)
    return printable(shown)


def printable(text: str) -> str:
    """A file name as text any output can take: bytes that are not valid in the file system's
    encoding (kept by Python as lone surrogates) are written as ``\\xff`` escapes."""
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        return os.fsencode(text).decode("utf-8", "backslashreplace")
