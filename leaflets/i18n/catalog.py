"""Read translations from a gettext PO catalog (via ``babel.messages``).

A :class:`Translations` answers "what is the translation of this msgid?"
and nothing else.  Fuzzy entries are never used: a fuzzy entry is a
translation of an older source text, and a patient handout must not show it.
The English source locale has no catalog; :class:`SourceTranslations`
returns the source text itself.
"""

from __future__ import annotations

import gettext
from dataclasses import dataclass, field
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import PoFileError, read_po

from leaflets.errors import Diagnostic, LeafletsError, display_path


@dataclass
class Entry:
    """One usable translation: singular text, or plural forms by gettext index."""

    forms: tuple[str, ...]
    lineno: int


@dataclass
class Translations:
    file: str
    entries: dict[str, Entry] = field(default_factory=dict)
    plural_index: object = None  # gettext plural function n -> index
    catalog: Catalog | None = None

    def lookup(self, msgid: str, count: int | None = None) -> str | None:
        """The translation of ``msgid`` (the plural form for ``count``), or None."""
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
        entry = self.entries.get(msgid)
        return entry.lineno if entry else 0


class SourceTranslations(Translations):
    """The source language: every msgid translates to itself (CLDR 'one' vs 'other')."""

    def __init__(self):
        super().__init__(file="(source)")

    def lookup(self, msgid: str, count: int | None = None, plural: str | None = None) -> str:
        return msgid


def read_catalog(path: Path, locale_tag: str) -> Translations:
    """Parse ``path``; raise :class:`LeafletsError` pointing at the broken line."""
    name = display_path(path)
    try:
        with open(path, "rb") as handle:
            catalog = read_po(handle, locale=locale_tag.replace("-", "_"), abort_invalid=True)
    except FileNotFoundError:
        raise LeafletsError(Diagnostic(name, 0, 0, "catalog not found")) from None
    except PoFileError as exc:
        line = getattr(exc, "lineno", 0) or 0
        raise LeafletsError(Diagnostic(name, line, 1, f"PO syntax error: {exc}")) from None
    except (UnicodeDecodeError, ValueError) as exc:
        raise LeafletsError(Diagnostic(name, 0, 0, f"cannot read catalog: {exc}")) from None
    result = Translations(file=name, catalog=catalog)
    result.plural_index = gettext.c2py(catalog.plural_expr) if catalog.plural_expr else None
    for message in catalog:
        if not message.id or message.fuzzy:
            continue
        msgid = message.id[0] if isinstance(message.id, (tuple, list)) else message.id
        forms = tuple(message.string) if isinstance(message.string, (tuple, list)) else (message.string,)
        if any(forms):
            result.entries[msgid] = Entry(forms, message.lineno or 0)
    return result
