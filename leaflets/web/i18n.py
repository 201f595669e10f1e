"""The web pages' own words, through the same gettext workflow as the handouts.

Interface strings are written in the templates as ``_("English text")``
(with ``{name}`` placeholders for values); :func:`extract` collects them
into ``leaflets/web/locales/web.pot``, translators translate
``leaflets/web/locales/<lang>.po`` as they translate a topic's catalog (the
same PO files, read by leaflets' own strict reader, checked by the same
placeholder checks), and :class:`UiCatalogs` picks the language of each page:
``?ui=`` if given, else the browser's ``Accept-Language``, else English.
Right-to-left languages set ``dir="rtl"`` on the page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from leaflets.errors import LeafletsError

LOCALES_DIR = Path(__file__).resolve().parent / "locales"
TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
RTL = {"ar", "fa", "he", "ur"}
MESSAGE = re.compile(r'''_\(\s*"((?:[^"\\]|\\.)*)"''')


@dataclass(frozen=True)
class UiLanguage:
    tag: str
    entries: dict

    @property
    def direction(self) -> str:
        return "rtl" if self.tag.split("-")[0] in RTL else "ltr"

    def gettext(self, msgid: str, **values) -> str:
        text = self.entries.get(msgid) or msgid
        if values:
            text = text.format(**{name: self.format(value) for name, value in values.items()})
        return text

    def format(self, value):
        """A number or a date as the page's language writes it (Babel), anything else as it is."""
        import datetime as dt

        from babel.dates import format_date
        from babel.numbers import format_decimal
        locale = self.tag.replace("-", "_")
        if isinstance(value, int) and not isinstance(value, bool):
            return format_decimal(value, locale=locale)
        if isinstance(value, dt.date):
            return format_date(value, format="medium", locale=locale)
        return value


SOURCES = Path(__file__).resolve().parent / "app.py"  # N_("...") marks the messages the app passes to pages


def template_messages(folder: Path = TEMPLATES_DIR) -> list[tuple[str, str, int]]:
    """Every ``_("...")`` string in the templates (and ``N_("...")`` in the app): (msgid, file, line)."""
    found = []
    for path in [*sorted(folder.glob("*.html")), SOURCES]:
        text = path.read_text(encoding="utf-8")
        for match in MESSAGE.finditer(text):
            msgid = match.group(1).encode().decode("unicode_escape") if "\\" in match.group(1) else match.group(1)
            found.append((msgid, path.name, text.count("\n", 0, match.start()) + 1))
    return found


def extract(folder: Path = TEMPLATES_DIR) -> bytes:
    """The template catalog ``web.pot`` for the interface strings (GNU msgcat's layout)."""
    from leaflets.i18n.po import Catalog, Message, po_bytes
    header = Message(msgid="", msgstr=("Content-Type: text/plain; charset=UTF-8\nContent-Transfer-Encoding: 8bit\n",))
    catalog = Catalog(header=header)
    seen: dict[str, Message] = {}
    for msgid, file, line in template_messages(folder):
        if msgid in seen:
            seen[msgid].references.append(_reference(file, line))
            continue
        message = Message(msgid=msgid, references=[_reference(file, line)])
        if "{" in msgid:
            message.flags.append("python-brace-format")
        seen[msgid] = message
        catalog.add(message)
    return po_bytes(catalog)


def _reference(file: str, line: int) -> str:
    return f"leaflets/web/{file}:{line}" if file.endswith(".py") else f"leaflets/web/templates/{file}:{line}"


class UiCatalogs:
    """The interface catalogs of ``folder``, read and checked once."""

    def __init__(self, folder: Path = LOCALES_DIR):
        from leaflets.i18n.catalogs import open_catalog
        from leaflets.i18n.checks import check_message
        self.languages: dict[str, UiLanguage] = {"en": UiLanguage("en", {})}
        self.problems: list[str] = []
        for path in sorted(Path(folder).glob("*.po")):
            tag = path.stem
            try:
                catalog = open_catalog(path, tag)
            except LeafletsError as exc:
                self.problems += [str(d) for d in exc.diagnostics]
                continue
            entries = {}
            for message in catalog:
                if message.fuzzy or not message.msgstr or not message.msgstr[0]:
                    continue
                problems = check_message(message.sources, message.msgstr, plural=False, nplurals=1, language=tag)
                if problems:
                    self.problems += [f"{path.name}:{message.line}: [{c}] {t}" for c, t in problems]
                    continue
                entries[message.msgid] = message.msgstr[0]
            self.languages[tag] = UiLanguage(tag, entries)

    def tags(self) -> list[str]:
        return list(self.languages)

    def names(self) -> list[tuple[str, str]]:
        """(tag, the language's name in itself) for the pages' language menu."""
        from babel import Locale
        return [(tag, Locale.parse(tag.replace("-", "_")).get_display_name() or tag) for tag in self.languages]

    def pick(self, requested: str | None, accept_language: str | None) -> UiLanguage:
        if requested in self.languages:
            return self.languages[requested]
        for part in (accept_language or "").split(","):
            tag = part.split(";")[0].strip()
            for candidate in (tag, tag.split("-")[0]):
                if candidate in self.languages:
                    return self.languages[candidate]
        return self.languages["en"]
