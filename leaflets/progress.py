"""What a build prints while it runs, and its final summary.

Three reporters, chosen by the command line:

* :class:`LineReporter` (not a terminal: CI logs, pipes): one line per
  artifact written or failed, then the summary;
* :class:`TerminalReporter` (a terminal): the same lines above a ``rich``
  progress bar, shown only when there is more than a moment's work;
* :class:`QuietReporter` (``--quiet``): errors only.

Errors always go to stderr, everything else to stdout.  Only the parent
process of a build reports (workers send their results back to it).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field

from leaflets.errors import Diagnostic, display_path

MAX_ERRORS_PER_UNIT = 25
PROGRESS_MIN_JOBS = 3  # fewer artifacts than this finish before a bar would be worth drawing


@dataclass
class Summary:
    built: int = 0
    up_to_date: int = 0
    failed: int = 0
    wall: float = 0.0
    cpu: float = 0.0
    failures: list[tuple[str, list[Diagnostic]]] = field(default_factory=list)

    def line(self) -> str:
        if not self.built and not self.failed:
            files = "file" if self.up_to_date == 1 else "files"
            return f"everything is up to date ({self.up_to_date} {files}, {self.wall:.2f} s)"
        parts = [f"{self.built} built", f"{self.up_to_date} up to date", f"{self.failed} failed"]
        return f"{', '.join(parts)} in {self.wall:.2f} s (CPU {self.cpu:.2f} s)"


class LineReporter:
    def __init__(self, out=None, err=None):
        self._out, self._err = out, err

    @property
    def out(self):
        return self._out or sys.stdout

    @property
    def err(self):
        return self._err or sys.stderr

    def start(self, jobs: int) -> None:
        pass

    def built(self, path, summary: str, seconds: float) -> None:
        self._print(f"wrote {display_path(path)} ({summary}, {seconds:.2f} s)")

    def warning(self, message: str) -> None:
        print(f"warning: {message}", file=self.err, flush=True)

    def failed(self, name: str, diagnostics: list[Diagnostic]) -> None:
        """One failed unit: a topic, a locale, or a single artifact."""
        print(f"failed: {name}", file=self.err, flush=True)
        for diagnostic in diagnostics[:MAX_ERRORS_PER_UNIT]:
            print(f"  error: {diagnostic}", file=self.err, flush=True)
        if len(diagnostics) > MAX_ERRORS_PER_UNIT:
            print(f"  ... and {len(diagnostics) - MAX_ERRORS_PER_UNIT} more", file=self.err, flush=True)

    def finish(self, summary: Summary) -> None:
        self.stop()
        self._print(summary.line())
        if summary.failed:
            names = ", ".join(name for name, _ in summary.failures)
            print(f"not built because of the errors above: {names}", file=self.err, flush=True)

    def stop(self) -> None:
        pass

    def _print(self, text: str) -> None:
        print(text, file=self.out, flush=True)


class QuietReporter(LineReporter):
    def built(self, path, summary: str, seconds: float) -> None:
        pass

    def finish(self, summary: Summary) -> None:
        if summary.failed:
            names = ", ".join(name for name, _ in summary.failures)
            print(f"not built because of the errors above: {names}", file=self.err, flush=True)


class TerminalReporter(LineReporter):
    """Lines as :class:`LineReporter`, plus a transient ``rich`` progress bar."""

    def __init__(self, out=None, err=None):
        super().__init__(out, err)
        self.progress = None
        self.task = None

    def start(self, jobs: int) -> None:
        if jobs < PROGRESS_MIN_JOBS:
            return
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
        # No refresh thread: worker processes are forked while the bar is shown, and a
        # thread holding a lock at fork time could leave a worker waiting forever.
        self.progress = Progress(TextColumn("building"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                                 console=Console(file=self.out), transient=True, auto_refresh=False)
        self.progress.start()
        self.task = self.progress.add_task("build", total=jobs)

    def advance(self) -> None:
        self._advance()

    def _advance(self) -> None:
        if self.progress is not None:
            self.progress.advance(self.task)
            self.progress.refresh()

    def _print(self, text: str) -> None:
        if self.progress is not None:
            self.progress.console.print(text, markup=False, highlight=False)
        else:
            super()._print(text)

    def stop(self) -> None:
        if self.progress is not None:
            self.progress.stop()
            self.progress = None


def reporter_for(quiet: bool, stream=None):
    stream = stream or sys.stdout
    if quiet:
        return QuietReporter()
    if getattr(stream, "isatty", lambda: False)():
        try:
            import rich  # noqa: F401
        except ImportError:
            return LineReporter()
        return TerminalReporter()
    return LineReporter()
