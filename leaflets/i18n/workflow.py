"""The translator's commands: extract, init, update, status, review.

Each function works on a :class:`~leaflets.build.Project` and returns what
it did; the CLI only prints.  Catalogs are written atomically.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Catalog

from leaflets.build import Project, load_topics
from leaflets.errors import Diagnostic, LeafletsError, display_path
from leaflets.i18n.catalog import Translations, read_catalog
from leaflets.i18n.catalogs import (
    catalog_bytes, init_catalog, open_catalog, update_catalog, write_atomic,
)
from leaflets.i18n.extract import template_catalog
from leaflets.i18n.locales import SOURCE_LOCALE, catalog_path, parse_tag, tag_of
from leaflets.i18n.review import record_review, source_fingerprint

TEMPLATE_NAME = "leaflets.pot"


def template_path(project: Project) -> Path:
    return project.locales_dir / TEMPLATE_NAME


def build_template(project: Project) -> Catalog:
    return template_catalog(load_topics(project))


def extract(project: Project) -> Path:
    """Write ``locales/leaflets.pot`` from the content model and labels."""
    path = template_path(project)
    write_atomic(path, catalog_bytes(build_template(project)))
    return path


def init(project: Project, tag: str, *, force: bool = False) -> Path:
    """Create ``locales/<tag>.po`` for a new language from the current source."""
    try:
        locale = parse_tag(tag)
    except ValueError as exc:
        raise LeafletsError(Diagnostic("locale", 0, 0, str(exc))) from None
    if tag_of(locale) != tag:
        raise LeafletsError(Diagnostic("locale", 0, 0, f"write the tag as {tag_of(locale)!r} (BCP 47 form)"))
    if tag == SOURCE_LOCALE:
        raise LeafletsError(Diagnostic("locale", 0, 0, f"{tag!r} is the source language; it needs no catalog"))
    path = catalog_path(project.locales_dir, tag)
    if path.exists() and not force:
        raise LeafletsError(Diagnostic(display_path(path), 0, 0,
                                       "catalog exists already; use `locales update` to refresh it (or --force)"))
    write_atomic(path, catalog_bytes(init_catalog(build_template(project), tag)))
    return path


def update(project: Project) -> list[tuple[Path, str]]:
    """Write the template, then merge it into every catalog; returns (path, summary)."""
    template = build_template(project)
    write_atomic(template_path(project), catalog_bytes(template))
    done = []
    for tag in project.locales():
        if tag == SOURCE_LOCALE:
            continue
        path = catalog_path(project.locales_dir, tag)
        catalog = open_catalog(path, tag)
        before = {m.id for m in catalog if m.id}
        update_catalog(catalog, template)
        write_atomic(path, catalog_bytes(catalog))
        fuzzy = sum(1 for m in catalog if m.id and m.fuzzy)
        new = sum(1 for m in catalog if m.id and m.id not in before and not m.fuzzy)
        done.append((path, f"{fuzzy} fuzzy, {new} new, {len(catalog.obsolete)} obsolete"))
    return done


@dataclass(frozen=True)
class CatalogStatus:
    locale: str
    total: int
    translated: int
    fuzzy: int
    untranslated: int
    errors: int
    review: str
    is_draft: bool
    findings: tuple = ()
    missing: tuple[str, ...] = ()

    @property
    def complete(self) -> bool:
        return self.translated == self.total and not self.fuzzy and not self.errors


def status(project: Project, template: Catalog | None = None) -> list[CatalogStatus]:
    """One row per shipped locale (the source language first)."""
    template = template or build_template(project)
    fingerprint = source_fingerprint(template)
    source_ids = [m.id[0] if isinstance(m.id, (tuple, list)) else m.id for m in template if m.id]
    rows = [CatalogStatus(SOURCE_LOCALE, len(source_ids), len(source_ids), 0, 0, 0, "source language", False)]
    for tag in project.locales():
        if tag == SOURCE_LOCALE:
            continue
        translations: Translations = read_catalog(catalog_path(project.locales_dir, tag), tag, fingerprint)
        failing = {f.msgid for f in translations.findings}
        missing = tuple(m for m in source_ids if m not in translations.entries
                        and m not in translations.fuzzy and m not in failing)
        fuzzy = sum(1 for m in source_ids if m in translations.fuzzy)
        translated = sum(1 for m in source_ids if m in translations.entries)
        rows.append(CatalogStatus(
            tag, len(source_ids), translated, fuzzy, len(missing), len(failing & set(source_ids)),
            translations.review.describe(), translations.review.is_draft, tuple(translations.findings), missing))
    return rows


def review(project: Project, tag: str, reviewer: str, date: dt.date) -> Path:
    """Record that a qualified person reviewed the catalog against today's source."""
    if not reviewer.strip() or "," not in reviewer:
        raise LeafletsError(Diagnostic("reviewer", 0, 0, "give the reviewer as 'Name, qualification', "
                                                          "e.g. 'Dr Ana Ruiz, dermatologist'"))
    template = build_template(project)
    rows = {row.locale: row for row in status(project, template)}
    if tag not in rows or tag == SOURCE_LOCALE:
        raise LeafletsError(Diagnostic("locale", 0, 0, f"no catalog for {tag!r}"))
    if not rows[tag].complete:
        raise LeafletsError(Diagnostic(display_path(catalog_path(project.locales_dir, tag)), 0, 0,
                                       "only a complete catalog with no fuzzy or failing entries can be reviewed; "
                                       "see `locales status`"))
    path = catalog_path(project.locales_dir, tag)
    catalog = open_catalog(path, tag)
    record_review(catalog, reviewer.strip(), date, source_fingerprint(template))
    write_atomic(path, catalog_bytes(catalog))
    return path
