"""Preview strings in place: ``python generate.py build --locale it --only MSGID``.

A translator who has just edited one string sees the handout pages and the
deck slides that show it, without waiting for a full build:

1. **resolve** each ``--only`` value to one msgid (:func:`resolve`): the
   exact msgid, or a case-insensitive piece of exactly one msgid of the
   topics or one translation of the locale's catalog; anything else is a
   usage error listing candidates with their PO line;
2. **localize** as a build does; the localized document says which places
   use each msgid (:attr:`LocalizedDocument.uses`: handout title, key
   message, block *i*, footer; deck slide *i*), from the localizer itself;
3. **render** an excerpt with the renderer of each format
   (:meth:`Renderer.excerpt <leaflets.render.contract.Renderer.excerpt>`):
   the handout in full (where a block lands depends on everything before
   it), the renderer reporting the pages each place was drawn on, then cut
   to those pages (:mod:`leaflets.render.pdfcut`); the deck with only the
   slides that use the string, each with all its continuation slides and
   its number in the full deck;
4. **write** ``OUT/<locale>/<topic>-handout-<paper>.only.pdf`` and
   ``<topic>-slides.only.pptx``, and remove ``.only`` files an earlier
   preview left for that topic and locale.

The build manifest is neither read nor written: a preview never makes a
normal build skip or redo anything.  What a preview learns about the deck,
how many slides each document slide takes (so a partial deck can be
numbered as the full one without laying out every other slide again), is
kept in ``OUT/leaflets-preview.json`` (:class:`PreviewMemo`), keyed by a
digest of everything that decides it; the file is safe to delete.
"""

from __future__ import annotations

import difflib
import json
import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from leaflets.content.messages import iter_texts
from leaflets.document import LocalizedDocument, Place
from leaflets.errors import Diagnostic, LeafletsError, display_path
from leaflets.i18n.catalog import Translations, topic_msgids
from leaflets.i18n.labels import LABELS
from leaflets.output import check_folder, remove_stale_temporaries, write_atomic
from leaflets.plan import ASSETS_DIR, PAPERS, BuildOptions, FileDigests, Target, digest_of, generator_id, papers_for
from leaflets.render.contract import LayoutOverflow
from leaflets.render.registry import formats as registered_formats
from leaflets.render.registry import renderers
from leaflets.safefile import read_regular

ONLY = ".only"  # marks a preview file: atopic-dermatitis-handout-a4.only.pdf
CACHE_NAME = "leaflets-preview.json"
CACHE_LIMIT = 5000  # layout facts remembered (a deck has a few dozen slides)
MAX_MEMO_BYTES = 4 * 1024 * 1024  # 5000 facts are some 400 kB
MAX_SLIDES_PER_SLIDE = 100  # a document slide continued on more slides than this is no fact
MAX_CANDIDATES = 6  # listed when a value is ambiguous or unknown


class UnknownString(ValueError):
    """An ``--only`` value that names no string, or more than one: a usage error."""


def only_path(target: Target, out: Path) -> Path:
    """Where the preview of ``target`` goes: its normal name with ``.only`` before the extension."""
    path = target.path(out)
    return path.with_name(path.stem + ONLY + path.suffix)


# ------------------------------------------------------------------ resolving
_TAGS = re.compile(r"</?[bi]>")


def _fold(text: str) -> str:
    """Text as matched: markup tags removed, case and runs of white space folded."""
    return " ".join(_TAGS.sub("", text).casefold().split())


@dataclass(frozen=True)
class Candidate:
    msgid: str
    where: str  # file:line of its catalog entry (or of the English source)
    translations: tuple[str, ...] = ()

    def describe(self) -> str:
        shown = f"{self.where}: {_short(self.msgid)}"
        own = next((t for t in self.translations if t and t != self.msgid), None)
        return shown + (f" ({_short(own)})" if own else "")


@dataclass
class Strings:
    """Every string one locale's --only can name: the topics' msgids and their translations."""

    candidates: dict[str, Candidate] = field(default_factory=dict)

    @classmethod
    def of(cls, topics, translations: Translations | None) -> Strings:
        sources: dict[str, str] = {}
        for loaded in topics:
            for text in iter_texts(loaded.topic):
                sources.setdefault(text.msgid, f"{loaded.source.file}:{loaded.line_of(text.path)}")
        msgids = set().union(*(topic_msgids(loaded.topic) for loaded in topics)) if topics else set()
        labels = {english for english, _ in LABELS.values()}
        found: dict[str, tuple[str, ...]] = {}
        catalog = getattr(translations, "catalog", None)
        if catalog is not None:  # every entry, fuzzy and failing ones included: what the translator edits
            for msgid in msgids:
                message = translations.message(msgid)  # the regional entry where a chain has one
                if message is not None:
                    found[msgid] = tuple(form for form in message.msgstr if form)
        strings = cls()
        for msgid in sorted(msgids):
            file, line = translations.location(msgid) if translations is not None and catalog is not None else ("", 0)
            if line:
                where = f"{file}:{line}"
            elif msgid in sources:
                where = sources[msgid]
            elif msgid in labels:
                where = "leaflets/i18n/labels.py"
            else:
                where = translations.file if translations is not None else "(source)"
            strings.candidates[msgid] = Candidate(msgid, where, found.get(msgid, ()))
        return strings

    def resolve(self, value: str, scope: str) -> str:
        """The msgid ``value`` names; :class:`UnknownString` if none or several."""
        if value in self.candidates:
            return value
        wanted = _fold(value)
        if not wanted:
            raise UnknownString(f"--only {value!r}: give some of the text of a string (or its msgid)")
        texts = {msgid: [_fold(msgid)] + [_fold(t) for t in c.translations] for msgid, c in self.candidates.items()}
        for matches in (lambda text: text == wanted, lambda text: wanted in text):
            hits = [msgid for msgid, folded in texts.items() if any(matches(text) for text in folded)]
            if len(hits) == 1:
                return hits[0]
            if hits:
                raise UnknownString(self._listing(
                    f"--only {value!r} matches {len(hits)} strings of {scope}; give more of the text, or the "
                    "exact msgid", hits))
        close = self._closest(wanted, texts)
        hint = "; the closest are" if close else "; see `python generate.py locales status --verbose`"
        raise UnknownString(self._listing(f"--only {value!r} matches no string of {scope}{hint}", close))

    def _listing(self, head: str, msgids: list[str]) -> str:
        lines = [head + (":" if msgids else "")]
        lines += [f"  {self.candidates[m].describe()}" for m in msgids[:MAX_CANDIDATES]]
        if len(msgids) > MAX_CANDIDATES:
            lines.append(f"  ... and {len(msgids) - MAX_CANDIDATES} more")
        return "\n".join(lines)

    @staticmethod
    def _closest(wanted: str, texts: dict[str, list[str]]) -> list[str]:
        """Strings sharing the longest stretch of text with ``wanted`` (a typo, a changed word)."""
        scored = []
        for msgid, folded in texts.items():
            best = 0
            for text in folded:
                match = difflib.SequenceMatcher(None, wanted, text, autojunk=False).find_longest_match(
                    0, len(wanted), 0, len(text))
                best = max(best, match.size)
            if best >= max(3, len(wanted) // 2):
                scored.append((-best, msgid))
        return [msgid for _, msgid in sorted(scored)[:MAX_CANDIDATES]]


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return repr(text if len(text) <= limit else text[:limit - 3] + "...")


# ----------------------------------------------------------------- the memo
class PreviewMemo:
    """What previews learn about layouts, kept between runs in ``OUT/leaflets-preview.json``.

    A renderer keys each fact by a digest of everything that decides it (:meth:`keys`:
    the parts it names, with the generator and the fonts), so a fact is reused only
    while all of that is unchanged; the deck remembers how many slides each document
    slide takes (:func:`leaflets.render.deck_renderer.slide_keys`).  A damaged file
    counts as empty."""

    def __init__(self, out: Path):
        self.out = Path(out)
        self.path = self.out / CACHE_NAME
        try:  # a regular file in --out only (never a link, pipe or device), bounded, as the manifest
            data = json.loads(read_regular(self.path, MAX_MEMO_BYTES, follow=False).decode("utf-8"))
            self.facts: dict[str, int] = {str(k): int(v) for k, v in data.get("layouts", {}).items()
                                          if 1 <= int(v) <= MAX_SLIDES_PER_SLIDE}
        except (OSError, ValueError, TypeError, AttributeError, RecursionError):
            self.facts = {}
        self.digests = FileDigests()  # by content, never from the file
        self._common: dict | None = None
        self.changed = False

    def file_digest(self, path: Path) -> str:
        """A file's content digest (hashed by this process)."""
        return self.digests.file(path)

    def keys(self, kind: str, around: dict, items: list) -> list[str]:
        """One key per item: ``kind``, the generator and the fonts, what is ``around`` every item, the item."""
        if self._common is None:
            self._common = {"generator": generator_id(), "assets": self.digests.folder(ASSETS_DIR)}
        return [digest_of(kind, self._common, around, item) for item in items]

    def known(self, keys: list[str]) -> dict[int, int]:
        """The facts known for ``keys``, by position."""
        return {index: self.facts[key] for index, key in enumerate(keys) if key in self.facts}

    def learn(self, keys: list[str], values: dict[int, int]) -> None:
        """Remember ``values`` (by position in ``keys``); the most recently learnt are kept longest."""
        for index, key in enumerate(keys):
            if index in values:
                self.facts.pop(key, None)
                self.facts[key] = values[index]  # most recently used last
                self.changed = True

    def save(self) -> None:
        if not self.changed:
            return
        layouts = dict(list(self.facts.items())[-CACHE_LIMIT:])
        data = {"about": "what `build --only` learnt of layouts; safe to delete", "layouts": layouts}
        try:
            write_atomic(self.path, (json.dumps(data, indent=0, sort_keys=False) + "\n").encode("utf-8"),
                         root=self.out)
        except LeafletsError:
            pass  # the previews are written; the next one lays out more


# --------------------------------------------------------------------- preview
@dataclass
class PreviewResult:
    written: list[tuple[Path, str]] = field(default_factory=list)
    removed: list[Path] = field(default_factory=list)
    failures: list[tuple[str, list[Diagnostic]]] = field(default_factory=list)


def numbers_phrase(kind: str, numbers: Iterable[int], total: int) -> str:
    """'page 2 of 2', 'slides 7, 8 of 27', 'slides 1-29 of 29'."""
    numbers = sorted(set(numbers))
    parts, run = [], []
    for number in numbers + [None]:
        if run and (number is None or number != run[-1] + 1):
            parts += [f"{run[0]}-{run[-1]}"] if len(run) > 2 else [str(n) for n in run]
            run = []
        if number is not None:
            run.append(number)
    noun = kind if len(numbers) == 1 else kind + "s"
    return f"{noun} {', '.join(parts)} of {total}"


def preview(project, out: Path, values: list[str], *, locales: list[str] | None = None,
            formats: list[str] | None = None, papers: list[str] | None = None,
            options: BuildOptions | None = None, echo: Callable[[str], None] = print,
            fail: Callable[[str, list[Diagnostic]], None] | None = None) -> PreviewResult:
    """Write the pages and slides that show the strings ``values`` name (see the module).

    Raises :class:`UnknownString` (a usage error) before anything is rendered
    when a value names no string or several.  Topics, catalogs and targets
    that fail are reported through ``fail`` and in the result; the rest is
    written.
    ``project`` may be an :class:`~leaflets.engine.Engine` (the command line's).
    """
    from leaflets.engine import Engine
    from leaflets.i18n.locales import SOURCE_LOCALE

    engine = project if isinstance(project, Engine) else Engine(project)
    project = engine.project
    started = time.perf_counter()
    cpu_started = time.process_time()
    options = options or BuildOptions()
    formats, papers = list(formats or registered_formats()), list(papers or PAPERS)
    renderers(formats)  # an unknown format is an error before anything is read
    result = PreviewResult()

    def failed(name: str, diagnostics: list[Diagnostic]) -> None:
        result.failures.append((name, diagnostics))
        if fail is not None:
            fail(name, diagnostics)

    out = Path(out)
    check_folder(out)
    remove_stale_temporaries(out)
    topics, topic_failures = engine.load_topics()
    for name, diagnostics in topic_failures.items():
        failed(name, diagnostics)
    locales = list(locales or project.locales())
    if not topics:
        return result  # every topic failed to load: reported, nothing to preview

    # 1. resolve every value in every locale before rendering anything
    plans: list[tuple[str, Translations, Strings, dict[str, str]]] = []
    for locale in locales:
        try:
            translations = engine.translations(locale)
        except LeafletsError as exc:
            failed(locale, exc.diagnostics)
            continue
        strings = Strings.of(topics, translations)
        scope = f"{', '.join(t.topic.topic.id for t in topics)} or the {locale} catalog"
        plans.append((locale, translations, strings, {value: strings.resolve(value, scope) for value in values}))

    memo = PreviewMemo(out)
    for locale, translations, strings, named in plans:
        for value, msgid in named.items():
            if value != msgid:
                echo(f"{locale}: --only {_short(value, 40)} is {_short(msgid)} ({strings.candidates[msgid].where})")
        msgids = list(dict.fromkeys(named.values()))
        for loaded in topics:
            topic_id = loaded.topic.topic.id
            source = loaded.source.file if locale == SOURCE_LOCALE else translations.file
            name = f"{topic_id} in {locale} ({source})"
            document = _localize(engine, loaded, locale, translations, options, name, failed)
            if document is None:
                continue
            written = _preview_unit(engine, document, out, msgids, formats, papers, options, memo, echo, name,
                                    failed, source)
            if written is None:
                continue
            result.written += written
            result.removed += _remove_stale(out, topic_id, locale, {path for path, _ in written}, echo)
    memo.save()
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    files = "file" if len(result.written) == 1 else "files"
    failures = f", {len(result.failures)} failed" if result.failures else ""
    echo(f"{len(result.written)} preview {files} written{failures} in {wall:.2f} s (CPU {cpu:.2f} s)")
    return result


def _localize(engine, loaded, locale, translations, options, name, failed) -> LocalizedDocument | None:
    try:
        return engine.localize(loaded, locale, translations=translations, allow_incomplete=options.allow_incomplete)
    except LeafletsError as exc:
        failed(name, exc.diagnostics)
        return None


def _preview_unit(engine, document: LocalizedDocument, out: Path, msgids: list[str], formats, papers, options,
                  memo: PreviewMemo, echo, name: str, failed, source: str) -> list | None:
    """Write the previews of one topic in one locale; None if it failed."""
    places: list[Place] = list(dict.fromkeys(p for msgid in msgids for p in document.places(msgid)))
    what = ", ".join(_short(m, 40) for m in msgids)
    label = f"the {document.locale} {document.topic_id}"
    if not places:
        echo(f"{label} handout and deck do not show {what}: nothing written")
        return []
    written: list[tuple[Path, str]] = []
    for renderer in renderers(formats):
        shown = [p for p in places if p.output == renderer.output]
        if not shown:
            others = " and ".join(dict.fromkeys(p.output for p in places))
            echo(f"{label} {renderer.output} does not show {what} (only the {others} does): "
                 f"no {renderer.output} written")
            continue
        for paper in papers_for(renderer.format, papers):
            target = Target(document.topic_id, document.locale, renderer.format, paper)
            try:
                excerpt = engine.excerpt(document, target, shown, options, memo)
            except (LeafletsError, LayoutOverflow) as exc:  # a layout limit, a slide that cannot fit: as in a build
                failed(name, [d if d.file else Diagnostic(source, d.line, d.column, d.message)
                              for d in exc.diagnostics])
                return None
            path = only_path(target, out)
            write_atomic(path, excerpt.data, root=out)
            written.append((path, numbers_phrase(excerpt.unit, excerpt.numbers, excerpt.total)))
            echo(f"wrote {display_path(path)} ({written[-1][1]})")
    return written


def _remove_stale(out: Path, topic_id: str, locale: str, written: set[Path], echo) -> list[Path]:
    """Remove the previews of this topic and locale that this preview did not write (an
    earlier ``--only`` of another string left them; they would show the wrong pages)."""
    removed = []
    for fmt in registered_formats():
        for paper in papers_for(fmt, PAPERS):
            path = only_path(Target(topic_id, locale, fmt, paper), out)
            if path in written or not path.exists():
                continue
            try:
                path.unlink()
            except OSError:
                continue
            removed.append(path)
            echo(f"removed {display_path(path)} (an earlier --only)")
    return removed
