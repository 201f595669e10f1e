"""Plan and run builds: which topic, locale and format go to which file.

A build (:func:`build`) goes in four steps:

1. **plan**: every requested target (:mod:`leaflets.plan`), and for each its
   inputs stamp; a target whose stamp and output file match the manifest
   (:mod:`leaflets.manifest`) is up to date without reading anything else;
2. **localize** the (topic, locale) pairs the other targets need, once each,
   in this process; a target whose fingerprint still matches is up to date;
   a topic or catalog with errors fails *its* targets only (every other
   locale and topic is still built);
3. **render** what is left, on a pool of worker processes when there is
   enough of it (:mod:`leaflets.workers`);
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

from leaflets.content.load import LoadedTopic, load_topic
from leaflets.document import LocalizedDocument
from leaflets.errors import Diagnostic, LeafletsError, display_path
from leaflets.i18n.catalog import SourceTranslations, Translations, overlay, read_catalog
from leaflets.i18n.locales import (
    SOURCE_LOCALE, catalog_chain, catalog_for, catalog_path, unknown_catalogs,
)
from leaflets.i18n.rules import Rule, rules_for
from leaflets.i18n.pseudo import PSEUDO_LOCALES, PseudoTranslations
from leaflets.localize import localize
from leaflets.manifest import Manifest
from leaflets.output import check_folder, remove_stale_temporaries, write_atomic
from leaflets.plan import (
    ASSETS_DIR, FORMATS, PAPERS, BuildOptions, FileDigests, Target, document_digest, file_sha256,
    fingerprint, generator_id, inputs_stamp, papers_for, plan,
)
from leaflets.progress import LineReporter, Summary
from leaflets.project import Project
from leaflets.render.contract import LayoutOverflow
from leaflets.render.registry import formats as registered_formats
from leaflets.runtime import EnvironmentProblem, source_date_epoch
from leaflets.workers import Job, RenderPool, available_cores, render_target

__all__ = ["FORMATS", "PAPERS", "Project", "Target", "BuildOptions", "BuildResult", "BuildFailed", "build",
           "load_topics", "load_translations", "localize_all", "plan", "render", "source_date"]


def source_date() -> dt.datetime | None:
    """SOURCE_DATE_EPOCH as a UTC datetime (validated: :mod:`leaflets.runtime`)."""
    try:
        return source_date_epoch()
    except EnvironmentProblem as exc:
        raise LeafletsError(Diagnostic("SOURCE_DATE_EPOCH", 0, 0, str(exc))) from None


def load_topics(project: Project) -> list[LoadedTopic]:
    """Load every topic, collecting all their errors into one exception."""
    topics, failures = load_topics_isolated(project)
    if failures:
        raise LeafletsError([d for diagnostics in failures.values() for d in diagnostics])
    return topics


def load_topics_isolated(project: Project) -> tuple[list[LoadedTopic], dict[str, list[Diagnostic]]]:
    """Every topic that loads, and the errors of each one that does not (by file).

    Two files with the same topic id would write the same artifacts: both
    are refused, each error naming the other file.
    """
    topics, failures = [], {}
    for path in project.topic_files():
        try:
            topics.append(load_topic(path))
        except LeafletsError as exc:
            failures[display_path(path)] = exc.diagnostics
    by_id: dict[str, list[LoadedTopic]] = {}
    for loaded in topics:
        by_id.setdefault(loaded.topic.topic.id, []).append(loaded)
    for topic_id, same in by_id.items():
        if len(same) < 2:
            continue
        for loaded in same:
            others = ", ".join(o.source.file for o in same if o is not loaded)
            failures[loaded.source.file] = [loaded.source.diagnostic(
                ("topic", "id"), f"duplicate topic id '{topic_id}' (also in {others}); each topic needs its own id",
                value=True)]
    topics = [t for t in topics if t.source.file not in failures]
    return topics, failures


def has_translations(project: Project, locale: str) -> bool:
    """Whether ``locale`` can be built: the source language in any region, a pseudo-locale,
    or a catalog of its own or of its language (``es-US`` reads ``es.po``)."""
    return (locale in PSEUDO_LOCALES or locale.split("-")[0] == SOURCE_LOCALE
            or catalog_for(project.locales_dir, locale) is not None)


def load_translations(project: Project, locale: str, rules: dict[str, Rule] | None = None) -> Translations:
    """The translations for ``locale``: source, generated pseudo-locale, or checked PO catalogs.

    A regional locale reads its own catalog over its language's (``es-US.po``
    over ``es.po``), or only its language's if it has none; the locale
    itself still picks the formats.  ``rules`` are the topics' translation
    rules (:func:`leaflets.i18n.rules.rules_for`); without them they are
    read from the project's topics, so no rule is ever skipped.
    """
    if locale in PSEUDO_LOCALES:
        return PseudoTranslations()
    chain = catalog_chain(project.locales_dir, locale)
    if locale == SOURCE_LOCALE or (not chain and locale.split("-")[0] == SOURCE_LOCALE):
        return SourceTranslations()  # en, or a regional English such as en-IN: the source, in its formats
    if rules is None:
        rules = rules_for(load_topics_isolated(project)[0])
    if not chain:
        return read_catalog(catalog_path(project.locales_dir, locale), locale, rules)  # "catalog not found"
    layers = [read_catalog(path, tag, rules) for tag, path in chain]
    translations = layers[-1]
    for regional in reversed(layers[:-1]):
        translations = overlay(regional, translations)
    return translations


def localize_all(project: Project, topics: list[LoadedTopic], locales: list[str], *,
                 allow_incomplete: bool = False) -> dict[tuple[str, str], LocalizedDocument]:
    from leaflets.render.preflight import missing_glyphs

    documents, errors = {}, []
    rules = rules_for(topics)
    for locale in locales:
        try:
            translations = load_translations(project, locale, rules)
        except LeafletsError as exc:
            errors += exc.diagnostics
            continue
        for loaded in topics:
            try:
                document = localize(loaded, locale, translations, allow_incomplete=allow_incomplete)
            except LeafletsError as exc:
                errors += exc.diagnostics
                continue
            errors += missing_glyphs(document, loaded, translations)
            documents[(loaded.topic.topic.id, locale)] = document
    if errors:
        raise LeafletsError(errors)
    return documents


def render(document: LocalizedDocument, target: Target, created: dt.datetime | None,
           template: Path | None = None) -> tuple[bytes, str]:
    """Render one target to bytes; returns (data, short description)."""
    try:
        rendered = render_target(document, target, BuildOptions(created=created, template=template))
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


def build(project: Project, out: Path, *, locales: list[str] | None = None, formats: list[str] | None = None,
          papers: list[str] | None = None, allow_incomplete: bool | None = None, force: bool = False,
          jobs: int | None = None, reporter=None, options: BuildOptions | None = None,
          progress=None) -> BuildResult:
    """Build the requested targets into ``out``, only those not up to date.

    ``options`` are what reaches the documents and renderers; without them,
    ``allow_incomplete`` (default False) and ``SOURCE_DATE_EPOCH`` from the
    environment.  Giving both ``options`` and ``allow_incomplete`` is refused
    rather than one silently winning.

    Returns a :class:`BuildResult`; raises :class:`BuildFailed` (after
    building everything else) when a topic, catalog or target failed,
    :class:`BuildInterrupted` on Ctrl-C, and :class:`LeafletsError` when the
    output folder cannot be written.  ``progress`` (path, summary) is the
    old callback, kept for callers that only want the written files.
    """
    started, cpu_started = time.perf_counter(), _cpu_seconds()
    formats, papers = list(formats or registered_formats()), list(papers or PAPERS)
    per_unit = sum(len(papers_for(fmt, papers)) for fmt in formats)  # an unknown format stops here
    reporter = reporter or (_CallbackReporter(progress) if progress else LineReporter())
    if options is not None and allow_incomplete is not None:
        raise TypeError("build() takes allow_incomplete in options or as a keyword, not both "
                        f"(options.allow_incomplete={options.allow_incomplete}, allow_incomplete={allow_incomplete})")
    options = options or BuildOptions(allow_incomplete=bool(allow_incomplete), created=source_date())
    result = BuildResult()
    summary = result.summary
    out = Path(out)
    check_folder(out)  # created with the first file: a build that writes nothing leaves no trace
    remove_stale_temporaries(out)
    manifest = Manifest.load(out)
    digests = FileDigests(dict(manifest.digests))
    common = {"generator": generator_id(), "assets": digests.folder(ASSETS_DIR)}
    manifest.generator = common["generator"]

    explicit = locales is not None
    locales = list(locales or project.locales())
    if not explicit:
        for path, problem in unknown_catalogs(project.locales_dir):
            _fail(summary, reporter, display_path(path), [Diagnostic(display_path(path), 0, 0, problem)])

    topic_files = project.topic_files()
    sources = {display_path(p): digests.file(p) for p in topic_files}
    known = [manifest.topics.get(name, {}) for name in sources]
    topic_ids = ([k.get("id") for k in known] if all(k.get("sha256") == sources[n] for k, n in zip(known, sources))
                 else None)

    def stamp(target: Target) -> str:
        if target.locale == SOURCE_LOCALE or target.locale in PSEUDO_LOCALES:
            catalog = {"(generated)": target.locale}
        else:
            chain = catalog_chain(project.locales_dir, target.locale)  # es-US reads es-US.po over es.po
            paths = [p for _, p in chain] or [catalog_path(project.locales_dir, target.locale)]
            catalog = {display_path(p): digests.file(p) for p in paths}
        return inputs_stamp(target, {**sources, **catalog}, common, options.for_stamp(target, digests))

    # 1. plan: the inputs stamp settles most targets without reading a topic or catalog
    candidates: list[Target] | None = None
    if topic_ids is not None and not force:
        candidates = []
        for target in plan(topic_ids, locales, formats, papers):
            entry = manifest.targets.get(target.name)
            if entry and entry.get("inputs") == stamp(target) and _intact(target.path(out), entry):
                result.up_to_date.append(target.path(out))
            else:
                candidates.append(target)
    expected = len(candidates) if candidates is not None else len(topic_files) * len(locales) * per_unit
    pool = RenderPool(jobs or available_cores(), expected,
                      {t.locale for t in candidates} if candidates is not None else set(locales),
                      {t.format for t in candidates} if candidates is not None else set(formats))
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
        write_atomic(path, outcome.data)
        entry = entries[target]
        entry.update({"bytes": len(outcome.data), "output": "sha256:" + hashlib.sha256(outcome.data).hexdigest(),
                      "summary": outcome.summary})
        manifest.targets[target.name] = entry
        result.written.append((path, outcome.summary))
        summary.built += 1
        reporter.built(path, outcome.summary, outcome.seconds)

    try:
        if candidates is None or candidates:
            # 2. localize what is left, 3. render it as soon as each document is ready
            for target, entry, job in _jobs(project, out, manifest, digests, common, options, locales, formats,
                                            papers, candidates, force, stamp, result, reporter, sources):
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
    manifest.digests = digests.cache
    if out.is_dir():
        try:
            manifest.save(out)
        except LeafletsError:
            pass  # the artifacts are written; the next build just checks more
    summary.wall = time.perf_counter() - started
    summary.cpu = _cpu_seconds() - cpu_started


def _jobs(project, out, manifest, digests, common, options, locales, formats, papers, candidates, force, stamp,
          result, reporter, sources):
    """Localize, unit by unit, what the candidate targets need (all targets when
    ``candidates`` is None); yield (target, manifest entry, render job) for each
    target whose fingerprint changed, as soon as its document is ready."""
    from leaflets.render.preflight import missing_glyphs

    summary = result.summary
    topics, topic_failures = load_topics_isolated(project)
    for name, diagnostics in topic_failures.items():
        _fail(summary, reporter, name, diagnostics)
    if not topic_failures:
        manifest.topics = {display_path(t.path): {"sha256": sources[display_path(t.path)], "id": t.topic.topic.id}
                           for t in topics}
    by_id = {t.topic.topic.id: t for t in topics}
    targets = candidates if candidates is not None else plan(topics, locales, formats, papers)
    units: dict[tuple[str, str], list[Target]] = {}
    for target in targets:
        if target.topic in by_id:
            units.setdefault(target.unit, []).append(target)
    translations_by_locale: dict[str, Translations | None] = {}
    rules = rules_for(topics)
    for (topic_id, locale), unit_targets in units.items():
        if locale not in translations_by_locale:
            try:
                translations_by_locale[locale] = load_translations(project, locale, rules)
            except LeafletsError as exc:
                translations_by_locale[locale] = None
                _fail(summary, reporter, display_path(catalog_path(project.locales_dir, locale)), exc.diagnostics)
        translations = translations_by_locale[locale]
        if translations is None:
            for target in unit_targets:
                manifest.targets.pop(target.name, None)
            continue
        loaded = by_id[topic_id]
        source = loaded.source.file if locale == SOURCE_LOCALE else translations.file
        try:
            document = localize(loaded, locale, translations, allow_incomplete=options.allow_incomplete)
            errors = missing_glyphs(document, loaded, translations)
        except LeafletsError as exc:
            errors = exc.diagnostics
        if errors:
            _fail(summary, reporter, f"{topic_id} in {locale} ({source})", errors)
            for target in unit_targets:
                manifest.targets.pop(target.name, None)
            continue
        document_sha = document_digest(document)
        for target in unit_targets:
            target_options = options.for_target(target, digests)
            entry = {"topic": target.topic, "locale": target.locale, "format": target.format,
                     "paper": target.paper, "fingerprint": fingerprint(target, document_sha, common, target_options),
                     "inputs": stamp(target)}
            old = manifest.targets.get(target.name)
            if (not force and old and old.get("fingerprint") == entry["fingerprint"]
                    and _intact(target.path(out), old)):
                old["inputs"] = entry["inputs"]
                result.up_to_date.append(target.path(out))
                _advance(reporter)
                continue
            yield target, entry, Job(target, document, options, source)


class _CallbackReporter(LineReporter):
    """Adapter for the old ``progress(path, summary)`` callback."""

    def __init__(self, callback):
        super().__init__()
        self.callback = callback

    def built(self, path, summary: str, seconds: float) -> None:
        self.callback(path, summary)

    def finish(self, summary: Summary) -> None:
        pass
