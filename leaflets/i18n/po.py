"""PO files as GNU gettext reads and writes them: the model, a strict parser and msgcat's layout.

Translators' tools (Poedit, Weblate, GNU ``msgfmt``/``msgcat``/``msgmerge``,
translate-toolkit) all speak GNU's PO dialect, so every file a ``locales``
command writes must be one GNU accepts and lays out the same way, and every
part of an entry must survive a round trip: translator comments, flags the
tools do not know, previous msgids (``#|``, every line of a multi-line one),
obsolete entries (``#~``) with their own previous msgids.  Babel's reader
loses some of these (multi-line previous msgids, duplicate msgids, the last
character of an unterminated string), so this module has its own.

:func:`parse` reads a file into a :class:`Catalog` and reports every problem
GNU ``msgfmt`` would refuse, at its line and column; :func:`po_bytes`
writes a catalog in GNU ``msgcat``'s layout at 79 columns, so changing one
string changes only its own entry's lines.

>>> catalog = parse('msgid ""\\nmsgstr "Language: es\\\\n"\\n\\n#, fuzzy\\n#| msgid "Dry"\\nmsgid "Dry skin"\\nmsgstr "Seca"\\n')
>>> entry = catalog.find("Dry skin")
>>> entry.fuzzy, entry.previous.msgid, entry.msgstr, entry.line
(True, 'Dry', ('Seca',), 6)
>>> catalog.header_field("language")
'es'
>>> print(po_bytes(catalog).decode())
msgid ""
msgstr "Language: es\\n"
<BLANKLINE>
#, fuzzy
#| msgid "Dry"
msgid "Dry skin"
msgstr "Seca"
<BLANKLINE>
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field, replace

from leaflets.i18n.linebreak import break_opportunities, mandatory_breaks

PAGE_WIDTH = 79  # GNU gettext's default --width
MAX_ERRORS = 50  # a file with more problems than this gets the first ones and a count


# ------------------------------------------------------------------ model
@dataclass(frozen=True)
class Previous:
    """The source text a fuzzy translation was made for (``#|`` lines)."""

    msgid: str
    msgid_plural: str | None = None
    msgctxt: str | None = None


@dataclass
class Message:
    """One entry: the source (msgctxt, msgid, msgid_plural), its translation and everything around it.

    ``msgstr`` holds one string for a singular entry and one per plural
    form for a plural entry.  ``line`` is the line of the ``msgid`` keyword
    (0 for an entry that was not read from a file).
    """

    msgid: str
    msgstr: tuple[str, ...] = ("",)
    msgid_plural: str | None = None
    msgctxt: str | None = None
    translator_comments: list[str] = field(default_factory=list)
    extracted_comments: list[str] = field(default_factory=list)
    references: list[str] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    previous: Previous | None = None
    obsolete: bool = False
    line: int = 0

    @property
    def key(self) -> tuple[str | None, str]:
        return (self.msgctxt, self.msgid)

    @property
    def plural(self) -> bool:
        return self.msgid_plural is not None

    @property
    def fuzzy(self) -> bool:
        return "fuzzy" in self.flags

    @fuzzy.setter
    def fuzzy(self, value: bool) -> None:
        if value and "fuzzy" not in self.flags:
            self.flags = ["fuzzy", *self.flags]
        elif not value:
            self.flags = [f for f in self.flags if f != "fuzzy"]

    @property
    def translated(self) -> bool:
        """Every form has text (GNU counts an entry with an empty form as untranslated)."""
        return all(self.msgstr) and bool(self.msgstr)

    @property
    def sources(self) -> tuple[str, ...]:
        return (self.msgid, self.msgid_plural) if self.msgid_plural is not None else (self.msgid,)


@dataclass
class Catalog:
    """A PO or POT file: the header entry, live messages in file order, obsolete ones after them."""

    header: Message = field(default_factory=lambda: Message(""))
    messages: list[Message] = field(default_factory=list)
    obsolete: list[Message] = field(default_factory=list)

    def __post_init__(self):
        self._index: dict[tuple[str | None, str], Message] | None = None

    # -- messages
    def __iter__(self):
        return iter(self.messages)

    def __len__(self) -> int:
        return len(self.messages)

    def find(self, msgid: str, msgctxt: str | None = None) -> Message | None:
        """The live message with this msgid (and context), or None."""
        key = (msgctxt, msgid)
        if self._index is None:
            self._index = {m.key: m for m in self.messages}
        found = self._index.get(key)
        if found is not None and found.key == key:
            return found
        # not indexed, or a message was added or edited in place since: look, and index again if found
        found = next((m for m in self.messages if m.key == key), None)
        if found is not None:
            self._index = {m.key: m for m in self.messages}
        return found

    def add(self, message: Message) -> None:
        self.messages.append(message)
        self._index = None

    # -- header fields ("Name: value" lines of the header's msgstr)
    @property
    def header_fields(self) -> list[tuple[str, str]]:
        return parse_header(self.header.msgstr[0])

    @header_fields.setter
    def header_fields(self, fields: list[tuple[str, str]]) -> None:
        self.header = replace(self.header, msgstr=(format_header(fields),))

    def header_field(self, name: str) -> str | None:
        """A header field's value (case-insensitive name), or None."""
        for key, value in self.header_fields:
            if key.lower() == name.lower():
                return value
        return None

    def set_header_field(self, name: str, value: str | None) -> None:
        """Replace a field in place, append it if new, remove it if ``value`` is None."""
        fields, done = [], False
        for key, old in self.header_fields:
            if key.lower() == name.lower():
                if value is not None and not done:
                    fields.append((key, value))
                done = True
            else:
                fields.append((key, old))
        if not done and value is not None:
            fields.append((name, value))
        self.header_fields = fields


def parse_header(text: str) -> list[tuple[str, str]]:
    r"""The ``Name: value`` fields of a header msgstr, in order.

    >>> parse_header("Language: es\nPlural-Forms: nplurals=2; plural=n != 1;\n")
    [('Language', 'es'), ('Plural-Forms', 'nplurals=2; plural=n != 1;')]
    """
    fields = []
    for line in text.split("\n"):
        if line.strip():
            name, _, value = line.partition(":")
            fields.append((name.strip(), value.strip()))
    return fields


def format_header(fields: list[tuple[str, str]]) -> str:
    return "".join(f"{name}: {value}\n" for name, value in fields)


# ------------------------------------------------------------------ parsing
@dataclass(frozen=True)
class PoProblem:
    """One thing GNU gettext would refuse, at a 1-based line and column."""

    line: int
    column: int
    message: str


class PoSyntaxError(ValueError):
    def __init__(self, problems: list[PoProblem]):
        self.problems = problems
        super().__init__("; ".join(f"{p.line}:{p.column}: {p.message}" for p in problems))


KEYWORD = re.compile(r"(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)(?=[\s\"]|$)")
ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "a": "\a", "b": "\b", "f": "\f", "v": "\v",
           "\\": "\\", '"': '"'}


def unquote(token: str, line: int = 0, column: int = 1) -> str:
    r"""The text of one quoted PO string (``"..."``), escapes resolved as GNU does.

    >>> unquote(r'"a\"b\\c\n\101"')
    'a"b\\c\nA'
    >>> unquote('"open')
    Traceback (most recent call last):
    ...
    leaflets.i18n.po.PoSyntaxError: 0:1: unterminated string: a string must end with a double quote (")
    """
    if len(token) < 2 or not token.startswith('"') or not token.endswith('"') or _escaped_end(token):
        raise PoSyntaxError([PoProblem(line, column, 'unterminated string: a string must end with a double quote (")')])
    body, out, i = token[1:-1], [], 0
    if "\\" not in body and '"' not in body:  # nothing to resolve or refuse (most strings): the text itself
        return body
    while i < len(body):
        ch = body[i]
        if ch == '"':
            raise PoSyntaxError([PoProblem(line, column + i + 1, 'a double quote inside a string must be written \\"')])
        if ch != "\\":
            out.append(ch)
            i += 1
            continue
        nxt = body[i + 1] if i + 1 < len(body) else ""
        if nxt in ESCAPES:
            out.append(ESCAPES[nxt])
            i += 2
        elif nxt in "01234567" and nxt:
            digits = re.match(r"[0-7]{1,3}", body[i + 1:]).group()
            out.append(chr(int(digits, 8)))
            i += 1 + len(digits)
        elif nxt == "x" and re.match(r"[0-9A-Fa-f]", body[i + 2:i + 3]):
            digits = re.match(r"[0-9A-Fa-f]+", body[i + 2:]).group()
            out.append(chr(int(digits, 16) % 256))
            i += 2 + len(digits)
        else:
            raise PoSyntaxError([PoProblem(line, column + i + 2, f"invalid escape sequence \\{nxt}; "
                                                             "write a backslash as \\\\")])
    return "".join(out)


def _escaped_end(token: str) -> bool:
    """True if the closing quote is itself escaped (an odd run of backslashes before it)."""
    run = len(token) - 1 - len(token[:-1].rstrip("\\"))
    return run % 2 == 1


def parse(text: str) -> Catalog:
    """Read PO text; raise :class:`PoSyntaxError` listing every problem (line and column).

    Refused, as GNU ``msgfmt`` refuses them: unterminated strings and bad
    escapes, a keyword out of place, an entry without ``msgstr``, plural
    forms that are not numbered 0, 1, 2..., and a msgid defined twice (two
    live entries, or a live entry and an obsolete one: ``msgfmt``,
    ``msgcat`` and ``msgmerge`` reject both).
    """
    return _Parser(text).run()


@dataclass
class _Pending:
    """The entry being read."""

    translator: list[str] = field(default_factory=list)
    extracted: list[str] = field(default_factory=list)
    references: list[str] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    previous: dict[str, list[str]] = field(default_factory=dict)
    strings: dict[str, list[str]] = field(default_factory=dict)  # keyword -> pieces
    order: list[str] = field(default_factory=list)
    obsolete: bool | None = None
    msgid_line: int = 0
    start: int = 0

    def has_keywords(self) -> bool:
        return bool(self.order)

    def has_anything(self) -> bool:
        return bool(self.order or self.translator or self.extracted or self.references or self.flags or self.previous)


class _Parser:
    def __init__(self, text: str):
        self.lines = text.split("\n")
        if self.lines and self.lines[-1] == "":
            self.lines.pop()
        self.problems: list[PoProblem] = []
        self.catalog = Catalog()
        self.seen: dict[tuple[str | None, str], int] = {}
        self.header_seen = False

    def problem(self, line: int, column: int, message: str) -> None:
        self.problems.append(PoProblem(line, column, message))

    def run(self) -> Catalog:
        entry = _Pending()
        keyword: str | None = None  # the keyword the next continuation string belongs to
        previous_keyword: str | None = None
        for number, raw in enumerate(self.lines, start=1):
            line = raw.rstrip("\r")
            stripped = line.strip()
            if not stripped:
                keyword = previous_keyword = None
                continue
            obsolete = stripped.startswith("#~")
            if obsolete:
                body = stripped[2:]
                if body.startswith("|"):
                    if entry.has_keywords():  # the previous source of the next obsolete entry
                        self._finish(entry)
                        entry, keyword = _Pending(), None
                    previous_keyword = self._previous_line(entry, body[1:].strip(), number, previous_keyword)
                    continue
                stripped = body.strip()
                if not stripped:
                    continue
            elif stripped.startswith("#"):
                if entry.has_keywords():  # a comment starts the next entry
                    self._finish(entry)
                    entry, keyword = _Pending(), None
                previous_keyword = self._comment(entry, stripped, number, previous_keyword)
                continue
            # a keyword line or a continuation string
            column = len(line) - len(line.lstrip()) + 1
            match = KEYWORD.match(stripped)
            if match:
                name = match.group(1)
                rest = stripped[match.end():].strip()
                if name in ("msgctxt", "msgid") and entry.has_keywords() and (
                        name == "msgctxt" or "msgid" in entry.strings or "msgctxt" not in entry.strings):
                    self._finish(entry)
                    entry = _Pending()
                if entry.obsolete is None:
                    entry.obsolete = obsolete
                    entry.start = number
                elif entry.obsolete != obsolete:
                    self.problem(number, 1, "an entry mixes obsolete (#~) and live lines")
                if name in entry.strings:
                    self.problem(number, column, f"{name} appears twice in one entry")
                    keyword = None
                    continue
                if name == "msgid":
                    entry.msgid_line = number
                entry.strings[name] = []
                entry.order.append(name)
                keyword = name
                if not rest:
                    self.problem(number, column + len(name), f"{name} needs a quoted string")
                    continue
                self._string(entry, keyword, rest, number, len(line.rstrip()) - len(rest) + 1)
                continue
            if stripped.startswith('"'):
                if keyword is None:
                    self.problem(number, column, "a string outside an entry (it must follow msgid, msgstr...)")
                    continue
                self._string(entry, keyword, stripped, number, column)
                continue
            self.problem(number, column, f"expected a keyword (msgid, msgstr...), a comment or a quoted string, "
                                         f"found {stripped[:40]!r}")
            keyword = None
        if entry.has_anything():
            self._finish(entry)
        if self.problems:
            problems = sorted(set(self.problems), key=lambda p: (p.line, p.column))
            if len(problems) > MAX_ERRORS:
                problems = problems[:MAX_ERRORS] + [PoProblem(problems[MAX_ERRORS].line, 1,
                                                              f"... and {len(problems) - MAX_ERRORS} more problems")]
            raise PoSyntaxError(problems)
        return self.catalog

    # -- pieces
    def _string(self, entry: _Pending, keyword: str, token: str, number: int, column: int) -> None:
        try:
            entry.strings[keyword].append(unquote(token.strip(), number, column))
        except PoSyntaxError as exc:
            self.problems += exc.problems

    def _comment(self, entry: _Pending, stripped: str, number: int, previous_keyword: str | None) -> str | None:
        kind = stripped[1:2]
        body = stripped[2:]
        if kind == ".":
            entry.extracted.append(body[1:] if body.startswith(" ") else body)
        elif kind == ":":
            entry.references += body.split()
        elif kind == ",":
            entry.flags += [f.strip() for f in body.split(",") if f.strip()]
        elif kind == "|":
            return self._previous_line(entry, body.strip(), number, previous_keyword)
        else:
            body = stripped[1:]
            entry.translator.append(body[1:] if body.startswith(" ") else body)
        return None

    def _previous_line(self, entry: _Pending, body: str, number: int, previous_keyword: str | None) -> str | None:
        match = KEYWORD.match(body)
        if match and match.group(1) in ("msgctxt", "msgid", "msgid_plural"):
            name, rest = match.group(1), body[match.end():].strip()
            entry.previous[name] = []
            if rest:
                self._previous_string(entry, name, rest, number)
            return name
        if body.startswith('"') and previous_keyword:
            self._previous_string(entry, previous_keyword, body, number)
            return previous_keyword
        self.problem(number, 1, f"cannot read this previous-source line (#|): {body[:40]!r}")
        return None

    def _previous_string(self, entry: _Pending, name: str, token: str, number: int) -> None:
        try:
            entry.previous[name].append(unquote(token, number, 1))
        except PoSyntaxError as exc:
            self.problems += exc.problems

    def _finish(self, entry: _Pending) -> None:
        if not entry.has_keywords():
            if entry.has_anything():
                self.problem(entry.start or len(self.lines), 1, "comments without an entry after them")
            return
        line = entry.msgid_line or entry.start
        if "msgid" not in entry.strings:
            self.problem(entry.start, 1, "an entry without msgid")
            return
        msgid = "".join(entry.strings["msgid"])
        msgctxt = "".join(entry.strings["msgctxt"]) if "msgctxt" in entry.strings else None
        plural = "".join(entry.strings["msgid_plural"]) if "msgid_plural" in entry.strings else None
        forms = sorted((int(k[7:-1]), k) for k in entry.strings if k.startswith("msgstr["))
        if plural is None:
            if forms:
                self.problem(line, 1, "msgstr[N] in an entry without msgid_plural; write msgstr")
                return
            if "msgstr" not in entry.strings:
                self.problem(line, 1, "an entry without msgstr")
                return
            msgstr = ("".join(entry.strings["msgstr"]),)
        else:
            if "msgstr" in entry.strings:
                self.problem(line, 1, "a plural entry (msgid_plural) needs msgstr[0], msgstr[1]..., not msgstr")
                return
            if [n for n, _ in forms] != list(range(len(forms))) or not forms:
                self.problem(line, 1, "plural forms must be numbered msgstr[0], msgstr[1]... without gaps")
                return
            msgstr = tuple("".join(entry.strings[k]) for _, k in forms)
        previous = None
        if "msgid" in entry.previous:
            previous = Previous("".join(entry.previous["msgid"]),
                                "".join(entry.previous["msgid_plural"]) if "msgid_plural" in entry.previous else None,
                                "".join(entry.previous["msgctxt"]) if "msgctxt" in entry.previous else None)
        message = Message(msgid, msgstr, plural, msgctxt, entry.translator, entry.extracted, entry.references,
                          list(dict.fromkeys(entry.flags)), previous, bool(entry.obsolete), line)
        if msgid == "" and msgctxt is None and not entry.obsolete:
            if self.header_seen:
                self.problem(line, 1, "a second header entry (msgid \"\")")
            self.header_seen = True
            self.catalog.header = message
            return
        key = (msgctxt, msgid)
        if key in self.seen:
            shown = msgid if len(msgid) <= 60 else msgid[:57] + "..."
            self.problem(line, 1, f'duplicate msgid "{shown}"; first defined at line {self.seen[key]}'
                         + (" (an obsolete #~ entry: delete one of them)" if entry.obsolete else ""))
            return
        self.seen[key] = line
        (self.catalog.obsolete if entry.obsolete else self.catalog.messages).append(message)


# ------------------------------------------------------------------ writing
def escape(text: str) -> str:
    """C-style escapes as GNU writes them."""
    return (text.replace("\\", "\\\\").replace('"', '\\"').replace("\a", "\\a").replace("\b", "\\b")
            .replace("\f", "\\f").replace("\t", "\\t").replace("\r", "\\r").replace("\v", "\\v")
            .replace("\n", "\\n"))


def _width(text: str) -> int:
    """Display columns, as GNU counts them: combining marks and Hangul medial and final jamo
    take none, wide characters two."""
    if text.isascii():  # no mark, format character or wide character among them: one column each
        return len(text)
    return sum(0 if unicodedata.category(ch) in ("Mn", "Me", "Cf") or "\u1160" <= ch <= "\u11ff"
               else 2 if _wide(ch) else 1 for ch in text)


def _pieces(escaped: str) -> list[str]:
    """Split escaped text into unbreakable pieces at the line-break opportunities GNU finds
    (UAX #14, :mod:`leaflets.i18n.linebreak`); a line always ends after an escaped newline."""
    cuts = [0, *break_opportunities(escaped), len(escaped)]
    return [escaped[a:b] for a, b in zip(cuts, cuts[1:]) if b > a]


def _wide(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in "WF"


def wrap(keyword: str, text: str, prefix: str = "", width: int = PAGE_WIDTH) -> list[str]:
    """The lines of ``keyword "text"`` as GNU writes them.

    >>> print("\\n".join(wrap('msgid', 'Dry skin')))
    msgid "Dry skin"
    >>> long = "Treatment aims to calm the skin and prevent flares. Your care team may suggest these:"
    >>> print("\\n".join(wrap('msgid', long, '#| ')))
    #| msgid ""
    #| "Treatment aims to calm the skin and prevent flares. Your care team may "
    #| "suggest these:"
    """
    escaped = escape(text)
    inner_newline = "\n" in text.rstrip("\n") if text.endswith("\n") else "\n" in text
    start = _width(f'{prefix}{keyword} "')
    if not inner_newline and start + _width(escaped) <= width - 1:
        return [f'{prefix}{keyword} "{escaped}"']  # fits: no break is needed, so none is looked for
    pieces = _pieces(escaped)  # the break opportunities, found once for both layouts below
    if not inner_newline and len(_lines(escaped, start, width - 1, pieces)) == 1:
        return [f'{prefix}{keyword} "{escaped}"']  # cannot be broken anywhere (GNU keeps it whole)
    return [f'{prefix}{keyword} ""'] + _continuation(escaped, prefix, width, pieces)


def _continuation(escaped: str, prefix: str, width: int, pieces: list[str] | None = None) -> list[str]:
    """The quoted continuation lines of a string written after ``keyword ""``."""
    return [f'{prefix}"{line}"' for line in _lines(escaped, _width(prefix) + 1, width - 1, pieces)]


def _lines(escaped: str, start_column: int, width: int, pieces: list[str] | None = None) -> list[str]:
    """The lines GNU cuts ``escaped`` into: libunistring's greedy fill of unbreakable pieces
    (``pieces``, when the caller has them: :func:`_pieces` of ``escaped``) from ``start_column``
    up to ``width`` columns, a line ending after each escaped newline."""
    lines: list[str] = []
    hard = mandatory_breaks(escaped)
    current, column, position = "", start_column, 0
    for piece in (_pieces(escaped) if pieces is None else pieces):
        columns = _width(piece)
        if current and column + columns > width:
            lines.append(current)
            current, column = "", start_column
        current += piece
        column += columns
        position += len(piece)
        if position in hard:
            lines.append(current)
            current, column = "", start_column
    if current or not lines:
        lines.append(current)
    return lines


def _references(refs: list[str], width: int) -> list[str]:
    lines, current = [], ""
    for ref in dict.fromkeys(refs):
        if current and _width(f"#: {current} {ref}") > width:
            lines.append(f"#: {current}")
            current = ""
        current = f"{current} {ref}" if current else ref
    if current:
        lines.append(f"#: {current}")
    return lines


def _comment(prefix: str, text: str) -> str:
    return f"{prefix} {text}".rstrip() if text else prefix


def flag_line(flags: list[str]) -> str:
    """``#, fuzzy, ...``: fuzzy first (as GNU writes it), the rest in a stable order."""
    rest = sorted(f for f in flags if f != "fuzzy")
    return "#, " + ", ".join((["fuzzy"] if "fuzzy" in flags else []) + rest)


def message_lines(message: Message, width: int = PAGE_WIDTH) -> list[str]:
    """The lines of one entry, as GNU msgcat writes it."""
    p = "#~ " if message.obsolete else ""
    out = [_comment("#", c) for c in message.translator_comments]
    out += [_comment("#.", c) for c in message.extracted_comments]
    if not message.obsolete:
        out += _references(message.references, width)
    if message.flags:
        out.append(flag_line(message.flags))
    if message.previous is not None:
        pp = "#~| " if message.obsolete else "#| "
        if message.previous.msgctxt is not None:
            out += wrap("msgctxt", message.previous.msgctxt, pp, width)
        out += wrap("msgid", message.previous.msgid, pp, width)
        if message.previous.msgid_plural is not None:
            out += wrap("msgid_plural", message.previous.msgid_plural, pp, width)
    if message.msgctxt is not None:
        out += wrap("msgctxt", message.msgctxt, p, width)
    out += wrap("msgid", message.msgid, p, width)
    if message.msgid_plural is not None:
        out += wrap("msgid_plural", message.msgid_plural, p, width)
        for index, form in enumerate(message.msgstr):
            out += wrap(f"msgstr[{index}]", form, p, width)
    else:
        out += wrap("msgstr", message.msgstr[0] if message.msgstr else "", p, width)
    return out


def header_lines(header: Message, width: int = PAGE_WIDTH) -> list[str]:
    out = [_comment("#", c) for c in header.translator_comments]
    out += [_comment("#.", c) for c in header.extracted_comments]
    if header.flags:
        out.append(flag_line(header.flags))
    out.append('msgid ""')
    out += wrap("msgstr", header.msgstr[0], "", width)
    return out


def po_bytes(catalog: Catalog, width: int = PAGE_WIDTH) -> bytes:
    """The PO (or POT) text of ``catalog`` in GNU msgcat's layout, UTF-8."""
    out = header_lines(catalog.header, width)
    for message in [*catalog.messages, *catalog.obsolete]:
        out.append("")
        out += message_lines(message, width)
    return ("\n".join(out) + "\n").encode("utf-8")


def edit_header(text: str, fields: dict[str, str]) -> str:
    r"""Set header ``fields`` in the PO ``text``, leaving every other line as it is.

    Existing fields keep their place; new ones go at the end.  Only the
    header entry's lines are rewritten (wrapped as GNU does), so a review
    stamp never reformats a translator's file.

    >>> po = 'msgid ""\nmsgstr ""\n"Language: es\\n"\n"PO-Revision-Date: 2026-01-01 10:00+0000\\n"\n\nmsgid "a"\nmsgstr "b"\n'
    >>> print(edit_header(po, {"PO-Revision-Date": "2026-12-01 09:00+0000", "X-Reviewed-t": "Dr A, MD"}))
    msgid ""
    msgstr ""
    "Language: es\n"
    "PO-Revision-Date: 2026-12-01 09:00+0000\n"
    "X-Reviewed-t: Dr A, MD\n"
    <BLANKLINE>
    msgid "a"
    msgstr "b"
    <BLANKLINE>
    """
    lines = text.split("\n")
    start = next((i for i, line in enumerate(lines) if line.startswith('msgid ""')), None)
    if start is None or start + 1 >= len(lines) or not lines[start + 1].startswith("msgstr"):
        raise ValueError("the catalog has no header entry")
    end = start + 2
    value = unquote(lines[start + 1][len("msgstr"):].strip())
    while end < len(lines) and lines[end].startswith('"'):
        value += unquote(lines[end])
        end += 1
    headers = [list(pair) for pair in parse_header(value)]
    remaining = dict(fields)
    for header in headers:
        for name in list(remaining):
            if header[0].lower() == name.lower():
                header[1] = remaining.pop(name)
    headers += [[name, value] for name, value in remaining.items()]
    body = _continuation(escape(format_header([tuple(h) for h in headers])), "", PAGE_WIDTH)
    return "\n".join(lines[:start] + ['msgid ""', 'msgstr ""'] + body + lines[end:])
