"""What a build prints: one line per file, a summary, nothing with --quiet."""

from __future__ import annotations

import io

from leaflets import cli
from leaflets.progress import LineReporter, QuietReporter, TerminalReporter, reporter_for

ONE = ["build", "--locale", "en", "--format", "pdf", "--paper", "a4"]


def test_lines_then_summary_then_up_to_date(tmp_path, capsys):
    assert cli.main([*ONE, "--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 2
    assert out[0].startswith(f"wrote {tmp_path}/en/atopic-dermatitis-handout-a4.pdf (2 pages, ")
    assert out[1].startswith("1 built, 0 up to date, 0 failed in ") and "(CPU " in out[1]
    assert cli.main([*ONE, "--out", str(tmp_path)]) == 0
    assert capsys.readouterr().out.startswith("everything is up to date (1 file, ")


def test_quiet_prints_nothing_on_success(tmp_path, capsys):
    assert cli.main([*ONE, "--out", str(tmp_path), "--quiet", "--force"]) == 0
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err == ""


class Terminal(io.StringIO):
    def isatty(self):
        return True


def test_reporter_choice():
    assert isinstance(reporter_for(True, Terminal()), QuietReporter)
    assert isinstance(reporter_for(False, Terminal()), TerminalReporter)
    assert type(reporter_for(False, io.StringIO())) is LineReporter


def test_terminal_progress_bar_goes_away_and_lines_stay():
    screen = Terminal()
    reporter = TerminalReporter(out=screen, err=screen)
    reporter.start(3)
    for name in ("a.pdf", "b.pdf", "c.pptx"):
        reporter.built(name, "2 pages", 0.1)
        reporter.advance()
    reporter.stop()
    text = screen.getvalue()
    assert text.count("wrote ") == 3 and "3/3" in text
