"""Command line: ``python generate.py [build|check|locales ...]``.

Exit codes: 0 success, 1 content or translation errors (each printed as
``file:line:column: message``), 2 usage errors.  No traceback reaches the
user for bad input.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from pathlib import Path

from leaflets.build import FORMATS, PAPERS, Project, build, load_topics, localize_all
from leaflets.errors import Diagnostic, LeafletsError, display_path
from leaflets.i18n.locales import canonical_tag, catalog_for
from leaflets.i18n.pseudo import PSEUDO_LOCALES

EXIT_OK, EXIT_ERRORS, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    """Arguments that parse but make no sense (e.g. a locale we do not ship)."""


def _locale_arg(value: str) -> str:
    """A locale tag in canonical case (BCP 47 tags are case-insensitive: pt-br is pt-BR)."""
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
    parser = make_parser()
    args = parser.parse_args(argv)
    project = Project(**{k: v for k, v in (("content_dir", args.content_dir), ("locales_dir", args.locales_dir)) if v})
    command = args.command or "build"
    try:
        if command == "build":
            return _build(project, args)
        if command == "check":
            return _check(project)
        if command == "locales":
            return _locales(project, args)
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
        if tag not in shipped and tag not in PSEUDO_LOCALES and catalog_for(project.locales_dir, tag) is None \
                and tag.split("-")[0] != "en":
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
    localize_all(project, topics, locales)
    problems = [Diagnostic(display_path(p), 0, 0, "not a locale CLDR knows: this catalog is never built; rename it "
                                                  "to a BCP 47 tag such as pt-BR.po") for p in unknown_catalogs(project.locales_dir)]
    problems += fit_problems(project, topics, locales)
    if problems:
        raise LeafletsError(problems)
    print(f"ok: {len(topics)} topic(s), {len(locales)} locale(s): {', '.join(locales)}; every handout and deck fits")
    return EXIT_OK
