"""Command line: ``python generate.py [build|check|locales ...]``.

Exit codes: 0 success, 1 content, translation or output errors (each
printed as ``file:line:column: message``; a build still writes every
artifact that does not depend on the broken input), 2 usage errors, 130
interrupted by Ctrl-C (143 by SIGTERM).  No traceback reaches the user for
bad input.

Imports are deferred to the command that needs them: ``--help`` loads no
pipeline module, and only rendering loads ReportLab or python-pptx.
"""

from __future__ import annotations

import argparse
import datetime as dt
import signal
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from leaflets.errors import Diagnostic, LeafletsError, display_path
from leaflets.plan import FORMATS, PAPERS

if TYPE_CHECKING:
    from leaflets.build import Project

EXIT_OK, EXIT_ERRORS, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130


def load_topics(project):
    """:func:`leaflets.build.load_topics`, imported when first needed."""
    from leaflets.build import load_topics as load
    return load(project)


class UsageError(Exception):
    """Arguments that parse but make no sense (e.g. a locale we do not ship)."""


def _locale_arg(value: str) -> str:
    """A locale tag in canonical case (BCP 47 tags are case-insensitive: pt-br is pt-BR)."""
    from leaflets.i18n.locales import canonical_tag
    from leaflets.i18n.pseudo import PSEUDO_LOCALES
    for pseudo in PSEUDO_LOCALES:
        if value.lower() == pseudo.lower():
            return pseudo
    try:
        return canonical_tag(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _date_arg(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date YYYY-MM-DD") from None


def _template(path: Path | None) -> Path | None:
    """The presenter's deck template: an existing file (its content is checked when a deck is built)."""
    if path is None:
        return None
    if not path.is_file():
        raise UsageError(f"--template {path}: no such file (expected a .pptx presentation)")
    return path.resolve()


def _jobs_arg(value: str) -> int:
    if not (value.isascii() and value.isdigit()) or not 1 <= int(value) <= 256:
        raise argparse.ArgumentTypeError(f"expected a whole number of processes from 1 to 256, got {value!r}")
    return int(value)


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
    b.add_argument("--template", type=Path, default=None, metavar="FILE.pptx",
                   help="build decks on your own PowerPoint template (layouts found by name, else by "
                        "placeholder types; see leaflets/render/deck_template.py)")
    b.add_argument("--force", action="store_true",
                   help="rebuild every requested file, even those the manifest shows up to date")
    b.add_argument("--jobs", "-j", type=_jobs_arg, default=None, metavar="N",
                   help="render on N processes (default: one per available core; 1: no worker processes)")
    b.add_argument("--quiet", "-q", action="store_true", help="print only errors (for CI)")
    b.add_argument("--only", action="append", metavar="MSGID",
                   help="preview one string: write only the handout pages and deck slides that show it, as "
                        "OUT/<locale>/<topic>-handout-<paper>.only.pdf and <topic>-slides.only.pptx (the normal "
                        "files and the manifest are left alone). MSGID is the exact msgid, or a piece of exactly "
                        "one msgid or one translation (any case); repeatable. Always renders, in this process")

    commands.add_parser("check", help="validate the content and every catalog without writing anything",
                        description="Validate every topic and every shipped catalog; exit 1 on any problem.")

    loc = commands.add_parser("locales", help="translator commands: extract, init, update, status, review",
                              description="Manage the gettext PO catalogs in locales/. See TRANSLATING.md.")
    sub = loc.add_subparsers(dest="locales_command", metavar="ACTION", required=True)
    sub.add_parser("extract", help="write the template locales/leaflets.pot from the content",
                   description="Write locales/leaflets.pot from the topics and interface labels. "
                               "Honours SOURCE_DATE_EPOCH for the header date.")
    init = sub.add_parser("init", help="start a new language: locales/LANG.po",
                          description="Create locales/LANG.po from the current source, with CLDR plural forms.")
    init.add_argument("lang", help="BCP 47 tag of the new language, e.g. it, pt-BR, zh-Hant")
    init.add_argument("--force", action="store_true", help="overwrite an existing catalog")
    sub.add_parser("update", help="merge source changes into every catalog",
                   description="Rewrite the template and merge it into every catalog: changed strings become "
                               "fuzzy and keep the previous source (#| lines); removed ones become obsolete.")
    st = sub.add_parser("status", help="one row per locale: translated, fuzzy, untranslated, errors, review",
                        description="Report every shipped catalog. With --strict, exit 1 if any is incomplete, "
                                    "has fuzzy entries or fails a check.")
    st.add_argument("--strict", action="store_true", help="exit 1 unless every catalog is complete and clean")
    st.add_argument("--verbose", "-v", action="store_true",
                    help="list every failing, fuzzy and untranslated entry with its file:line")
    st.add_argument("--format", choices=("text", "json"), default="text",
                    help="json: per-locale and per-topic counts and review state, for dashboards and CI")
    rv = sub.add_parser("review", help="record a qualified reviewer's review of a catalog",
                        description="Record in LANG.po's header who reviewed it, when, and against which source.")
    rv.add_argument("lang", type=_locale_arg)
    rv.add_argument("--reviewer", required=True, help="'Name, qualification', e.g. 'Dr Ana Ruiz, dermatologist'")
    rv.add_argument("--date", type=_date_arg, default=None, help="YYYY-MM-DD, not in the future (default: today)")
    rv.add_argument("--topic", default=None, help="review only this topic (default: every complete topic)")
    return parser


def main(argv: list[str] | None = None) -> int:
    from leaflets.runtime import relax_gc
    relax_gc()
    parser = make_parser()
    args = parser.parse_args(argv)
    command = args.command or "build"
    try:
        from leaflets.runtime import EnvironmentProblem, settle_source_date
        settle_source_date()
    except EnvironmentProblem as exc:
        parser.exit(EXIT_USAGE, f"generate.py: error: {exc}\n")
    from leaflets.build import Project
    project = Project(**{k: v for k, v in (("content_dir", args.content_dir), ("locales_dir", args.locales_dir)) if v})
    try:
        if command == "build":
            return _build(project, args)
        if command == "check":
            return _check(project)
        if command == "locales":
            return _locales(project, args)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except UsageError as exc:
        parser.exit(EXIT_USAGE, f"generate.py: error: {exc}\n")
    except LeafletsError as exc:
        for diagnostic in exc.diagnostics:
            print(f"error: {diagnostic}", file=sys.stderr)
        print(f"{len(exc.diagnostics)} error(s); nothing was written.", file=sys.stderr)
        return EXIT_ERRORS
    parser.error(f"unknown command {command}")
    return EXIT_USAGE


def _build(project, args) -> int:
    from leaflets.build import BuildFailed, BuildInterrupted, BuildOptions, build, has_translations, source_date
    from leaflets.progress import reporter_for

    locales = getattr(args, "locale", None)
    if locales:
        shipped = project.locales()
        for tag in locales:
            if not has_translations(project, tag):
                raise UsageError(f"locale {tag!r} is not shipped; shipped locales: {', '.join(shipped)} "
                                 f"(add one with a PO file in {display_path(project.locales_dir)})")
        locales = list(dict.fromkeys(locales))
    out = getattr(args, "out", Path("build"))
    reporter = reporter_for(getattr(args, "quiet", False))
    options = BuildOptions(allow_incomplete=getattr(args, "allow_incomplete", False), created=source_date(),
                           template=_template(getattr(args, "template", None)))
    stopped_by = {}

    def terminate(signum, frame):  # kill (SIGTERM): stop like Ctrl-C, clean up, exit 143
        stopped_by["signal"] = signum
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, terminate)
    try:
        if getattr(args, "only", None):
            return _preview(project, out, args, locales, reporter, options)
        build(project, out, locales=locales, formats=_unique(getattr(args, "format", None)),
              papers=_unique(getattr(args, "paper", None)), force=getattr(args, "force", False),
              jobs=getattr(args, "jobs", None), reporter=reporter, options=options)
    except BuildFailed:
        return EXIT_ERRORS  # the reporter printed each failure and the summary
    except LeafletsError as exc:  # the output folder cannot be written
        reporter.stop()
        for diagnostic in exc.diagnostics:
            print(f"error: {diagnostic}", file=sys.stderr)
        return EXIT_ERRORS
    except (BuildInterrupted, KeyboardInterrupt) as exc:
        result = getattr(exc, "result", None)
        done = f"; {len(result.written)} file(s) finished and kept" if result else ""
        print(f"interrupted: build stopped, no partial or temporary files left{done}", file=sys.stderr)
        code = 128 + stopped_by.get("signal", signal.SIGINT)
        _exit_soon(code)
        return code
    finally:
        signal.signal(signal.SIGTERM, previous)
    return EXIT_OK


def _preview(project, out: Path, args, locales, reporter, options) -> int:
    """``build --only``: the pages and slides that show some strings (:mod:`leaflets.preview`)."""
    from leaflets.preview import UnknownString, preview
    echo = (lambda text: None) if args.quiet else (lambda text: print(text, flush=True))
    try:
        result = preview(project, out, _unique(args.only), locales=locales, formats=_unique(args.format),
                         papers=_unique(args.paper), options=options, echo=echo, fail=reporter.failed)
    except UnknownString as exc:
        raise UsageError(str(exc)) from None
    return EXIT_ERRORS if result.failures else EXIT_OK


def _exit_soon(code: int, seconds: float = 10.0) -> None:
    """Make sure an interrupted process ends: the work is stopped and cleaned up, but the
    interpreter's own exit joins the pool's threads and processes without a time limit,
    and an interruption at an unlucky moment can leave one of them waiting for ever."""
    import os
    import threading

    def force() -> None:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)

    timer = threading.Timer(seconds, force)
    timer.daemon = True
    timer.start()


def _unique(values):
    return list(dict.fromkeys(values)) if values else values


def _locales(project: Project, args) -> int:
    from leaflets.i18n import workflow

    action = args.locales_command
    if action == "extract":
        print(f"wrote {display_path(workflow.extract(project))}")
    elif action == "init":
        path = workflow.init(project, args.lang, force=args.force)
        print(f"wrote {display_path(path)}; translate it (Poedit or a text editor), then "
              f"`python generate.py build --locale {args.lang}`")
    elif action == "update":
        print(f"wrote {display_path(workflow.template_path(project))}")
        for path, summary in workflow.update(project):
            print(f"updated {display_path(path)}: {summary}")
    elif action == "review":
        path, topics = workflow.review(project, args.lang, args.reviewer, args.date or dt.date.today(), args.topic)
        print(f"recorded the review of {', '.join(topics)} in {display_path(path)}")
    elif action == "status":
        rows = workflow.status(project)
        fit = _fit_problems(project, [row.locale for row in rows if row.complete]) if args.strict else []
        if args.format == "json":
            return _status_json(rows, fit, args.strict)
        return _status(rows, fit, args.strict, args.verbose)
    return EXIT_OK


def _short(msgid: str) -> str:
    return repr(msgid if len(msgid) <= 60 else msgid[:57] + "...")


def _status(rows, fit, strict: bool, verbose: bool) -> int:
    header = f"{'locale':<8} {'translated':>10} {'fuzzy':>6} {'untranslated':>12} {'errors':>6}  review"
    print(header)
    for row in rows:
        print(f"{row.locale:<8} {row.translated:>6}/{row.total:<3} {row.fuzzy:>6} {row.untranslated:>12} "
              f"{row.errors:>6}  {row.review}")
        if verbose or strict:
            for finding in row.findings:
                print(f"  {finding.diagnostic()}")
        if verbose:
            for entry in row.fuzzy_entries:
                print(f"  {row.file}:{entry.line}: fuzzy: {_short(entry.msgid)}")
            for entry in row.missing:
                where = f"{row.file}:{entry.line}" if entry.line else f"{row.file}: not in the catalog (run `locales update`)"
                print(f"  {where}: untranslated: {_short(entry.msgid)}")
    for diagnostic in fit:
        print(f"  {diagnostic}")
    failing = [row.locale for row in rows if not row.complete]
    if strict and (failing or fit):
        if failing:
            print(f"not complete: {', '.join(failing)}", file=sys.stderr)
        if fit:
            print(f"{len(fit)} layout overflow(s)", file=sys.stderr)
        return EXIT_ERRORS
    return EXIT_OK


def _status_json(rows, fit, strict: bool) -> int:
    import json
    data = {"locales": [row.as_json() for row in rows],
            "layout": [str(d) for d in fit],
            "complete": all(row.complete for row in rows) and not fit}
    print(json.dumps(data, ensure_ascii=False, indent=1))
    return EXIT_ERRORS if strict and not data["complete"] else EXIT_OK


def _fit_problems(project: Project, locales: list[str]) -> list:
    """Lay out every handout and slide of ``locales`` as a build would; the overflows, as diagnostics."""
    from leaflets.fit import fit_problems
    topics = load_topics(project)
    return fit_problems(project, topics, locales)


def _check(project: Project) -> int:
    from leaflets.fit import fit_problems
    from leaflets.i18n.locales import unknown_catalogs
    topics = load_topics(project)
    locales = project.locales()
    problems = [Diagnostic(display_path(path), 0, 0, problem) for path, problem in unknown_catalogs(project.locales_dir)]
    problems += fit_problems(project, topics, locales, localization_errors=True)
    if problems:
        raise LeafletsError(problems)
    print(f"ok: {len(topics)} topic(s), {len(locales)} locale(s): {', '.join(locales)}; every handout and deck fits")
    return EXIT_OK
