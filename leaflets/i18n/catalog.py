"""Read translations from a gettext PO catalog (via ``babel.messages``).

A :class:`Translations` answers "what is the translation of this msgid?"
and nothing else.  Fuzzy entries are never used: a fuzzy entry is a
translation of an older source text, and a patient handout must not show it.
The English source locale has no catalog; :class:`SourceTranslations`
returns the source text itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from babel.messages.catalog import Catalog

from leaflets.errors import Diagnostic, LeafletsError, display_path
from leaflets.i18n.catalogs import line_containing, open_catalog
from leaflets.i18n.checks import Finding, check_message
from leaflets.i18n.labels import LABELS
from leaflets.i18n.plurals import plural_function
from leaflets.i18n.review import SOURCE_REVIEW, Review, review_of


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
    """Usable translations of one catalog, and what is wrong with the rest.

    Entries that fail a check (:mod:`leaflets.i18n.checks`) are *not* in
    ``entries``: they are in ``findings``, so a build can never show them.
    """

    file: str
    entries: dict[str, Entry] = field(default_factory=dict)
    plural_index: object = None  # gettext plural function n -> index
    catalog: Catalog | None = None
    findings: list[Finding] = field(default_factory=list)
    fuzzy: dict[str, int] = field(default_factory=dict)  # msgid -> PO line
    untranslated: dict[str, int] = field(default_factory=dict)  # msgid -> PO line
    lines: dict[str, int] = field(default_factory=dict)  # every msgid in the catalog -> PO line

    def review_of(self, topic_id: str, msgids) -> Review:
        """The review state of one topic's strings in this catalog."""
        if self.catalog is None:
            return SOURCE_REVIEW
        return review_of(self.catalog, topic_id, msgids)

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


class SourceTranslations(Translations):
    """The source language: every msgid translates to itself (CLDR 'one' vs 'other')."""

    def __init__(self):
        super().__init__(file="(source)")

    def lookup(self, msgid: str, count: int | None = None, plural: str | None = None) -> str:
        return msgid


def read_catalog(path: Path, locale_tag: str) -> Translations:
    """Parse and check ``path``; raise :class:`LeafletsError` pointing at a broken line.

    ``locale_tag`` is the catalog's language (a regional build such as
    ``es-US`` reads ``es.po`` with tag ``es``); script-aware checks use it.
    """
    name = display_path(path)
    catalog = open_catalog(path, locale_tag)
    result = Translations(file=name, catalog=catalog)
    try:
        result.plural_index = plural_function(catalog.plural_expr) if catalog.plural_expr else None
    except ValueError:
        raise LeafletsError(Diagnostic(name, line_containing(path, b"Plural-Forms:"), 1,
                                       f"invalid Plural-Forms expression {catalog.plural_expr[:80]!r}")) from None
    for message in catalog:
        if not message.id:
            continue
        plural = isinstance(message.id, (tuple, list))
        msgid = message.id[0] if plural else message.id
        result.lines[msgid] = message.lineno or 0
        sources = tuple(message.id) if plural else (message.id,)
        forms = tuple(message.string) if isinstance(message.string, (tuple, list)) else (message.string,)
        if message.fuzzy:
            result.fuzzy[msgid] = message.lineno or 0
            continue
        if not any(forms):
            result.untranslated[msgid] = message.lineno or 0
            continue
        problems = check_message(sources, forms, plural=plural, nplurals=catalog.num_plurals,
                                 flags=frozenset(message.flags), language=locale_tag)
        if problems:
            result.findings += [Finding(name, message.lineno or 0, msgid, check, text) for check, text in problems]
            continue
        result.entries[msgid] = Entry(forms, message.lineno or 0)
    return result

