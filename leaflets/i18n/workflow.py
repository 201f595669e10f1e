"""The translator's commands: extract, init, update, status, review.

Each function works on a :class:`~leaflets.build.Project` and returns what
it did; the CLI only prints.  Catalogs are written atomically.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Catalog

from leaflets.build import Project, load_topics, source_date
from leaflets.content.load import LoadedTopic
from leaflets.errors import Diagnostic, LeafletsError, display_path
from leaflets.i18n.catalog import Translations, read_catalog, topic_msgids
from leaflets.i18n.catalogs import (
    catalog_bytes, init_catalog, open_catalog, update_catalog, write_if_changed,
)
from leaflets.i18n.extract import build_date, template_catalog
from leaflets.i18n.locales import SOURCE_LOCALE, catalog_path, normalize_tag, parse_tag, tag_of
from leaflets.i18n.pofile import edit_header
from leaflets.i18n.review import header_name, record_review

TEMPLATE_NAME = "leaflets.pot"
POT_DATE = "POT-Creation-Date"


def template_path(project: Project) -> Path:
    return project.locales_dir / TEMPLATE_NAME


def build_template(project: Project, topics: list[LoadedTopic] | None = None) -> Catalog:
    """The template for the current source.

    Its creation date is the existing template's when no message changed, so
    running ``extract`` or ``update`` on an unchanged source changes no file.
    """
    topics = topics if topics is not None else load_topics(project)
    previous = None
    path = template_path(project)
    if path.exists() and source_date() is None:  # SOURCE_DATE_EPOCH, when set, decides the date
        try:
            previous = open_catalog(path, None)
        except LeafletsError:
            previous = None
    if previous is None:
        return template_catalog(topics)
    template = template_catalog(topics, date=previous.creation_date)
    if catalog_bytes(template) != catalog_bytes(previous):
        template.creation_date = template.revision_date = build_date()
    return template


def extract(project: Project) -> Path:
    """Write ``locales/leaflets.pot`` from the content model and labels (only if it changed)."""
    path = template_path(project)
    write_if_changed(path, catalog_bytes(build_template(project)))
    return path


def init(project: Project, tag: str, *, force: bool = False) -> tuple[Path, list[str]]:
    """Create ``locales/<tag>.po`` for a new language from the current source.

    Returns the catalog's path and warnings: the shipped fonts draw the language's script, but
    perhaps not in the style its readers expect (Urdu in Naskh, not Nastaliq).  A translator
    can start either way; the warning says which font would draw it right.
    """
    from leaflets.render.fonts import UnsupportedScript, stack_for, style_warning
    try:
        canonical = normalize_tag(tag)
        locale = parse_tag(canonical)
    except ValueError as exc:
        raise LeafletsError(Diagnostic("locale", 0, 0, str(exc))) from None
    if tag_of(locale) != canonical:
        raise LeafletsError(Diagnostic("locale", 0, 0, f"write the tag as {tag_of(locale)!r} (BCP 47 form)"))
    if locale.language == SOURCE_LOCALE:
        raise LeafletsError(Diagnostic("locale", 0, 0, f"{tag!r} is the source language; it needs no catalog"))
    try:
        stack_for(canonical)
    except UnsupportedScript as exc:
        raise LeafletsError(Diagnostic("locale", 0, 0, str(exc))) from None
    path = catalog_path(project.locales_dir, canonical)
    if path.exists() and not force:
        raise LeafletsError(Diagnostic(display_path(path), 0, 0,
                                       "catalog exists already; use `locales update` to refresh it (or --force)"))
    write_if_changed(path, catalog_bytes(init_catalog(build_template(project), canonical)))
    warning = style_warning(canonical)
    return path, [warning] if warning else []


def update(project: Project) -> list[tuple[Path, str]]:
    """Write the template, then merge it into every catalog; returns (path, summary).

    A catalog the merge does not change is left untouched (same bytes, same
    modification time).
    """
    template = build_template(project)
    write_if_changed(template_path(project), catalog_bytes(template))
    done = []
    for tag in project.locales():
        if tag == SOURCE_LOCALE:
            continue
        path = catalog_path(project.locales_dir, tag)
        catalog = open_catalog(path, tag)
        before = {m.id for m in catalog if m.id}
        update_catalog(catalog, template)
        changed = write_if_changed(path, catalog_bytes(catalog))
        fuzzy = sum(1 for m in catalog if m.id and m.fuzzy)
        new = sum(1 for m in catalog if m.id and m.id not in before and not m.fuzzy)
        done.append((path, f"{fuzzy} fuzzy, {new} new, {len(catalog.obsolete)} obsolete"
                           + ("" if changed else " (unchanged)")))
    return done


@dataclass(frozen=True)
class Entry:
    """A catalog entry a translator must look at: msgid and PO line."""

    msgid: str
    line: int


@dataclass(frozen=True)
class TopicStatus:
    """How far one topic's strings are translated and reviewed in one catalog."""

    topic: str
    total: int
    translated: int
    fuzzy: int
    untranslated: int
    errors: int
    review: str
    is_draft: bool

    @property
    def complete(self) -> bool:
        return self.translated == self.total and not self.fuzzy and not self.errors


@dataclass(frozen=True)
class CatalogStatus:
    locale: str
    file: str
    total: int
    translated: int
    fuzzy: int
    untranslated: int
    errors: int
    topics: tuple[TopicStatus, ...] = ()
    findings: tuple = ()
    fuzzy_entries: tuple[Entry, ...] = ()
    missing: tuple[Entry, ...] = ()

    @property
    def complete(self) -> bool:
        return self.translated == self.total and not self.fuzzy and not self.errors

    @property
    def review(self) -> str:
        """The review column: one state, or one per topic where they differ."""
        states = {t.review for t in self.topics}
        if len(states) == 1:
            return states.pop()
        return "; ".join(f"{t.topic}: {t.review}" for t in self.topics)

    @property
    def is_draft(self) -> bool:
        return any(t.is_draft for t in self.topics)

    def as_json(self) -> dict:
        return {
            "locale": self.locale, "file": self.file, "total": self.total, "translated": self.translated,
            "fuzzy": self.fuzzy, "untranslated": self.untranslated, "errors": self.errors,
            "complete": self.complete, "review": self.review,
            "topics": [{"topic": t.topic, "total": t.total, "translated": t.translated, "fuzzy": t.fuzzy,
                        "untranslated": t.untranslated, "errors": t.errors, "complete": t.complete,
                        "review": t.review, "draft": t.is_draft} for t in self.topics],
            "findings": [{"line": f.line, "msgid": f.msgid, "check": f.check, "message": f.message}
                         for f in self.findings],
            "fuzzy_entries": [{"line": e.line, "msgid": e.msgid} for e in self.fuzzy_entries],
            "untranslated_entries": [{"line": e.line, "msgid": e.msgid} for e in self.missing],
        }


def _counts(msgids, translations: Translations) -> tuple[int, int, int, int, int]:
    failing = {f.msgid for f in translations.findings}
    total = len(msgids)
    translated = sum(1 for m in msgids if m in translations.entries)
    fuzzy = sum(1 for m in msgids if m in translations.fuzzy)
    errors = sum(1 for m in msgids if m in failing)
    return total, translated, fuzzy, total - translated - fuzzy - errors, errors


def status(project: Project, topics: list[LoadedTopic] | None = None) -> list[CatalogStatus]:
    """One row per shipped locale (the source language first), with one line per topic."""
    topics = topics if topics is not None else load_topics(project)
    per_topic = [(loaded.topic.topic.id, topic_msgids(loaded.topic)) for loaded in topics]
    every: list[str] = list(dict.fromkeys(m for _, ids in per_topic for m in sorted(ids)))
    n = len(every)
    rows = [CatalogStatus(SOURCE_LOCALE, "(source)", n, n, 0, 0, 0, tuple(
        TopicStatus(tid, len(ids), len(ids), 0, 0, 0, "source language", False) for tid, ids in per_topic))]
    for tag in project.locales():
        if tag == SOURCE_LOCALE:
            continue
        translations = read_catalog(catalog_path(project.locales_dir, tag), tag)
        topic_rows = []
        for tid, ids in per_topic:
            review = translations.review_of(tid, ids)
            topic_rows.append(TopicStatus(tid, *_counts(ids, translations), review.describe(), review.is_draft))
        failing = {f.msgid for f in translations.findings}
        missing = tuple(Entry(m, translations.line_of(m)) for m in every
                        if m not in translations.entries and m not in translations.fuzzy and m not in failing)
        fuzzy = tuple(Entry(m, line) for m, line in translations.fuzzy.items())
        rows.append(CatalogStatus(tag, translations.file, *_counts(every, translations), tuple(topic_rows),
                                  tuple(translations.findings), fuzzy, missing))
    return rows


def review(project: Project, tag: str, reviewer: str, date: dt.date, topic: str | None = None,
           today: dt.date | None = None) -> tuple[Path, list[str]]:
    """Record that a qualified person reviewed the catalog's translation of every complete topic.

    Only the header changes: the review field of each topic and
    ``PO-Revision-Date``; every other line of the file stays as it was.
    Returns the catalog's path and the topics stamped.
    """
    reviewer = " ".join(reviewer.split())
    if not reviewer or "," not in reviewer or "|" in reviewer:
        raise LeafletsError(Diagnostic("reviewer", 0, 0, "give the reviewer as 'Name, qualification', "
                                                          "e.g. 'Dr Ana Ruiz, dermatologist' (no '|')"))
    today = today or dt.date.today()
    if date > today:
        raise LeafletsError(Diagnostic("date", 0, 0, f"the review date {date.isoformat()} is in the future "
                                                      f"(today is {today.isoformat()}); record a review once it is done"))
    topics = load_topics(project)
    try:
        tag = normalize_tag(tag)
    except ValueError as exc:
        raise LeafletsError(Diagnostic("locale", 0, 0, str(exc))) from None
    rows = {row.locale: row for row in status(project, topics)}
    if tag not in rows or tag == SOURCE_LOCALE:
        raise LeafletsError(Diagnostic("locale", 0, 0, f"no catalog for {tag!r}"))
    path = catalog_path(project.locales_dir, tag)
    known = [t.topic.topic.id for t in topics]
    if topic is not None and topic not in known:
        raise LeafletsError(Diagnostic("topic", 0, 0, f"no topic {topic!r}; topics: {', '.join(known)}"))
    wanted = [t for t in rows[tag].topics if topic is None or t.topic == topic]
    incomplete = [t for t in wanted if not t.complete]
    if incomplete and (topic is not None or len(incomplete) == len(wanted)):
        raise LeafletsError(Diagnostic(display_path(path), 0, 0,
                                       "only a complete translation with no fuzzy or failing entries can be reviewed; "
                                       f"{', '.join(t.topic for t in incomplete)}: see `locales status --verbose`"))
    catalog = open_catalog(path, tag)
    fields = {}
    stamped = []
    for loaded in topics:
        tid = loaded.topic.topic.id
        if any(t.topic == tid for t in wanted if t.complete):
            fields[header_name(tid)] = record_review(catalog, tid, topic_msgids(loaded.topic), reviewer, date)
            stamped.append(tid)
    fields["PO-Revision-Date"] = build_date().strftime("%Y-%m-%d %H:%M+0000")
    text = path.read_text(encoding="utf-8")
    write_if_changed(path, edit_header(text, fields).encode("utf-8"))
    return path, stamped
