"""Write and pre-check PO files the way GNU gettext does.

Babel writes previous msgids of multi-line strings (``#| msgid``) with bare
continuation lines, which GNU ``msgfmt``, ``msgmerge``, polib and
translate-toolkit all reject, and it wraps at its own width.  This module
serializes a Babel catalog in GNU ``msgcat``'s layout instead:

- strings wrap at GNU's page width (79 columns, prefix and quotes included),
  breaking after spaces and between East Asian wide characters, and always
  after an escaped newline, so editing one string changes only its own lines;
- every line of a previous msgid carries ``#| `` and every line of an
  obsolete entry ``#~ `` (``#~| `` for its previous msgid);
- comments are written as they are, references wrapped like GNU's.

:func:`scan` checks the raw text before Babel parses it, because Babel
quietly keeps the first of two identical msgids and drops the last
character of an unterminated string.

>>> print("\\n".join(wrap('msgid', 'Dry skin')))
msgid "Dry skin"
>>> long = "Treatment aims to calm the skin and prevent flares. Your care team may suggest these:"
>>> print("\\n".join(wrap('msgid', long, '#| ')))
#| msgid ""
#| "Treatment aims to calm the skin and prevent flares. Your care team may "
#| "suggest these:"
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from babel.messages.catalog import Catalog, Message

PAGE_WIDTH = 79  # GNU gettext's default --width


def escape(text: str) -> str:
    """C-style escapes as in PO files."""
    return (text.replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t")
            .replace("\r", "\\r").replace("\n", "\\n"))


def _width(text: str) -> int:
    """Display columns, as GNU counts them: combining marks take none, wide characters two."""
    return sum(0 if unicodedata.category(ch) in ("Mn", "Me", "Cf") else 2 if _wide(ch) else 1 for ch in text)


def _pieces(escaped: str) -> list[str]:
    """Split escaped text into unbreakable pieces; a break is allowed between pieces.

    Breaks: after a run of spaces, after an escaped newline (forced, see
    :func:`wrap`), and on either side of a wide character unless the next one
    is punctuation that must not start a line.
    """
    pieces: list[str] = []
    current = ""
    i = 0
    while i < len(escaped):
        ch = escaped[i]
        if ch == "\\" and i + 1 < len(escaped):
            current += escaped[i:i + 2]
            i += 2
            if current.endswith("\\n"):
                pieces.append(current)
                current = ""
            continue
        nxt = escaped[i + 1] if i + 1 < len(escaped) else ""
        current += ch
        i += 1
        prev = current[-2] if len(current) > 1 else ""
        if ch == " " and nxt != " ":
            pieces.append(current)
            current = ""
        elif nxt.isalpha() and (ch == "/" or (ch in "-." and _letter(prev))):  # "parent-|reported", as GNU
            pieces.append(current)
            current = ""
        elif nxt and (_wide(ch) or _wide(nxt)) and nxt != " " and not _no_start(nxt) and not _no_end(ch) \
                and ch not in QUOTES and nxt not in QUOTES:
            pieces.append(current)
            current = ""
    if current:
        pieces.append(current)
    return pieces


QUOTES = "\"'“”‘’«»‹›"  # UAX #14 class QU: no break on either side


def _letter(ch: str) -> bool:
    """A letter, digit or combining mark (Devanagari vowel signs count)."""
    return bool(ch) and unicodedata.category(ch)[0] in "LMN"


def _wide(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in "WF"


def _no_start(ch: str) -> bool:
    return ch in "、。，．・：；？！）〕］｝〉》」』】’”%％" or unicodedata.category(ch) in ("Pe", "Pf", "Po")


def _no_end(ch: str) -> bool:
    return unicodedata.category(ch) in ("Ps", "Pi")


def wrap(keyword: str, text: str, prefix: str = "", width: int = PAGE_WIDTH) -> list[str]:
    """The lines of ``keyword "text"`` as GNU writes them."""
    escaped = escape(text)
    one_line = f'{prefix}{keyword} "{escaped}"'
    inner_newline = "\\n" in escaped[:-2]
    if not inner_newline and _width(one_line) <= width:
        return [one_line]
    return [f'{prefix}{keyword} ""'] + _continuation(escaped, prefix, width)


def _continuation(escaped: str, prefix: str, width: int) -> list[str]:
    """Quoted lines of at most ``width`` columns, each newline ending a line."""
    lines: list[str] = []
    room = width - _width(prefix) - 2
    current = ""
    for piece in _pieces(escaped):
        if current and _width(current + piece) > room:
            lines.append(f'{prefix}"{current}"')
            current = ""
        current += piece
        if current.endswith("\\n") and not current.endswith("\\\\n"):
            lines.append(f'{prefix}"{current}"')
            current = ""
    if current:
        lines.append(f'{prefix}"{current}"')
    return lines


def _references(locations, prefix: str, width: int) -> list[str]:
    refs: list[str] = []
    for filename, lineno in locations:
        ref = f"{filename}:{lineno}" if lineno else filename
        if ref not in refs:
            refs.append(ref)
    lines, current = [], ""
    for ref in refs:
        if current and _width(f"{prefix}#: {current} {ref}") > width:
            lines.append(f"{prefix}#: {current}")
            current = ""
        current = f"{current} {ref}" if current else ref
    if current:
        lines.append(f"{prefix}#: {current}")
    return lines


def _message_lines(message: Message, nplurals: int, *, obsolete: bool, width: int) -> list[str]:
    p = "#~ " if obsolete else ""
    out: list[str] = []
    out += [f"# {c}".rstrip() for c in message.user_comments]
    out += [f"#. {c}".rstrip() for c in message.auto_comments]
    if not obsolete:
        out += _references(message.locations, "", width)
    if message.flags:
        out.append("#, " + ", ".join(sorted(message.flags)))
    if message.previous_id:
        previous = message.previous_id
        previous = (previous,) if isinstance(previous, str) else tuple(previous)
        prev_prefix = "#~| " if obsolete else "#| "
        out += wrap("msgid", previous[0], prev_prefix, width)
        if len(previous) > 1:
            out += wrap("msgid_plural", previous[1], prev_prefix, width)
    if message.context:
        out += wrap("msgctxt", message.context, p, width)
    if isinstance(message.id, (list, tuple)):
        out += wrap("msgid", message.id[0], p, width)
        out += wrap("msgid_plural", message.id[1], p, width)
        strings = message.string if isinstance(message.string, (list, tuple)) else (message.string or "",)
        for index in range(max(nplurals, 1)):
            out += wrap(f"msgstr[{index}]", strings[index] if index < len(strings) else "", p, width)
    else:
        out += wrap("msgid", message.id, p, width)
        string = message.string[0] if isinstance(message.string, (list, tuple)) else (message.string or "")
        out += wrap("msgstr", string, p, width)
    return out


def po_bytes(catalog: Catalog, width: int = PAGE_WIDTH) -> bytes:
    """The PO (or POT) text of ``catalog`` in GNU msgcat's layout, UTF-8."""
    out: list[str] = [line.rstrip() for line in catalog.header_comment.splitlines()]
    header = catalog[""] if "" in catalog._messages else None  # noqa: SLF001 - Babel keeps the header apart
    if header is not None and header.flags:
        out.append("#, " + ", ".join(sorted(header.flags)))
    elif getattr(catalog, "fuzzy", False):
        out.append("#, fuzzy")
    out.append('msgid ""')
    out.append('msgstr ""')
    for name, value in catalog.mime_headers:
        out += _continuation(escape(f"{name}: {value.strip()}\n"), "", width)
    nplurals = catalog.num_plurals
    for message in catalog:
        if not message.id:
            continue
        out.append("")
        out += _message_lines(message, nplurals, obsolete=False, width=width)
    for message in catalog.obsolete.values():
        out.append("")
        out += _message_lines(message, nplurals, obsolete=True, width=width)
    return ("\n".join(out) + "\n").encode("utf-8")


# --------------------------------------------------------------- pre-check
@dataclass(frozen=True)
class SyntaxProblem:
    line: int
    message: str


QUOTED = re.compile(r'^"(?:[^"\\]|\\.)*"\s*$')
KEYWORD = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)(?:\s+(.*))?$')


def scan(text: str) -> list[SyntaxProblem]:
    """Problems Babel's parser would hide: unterminated strings and duplicate msgids.

    >>> scan('msgid "a"\\nmsgstr "b"\\n\\nmsgid "a"\\nmsgstr "c"\\n')
    [SyntaxProblem(line=4, message='duplicate msgid "a"; first defined at line 1')]
    >>> scan('msgid "Dry skin"\\nmsgstr "Piel seca\\n')
    [SyntaxProblem(line=2, message='unterminated string: a string must end with a double quote (")')]
    """
    problems: list[SyntaxProblem] = []
    seen: dict[tuple[str, str], int] = {}
    parts: dict[str, list[str]] = {}
    start = 0
    keyword = None

    def finish() -> None:
        msgid = "".join(parts.get("msgid", []))
        if msgid:
            key = ("".join(parts.get("msgctxt", [])), msgid)
            if key in seen:
                shown = msgid if len(msgid) <= 60 else msgid[:57] + "..."
                problems.append(SyntaxProblem(start, f'duplicate msgid "{shown}"; first defined at line {seen[key]}'))
            else:
                seen[key] = start
        parts.clear()

    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        live = True
        if line.startswith("#~"):
            line, live = re.sub(r"^#~\|?\s*", "", line), False
        elif line.startswith("#|"):
            line, live = line[2:].strip(), False
        elif not line or line.startswith("#"):
            continue
        match = KEYWORD.match(line)
        if match:
            keyword, line = match.group(1), (match.group(2) or "").strip()
            if live and (keyword == "msgctxt" or (keyword == "msgid" and not ("msgctxt" in parts and "msgid" not in parts))):
                finish()
                start = number
        if not line.startswith('"'):
            problems.append(SyntaxProblem(number, f"expected a quoted string, found {raw.strip()[:40]!r}"))
            continue
        if not QUOTED.match(line):
            problems.append(SyntaxProblem(number, 'unterminated string: a string must end with a double quote (")'))
            continue
        if live and keyword in ("msgid", "msgctxt"):
            parts.setdefault(keyword, []).append(line.strip()[1:-1])
    finish()
    return problems


def unescape(quoted: str) -> str:
    """The text of one quoted PO string, escapes resolved."""
    body = quoted.strip()[1:-1]
    return re.sub(r'\\(.)', lambda m: {"n": "\n", "t": "\t", "r": "\r"}.get(m.group(1), m.group(1)), body)


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
    value = unescape(lines[start + 1][len("msgstr"):].strip())
    while end < len(lines) and lines[end].startswith('"'):
        value += unescape(lines[end])
        end += 1
    headers: list[list[str]] = []
    for line in value.split("\n"):
        if line.strip():
            name, _, rest = line.partition(":")
            headers.append([name.strip(), rest.strip()])
    remaining = dict(fields)
    for header in headers:
        for name in list(remaining):
            if header[0].lower() == name.lower():
                header[1] = remaining.pop(name)
    headers += [[name, value] for name, value in remaining.items()]
    body: list[str] = []
    for name, value in headers:
        body += _continuation(escape(f"{name}: {value}\n"), "", PAGE_WIDTH)
    return "\n".join(lines[:start] + ['msgid ""', 'msgstr ""'] + body + lines[end:])


def previous_ids(text: str) -> dict[str, list[str]]:
    r"""msgid -> previous msgid (and msgid_plural) from ``#|`` lines, continuation lines included.

    Babel's parser reads a previous msgid only when it fits on one line; a
    multi-line one would be lost on the next update.

    >>> previous_ids('#, fuzzy\n#| msgid ""\n#| "Old "\n#| "text"\nmsgid "New text"\nmsgstr ""\n')
    {'New text': ['Old text']}
    """
    out: dict[str, list[str]] = {}
    previous: dict[str, str] = {}
    current: str | None = None
    msgid: list[str] | None = None
    for raw in text.splitlines():
        line = raw.strip()
        if line.startswith("#|"):
            body = line[2:].strip()
            match = KEYWORD.match(body)
            if match:
                current, body = match.group(1), (match.group(2) or "").strip()
                previous[current] = ""
            if current and QUOTED.match(body):
                previous[current] += unescape(body)
            continue
        if line.startswith("msgid ") and not line.startswith("msgid_plural"):
            msgid = [unescape(line[len("msgid"):].strip())]
            continue
        if msgid is not None and line.startswith('"'):
            msgid.append(unescape(line))
            continue
        if msgid is not None:
            key = "".join(msgid)
            if previous.get("msgid") and key:
                out[key] = [previous["msgid"]] + ([previous["msgid_plural"]] if previous.get("msgid_plural") else [])
            msgid = None
            if line.startswith(("msgstr", "msgid_plural")):
                previous = {}
                current = None
    return out
