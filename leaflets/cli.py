"""Command line: ``python generate.py [build|check|locales ...]``.

Exit codes: 0 success, 1 content or translation errors (each printed as
``file:line:column: message``), 2 usage errors.  No traceback reaches the
user for bad input.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from leaflets.build import FORMATS, PAPERS, Project, build, load_topics, localize_all
from leaflets.errors import LeafletsError, display_path
from leaflets.i18n.locales import parse_tag

EXIT_OK, EXIT_ERRORS, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    """Arguments that parse but make no sense (e.g. a locale we do not ship)."""


def _locale_arg(value: str) -> str:
    try:
        parse_tag(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    return value


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="generate.py",
        description="Build translated patient handouts (PDF) and clinician decks (PPTX) from topic YAML. "
                    "With no command, builds everything for every shipped locale into build/.")
    parser.add_argument("--content-dir", type=Path, default=None, help="folder of topic YAML files (default: content/)")
    parser.add_argument("--locales-dir", type=Path, default=None, help="folder of PO catalogs (default: locales/)")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    b = commands.add_parser("build", help="render handouts and decks",
                            description="Render handouts (PDF) and decks (PPTX). Outputs: "
                                        "OUT/<locale>/<topic>-handout-<paper>.pdf and OUT/<locale>/<topic>-slides.pptx.")
    b.add_argument("--locale", action="append", type=_locale_arg, metavar="TAG",
                   help="build only this locale (BCP 47 tag, e.g. es or zh-Hans); repeatable; default: all shipped")
    b.add_argument("--format", action="append", choices=FORMATS, help="pdf or pptx; repeatable; default: both")
    b.add_argument("--paper", action="append", choices=PAPERS, help="handout paper size; repeatable; default: both")
    b.add_argument("--out", type=Path, default=Path("build"), help="output folder (default: build/)")
    b.add_argument("--allow-incomplete", action="store_true",
                   help="build locales with missing translations, showing English (marked) where missing")

    commands.add_parser("check", help="validate the content and every catalog without writing anything",
                        description="Validate every topic and every shipped catalog; exit 1 on any problem.")
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = make_parser()
    args = parser.parse_args(argv)
    project = Project(**{k: v for k, v in (("content_dir", args.content_dir), ("locales_dir", args.locales_dir)) if v})
    command = args.command or "build"
    try:
        if command == "build":
            return _build(project, args)
        if command == "check":
            return _check(project)
    except UsageError as exc:
        parser.exit(EXIT_USAGE, f"generate.py: error: {exc}\n")
    except LeafletsError as exc:
        for diagnostic in exc.diagnostics:
            print(f"error: {diagnostic}", file=sys.stderr)
        print(f"{len(exc.diagnostics)} error(s); nothing was written.", file=sys.stderr)
        return EXIT_ERRORS
    parser.error(f"unknown command {command}")
    return EXIT_USAGE


def _build(project: Project, args) -> int:
    locales = getattr(args, "locale", None)
    shipped = project.locales()
    for tag in locales or []:
        if tag not in shipped:
            raise UsageError(f"locale {tag!r} is not shipped; shipped locales: {', '.join(shipped)} "
                             f"(add one with a PO file in {display_path(project.locales_dir)})")
    started = time.perf_counter()

    def progress(path: Path, summary: str) -> None:
        print(f"wrote {display_path(path)} ({summary})")

    result = build(project, getattr(args, "out", Path("build")), locales=locales,
                   formats=getattr(args, "format", None), papers=getattr(args, "paper", None),
                   allow_incomplete=getattr(args, "allow_incomplete", False), progress=progress)
    print(f"{len(result.written)} files in {time.perf_counter() - started:.1f} s")
    return EXIT_OK


def _check(project: Project) -> int:
    topics = load_topics(project)
    locales = project.locales()
    localize_all(project, topics, locales)
    print(f"ok: {len(topics)} topic(s), {len(locales)} locale(s): {', '.join(locales)}")
    return EXIT_OK
