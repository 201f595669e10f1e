"""Read translations from gettext PO catalogs for a build.

A :class:`Translations` answers "what is the translation of this msgid?"
and nothing else.  Fuzzy entries are never used: a fuzzy entry is a
translation of an older source text, and a patient handout must not show it.
Entries that fail a check (:mod:`leaflets.i18n.checks`) are never used
either; they are findings.  The English source locale has no catalog;
:class:`SourceTranslations` returns the source text itself.

A regional catalog (``es-US.po``) is an overlay on its language's
(``es.po``): each entry it translates replaces the language's, every entry
it leaves empty falls back to it (:func:`overlay`).  Only a complete chain
builds, and a review stamp in the regional file covers what it prints: its
own entries and the ones it takes from the language's catalog.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from leaflets.errors import Diagnostic, LeafletsError, display_path
from leaflets.i18n.catalogs import line_containing, open_catalog
from leaflets.i18n.checks import Finding, check_message
from leaflets.i18n.labels import LABELS
from leaflets.i18n.plurals import check_policy, plural_forms, plural_function
from leaflets.i18n.po import Catalog, Message
from leaflets.i18n.review import Review, review_of
from leaflets.i18n.rules import NO_RULE, Rule


def topic_msgids(topic) -> frozenset[str]:
    """Every msgid a topic's handouts and decks print: its own strings and the interface labels."""
    from leaflets.content.messages import iter_texts
    return frozenset(text.msgid for text in iter_texts(topic)) | frozenset(english for english, _ in LABELS.values())


@dataclass
class Entry:
    """One usable translation: singular text, or plural forms by gettext index."""

    forms: tuple[str, ...]
    lineno: int


@dataclass
class Translations:
    """Usable translations of one catalog (or a regional chain), and what is wrong with the rest.

    Entries that fail a check are *not* in ``entries``: they are in
    ``findings``, so a build can never show them.
    """

    file: str
    entries: dict[str, Entry] = field(default_factory=dict)
    plural_index: Callable[[int], int] | None = None  # gettext plural function n -> index
    catalog: Catalog | None = None
    findings: list[Finding] = field(default_factory=list)
    fuzzy: dict[str, int] = field(default_factory=dict)  # msgid -> PO line
    untranslated: dict[str, int] = field(default_factory=dict)  # msgid -> PO line
    lines: dict[str, int] = field(default_factory=dict)  # every msgid in the catalog -> PO line
    tag: str | None = None  # the catalog's language tag
    files: dict[str, str] = field(default_factory=dict)  # msgid -> file, where not ``file`` (overlays)
    messages: Callable[[str], Message | None] | None = None  # msgid -> the entry that decides it
    plural_header: str = ""  # the Plural-Forms value the translation was written for
    layers: tuple[str, ...] = ()  # files of a regional chain, most specific first

    def review_of(self, topic_id: str, msgids) -> Review:
        """The review state of one topic's strings in this catalog ("not reviewed" without one)."""
        if self.catalog is None:
            return Review("draft", problem="no catalog")
        return review_of(self.catalog, topic_id, msgids, self.message, self.plural_header)

    def message(self, msgid: str) -> Message | None:
        """The catalog entry that decides ``msgid`` (the regional one where it has one)."""
        if self.messages is not None:
            return self.messages(msgid)
        return self.catalog.find(msgid) if self.catalog is not None else None

    def findings_for(self, msgids) -> list[Finding]:
        """The findings on entries a topic uses (another topic's problems are not its own)."""
        return [f for f in self.findings if f.msgid in msgids]

    def lookup(self, msgid: str, count: int | None = None, plural: str | None = None) -> str | None:
        """The translation of ``msgid`` (the plural form for ``count``), or None.

        ``plural`` is the English plural form; only generated catalogs need it.
        """
        entry = self.entries.get(msgid)
        if entry is None:
            return None
        if count is None or len(entry.forms) == 1:
            return entry.forms[0] or None
        index = self.plural_index(count) if self.plural_index else (0 if count == 1 else 1)
        if index >= len(entry.forms):
            return None
        return entry.forms[index] or None

    def line_of(self, msgid: str) -> int:
        """The PO line of ``msgid``'s entry (0 if the catalog has none)."""
        return self.lines.get(msgid, 0)

    def location(self, msgid: str) -> tuple[str, int]:
        """(file, line) of the entry a translator edits for ``msgid``."""
        return self.files.get(msgid, self.file), self.line_of(msgid)


class SourceTranslations(Translations):
    """The source language: every msgid translates to itself (CLDR 'one' vs 'other')."""

    def __init__(self):
        super().__init__(file="(source)")

    def lookup(self, msgid: str, count: int | None = None, plural: str | None = None) -> str:
        return msgid

    def review_of(self, topic_id: str, msgids) -> Review:
        return Review("source")


def read_catalog(path: Path, locale_tag: str, rules: dict[str, Rule] | None = None) -> Translations:
    """Parse and check ``path``; raise :class:`LeafletsError` pointing at a broken line.

    ``locale_tag`` is the catalog's language (a regional build such as
    ``es-MX`` reads ``es.po`` with tag ``es``); script-aware checks use it.
    ``rules`` are the content's (:func:`leaflets.i18n.rules.rules_for`):
    length budgets and exemptions come from there, never from the file.
    """
    name = display_path(path)
    catalog = open_catalog(path, locale_tag)
    rules = rules or {}
    plural_header = catalog.header_field("Plural-Forms") or ""
    result = Translations(file=name, catalog=catalog, tag=locale_tag, plural_header=plural_header, layers=(name,))
    if plural_header or any(m.plural for m in catalog):  # GNU needs Plural-Forms only for plural entries
        problem = check_policy(plural_header, locale_tag)
        if problem:
            raise LeafletsError(Diagnostic(name, line_containing(path, b"Plural-Forms:") or 1, 1,
                                           f"[plurals] {problem}"))
    nplurals, expr = plural_forms(locale_tag)
    result.plural_index = plural_function(expr)
    for message in catalog:
        msgid = message.msgid
        result.lines[msgid] = message.line
        if message.fuzzy:
            result.fuzzy[msgid] = message.line
            continue
        if not any(message.msgstr):
            result.untranslated[msgid] = message.line
            continue
        problems = check_message(message.sources, message.msgstr, plural=message.plural, nplurals=nplurals,
                                 rule=rules.get(msgid, NO_RULE), language=locale_tag)
        if problems:
            result.findings += [Finding(name, message.line, msgid, check, text) for check, text in problems]
            continue
        result.entries[msgid] = Entry(message.msgstr, message.line)
    return result


def overlay(regional: Translations, base: Translations) -> Translations:
    """``regional`` over ``base``: its translations win, its empty entries fall back to ``base``.

    A fuzzy or failing regional entry is reported against the regional file
    (the build uses neither it nor the base's entry unless asked to preview).
    """
    decides = set(regional.entries) | set(regional.fuzzy) | {f.msgid for f in regional.findings}
    entries = {**{m: e for m, e in base.entries.items() if m not in decides}, **regional.entries}
    lines = {**base.lines, **{m: line for m, line in regional.lines.items() if m in decides}}
    files = {m: base.file for m in base.lines if m not in decides}

    def message(msgid: str) -> Message | None:
        return regional.message(msgid) if msgid in decides else base.message(msgid)

    return Translations(
        file=regional.file, entries=entries, plural_index=regional.plural_index, catalog=regional.catalog,
        findings=regional.findings + [f for f in base.findings if f.msgid not in decides],
        fuzzy={**regional.fuzzy, **{m: line for m, line in base.fuzzy.items() if m not in decides}},
        untranslated={m: line for m, line in base.untranslated.items() if m not in decides},
        lines=lines, tag=regional.tag, files=files, messages=message,
        plural_header=regional.plural_header, layers=regional.layers + base.layers)
