"""Plan and run builds: which topic, locale and format go to which file.

Everything that can fail on bad input (loading topics, reading catalogs,
localizing) happens for every target before the first file is written, so
a content or translation error never leaves a partial build.  Each file is
rendered to memory and moved into place atomically.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import sys
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from leaflets.content.load import LoadedTopic, load_topic
from leaflets.document import LocalizedDocument
from leaflets.errors import Diagnostic, LeafletsError, display_path
from leaflets.i18n.catalog import SourceTranslations, Translations, read_catalog
from leaflets.i18n.catalogs import write_atomic
from leaflets.i18n.locales import SOURCE_LOCALE, catalog_for, catalog_path, script_of, shipped_locales
from leaflets.i18n.pseudo import PSEUDO_LOCALES, PseudoTranslations
from leaflets.localize import localize
from leaflets.render.pdf import MAX_PAGES, HandoutTooLong, render_handout
from leaflets.render.pptx import render_deck
from leaflets.render.preflight import missing_glyphs

ROOT = Path(__file__).resolve().parents[1]
FORMATS = ("pdf", "pptx")
PAPERS = ("a4", "letter")


@dataclass(frozen=True)
class Project:
    """Where a project's inputs live."""

    content_dir: Path = ROOT / "content"
    locales_dir: Path = ROOT / "locales"

    def topic_files(self) -> list[Path]:
        files = sorted(self.content_dir.glob("*.yaml"))
        if not files:
            raise LeafletsError(Diagnostic(display_path(self.content_dir), 0, 0, "no topic files (*.yaml) found"))
        return files

    def locales(self) -> list[str]:
        return shipped_locales(self.locales_dir)


@dataclass(frozen=True)
class Target:
    """One output file."""

    topic: str
    locale: str
    format: str
    paper: str | None = None

    def path(self, out: Path) -> Path:
        if self.format == "pdf":
            return out / self.locale / f"{self.topic}-handout-{self.paper}.pdf"
        return out / self.locale / f"{self.topic}-slides.pptx"


@dataclass
class BuildResult:
    written: list[tuple[Path, str]] = field(default_factory=list)


def source_date() -> dt.datetime | None:
    """SOURCE_DATE_EPOCH as a UTC datetime, for reproducible output."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc)
    return None


def load_topics(project: Project) -> list[LoadedTopic]:
    """Load every topic, collecting all their errors into one exception."""
    topics, errors = [], []
    for path in project.topic_files():
        try:
            topics.append(load_topic(path))
        except LeafletsError as exc:
            errors += exc.diagnostics
    if errors:
        raise LeafletsError(errors)
    return topics


def load_translations(project: Project, locale: str) -> Translations:
    """The translations for ``locale``: source, generated pseudo-locale, or a checked PO catalog.

    A regional locale without its own catalog reads its language's
    (``es-US`` reads ``es.po``); the locale itself still picks the formats.
    """
    if locale == SOURCE_LOCALE or (locale not in PSEUDO_LOCALES and catalog_for(project.locales_dir, locale) is None
                                   and script_of(locale) == "Latn" and locale.split("-")[0] == SOURCE_LOCALE):
        return SourceTranslations()
    if locale in PSEUDO_LOCALES:
        return PseudoTranslations()
    found = catalog_for(project.locales_dir, locale)
    if found is None:
        return read_catalog(catalog_path(project.locales_dir, locale), locale)  # reports "catalog not found"
    tag, path = found
    return read_catalog(path, tag)


def localize_all(project: Project, topics: list[LoadedTopic], locales: list[str], *,
                 allow_incomplete: bool = False) -> dict[tuple[str, str], LocalizedDocument]:
    documents, errors = {}, []
    for locale in locales:
        try:
            translations = load_translations(project, locale)
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


def render(document: LocalizedDocument, target: Target, created: dt.datetime | None) -> tuple[bytes, str]:
    """Render one target to bytes; returns (data, short description)."""
    buffer = io.BytesIO()
    if target.format == "pdf":
        pseudo = target.locale in PSEUDO_LOCALES
        pages = render_handout(document, buffer, target.paper, invariant=created is not None, enforce_limit=not pseudo)
        if pages > MAX_PAGES:
            print(f"warning: the {target.locale} handout needs {pages} pages on {target.paper} paper; "
                  f"a translation this long would not fit the {MAX_PAGES}-page limit", file=sys.stderr)
        return buffer.getvalue(), f"{pages} pages"
    slides = render_deck(document, buffer, created=(created or dt.datetime.now(dt.timezone.utc)).replace(tzinfo=None))
    data = buffer.getvalue()
    if created is not None:
        data = normalize_zip(data, created)
    return data, f"{slides} slides"


CORE_DATES = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:(?:created|modified)>)")


def normalize_zip(data: bytes, when: dt.datetime) -> bytes:
    """Rewrite an OOXML zip with fixed timestamps, for reproducible bytes.

    Member times, and the creation dates in ``docProps/core.xml``, become
    ``when``; nested packages (the workbook behind each chart) get the same
    treatment.
    """
    when = max(when, dt.datetime(1980, 1, 1, tzinfo=dt.timezone.utc))
    stamp = when.timetuple()[:6]
    iso = when.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            member = source.read(info.filename)
            if info.filename.endswith((".xlsx", ".docx", ".pptx")):
                member = normalize_zip(member, when)
            elif info.filename == "docProps/core.xml":
                member = CORE_DATES.sub(rb"\g<1>" + iso + rb"\g<2>", member)
            clone = zipfile.ZipInfo(info.filename, date_time=stamp)
            clone.compress_type = zipfile.ZIP_DEFLATED
            clone.external_attr = 0o644 << 16
            target.writestr(clone, member)
    return out.getvalue()


def plan(topics: list[LoadedTopic], locales: list[str], formats: list[str], papers: list[str]) -> list[Target]:
    targets = []
    for loaded in topics:
        for locale in locales:
            for fmt in formats:
                if fmt == "pdf":
                    targets += [Target(loaded.topic.topic.id, locale, "pdf", paper) for paper in papers]
                else:
                    targets.append(Target(loaded.topic.topic.id, locale, "pptx"))
    return targets


def build(project: Project, out: Path, *, locales: list[str] | None = None, formats: list[str] | None = None,
          papers: list[str] | None = None, allow_incomplete: bool = False, progress=None) -> BuildResult:
    """Build the requested targets into ``out``; raise :class:`LeafletsError` on bad input."""
    topics = load_topics(project)
    locales = locales or project.locales()
    documents = localize_all(project, topics, locales, allow_incomplete=allow_incomplete)
    targets = plan(topics, locales, formats or list(FORMATS), papers or list(PAPERS))
    created = source_date()
    rendered = []
    errors = []
    for target in targets:
        try:
            rendered.append((target, *render(documents[(target.topic, target.locale)], target, created)))
        except HandoutTooLong as exc:  # a layout limit is a content problem, not a crash
            where = ("content" if target.locale == SOURCE_LOCALE
                     else display_path(catalog_path(project.locales_dir, target.locale)))
            errors.append(Diagnostic(where, 0, 0, str(exc)))
    if errors:
        raise LeafletsError(errors)
    result = BuildResult()
    for target, data, summary in rendered:
        path = target.path(out)
        write_atomic(path, data)
        result.written.append((path, summary))
        if progress:
            progress(path, summary)
    return result
