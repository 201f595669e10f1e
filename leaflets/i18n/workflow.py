"""The translator's commands: extract, init, update, status, review.

Each function works on a :class:`~leaflets.build.Project` and returns what
it did; the CLI only prints.  Catalogs are written atomically, and a
catalog that cannot be read is reported on its own: every other language
is still updated, listed and checked.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from leaflets.build import Project, load_topics, load_translations, source_date
from leaflets.content.load import LoadedTopic
from leaflets.errors import Diagnostic, LeafletsError, display_path
from leaflets.i18n.catalog import Translations, topic_msgids
from leaflets.i18n.catalogs import (
    MAX_CATALOG_BYTES, catalog_bytes, init_catalog, open_catalog, update_catalog, write_atomic, write_if_changed,
)
from leaflets.i18n.extract import DATE_FORMAT, build_date, template_catalog
from leaflets.i18n.locales import (
    SOURCE_LOCALE, catalog_chain, catalog_locales, catalog_path, normalize_tag, parse_tag, tag_of,
)
from leaflets.i18n.locales import linguas_problems as linguas_at
from leaflets.i18n.po import Catalog, edit_header
from leaflets.i18n.review import (
    MAX_REVIEWER, Change, Review, ReviewRecord, Stamp, diff, diff_digest, fingerprint, format_stamp, header_name,
    snapshot, stamp_of,
)
from leaflets.i18n.rules import rules_for

TEMPLATE_NAME = "leaflets.pot"
POT_DATE = "POT-Creation-Date"
REVIEWS_DIR = "reviews"
STATUS_SCHEMA_VERSION = 2


def template_path(project: Project) -> Path:
    return project.locales_dir / TEMPLATE_NAME


def record_path(project: Project, tag: str) -> Path:
    return project.locales_dir / REVIEWS_DIR / f"{tag}.json"


def build_template(project: Project, topics: list[LoadedTopic] | None = None) -> Catalog:
    """The template for the current source.

    Its creation date is the existing template's when no message changed, so
    running ``extract`` or ``update`` on an unchanged source changes no file.
    """
    topics = topics if topics is not None else load_topics(project)
    path = template_path(project)
    if path.exists() and source_date() is None:  # SOURCE_DATE_EPOCH, when set, decides the date
        try:
            previous = open_catalog(path)
            date = dt.datetime.strptime(previous.header_field(POT_DATE) or "", DATE_FORMAT).replace(
                tzinfo=dt.timezone.utc)
        except (LeafletsError, ValueError):
            previous = None
        if previous is not None:
            template = template_catalog(topics, date=date, references_from=project.folder)
            if catalog_bytes(template) == catalog_bytes(previous):
                return template
    return template_catalog(topics, references_from=project.folder)


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


@dataclass(frozen=True)
class Updated:
    """What ``update`` did to one catalog (or why it could not)."""

    path: Path
    summary: str = ""
    changed: bool = False
    errors: tuple[Diagnostic, ...] = ()


def update(project: Project) -> list[Updated]:
    """Write the template, then merge it into every catalog as ``msgmerge --previous`` would.

    A catalog the merge does not change is left untouched (same bytes, same
    modification time); one that cannot be read is left as it is and
    reported, and every other catalog is still updated.
    """
    template = build_template(project)
    write_if_changed(template_path(project), catalog_bytes(template))
    done = []
    for tag in catalog_locales(project.locales_dir):
        path = catalog_path(project.locales_dir, tag)
        try:
            catalog = open_catalog(path, tag)
        except LeafletsError as exc:
            done.append(Updated(path, errors=tuple(exc.diagnostics)))
            continue
        before = {m.key for m in catalog}
        merged = update_catalog(catalog, template, tag)
        changed = write_if_changed(path, catalog_bytes(merged))
        fuzzy = sum(1 for m in merged if m.fuzzy)
        new = sum(1 for m in merged if m.key not in before and not m.fuzzy)
        done.append(Updated(path, f"{fuzzy} fuzzy, {new} new, {len(merged.obsolete)} obsolete"
                                  + ("" if changed else " (unchanged)"), changed))
    return done


# ------------------------------------------------------------------ status
@dataclass(frozen=True)
class Entry:
    """A catalog entry a translator must look at: msgid, file and PO line."""

    msgid: str
    line: int
    file: str = ""


@dataclass(frozen=True)
class TopicStatus:
    """How far one topic's strings are translated and reviewed in one catalog."""

    topic: str
    total: int
    translated: int
    fuzzy: int
    untranslated: int
    errors: int
    review: Review
    changes: tuple[Change, ...] | None = None  # since the last review, when it changed
    fits: bool | None = None  # None: layout not checked

    @property
    def complete(self) -> bool:
        return self.translated == self.total and not self.fuzzy and not self.errors

    @property
    def is_draft(self) -> bool:
        return self.review.is_draft

    def as_json(self) -> dict:
        review = self.review.as_json()
        review["changed_entries"] = len(self.changes) if self.changes is not None else None
        review["changes"] = [c.as_json() for c in self.changes] if self.changes is not None else None
        return {"topic": self.topic, "total": self.total, "translated": self.translated, "fuzzy": self.fuzzy,
                "untranslated": self.untranslated, "failing": self.errors,
                "complete": self.complete and self.fits is not False, "fits": self.fits,
                "draft": self.is_draft, "review": review}


@dataclass(frozen=True)
class CatalogStatus:
    locale: str
    files: tuple[str, ...]
    total: int
    translated: int
    fuzzy: int
    untranslated: int
    errors: int
    topics: tuple[TopicStatus, ...] = ()
    findings: tuple = ()
    fuzzy_entries: tuple[Entry, ...] = ()
    missing: tuple[Entry, ...] = ()
    shipped: bool = True
    problems: tuple[Diagnostic, ...] = ()  # the catalog cannot be read: nothing in it is used
    layout: tuple = ()  # LayoutFinding
    overrides: int | None = None  # entries a regional catalog takes over from its language's

    @property
    def file(self) -> str:
        return self.files[0] if self.files else ""

    @property
    def kind(self) -> str:
        if self.locale == SOURCE_LOCALE:
            return "source"
        return "regional" if len(self.files) > 1 else "catalog"

    @property
    def broken(self) -> bool:
        return bool(self.problems)

    @property
    def complete(self) -> bool:
        return (not self.broken and self.translated == self.total and not self.fuzzy and not self.errors
                and not self.layout)

    @property
    def review(self) -> str:
        """The review column: one state, or one per topic where they differ."""
        if self.broken:
            return "cannot be read"
        states = {t.review.describe() for t in self.topics}
        if len(states) == 1:
            return states.pop()
        return "; ".join(f"{t.topic}: {t.review.describe()}" for t in self.topics)

    @property
    def changed_since_review(self) -> list[TopicStatus]:
        return [t for t in self.topics if t.review.state == "changed"]

    @property
    def is_draft(self) -> bool:
        return any(t.is_draft for t in self.topics)

    def as_json(self) -> dict:
        return {
            "locale": self.locale, "kind": self.kind, "files": list(self.files), "shipped": self.shipped,
            "state": "broken" if self.broken else "source" if self.kind == "source" else "ok",
            "problems": [{"file": d.file, "line": d.line, "column": d.column, "message": d.message}
                         for d in self.problems],
            "total": self.total, "translated": self.translated, "fuzzy": self.fuzzy,
            "untranslated": self.untranslated, "failing": self.errors, "overrides": self.overrides,
            "complete": self.complete, "review": self.review,
            "topics": [t.as_json() for t in self.topics],
            "findings": [{"file": f.file, "line": f.line, "msgid": f.msgid, "check": f.check, "message": f.message}
                         for f in self.findings],
            "fuzzy_entries": [{"file": e.file, "line": e.line, "msgid": e.msgid} for e in self.fuzzy_entries],
            "untranslated_entries": [{"file": e.file, "line": e.line, "msgid": e.msgid} for e in self.missing],
            "layout": [f.as_json() for f in self.layout],
        }


def _counts(msgids, translations: Translations) -> tuple[int, int, int, int, int]:
    failing = {f.msgid for f in translations.findings}
    total = len(msgids)
    translated = sum(1 for m in msgids if m in translations.entries)
    fuzzy = sum(1 for m in msgids if m in translations.fuzzy and m not in translations.entries)
    errors = sum(1 for m in msgids if m in failing and m not in translations.entries)
    return total, translated, fuzzy, total - translated - fuzzy - errors, errors


def status_locales(project: Project) -> list[tuple[str, bool]]:
    """(tag, shipped) for every language with a catalog or listed as shipped, source first."""
    shipped = set(project.locales())
    tags = set(catalog_locales(project.locales_dir)) | (shipped - {SOURCE_LOCALE})
    return [(SOURCE_LOCALE, True)] + [(t, t in shipped) for t in sorted(tags)]


def status(project: Project, topics: list[LoadedTopic] | None = None, *, layout: bool = False,
           locales: list[str] | None = None) -> list[CatalogStatus]:
    """One row per language (the source first, then every catalog, shipped or in progress), or per ``locales``.

    A catalog that cannot be read gets a row of its own with its problems;
    every other language is still listed.  With ``layout``, every complete
    shipped language is laid out as a build would, and the overflows are
    part of its row.
    """
    topics = topics if topics is not None else load_topics(project)
    rules = rules_for(topics)
    per_topic = [(loaded.topic.topic.id, topic_msgids(loaded.topic)) for loaded in topics]
    every: list[str] = list(dict.fromkeys(m for _, ids in per_topic for m in sorted(ids)))
    n = len(every)
    rows = [CatalogStatus(SOURCE_LOCALE, ("(source)",), n, n, 0, 0, 0, tuple(
        TopicStatus(tid, len(ids), len(ids), 0, 0, 0, Review("source")) for tid, ids in per_topic))]
    wanted = status_locales(project)[1:]
    if locales is not None:
        known = dict(wanted)
        wanted = [(tag, known.get(tag, tag in project.locales())) for tag in locales if tag != SOURCE_LOCALE]
    for tag, shipped in wanted:
        chain = catalog_chain(project.locales_dir, tag)
        files = tuple(display_path(p) for _, p in chain)
        try:
            translations = load_translations(project, tag, rules)
        except LeafletsError as exc:
            rows.append(CatalogStatus(tag, files or (display_path(catalog_path(project.locales_dir, tag)),),
                                      n, 0, 0, n, 0, shipped=shipped, problems=tuple(exc.diagnostics)))
            continue
        record = _read_record(project, chain[0][0]) if chain else None
        topic_rows = []
        for tid, ids in per_topic:
            review = translations.review_of(tid, ids)
            changes = None
            if review.state == "changed":
                changes = tuple(diff(_topic_record(record, translations, tid), translations.message, ids,
                                     translations.plural_header))
            topic_rows.append(TopicStatus(tid, *_counts(ids, translations), review, changes))
        failing = {f.msgid for f in translations.findings}
        missing = tuple(Entry(m, *reversed(translations.location(m))) for m in every
                        if m not in translations.entries and m not in translations.fuzzy and m not in failing)
        fuzzy = tuple(Entry(m, line, translations.location(m)[0]) for m, line in translations.fuzzy.items()
                      if m in every)
        overrides = None
        if len(chain) > 1:
            overrides = sum(1 for m in every if translations.location(m)[0] == translations.file
                            and m in translations.entries)
        rows.append(CatalogStatus(tag, files, *_counts(every, translations), tuple(topic_rows),
                                  tuple(f for f in translations.findings if f.msgid in every), fuzzy, missing,
                                  shipped=shipped, overrides=overrides))
    if layout:
        rows = _with_layout(project, topics, rows)
    return rows


def _with_layout(project: Project, topics, rows: list[CatalogStatus]) -> list[CatalogStatus]:
    """Lay out every shipped language whose catalog is complete; attach its overflows to its row."""
    from dataclasses import replace

    from leaflets.engine import Engine
    from leaflets.fit import fit_findings
    ready = [row.locale for row in rows if row.shipped and row.complete]
    findings = fit_findings(Engine(project), topics, ready)
    out = []
    for row in rows:
        if row.locale not in ready:
            out.append(row)
            continue
        mine = tuple(f for f in findings if f.locale == row.locale)
        topics_fit = tuple(replace(t, fits=not any(f.topic == t.topic for f in mine)) for t in row.topics)
        out.append(replace(row, layout=mine, topics=topics_fit))
    return out


def linguas_problems(project: Project) -> list[Diagnostic]:
    """Problems of ``locales/LINGUAS`` (an unknown tag, a language without a catalog), at their lines."""
    return linguas_at(project.locales_dir)


# ------------------------------------------------------------------ review
def _topic_record(record: ReviewRecord | None, translations: Translations, topic_id: str):
    """The record of the topic's last review, only if it is the one the catalog's stamp names."""
    if record is None or topic_id not in record.topics or translations.catalog is None:
        return None
    try:
        stamp = stamp_of(translations.catalog, topic_id)
    except ValueError:
        return None
    kept = record.topics[topic_id]
    if stamp is None or (kept.fingerprint, kept.reviewer, kept.date) != (stamp.fingerprint, stamp.reviewer, stamp.date):
        return None
    return kept


def _read_record(project: Project, tag: str) -> ReviewRecord | None:
    """The review record of a catalog, or None if there is none or it cannot be trusted to parse."""
    path = record_path(project, tag)
    try:
        if not path.is_file() or path.stat().st_size > MAX_CATALOG_BYTES * 2:
            return None
        return ReviewRecord.from_bytes(path.read_bytes(), tag)
    except (OSError, ValueError):
        return None


@dataclass
class TopicDiff:
    """What changed in one topic's translation since its last review."""

    topic: str
    review: Review
    changes: list[Change]
    digest: str
    locations: dict[str, tuple[str, int]] = field(default_factory=dict)


def _own_catalog(project: Project, tag: str) -> tuple[str, Path]:
    try:
        tag = normalize_tag(tag)
        parse_tag(tag)
    except ValueError as exc:
        raise LeafletsError(Diagnostic("locale", 0, 0, str(exc))) from None
    chain = catalog_chain(project.locales_dir, tag)
    if tag == SOURCE_LOCALE or not chain or chain[0][0] != tag:
        has = f"; it reads {display_path(chain[0][1])}, review {chain[0][0]}" if chain and tag != SOURCE_LOCALE else ""
        raise LeafletsError(Diagnostic("locale", 0, 0, f"no catalog of its own for {tag!r}{has}"))
    return tag, chain[0][1]


def review_diff(project: Project, tag: str, topic: str | None = None) -> list[TopicDiff]:
    """For each topic (or ``topic``), the entries that differ from what the last review saw."""
    topics = load_topics(project)
    tag, _ = _own_catalog(project, tag)
    known = [t.topic.topic.id for t in topics]
    if topic is not None and topic not in known:
        raise LeafletsError(Diagnostic("topic", 0, 0, f"no topic {topic!r}; topics: {', '.join(known)}"))
    translations = load_translations(project, tag, rules_for(topics))
    record = _read_record(project, tag)
    out = []
    for loaded in topics:
        tid = loaded.topic.topic.id
        if topic is not None and tid != topic:
            continue
        ids = topic_msgids(loaded.topic)
        review = translations.review_of(tid, ids)
        if review.state == "reviewed":
            changes = []
        else:  # never reviewed (every entry is new to a reviewer), or changed since the stamp
            changes = diff(_topic_record(record, translations, tid), translations.message, ids,
                           translations.plural_header)
        out.append(TopicDiff(tid, review, changes, diff_digest(changes),
                             {c.msgid: translations.location(c.msgid) for c in changes}))
    return out


def check_reviewer(reviewer: str) -> str:
    """The reviewer's name as it will be stamped; LeafletsError unless 'Name, qualification'."""
    reviewer = " ".join((reviewer or "").split())
    if (not reviewer or "," not in reviewer or "|" in reviewer or len(reviewer) > MAX_REVIEWER
            or any(not ch.isprintable() for ch in reviewer)):
        raise LeafletsError(Diagnostic("reviewer", 0, 0, "give the reviewer as 'Name, qualification', "
                                                          f"e.g. 'Dr Ana Ruiz, dermatologist' (no '|', at most "
                                                          f"{MAX_REVIEWER} characters)"))
    return reviewer


def review(project: Project, tag: str, reviewer: str, date: dt.date, topic: str | None = None,
           today: dt.date | None = None, accept: str | None = None) -> tuple[Path, list[str]]:
    """Record that a qualified person reviewed the catalog's translation of every complete topic.

    A topic reviewed before whose translation has changed since is stamped
    only with ``accept``, the digest :func:`review_diff` prints with the
    list of changes: a reviewer cannot re-stamp what they have not seen.
    Only the header changes in the catalog (each topic's review field and
    ``PO-Revision-Date``); the entries the reviewer saw are kept in
    ``locales/reviews/<tag>.json`` so the next review can show what changed.
    Returns the catalog's path and the topics stamped.
    """
    reviewer = check_reviewer(reviewer)
    today = today or dt.date.today()
    if date > today:
        raise LeafletsError(Diagnostic("date", 0, 0, f"the review date {date.isoformat()} is in the future "
                                                      f"(today is {today.isoformat()}); record a review once it is done"))
    topics = load_topics(project)
    tag, path = _own_catalog(project, tag)
    known = [t.topic.topic.id for t in topics]
    if topic is not None and topic not in known:
        raise LeafletsError(Diagnostic("topic", 0, 0, f"no topic {topic!r}; topics: {', '.join(known)}"))
    rows = {row.locale: row for row in status(project, topics)}
    row = rows[tag]
    if row.broken:
        raise LeafletsError(list(row.problems))
    wanted = [t for t in row.topics if topic is None or t.topic == topic]
    incomplete = [t for t in wanted if not t.complete]
    if incomplete and (topic is not None or len(incomplete) == len(wanted)):
        raise LeafletsError(Diagnostic(display_path(path), 0, 0,
                                       "only a complete translation with no fuzzy or failing entries can be reviewed; "
                                       f"{', '.join(t.topic for t in incomplete)}: see `locales status --verbose`"))
    diffs = {d.topic: d for d in review_diff(project, tag, topic)}
    unseen = [t for t in wanted if t.complete and t.review.state == "changed" and diffs[t.topic].digest != accept]
    if unseen:
        names = ", ".join(f"{t.topic} ({len(diffs[t.topic].changes)} entries)" for t in unseen)
        raise LeafletsError(Diagnostic(display_path(path), 0, 0,
                                       f"the translation changed since its last review: {names}; see what changed "
                                       f"with `locales review {tag} --diff`, then stamp it with the --accept code "
                                       "that command prints"))
    translations = load_translations(project, tag, rules_for(topics))
    record = _read_record(project, tag) or ReviewRecord(tag)
    fields, stamped = {}, []
    for loaded in topics:
        tid = loaded.topic.topic.id
        if not any(t.topic == tid for t in wanted if t.complete):
            continue
        ids = topic_msgids(loaded.topic)
        stamp = Stamp(reviewer, date, fingerprint(translations.message, ids, translations.plural_header))
        fields[header_name(tid)] = format_stamp(stamp)
        record.topics[tid] = snapshot(stamp, translations.message, ids, translations.plural_header)
        stamped.append(tid)
    fields["PO-Revision-Date"] = build_date().strftime(DATE_FORMAT)
    text = path.read_text(encoding="utf-8")
    write_atomic(record_path(project, tag), record.to_bytes())
    write_if_changed(path, edit_header(text, fields).encode("utf-8"))
    return path, stamped

