"""Command line: ``leaflets [build|check|locales ...]`` (or ``python generate.py ...`` in a checkout).

Exit codes: 0 success, 1 content, translation or output errors (each
printed as ``file:line:column: message``; a build still writes every
artifact that does not depend on the broken input), 2 usage errors, 130
interrupted by Ctrl-C (143 by SIGTERM).  No traceback reaches the user for
bad input.

Arguments are read without argparse's traps (:func:`arrange`): options may
come before or after the command, no command means ``build`` with its
options (``leaflets --locale es``), an option is never taken for a prefix of
another (``--locale`` is not ``--locales-dir``), and a misspelt one is a
usage error that names the closest option.

Imports are deferred to the command that needs them: ``--help`` loads no
pipeline module, and only rendering loads ReportLab or python-pptx.

The commands use the engine (:class:`leaflets.engine.Engine`); what belongs
to a program that owns its process is here, not there: the garbage
collector's settings (:func:`leaflets.process.relax_gc`, and a frozen heap
before a build forks), the reading of ``SOURCE_DATE_EPOCH``, worker processes
(one per core unless ``--jobs``) and the SIGTERM handler.
"""

from __future__ import annotations

import argparse
import datetime as dt
import signal
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from leaflets.errors import Diagnostic, LeafletsError, display_path
from leaflets.plan import FORMATS, PAPERS, VARIANTS

if TYPE_CHECKING:
    from leaflets.project import Project

EXIT_OK, EXIT_ERRORS, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130
EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE, as a shell reports a command whose reader went away


class UsageError(Exception):
    """Arguments that parse but make no sense (e.g. a locale we do not ship)."""


def _locale_arg(value: str) -> str:
    """A locale tag in canonical case (BCP 47 tags are case-insensitive: pt-br is pt-BR)."""
    from leaflets.i18n.locales import canonical_tag
    from leaflets.i18n.locales import PSEUDO_LOCALES
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


def _clinic(engine, path: Path | None):
    """The clinic profile of ``--brand FILE`` (``none``: no clinic), else the project folder's
    ``_brand.yml`` if there is one.  A bad brand file is an error naming its lines (exit 1)."""
    if path is not None and str(path) == "none":
        return None
    if path is not None and not path.is_file():
        raise UsageError(f"--brand {path}: no such file (expected a _brand.yml brand file)")
    return engine.clinic(path)


def _second_locale(engine, args) -> str | None:
    """``--second-locale``, checked against ``--variant`` and ``--format``: the bilingual edition
    needs one, nothing else takes one, and a deck has one language."""
    second = getattr(args, "second_locale", None)
    bilingual = "bilingual" in (getattr(args, "variant", None) or ())
    if bilingual and second is None:
        raise UsageError("--variant bilingual needs its second language: --second-locale LOCALE (e.g. en)")
    if second is not None and not bilingual:
        raise UsageError(f"--second-locale {second}: only the bilingual edition has a second language "
                         "(add --variant bilingual)")
    if bilingual and (getattr(args, "format", None) or []) and set(args.format) <= {"pptx"}:
        raise UsageError("--variant bilingual makes handouts (--format pdf): a deck has one language")
    if second is None:
        return None
    try:
        second = engine._locale(second)  # a tag Babel does not know is an error here, not a traceback
    except LeafletsError as exc:
        raise UsageError(f"--second-locale {second}: {exc.diagnostics[0].message}") from None
    if not engine.can_localize(second):
        raise UsageError(f"--second-locale {second}: locale is not shipped; shipped locales: "
                         f"{', '.join(engine.locales())}")
    return second


def _presenter(path: Path | None):
    """The presenter profile of ``--presenter FILE`` (errors name the file's lines, exit 1)."""
    if path is None:
        return None
    if not path.is_file():
        raise UsageError(f"--presenter {path}: no such file (expected a YAML presenter file)")
    from leaflets.presenter import load_presenter
    return load_presenter(path)


def _jobs_arg(value: str) -> int:
    if not (value.isascii() and value.isdigit()) or not 1 <= int(value) <= 256:
        raise argparse.ArgumentTypeError(f"expected a whole number of processes from 1 to 256, got {value!r}")
    return int(value)


class Parser(argparse.ArgumentParser):
    """argparse without its traps: an option is never read as a prefix of another
    (``--locale`` is not ``--locales-dir``), and every subparser is one of these."""

    def __init__(self, *args, **kwargs):
        kwargs["allow_abbrev"] = False
        super().__init__(*args, **kwargs)


def _program() -> str:
    """The name the user typed: ``generate.py`` from a checkout, else the console script ``leaflets``."""
    name = Path(sys.argv[0]).name if sys.argv and sys.argv[0] else ""
    return "generate.py" if name == "generate.py" else "leaflets"


class _Version(argparse.Action):
    """``--version``: the version and where that leaflets is installed, on one line (argparse's
    own version action wraps it at the terminal width, splitting the path)."""

    def __init__(self, option_strings, dest=argparse.SUPPRESS, default=argparse.SUPPRESS, help=None):
        super().__init__(option_strings, dest, nargs=0, default=default,
                         help="print the version and where leaflets is installed, and exit")

    def __call__(self, parser, namespace, values, option_string=None):
        import platform

        import leaflets
        print(f"leaflets {leaflets.__version__} from {Path(leaflets.__file__).parent} "
              f"(Python {platform.python_version()})")
        parser.exit()


def _add_project_options(parser: argparse.ArgumentParser, default=None) -> None:
    """Options that choose the project (:mod:`leaflets.project`); every command takes them, before or after it."""
    group = parser.add_argument_group("project options (before or after the command)")
    group.add_argument("--project", type=Path, default=default, metavar="DIR",
                       help="the project folder, with content/ and locales/ (default: the current folder if it "
                            "has content/, else the topics shipped with leaflets)")
    group.add_argument("--content-dir", type=Path, default=default, metavar="DIR",
                       help="folder of topic YAML files (default: the project's content/)")
    group.add_argument("--locales-dir", type=Path, default=default, metavar="DIR",
                       help="folder of PO catalogs (default: the project's locales/)")


def _add_topic_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--topic", action="append", metavar="ID",
                        help="only this topic (its topic.id); repeatable; default: every topic of the project")


def make_parser(prog: str | None = None) -> argparse.ArgumentParser:
    prog = prog or _program()
    parser = Parser(
        prog=prog,
        description="Build translated patient handouts (PDF) and clinician decks (PPTX) from topic YAML. "
                    f"With no command, builds: `{prog} --locale es` is `{prog} build --locale es`, and build's "
                    "options may come before the command. Without --out, files go to build/ in the current folder.")
    parser.add_argument("--version", action=_Version)
    _add_project_options(parser, default=argparse.SUPPRESS)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    b = commands.add_parser("build", help="render handouts and decks (the default command)",
                            description="Render handouts (PDF) and decks (PPTX). Outputs: "
                                        "OUT/<locale>/<topic>-handout-<paper>.pdf and OUT/<locale>/<topic>-slides.pptx.")
    b.add_argument("--locale", action="append", type=_locale_arg, metavar="TAG",
                   help="build only this locale (BCP 47 tag, e.g. es or zh-Hans); repeatable; default: all shipped")
    b.add_argument("--format", action="append", choices=FORMATS, help="pdf or pptx; repeatable; default: both")
    b.add_argument("--paper", action="append", choices=PAPERS, help="handout paper size; repeatable; default: both")
    _add_topic_option(b)
    b.add_argument("--out", type=Path, default=Path("build"), metavar="DIR",
                   help="output folder (default: build/ in the current folder)")
    b.add_argument("--allow-incomplete", action="store_true",
                   help="build locales with missing translations, showing English (marked) where missing")
    b.add_argument("--template", type=Path, default=None, metavar="FILE.pptx",
                   help="build decks on your own PowerPoint template (layouts found by name, else by "
                        "placeholder types; see leaflets/render/deck_template.py)")
    b.add_argument("--build-in", action="store_true",
                   help="decks: bullets appear one click at a time when presenting")
    b.add_argument("--brand", type=Path, default=None, metavar="FILE",
                   help="make a clinic's edition from its brand file (a Posit/Quarto _brand.yml with a leaflets: "
                        "block of contacts; see README 'Clinic editions'); default: the project folder's "
                        "_brand.yml if it has one; --brand none makes the generic edition")
    b.add_argument("--presenter", type=Path, default=None, metavar="FILE",
                   help="fill the deck's title and disclosure slides from a presenter file (YAML: name, role, "
                        "institution, date, disclosures: financial, support; see leaflets/presenter.py)")
    b.add_argument("--variant", action="append", choices=VARIANTS, metavar="VARIANT",
                   help="handout edition: standard, large-print (body 18 pt, up to 12 pages) or bilingual "
                        "(each section followed by --second-locale's, up to 6 pages); repeatable; "
                        "default: standard. Decks have one edition")
    b.add_argument("--second-locale", default=None, metavar="LOCALE",
                   help="the second language of --variant bilingual handouts, e.g. en (files "
                        "<locale>/<topic>-handout-<paper>-bilingual-<LOCALE>.pdf)")
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
    _add_project_options(b)

    ch = commands.add_parser("check", help="validate the content and every catalog without writing anything",
                             description="Validate every topic and every shipped catalog; exit 1 on any problem.")
    _add_topic_option(ch)
    ch.add_argument("--out", type=Path, default=Path("build"), metavar="DIR",
                    help="the build's output folder (default: build/): files its manifest shows built from "
                         "today's inputs are known to fit and are not laid out again")
    _add_project_options(ch)

    loc = commands.add_parser("locales", help="translator commands: extract, init, update, status, review",
                              description="Manage the gettext PO catalogs in locales/. See TRANSLATING.md.")
    sub = loc.add_subparsers(dest="locales_command", metavar="ACTION", required=True)
    ex = sub.add_parser("extract", help="write the template locales/leaflets.pot from the content",
                        description="Write locales/leaflets.pot from the topics and interface labels. "
                                    "Honours SOURCE_DATE_EPOCH for the header date.")
    _add_project_options(ex)
    init = sub.add_parser("init", help="start a new language: locales/LANG.po",
                          description="Create locales/LANG.po from the current source, with CLDR plural forms.")
    init.add_argument("lang", help="BCP 47 tag of the new language, e.g. it, pt-BR, zh-Hant")
    init.add_argument("--force", action="store_true", help="overwrite an existing catalog")
    _add_project_options(init)
    up = sub.add_parser("update", help="merge source changes into every catalog",
                        description="Rewrite the template and merge it into every catalog: changed strings become "
                                    "fuzzy and keep the previous source (#| lines); removed ones become obsolete.")
    _add_project_options(up)
    st = sub.add_parser("status", help="one row per language: translated, fuzzy, untranslated, errors, review",
                        description="Report every catalog, shipped (locales/LINGUAS) or in progress. A catalog "
                                    "that cannot be read is reported on its own row. With --strict, exit 1 if a "
                                    "shipped language is incomplete, has fuzzy or failing entries or overflows its "
                                    "layout, if any catalog cannot be read, or if a reviewed topic changed since "
                                    "its review.")
    st.add_argument("--strict", action="store_true", help="exit 1 unless every shipped catalog is complete and clean")
    st.add_argument("--verbose", "-v", action="store_true",
                    help="list every failing, fuzzy and untranslated entry with its file:line")
    st.add_argument("--locale", action="append", type=_locale_arg, metavar="TAG",
                    help="only this language (repeatable): what a translator checks after an edit")
    st.add_argument("--format", choices=("text", "json"), default="text",
                    help="json: per-language and per-topic counts, review state and layout findings, "
                         "for dashboards and CI (always valid JSON, with a schema_version)")
    _add_topic_option(st)
    _add_project_options(st)
    rv = sub.add_parser("review", help="record a qualified reviewer's review of a catalog, or see what changed",
                        description="Record in LANG.po's header who reviewed it, when, and against which "
                                    "translation; with --diff, list what changed since the last review. A topic "
                                    "that changed since its review is stamped only with the --accept code "
                                    "--diff prints.")
    rv.add_argument("lang", type=_locale_arg)
    rv.add_argument("--reviewer", default=None, help="'Name, qualification', e.g. 'Dr Ana Ruiz, dermatologist'")
    rv.add_argument("--date", type=_date_arg, default=None, help="YYYY-MM-DD, not in the future (default: today)")
    rv.add_argument("--topic", default=None, help="only this topic (default: every complete topic)")
    rv.add_argument("--diff", action="store_true",
                    help="list every entry changed since the last review, and the code to --accept them")
    rv.add_argument("--accept", default=None, metavar="CODE",
                    help="stamp a topic that changed since its review: the code `--diff` printed for those changes")
    _add_project_options(rv)

    sv = commands.add_parser("serve", help="start the web app: clinic page, translator page, catalogue",
                             description="Serve the project on a local web server (http://127.0.0.1:8000 by "
                                         "default): pick, preview, download and print handouts and slides; "
                                         "check an uploaded catalog; the catalogue. See README, 'Web app'.")
    sv.add_argument("--host", default="127.0.0.1",
                    help="address to listen on (default 127.0.0.1: this machine only; a deployment puts a "
                         "reverse proxy with TLS in front)")
    sv.add_argument("--port", type=_port_arg, default=8000, help="port (default 8000)")
    sv.add_argument("--workers", type=_count_arg, default=2, metavar="N",
                    help="render worker processes (default 2); with --worker, RQ workers to run")
    sv.add_argument("--queue-limit", type=_count_arg, default=8, metavar="N",
                    help="renders that may wait beyond the running ones; more are answered 429 (default 8)")
    sv.add_argument("--render-timeout", type=_seconds_arg, default=60.0, metavar="SECONDS",
                    help="time limit of one render; its worker is replaced (default 60)")
    sv.add_argument("--recycle-after", type=_count_arg, default=200, metavar="N",
                    help="renders before a worker process is replaced (default 200)")
    sv.add_argument("--cache-dir", type=Path, default=None, metavar="DIR",
                    help="the render cache folder (default: .leaflets-cache in the current folder)")
    sv.add_argument("--cache-mb", type=_count_arg, default=512, metavar="MB", help="cache size bound (default 512)")
    sv.add_argument("--access-token-file", type=Path, default=None, metavar="FILE",
                    help="a file holding the access token every visitor must give (for deployments)")
    sv.add_argument("--brand", type=Path, default=None, metavar="FILE",
                    help="put a clinic's brand on every file served: its brand file (a Posit/Quarto _brand.yml "
                         "with a leaflets: block of contacts; see README 'Clinic editions'), checked at start-up; "
                         "default: the project folder's _brand.yml if it has one; --brand none serves the generic "
                         "edition")
    sv.add_argument("--backend", choices=("local", "redis"), default="local",
                    help="local: worker processes here (default); redis: RQ workers sharing a queue and cache")
    sv.add_argument("--redis-url", default=None, metavar="URL", help="redis://HOST:PORT/DB for --backend redis")
    sv.add_argument("--worker", action="store_true",
                    help="run RQ render workers for --backend redis instead of the web server")
    sv.add_argument("--allow-catalog-writes", action="store_true",
                    help="let the translator page's admin button write a checked catalog into locales/")
    _add_project_options(sv)
    return parser


def _port_arg(value: str) -> int:
    if not (value.isascii() and value.isdigit()) or not 0 <= int(value) <= 65535:
        raise argparse.ArgumentTypeError(f"expected a port number from 0 to 65535, got {value!r}")
    return int(value)


def _count_arg(value: str) -> int:
    if not (value.isascii() and value.isdigit()) or not 1 <= int(value) <= 100000:
        raise argparse.ArgumentTypeError(f"expected a whole number from 1 to 100000, got {value!r}")
    return int(value)


def _seconds_arg(value: str) -> float:
    try:
        seconds = float(value)
    except ValueError:
        seconds = -1.0
    if not 0.1 <= seconds <= 3600:
        raise argparse.ArgumentTypeError(f"expected seconds from 0.1 to 3600, got {value!r}")
    return seconds


# ------------------------------------------------------- reading the arguments
def _subcommands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return action.choices
    return {}


def _arity(*parsers: argparse.ArgumentParser) -> dict[str, int]:
    """Every option string of ``parsers`` and how many values it takes (0 or 1)."""
    return {option: 0 if action.nargs == 0 else 1
            for parser in parsers for action in parser._actions for option in action.option_strings}


def _split_option(token: str, known: dict[str, int]) -> tuple[str, bool]:
    """(option name, whether its value is in the token): ``--out=X``, ``-j4``."""
    if token.startswith("--"):
        name, equals, _ = token.partition("=")
        return name, bool(equals)
    name = token[:2]
    return name, len(token) > 2 and known.get(name) == 1


def _is_option(token: str) -> bool:
    return token.startswith("-") and len(token) > 1 and token != "--"


def _suggest(word: str, candidates) -> str:
    import difflib
    match = difflib.get_close_matches(word, sorted(set(candidates)), n=1, cutoff=0.7)
    return f" (did you mean {match[0]}?)" if match else ""


def _leaves(root: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    """Every command that takes options, by name (``build``, ``locales status``...)."""
    leaves = {}
    for name, parser in _subcommands(root).items():
        actions = _subcommands(parser)
        leaves.update({f"{name} {action}": p for action, p in actions.items()} if actions else {name: parser})
    return leaves


def _unknown_option(root, parser, leaf_name: str, token: str) -> None:
    """Exit 2 for an option ``parser`` does not take: name the closest one it takes, or the commands that take it."""
    name = token.partition("=")[0]
    hint = _suggest(name, [o for o in _arity(parser) if o.startswith("--")])
    if not hint:
        owners = [leaf for leaf, p in _leaves(root).items() if name in _arity(p) and leaf != leaf_name]
        if owners:
            hint = f" ({name} is an option of {' and '.join(owners)}, not of {leaf_name})"
    parser.error(f"unrecognized arguments: {name}{hint}")


def _invalid_choice(parser, what: str, token: str, choices) -> None:
    listed = ", ".join(repr(c) for c in choices)
    parser.error(f"argument {what}: invalid choice: {token!r} (choose from {listed}){_suggest(token, choices)}")


def arrange(root: argparse.ArgumentParser, argv: list[str]) -> list[str]:
    """The arguments in the one order argparse reads without surprises: the command
    (and its action) first, then every option, wherever the user put it.

    ``--out X build`` and ``build --out X`` are the same; so are
    ``--project P locales status`` and ``locales status --project P``.  No
    command means ``build`` (``--force`` is ``build --force``).  Every option
    is checked against the command it ends up with: an unknown one is a
    usage error (exit 2) naming the closest option, or the commands that
    take it, since argparse 3.11 suggests nothing.
    """
    commands = _subcommands(root)
    front = _arity(root, commands["build"])  # before the command: the project options and build's
    tokens = list(argv)
    chain: list[int] = []  # positions of the command and of its action
    parser, unknown = root, None
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token == "--":
            break
        if _is_option(token):
            name, attached = _split_option(token, front)
            if not chain and name in ("-h", "--help", "--version"):
                return [name]  # the program's own help or version, whatever else is around it
            if name not in front and unknown is None:
                unknown = token
            i += 1 + (front.get(name, 0) == 1 and not attached)
            continue
        choices = _subcommands(parser)
        if token not in choices:
            if unknown is not None:  # `--locle es`: the option is the mistake, not `es`
                _unknown_option(root, commands["build"], "build", unknown)
            _invalid_choice(parser, "COMMAND" if parser is root else "ACTION", token, list(choices))
        chain.append(i)
        parser = choices[token]
        if not _subcommands(parser):
            break
        i += 1
    if not chain:
        tokens, chain, parser = ["build", *tokens], [0], commands["build"]
    elif _subcommands(parser):
        return tokens  # `locales` without an action: argparse says which are required
    leaf_name = " ".join(tokens[j] for j in chain)
    head = [tokens[j] for j in chain]
    moved = [t for j, t in enumerate(tokens[:chain[-1]]) if j not in chain]
    arranged = head + moved + tokens[chain[-1] + 1:]
    known = _arity(parser)
    i = len(head)
    while i < len(arranged):
        token = arranged[i]
        if token == "--":
            break
        if _is_option(token):
            name, attached = _split_option(token, known)
            if name not in known:
                _unknown_option(root, parser, leaf_name, token)
            i += 1 + (known[name] == 1 and not attached)
            continue
        i += 1
    return arranged


def main(argv: list[str] | None = None) -> int:
    from leaflets.process import relax_gc
    relax_gc()
    _tolerant_streams()
    parser = make_parser()
    args = parser.parse_args(arrange(parser, sys.argv[1:] if argv is None else list(argv)))
    command = args.command or "build"
    prog = parser.prog
    args.invocation = "python generate.py" if prog == "generate.py" else prog  # for the commands hints suggest
    try:
        from leaflets.runtime import EnvironmentProblem, settle_source_date
        settle_source_date()
    except EnvironmentProblem as exc:
        parser.exit(EXIT_USAGE, f"{prog}: error: {exc}\n")
    try:
        code = _run(parser, args, command)
        sys.stdout.flush()  # here, so a closed pipe is reported by the handler below, not at exit
        return code
    except BrokenPipeError:  # `leaflets locales status --verbose | head`: the reader has read enough
        _silence_stdout()
        return EXIT_BROKEN_PIPE


def _tolerant_streams() -> None:
    """A path that is not valid in the locale's encoding (``out\\xff`` under ``LANG=C`` with
    ``PYTHONIOENCODING=utf-8``) is printed with escapes instead of stopping the command
    after its files were written."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None and getattr(stream, "errors", "") == "strict":
            try:
                reconfigure(errors="backslashreplace")
            except (ValueError, OSError):
                pass


def _run(parser: argparse.ArgumentParser, args, command: str) -> int:
    """Run one command; bad input becomes a message and an exit code, never a traceback."""
    prog = parser.prog
    try:
        project = _project(args, command)
        if command == "build":
            return _build(project, args)
        if command == "check":
            return _check(project, args)
        if command == "locales":
            return _locales(project, args)
        if command == "serve":
            return _serve(project, args)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except UsageError as exc:
        parser.exit(EXIT_USAGE, f"{prog}: error: {exc}\n")
    except LeafletsError as exc:
        for diagnostic in exc.diagnostics:
            print(f"error: {diagnostic}", file=sys.stderr)
        print(f"{len(exc.diagnostics)} error(s); nothing was written.", file=sys.stderr)
        return EXIT_ERRORS
    parser.error(f"unknown command {command}")
    return EXIT_USAGE


def _silence_stdout() -> None:
    """Point stdout at /dev/null, so the interpreter's final flush of a closed pipe does not
    print a second error (the recipe of the Python documentation, "Note on SIGPIPE")."""
    import os
    try:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except (OSError, ValueError):  # no file descriptor behind stdout: nothing will flush to the pipe
        pass


WRITING_ACTIONS = {"extract", "init", "update", "review"}  # `review --diff` only reads


def _project(args, command: str) -> Project:
    """The project the command reads (:mod:`leaflets.project`): ``--project``, else the
    current folder if it has content/, else the shipped topics; then the folder overrides
    and ``--topic``."""
    from dataclasses import replace

    from leaflets.project import CONTENT, Project, UnknownTopic
    folder = getattr(args, "project", None)
    if folder is not None:
        if not folder.is_dir():
            raise UsageError(f"--project {folder}: no such folder (expected a project folder with content/ "
                             "and locales/)")
        if args.content_dir is None and not (folder / CONTENT).is_dir():
            raise UsageError(f"--project {folder}: no {CONTENT}/ folder in it (a project folder holds "
                             "content/*.yaml topics and locales/*.po catalogs)")
        project = Project.in_folder(folder)
    else:
        project = Project.find()
    overrides = {name: value for name in ("content_dir", "locales_dir") if (value := getattr(args, name, None))}
    project = replace(project, **overrides)
    action = getattr(args, "locales_command", None)
    if command == "locales" and action in WRITING_ACTIONS and not getattr(args, "diff", False) \
            and project.is_packaged:
        raise UsageError(f"locales {action} writes catalogs, and these are the installed leaflets package's "
                         f"own ({display_path(project.locales_dir)}); run it in a project folder (one with "
                         "content/ and locales/) or name one with --project DIR")
    topics = args.topic if command in ("build", "check") or action == "status" else None
    if topics:
        try:
            project = project.with_topics(topics)
        except UnknownTopic as exc:
            raise UsageError(f"--topic: {exc}") from None
    return project


def _build(project, args) -> int:
    from leaflets.build import BuildFailed, BuildInterrupted, BuildOptions, build, source_date
    from leaflets.engine import Engine
    from leaflets.layoutmemo import user_secret
    from leaflets.progress import reporter_for
    from leaflets.workers import available_cores

    engine = Engine(project)
    locales = getattr(args, "locale", None)
    if locales:
        shipped = project.locales()
        for tag in locales:
            if not engine.can_localize(tag):
                raise UsageError(f"locale {tag!r} is not shipped; shipped locales: {', '.join(shipped)} "
                                 f"(add one with a PO file in {display_path(project.locales_dir)})")
        locales = list(dict.fromkeys(locales))
    out = getattr(args, "out", Path("build"))
    reporter = reporter_for(getattr(args, "quiet", False))
    options = BuildOptions(allow_incomplete=getattr(args, "allow_incomplete", False), created=source_date(),
                           template=_template(getattr(args, "template", None)),
                           build_in=True if getattr(args, "build_in", False) else None,
                           clinic=_clinic(engine, getattr(args, "brand", None)),
                           presenter=_presenter(getattr(args, "presenter", None)),
                           second_locale=_second_locale(engine, args))
    stopped_by = {}

    def terminate(signum, frame):  # kill (SIGTERM): stop like Ctrl-C, clean up, exit 143
        stopped_by["signal"] = signum
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, terminate)
    try:
        if getattr(args, "only", None):
            return _preview(engine, out, args, locales, reporter, options)
        build(engine, out, locales=locales, formats=_unique(getattr(args, "format", None)),
              papers=_unique(getattr(args, "paper", None)), force=getattr(args, "force", False),
              jobs=getattr(args, "jobs", None) or available_cores(), reporter=reporter, options=options,
              freeze_gc=True, variants=_unique(getattr(args, "variant", None)), memo_secret=user_secret())
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


def _preview(engine, out: Path, args, locales, reporter, options) -> int:
    """``build --only``: the pages and slides that show some strings (:mod:`leaflets.preview`)."""
    from leaflets.preview import UnknownString, preview
    echo = (lambda text: None) if args.quiet else (lambda text: print(text, flush=True))
    try:
        result = preview(engine, out, _unique(args.only), locales=locales, formats=_unique(args.format),
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
        path, warnings = workflow.init(project, args.lang, force=args.force)
        print(f"wrote {display_path(path)}; translate it (Poedit or a text editor), then "
              f"`{args.invocation} build --locale {args.lang}`")
        for warning in warnings:
            print(f"warning: {warning}", file=sys.stderr)
        if (project.locales_dir / "LINGUAS").exists():
            print(f"it ships once you add {args.lang} to {display_path(project.locales_dir / 'LINGUAS')}; until "
                  "then it is a catalog in progress (status lists it, the default build leaves it out)")
    elif action == "update":
        print(f"wrote {display_path(workflow.template_path(project))}")
        failed = 0
        for done in workflow.update(project):
            if done.errors:
                failed += 1
                for diagnostic in done.errors:
                    print(f"error: {diagnostic}", file=sys.stderr)
                print(f"not updated {display_path(done.path)}: it cannot be read; fix it and run update again",
                      file=sys.stderr)
                continue
            print(f"updated {display_path(done.path)}: {done.summary}")
        if failed:
            print(f"{failed} catalog(s) left as they were; every other catalog was updated", file=sys.stderr)
            return EXIT_ERRORS
    elif action == "review":
        if args.diff:
            return _review_diff(project, args)
        if not args.reviewer:
            raise UsageError("locales review: --reviewer 'Name, qualification' is required (or --diff to see "
                             "what changed)")
        path, topics = workflow.review(project, args.lang, args.reviewer, args.date or dt.date.today(), args.topic,
                                       accept=args.accept)
        print(f"recorded the review of {', '.join(topics)} in {display_path(path)}")
    elif action == "status":
        return _status(project, args)
    return EXIT_OK


def _review_diff(project: Project, args) -> int:
    from leaflets.i18n import workflow

    for entry in workflow.review_diff(project, args.lang, args.topic):
        state = entry.review.describe()
        if entry.review.state == "reviewed":
            print(f"{args.lang} {entry.topic}: {state}; nothing changed since")
            continue
        known = [c for c in entry.changes if c.kind != "unknown"]
        if entry.review.state == "changed" and not known and entry.changes:
            print(f"{args.lang} {entry.topic}: {state}; the record of that review is missing or does not match "
                  f"its stamp, so every entry is listed ({len(entry.changes)})")
        elif entry.review.state == "changed":
            print(f"{args.lang} {entry.topic}: {state}; {len(entry.changes)} change(s) since:")
        else:
            print(f"{args.lang} {entry.topic}: {state}; every entry is new to a reviewer ({len(entry.changes)}):")
        for change in entry.changes:
            file, line = entry.locations.get(change.msgid, ("", 0))
            where = f"{file}:{line}" if line else (file or "catalog header")
            if change.kind == "plural-forms":
                print(f"  {where}: Plural-Forms changed")
                print(f"    - reviewed: {change.before[0]}")
                print(f"    + now:      {change.after[0]}")
                continue
            label = {"translation": "translation changed", "fuzzy": "fuzzy flag changed", "new": "new string",
                     "removed": "no longer used", "unknown": "entry", "source": "English changed"}[change.kind]
            print(f"  {where}: {label}: msgid {_short(change.msgid)}")
            if change.was is not None:
                print(f"    English reviewed: {change.was}")
            for sign, name, forms, fuzzy in (("-", "reviewed", change.before, change.fuzzy_before),
                                             ("+", "now", change.after, change.fuzzy_after)):
                for form in forms or ():
                    tag = f"{name} (fuzzy):" if fuzzy else f"{name}:"
                    print(f"    {sign} {tag:<9} {form}")
        if entry.changes:
            print(f"  to stamp it, once checked: {args.invocation} locales review {args.lang} "
                  f"--reviewer 'Name, qualification' --topic {entry.topic} --accept {entry.digest}")
    return EXIT_OK


def _short(msgid: str) -> str:
    return repr(msgid if len(msgid) <= 60 else msgid[:57] + "...")


def _status(project: Project, args) -> int:
    """``locales status``: a table (or JSON); a catalog that cannot be read never hides the others."""
    from leaflets.i18n import workflow
    from leaflets.i18n.locales import unknown_catalogs

    layout = args.strict or args.format == "json"
    try:
        rows = workflow.status(project, layout=layout, locales=args.locale)
        general = [Diagnostic(display_path(path), 0, 0, problem) for path, problem in unknown_catalogs(project.locales_dir)]
        general += workflow.linguas_problems(project)
    except LeafletsError as exc:  # the content itself cannot be read: no row can be computed
        if args.format == "json":
            return _status_json([], [], list(exc.diagnostics), args.strict)
        raise
    failing = _status_failures(rows, general)
    if args.format == "json":
        return _status_json(rows, failing, general, args.strict)
    header = f"{'locale':<8} {'translated':>10} {'fuzzy':>6} {'untranslated':>12} {'errors':>6}  review"
    print(header)
    for row in rows:
        if row.broken:
            print(f"{row.locale:<8} {'-':>10} {'-':>6} {'-':>12} {'-':>6}  cannot be read: {row.problems[0]}"
                  + (f" (+{len(row.problems) - 1} more)" if len(row.problems) > 1 else ""))
            for problem in row.problems[1:] if (args.verbose or args.strict) else ():
                print(f"  {problem}")
            continue
        extra = "" if row.shipped else "  (in progress: not in locales/LINGUAS)"
        if row.overrides is not None:
            extra += f"  ({row.overrides} own entries over {row.files[-1]})"
        print(f"{row.locale:<8} {row.translated:>6}/{row.total:<3} {row.fuzzy:>6} {row.untranslated:>12} "
              f"{row.errors:>6}  {row.review}{extra}")
        if args.verbose or args.strict:
            for finding in row.findings:
                print(f"  {finding.diagnostic()}")
            for topic in row.changed_since_review:
                count = len(topic.changes) if topic.changes is not None else "?"
                print(f"  {row.file}: {topic.topic}: {count} entries changed since the review by "
                      f"{topic.review.reviewer} on {topic.review.date}; see `locales review {row.locale} --diff`")
            for finding in row.layout:
                print(f"  {finding.diagnostic()}")
        if args.verbose:
            for entry in row.fuzzy_entries:
                print(f"  {entry.file}:{entry.line}: fuzzy: {_short(entry.msgid)}")
            for entry in row.missing:
                where = f"{entry.file}:{entry.line}" if entry.line else f"{entry.file}: not in the catalog (run `locales update`)"
                print(f"  {where}: untranslated: {_short(entry.msgid)}")
    for diagnostic in general:
        print(f"  {diagnostic}")
    if args.strict and failing:
        for reason in failing:
            print(reason, file=sys.stderr)
        return EXIT_ERRORS
    if unreadable(rows, general):
        print(f"cannot be read: {', '.join(unreadable(rows, general))}", file=sys.stderr)
        return EXIT_ERRORS
    return EXIT_OK


def unreadable(rows, general) -> list[str]:
    """The catalog files ``status`` could not read, or that are no catalog of a known locale:
    bad input, so ``status`` exits 1 even without ``--strict`` (which also fails on
    incomplete, overflowing or changed catalogs: states of work, not errors)."""
    return [row.locale for row in rows if row.broken] + [d.file for d in general]


def _status_failures(rows, general) -> list[str]:
    """Why ``status --strict`` fails (empty if it passes)."""
    reasons = []
    broken = [row.locale for row in rows if row.broken]
    incomplete = [row.locale for row in rows if row.shipped and not row.broken and not row.complete
                  and not row.layout]
    overflowing = [row.locale for row in rows if row.layout]
    changed = [f"{row.locale} ({', '.join(t.topic for t in row.changed_since_review)})" for row in rows
               if row.changed_since_review]
    if broken:
        reasons.append(f"cannot be read: {', '.join(broken)}")
    if incomplete:
        reasons.append(f"not complete: {', '.join(incomplete)}")
    if overflowing:
        reasons.append(f"layout overflow: {', '.join(overflowing)}")
    if changed:
        reasons.append(f"changed since their review (see `locales review LANG --diff`): {', '.join(changed)}")
    if general:
        reasons.append(f"{len(general)} problem(s) with the catalog files")
    return reasons


def _status_json(rows, failing, general, strict: bool) -> int:
    """Always valid JSON, whatever broke (the schema is in TRANSLATING.md)."""
    import json
    from leaflets.i18n.workflow import STATUS_SCHEMA_VERSION
    data = {"schema_version": STATUS_SCHEMA_VERSION,
            "complete": not failing and bool(rows),
            "failures": failing,
            "problems": [{"file": d.file, "line": d.line, "column": d.column, "message": d.message} for d in general],
            "locales": [row.as_json() for row in rows],
            "layout": [f.as_json() for row in rows for f in row.layout]}
    print(json.dumps(data, ensure_ascii=False, indent=1))
    return EXIT_ERRORS if (strict and not data["complete"]) or unreadable(rows, general) else EXIT_OK


def _served_date():
    """The date served files carry: SOURCE_DATE_EPOCH if set (reproducible), else the day of each request."""
    from leaflets.build import source_date
    return source_date()


def _brand_file(project: Project, path: Path | None) -> Path | None:
    """The brand file ``serve`` puts on every file, as ``build`` finds it: ``--brand FILE``
    (``none``: the generic edition), else the project folder's ``_brand.yml`` if it has one.
    The file is read and checked by :class:`~leaflets.web.settings.Settings` (its errors at
    their lines, exit 1) before the server starts."""
    from leaflets.clinic import find_profile
    if path is not None and str(path) == "none":
        return None
    if path is not None and not path.is_file():
        raise UsageError(f"--brand {path}: no such file (expected a _brand.yml brand file)")
    if path is None:
        path = find_profile(project.folder)
    return path.resolve() if path is not None else None


def _serve(project: Project, args) -> int:
    """``serve``: the web app on uvicorn, or (``--worker``) RQ render workers."""
    import shutil

    from leaflets.web.settings import LOOPBACK, Settings
    token = None
    if args.access_token_file is not None:
        try:
            token = args.access_token_file.read_text(encoding="utf-8").strip()
        except (OSError, UnicodeDecodeError) as exc:
            raise UsageError(f"--access-token-file {args.access_token_file}: cannot read it ({exc})") from None
    if args.backend == "redis" and not args.redis_url:
        raise UsageError("--backend redis needs --redis-url redis://HOST:PORT/DB")
    if args.worker:
        if not args.redis_url:
            raise UsageError("--worker runs RQ workers: give --redis-url redis://HOST:PORT/DB")
        from leaflets.web import rqworker
        print(f"leaflets render workers: {args.workers} on {args.redis_url} (Ctrl-C stops)", flush=True)
        return rqworker.run(args.redis_url, args.recycle_after, args.workers)
    settings = Settings(
        content_dir=project.content_dir, locales_dir=project.locales_dir,
        cache_dir=(args.cache_dir or Path(".leaflets-cache")).resolve(), host=args.host, port=args.port,
        workers=args.workers, queue_limit=args.queue_limit, render_timeout=args.render_timeout,
        recycle_after=args.recycle_after, cache_bytes=args.cache_mb * 2**20, access_token=token,
        backend=args.backend, redis_url=args.redis_url, brand=_brand_file(project, args.brand),
        admin_writes=args.allow_catalog_writes, soffice=shutil.which("soffice"), created=_served_date())
    if args.allow_catalog_writes and project.is_packaged:
        raise UsageError("--allow-catalog-writes writes catalogs, and these are the installed leaflets package's "
                         "own; serve a project folder (--project DIR)")
    if args.host not in (LOOPBACK, "localhost", "::1") and token is None:
        print(f"warning: listening on {args.host} without --access-token-file: anyone who reaches it can use it",
              file=sys.stderr)
    import uvicorn

    from leaflets.web import create_app
    clinic = settings.clinic
    brand = (f"the brand of {clinic.name} ({display_path(settings.brand)})" if clinic is not None
             else "no clinic brand (the generic edition)")
    print(f"leaflets: serving {display_path(project.folder)} with {brand} on http://{args.host}:{args.port} "
          "(Ctrl-C stops)", flush=True)
    uvicorn.run(create_app(settings), host=args.host, port=args.port, log_level="warning", access_log=False,
                server_header=False, proxy_headers=False, timeout_graceful_shutdown=5)
    return EXIT_OK


def _check(project: Project, args) -> int:
    from leaflets.build import BuildOptions, built_targets, remembered_layouts, source_date
    from leaflets.content.yamlsource import read_topic_id
    from leaflets.engine import Engine
    from leaflets.fit import check_targets
    from leaflets.layoutmemo import user_secret
    engine = Engine(project)
    ids = [read_topic_id(path) for path in project.topic_files()]  # the first events of each file, not a full read
    if not all(ids):
        ids = list(project.topic_ids()[0])
    out = getattr(args, "out", Path("build"))
    # a plain `build` in this environment: the stamps of its files are what --out's manifest holds
    fitted = built_targets(engine, out, check_targets(list(dict.fromkeys(ids)), engine.locales()),
                           BuildOptions(created=source_date()))
    secret = user_secret()
    if secret is not None:  # the layouts a build chose for inputs that are still these: measured once, not searched
        engine.remember_layouts(remembered_layouts(out, secret))
    problems = engine.check(fitted=fitted)
    if problems:
        raise LeafletsError(problems)
    topics, locales = engine.project.topic_files(), engine.locales()
    print(f"ok: {len(topics)} topic(s), {len(locales)} locale(s): {', '.join(locales)}; every handout and deck fits")
    return EXIT_OK
