"""Plan and run builds: which topic, locale and format go to which file.

A build (:func:`build`) is the command line's use of the engine
(:class:`leaflets.engine.Engine`), in four steps:

1. **plan**: every requested target (:mod:`leaflets.plan`), and for each its
   inputs stamp; a target whose stamp and output file match the manifest
   (:mod:`leaflets.manifest`) is up to date without reading anything else;
2. **localize** (:meth:`Engine.localize <leaflets.engine.Engine.localize>`)
   the (topic, locale) pairs the other targets need, once each, in this
   process; a target whose fingerprint still matches is up to date; a topic
   or catalog with errors fails *its* targets only (every other locale and
   topic is still built);
3. **render** (:meth:`Engine.rendered <leaflets.engine.Engine.rendered>`)
   what is left, in this process or, when the caller asks for ``jobs`` > 1
   and there is enough of it, on a pool of worker processes
   (:mod:`leaflets.workers`);
4. **write** each artifact atomically (:mod:`leaflets.output`) as it
   arrives, then the manifest.

Only this process prints (through a reporter, :mod:`leaflets.progress`) and
writes.  Renderers (ReportLab, python-pptx) are imported only when a target
is actually rendered.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import resource
import time
from dataclasses import dataclass, field
from pathlib import Path

from typing import TYPE_CHECKING

from leaflets.content.yamlsource import read_topic_id
from leaflets.engine import Engine
from leaflets.errors import Diagnostic, LeafletsError, display_path
from leaflets.i18n.locales import PSEUDO_LOCALES, SOURCE_LOCALE, catalog_chain, catalog_path, unknown_catalogs
from leaflets.layoutmemo import seal, unseal
from leaflets.manifest import Manifest
from leaflets.output import check_folder, remove_stale_temporaries, write_atomic
from leaflets.plan import (
    FORMATS, PAPERS, BuildOptions, FileDigests, Target, file_sha256, inputs_stamp, plan,
)
from leaflets.progress import LineReporter, Summary
from leaflets.project import Project
from leaflets.render.contract import LayoutOverflow
from leaflets.render.registry import formats as registered_formats
from leaflets.render.registry import renderer_for
from leaflets.runtime import EnvironmentProblem, source_date_epoch
from leaflets.workers import Job, RenderPool

if TYPE_CHECKING:  # imported where used: a build that is up to date reads no topic or catalog
    from leaflets.content.load import LoadedTopic
    from leaflets.document import LocalizedDocument
    from leaflets.i18n.catalog import Translations
    from leaflets.i18n.rules import Rule

__all__ = ["FORMATS", "PAPERS", "Engine", "Project", "Target", "BuildOptions", "BuildResult", "BuildFailed", "build",
           "load_topics", "load_translations", "localize_all", "plan", "render", "source_date"]


def source_date() -> dt.datetime | None:
    """SOURCE_DATE_EPOCH as a UTC datetime (validated: :mod:`leaflets.runtime`).  The command
    line's reading of its environment; the engine itself is given dates, never reads them."""
    try:
        return source_date_epoch()
    except EnvironmentProblem as exc:
        raise LeafletsError(Diagnostic("SOURCE_DATE_EPOCH", 0, 0, str(exc))) from None


def _engine(project: Project | Engine) -> Engine:
    return project if isinstance(project, Engine) else Engine(project)


def load_topics(project: Project | Engine) -> list[LoadedTopic]:
    """Every topic, collecting all their errors into one exception (:meth:`Engine.topics`)."""
    return _engine(project).topics()


def load_topics_isolated(project: Project | Engine) -> tuple[list[LoadedTopic], dict[str, list[Diagnostic]]]:
    """Every topic that loads, and the errors of each one that does not (:meth:`Engine.load_topics`)."""
    return _engine(project).load_topics()


def has_translations(project: Project | Engine, locale: str) -> bool:
    """Whether ``locale`` can be built (:meth:`Engine.can_localize`)."""
    return _engine(project).can_localize(locale)


def load_translations(project: Project | Engine, locale: str, rules: dict[str, Rule] | None = None) -> Translations:
    """The translations for ``locale`` (:meth:`Engine.translations`), checked against ``rules``
    (:func:`leaflets.i18n.rules.rules_for` of the topics; default: every topic's)."""
    return _engine(project)._translations(Engine._locale(locale), rules)


def localize_all(project: Project | Engine, topics: list[LoadedTopic], locales: list[str], *,
                 allow_incomplete: bool = False) -> dict[tuple[str, str], LocalizedDocument]:
    """Every (topic id, locale) document (:meth:`Engine.localize`); one :class:`LeafletsError`
    with every error of every locale."""
    engine = _engine(project)
    documents, errors = {}, []
    for locale in locales:
        try:
            translations = engine.translations(locale, topics)
        except LeafletsError as exc:
            errors += exc.diagnostics
            continue
        for loaded in topics:
            try:
                documents[(loaded.topic.topic.id, locale)] = engine.localize(
                    loaded, locale, translations=translations, allow_incomplete=allow_incomplete)
            except LeafletsError as exc:
                errors += exc.diagnostics
    if errors:
        raise LeafletsError(errors)
    return documents


def render(document: LocalizedDocument, target: Target, created: dt.datetime | None,
           template: Path | None = None, engine: Engine | None = None) -> tuple[bytes, str]:
    """Render one target to bytes; returns (data, short description)."""
    try:
        rendered = (engine or Engine()).rendered(document, target, BuildOptions(created=created, template=template))
    except LayoutOverflow as exc:
        raise LeafletsError(exc.diagnostics) from None
    return rendered.data, rendered.summary


# ---------------------------------------------------------------- the build
@dataclass
class BuildResult:
    """What a build did; ``written`` keeps (path, summary) of each artifact written."""

    written: list[tuple[Path, str]] = field(default_factory=list)
    up_to_date: list[Path] = field(default_factory=list)
    summary: Summary = field(default_factory=Summary)

    @property
    def failures(self) -> list[tuple[str, list[Diagnostic]]]:
        return self.summary.failures


class BuildFailed(LeafletsError):
    """Some targets failed (the others were built); carries the result."""

    def __init__(self, result: BuildResult):
        super().__init__([d for _, diagnostics in result.failures for d in diagnostics]
                         or [Diagnostic("build", 0, 0, "failed")])
        self.result = result


class BuildInterrupted(KeyboardInterrupt):
    """Ctrl-C or SIGTERM during a build; what was finished is kept, nothing partial."""

    def __init__(self, result: BuildResult):
        super().__init__("interrupted")
        self.result = result


def _cpu_seconds() -> float:
    me, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + children.ru_utime + children.ru_stime


def _intact(path: Path, entry: dict) -> bool:
    try:
        return path.stat().st_size == entry.get("bytes") and file_sha256(path) == entry.get("output")
    except OSError:
        return False


def inputs_stamper(project: Project, digests: FileDigests, common: dict, options: BuildOptions,
                   sources: dict[str, str]):
    """A function giving each target its inputs stamp (:func:`~leaflets.plan.inputs_stamp`): the
    digests of the topic files (``sources``) and of the catalogs its document is made from, the
    engine's ``common`` part and the ``options``, files read through ``digests``."""

    def catalogs(locale: str, generated: str = "(generated)") -> dict[str, str]:
        """The catalog files ``locale``'s document is made from, by digest (``generated``: none)."""
        if locale == SOURCE_LOCALE or locale in PSEUDO_LOCALES:
            return {generated: locale}
        chain = catalog_chain(project.locales_dir, locale)  # es-US reads es-US.po over es.po
        paths = [p for _, p in chain] or [catalog_path(project.locales_dir, locale)]
        return {display_path(p): digests.file(p) for p in paths}

    def stamp(target: Target) -> str:
        catalog = catalogs(target.locale)
        if target.second_locale:  # a bilingual edition is made from the second language's catalogs too
            catalog.update(catalogs(target.second_locale, "(generated second)"))
        return inputs_stamp(target, {**sources, **catalog}, common, options.for_stamp(target, digests))

    return stamp


def built_targets(engine: Engine, out: Path, targets: list[Target], options: BuildOptions) -> set[Target]:
    """Those of ``targets`` a build with ``options`` wrote into ``out`` from the inputs there are
    now: the manifest's entry has the inputs stamp they give and the file its recorded bytes (the
    rule by which a build skips a file).  A file was only written if its document localized and
    its layout fitted, so ``check`` does not lay these out again.  No manifest, or one ignored:
    none."""
    out = Path(out)
    manifest = Manifest.load(out)
    if manifest.ignored or not manifest.targets:
        return set()
    project = engine.project
    digests = FileDigests()
    sources = {display_path(p): digests.file(p) for p in project.topic_files()}
    stamp = inputs_stamper(project, digests, engine.common(digests), options, sources)
    built = set()
    for target in targets:
        entry = manifest.targets.get(target.name)
        if entry and entry.get("inputs") == stamp(target) and _intact(target.path(out), entry):
            built.add(target)
    return built


def remembered_layouts(out: Path, secret: bytes) -> list[tuple[str, str]]:
    """The layout choices (key, choice) sealed with ``secret`` in ``out``'s manifest, those alone
    that verify (:func:`leaflets.layoutmemo.unseal`): what :meth:`Engine.remember_layouts
    <leaflets.engine.Engine.remember_layouts>` takes.  No manifest, or one ignored: none."""
    manifest = Manifest.load(Path(out))
    return [choice for entry in manifest.targets.values()
            if (choice := unseal(secret, entry.get("layout"))) is not None]


def build(project: Project | Engine, out: Path, *, locales: list[str] | None = None,
          formats: list[str] | None = None, papers: list[str] | None = None, allow_incomplete: bool | None = None,
          force: bool = False, jobs: int = 1, reporter=None, options: BuildOptions | None = None,
          progress=None, freeze_gc: bool = False, variants: list[str] | None = None,
          memo_secret: bytes | None = None) -> BuildResult:
    """Build the requested targets of ``project`` (or an engine's) into ``out``, only those not
    up to date.

    ``options`` are what reaches the documents and renderers; without them,
    ``allow_incomplete`` (default False) and ``SOURCE_DATE_EPOCH`` from the
    environment.  Giving both ``options`` and ``allow_incomplete`` is refused
    rather than one silently winning.  ``jobs`` > 1 renders on that many forked
    worker processes when there is enough to render (the command line asks
    for one per core; a library caller gets none unless it asks), and
    ``freeze_gc`` freezes the garbage collector's view of what exists before
    forking (the command line's choice: :func:`leaflets.process.tune_gc`).

    Returns a :class:`BuildResult`; raises :class:`BuildFailed` (after
    building everything else) when a topic, catalog or target failed,
    :class:`BuildInterrupted` on Ctrl-C, and :class:`LeafletsError` when the
    output folder cannot be written.  ``progress`` (path, summary) is the
    old callback, kept for callers that only want the written files.

    ``variants`` are the handout editions to make (``standard``, ``large-print``;
    default: standard); ``options.clinic`` makes every file the clinic's edition
    (its documents localized with the clinic, its files named with its id).

    ``memo_secret`` (the command line's :func:`leaflets.layoutmemo.user_secret`) keeps each
    handout's layout choice in the manifest, sealed, so a later build of the same inputs draws
    it without measuring again; entries that do not verify are ignored (measured as without).
    The engine remembers the choices of its own renders with or without it.
    """
    started, cpu_started = time.perf_counter(), _cpu_seconds()
    engine = _engine(project)
    project = engine.project
    formats, papers = list(formats or registered_formats()), list(papers or PAPERS)
    variants = list(dict.fromkeys(variants or ["standard"]))
    per_unit = len(plan(["x"], ["x"], formats, papers, variants, None, "y"))  # an unknown format stops here
    reporter = reporter or (_CallbackReporter(progress) if progress else LineReporter())
    if options is not None and allow_incomplete is not None:
        raise TypeError("build() takes allow_incomplete in options or as a keyword, not both "
                        f"(options.allow_incomplete={options.allow_incomplete}, allow_incomplete={allow_incomplete})")
    options = options or BuildOptions(allow_incomplete=bool(allow_incomplete), created=source_date())
    brand = options.clinic.id if options.clinic is not None else None
    second_locale = options.second_locale
    if ("bilingual" in variants) != (second_locale is not None):
        raise LeafletsError(Diagnostic("variant", 0, 0, "the bilingual edition needs a second language "
                                                        "(--second-locale), and a second language the bilingual "
                                                        "edition (--variant bilingual)"))
    result = BuildResult()
    summary = result.summary
    out = Path(out)
    check_folder(out)  # created with the first file: a build that writes nothing leaves no trace
    remove_stale_temporaries(out)
    manifest = Manifest.load(out)
    if manifest.ignored:
        reporter.warning(f"manifest ignored: {manifest.ignored}; every requested file is rebuilt")
    digests = FileDigests()  # by content, every build: never the manifest's word for it
    common = engine.common(digests)
    manifest.generator = common["generator"]
    if memo_secret is not None:  # layout choices an earlier build sealed: only those that verify
        engine.remember_layouts(choice for entry in manifest.targets.values()
                                if (choice := unseal(memo_secret, entry.get("layout"))) is not None)

    explicit = locales is not None
    locales = list(locales or project.locales())
    if not explicit:
        for path, problem in unknown_catalogs(project.locales_dir):
            _fail(summary, reporter, display_path(path), [Diagnostic(display_path(path), 0, 0, problem)])

    topic_files = project.topic_files()
    sources = {display_path(p): digests.file(p) for p in topic_files}
    # the plan comes from the inputs: each topic file's own id, never an id the manifest records
    read_ids = [read_topic_id(p) for p in topic_files]
    topic_ids = read_ids if all(read_ids) and len(set(read_ids)) == len(read_ids) else None

    stamp = inputs_stamper(project, digests, common, options, sources)

    # 1. plan: the inputs stamp settles most targets without reading a topic or catalog
    candidates: list[Target] | None = None
    if topic_ids is not None and not force:
        candidates = []
        for target in plan(topic_ids, locales, formats, papers, variants, brand, second_locale):
            entry = manifest.targets.get(target.name)
            if entry and entry.get("inputs") == stamp(target) and _intact(target.path(out), entry):
                result.up_to_date.append(target.path(out))
            else:
                candidates.append(target)
    expected = len(candidates) if candidates is not None else len(topic_files) * len(locales) * per_unit
    pool = RenderPool(engine, jobs, expected,
                      ({t.locale for t in candidates} | {t.second_locale for t in candidates if t.second_locale}
                       if candidates is not None else set(locales) | ({second_locale} if second_locale else set())),
                      {t.format for t in candidates} if candidates is not None else set(formats), freeze_gc=freeze_gc)
    entries: dict[Target, dict] = {}
    reporter.start(expected)

    def handle(outcome) -> None:
        target = outcome.target
        _advance(reporter)
        if outcome.errors:
            manifest.targets.pop(target.name, None)
            _fail(summary, reporter, target.name, list(outcome.errors))
            return
        for warning in outcome.warnings:
            reporter.warning(warning)
        path = target.path(out)
        write_atomic(path, outcome.data, root=out)
        entry = entries[target]
        layout_key = entry.pop("layout", None)
        entry.update({"bytes": len(outcome.data), "output": "sha256:" + hashlib.sha256(outcome.data).hexdigest(),
                      "summary": outcome.summary})
        if layout_key is not None and outcome.layout is not None:
            engine.layouts.put(layout_key, outcome.layout)  # (a worker's choice: this process's engine learns it)
            if memo_secret is not None:
                entry["layout"] = seal(memo_secret, layout_key, outcome.layout)
        manifest.targets[target.name] = entry
        result.written.append((path, outcome.summary))
        summary.built += 1
        reporter.built(path, outcome.summary, outcome.seconds)

    try:
        if candidates is None or candidates:
            # 2. localize what is left, 3. render it as soon as each document is ready
            for target, entry, job in _jobs(engine, out, manifest, digests, options, locales, formats,
                                            papers, candidates, force, stamp, result, reporter, sources,
                                            variants, common):
                entries[target] = entry
                pool.submit(job)
                for outcome in pool.ready():
                    handle(outcome)
            # 4. write the rest as it arrives
            for outcome in pool.finish():
                handle(outcome)
    except KeyboardInterrupt:
        pool.stop()
        reporter.stop()
        _finish(manifest, digests, out, summary, started, cpu_started)
        raise BuildInterrupted(result) from None
    except BaseException:  # a write error (LeafletsError naming the path), or a bug
        pool.stop()
        reporter.stop()
        _finish(manifest, digests, out, summary, started, cpu_started)  # keep what was written
        raise
    summary.up_to_date = len(result.up_to_date)
    _finish(manifest, digests, out, summary, started, cpu_started)
    summary.failed = len(summary.failures)
    reporter.finish(summary)
    if summary.failures:
        raise BuildFailed(result)
    return result


def _fail(summary: Summary, reporter, name: str, diagnostics: list[Diagnostic]) -> None:
    summary.failures.append((name, diagnostics))
    reporter.failed(name, diagnostics)


def _advance(reporter) -> None:
    advance = getattr(reporter, "advance", None)
    if advance:
        advance()


def _finish(manifest: Manifest, digests: FileDigests, out: Path, summary: Summary, started: float,
            cpu_started: float) -> None:
    if out.is_dir():
        try:
            manifest.save(out)
        except LeafletsError:
            pass  # the artifacts are written; the next build just checks more
    summary.wall = time.perf_counter() - started
    summary.cpu = _cpu_seconds() - cpu_started


def _jobs(engine: Engine, out, manifest, digests, options, locales, formats, papers, candidates, force, stamp,
          result, reporter, sources, variants=("standard",), common: dict | None = None):
    """Localize, unit by unit, what the candidate targets need (all targets when
    ``candidates`` is None); yield (target, manifest entry, render job) for each
    target whose fingerprint changed, as soon as its document is ready.  A job carries the
    layout choice the engine remembers for its inputs; its entry, until the outcome arrives,
    the key that choice is remembered under (``layout``)."""
    common = common or engine.common(digests)
    project = engine.project
    summary = result.summary
    topics, topic_failures = engine.load_topics()
    for name, diagnostics in topic_failures.items():
        _fail(summary, reporter, name, diagnostics)
    by_id = {t.topic.topic.id: t for t in topics}
    brand = options.clinic.id if options.clinic is not None else None
    targets = candidates if candidates is not None else plan(topics, locales, formats, papers, variants, brand,
                                                             options.second_locale)
    units: dict[tuple[str, str], list[Target]] = {}
    for target in targets:
        if target.topic in by_id:
            units.setdefault(target.unit, []).append(target)
    from leaflets.i18n.rules import rules_for
    translations_by_locale: dict[str, Translations | None] = {}
    rules = rules_for(topics)

    def translations_of(locale: str) -> Translations | None:
        if locale not in translations_by_locale:
            try:
                translations_by_locale[locale] = engine._translations(locale, rules)
            except LeafletsError as exc:
                translations_by_locale[locale] = None
                _fail(summary, reporter, display_path(catalog_path(project.locales_dir, locale)), exc.diagnostics)
        return translations_by_locale[locale]

    seconds: dict[tuple[str, str], LocalizedDocument | None] = {}

    def second_document(topic_id: str, locale: str) -> LocalizedDocument | None:
        """A bilingual edition's second document, localized once per topic; None (reported once) if it fails."""
        if (topic_id, locale) not in seconds:
            seconds[(topic_id, locale)] = None
            translations = translations_of(locale)
            if translations is not None:
                try:
                    seconds[(topic_id, locale)] = engine.localize(
                        by_id[topic_id], locale, translations=translations, allow_incomplete=options.allow_incomplete,
                        clinic=options.clinic, presenter=options.presenter)
                except LeafletsError as exc:
                    source = by_id[topic_id].source.file if locale == SOURCE_LOCALE else translations.file
                    _fail(summary, reporter, f"{topic_id} in {locale} ({source})", exc.diagnostics)
        return seconds[(topic_id, locale)]

    for (topic_id, locale), unit_targets in units.items():
        translations = translations_of(locale)
        if translations is None:
            for target in unit_targets:
                manifest.targets.pop(target.name, None)
            continue
        loaded = by_id[topic_id]
        source = loaded.source.file if locale == SOURCE_LOCALE else translations.file
        try:
            document = engine.localize(loaded, locale, translations=translations,
                                       allow_incomplete=options.allow_incomplete, clinic=options.clinic,
                                       presenter=options.presenter)
            errors = []
        except LeafletsError as exc:
            errors = exc.diagnostics
        if errors:
            _fail(summary, reporter, f"{topic_id} in {locale} ({source})", errors)
            for target in unit_targets:
                manifest.targets.pop(target.name, None)
            continue
        document_sha = engine._document_sha(document)
        for target in unit_targets:
            second = second_document(topic_id, target.second_locale) if target.second_locale else None
            if target.second_locale and second is None:
                manifest.targets.pop(target.name, None)
                _advance(reporter)
                continue
            entry = {"topic": target.topic, "locale": target.locale, "format": target.format,
                     "paper": target.paper, **{k: v for k, v in (("variant", target.variant), ("brand", target.brand))
                                                if v is not None},
                     **({"second_locale": target.second_locale} if target.second_locale else {}),
                     "fingerprint": engine.fingerprint(document, target, options, digests,
                                                       document_sha=document_sha, second=second, common=common),
                     "inputs": stamp(target)}
            old = manifest.targets.get(target.name)
            if (not force and old and old.get("fingerprint") == entry["fingerprint"]
                    and _intact(target.path(out), old)):
                old["inputs"] = entry["inputs"]
                result.up_to_date.append(target.path(out))
                _advance(reporter)
                continue
            layout = None
            if getattr(renderer_for(target.format), "remembers_layout", False):
                layout = entry["layout"] = engine.layout_key(document, target, options, digests,
                                                             second=second, common=common)
            yield target, entry, Job(target, document, options, source, second, engine.layouts.get(layout))


class _CallbackReporter(LineReporter):
    """Adapter for the old ``progress(path, summary)`` callback."""

    def __init__(self, callback):
        super().__init__()
        self.callback = callback

    def built(self, path, summary: str, seconds: float) -> None:
        self.callback(path, summary)

    def finish(self, summary: Summary) -> None:
        pass
