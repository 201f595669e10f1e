"""Open, create, merge and write PO catalogs (the translator-facing files).

Reading for the build lives in :mod:`leaflets.i18n.catalog`; this module is
for the ``locales`` commands: ``init`` (a new language from the template),
``update`` (merge a changed template exactly as GNU ``msgmerge --previous``
does, :mod:`leaflets.i18n.merge`) and writing files atomically so an
interrupted run never leaves half a catalog.  Every file is read as
untrusted input: size-limited, UTF-8 only, and every syntax problem is
reported at its line and column.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import replace
from pathlib import Path

from leaflets.errors import Diagnostic, LeafletsError, display_path
from leaflets.i18n.locales import parse_tag, tag_of
from leaflets.i18n.merge import merge
from leaflets.i18n.plurals import (
    PluralFormsError, check_policy, describe_forms, header_value, parse_header, plural_forms, remap_forms,
)
from leaflets.i18n.po import Catalog, Message, PoSyntaxError, parse, po_bytes
from leaflets.i18n.rules import is_rule_flag
from leaflets.safefile import NotRegular, outside, read_regular

MAX_CATALOG_BYTES = 8 * 1024 * 1024  # far above any real catalog; bounds memory on hostile input
PLURAL_COMMENT = "plural forms in "  # start of the extracted comment update adds to plural entries


def open_catalog(path: Path, tag: str | None = None) -> Catalog:
    """Read a PO or POT file strictly; raise :class:`LeafletsError` pointing at every broken line."""
    name = display_path(path)
    if Path(path).is_symlink() and outside(path, Path(path).parent):
        # a link to /etc/passwd would otherwise have its lines quoted in the syntax errors
        raise LeafletsError(Diagnostic(name, 0, 0, "is a link to a file outside its folder; not read (copy the "
                                                   "catalog into the project instead)"))
    try:
        data = read_regular(path, MAX_CATALOG_BYTES)
    except NotRegular as exc:
        if str(exc).startswith("larger"):
            raise LeafletsError(Diagnostic(name, 0, 0, f"catalog is larger than {MAX_CATALOG_BYTES // 2**20} MB"))
        raise LeafletsError(Diagnostic(name, 0, 0, f"not a regular file ({exc}); a catalog is a PO text file")) from None
    except FileNotFoundError:
        raise LeafletsError(Diagnostic(name, 0, 0, "catalog not found")) from None
    except OSError as exc:
        raise LeafletsError(Diagnostic(name, 0, 0, f"cannot read catalog: {exc.strerror}")) from None
    return parse_catalog(data, name)


def parse_catalog(data: bytes, name: str) -> Catalog:
    """Parse PO bytes (UTF-8, as ``Content-Type`` must say); every problem is a diagnostic at its line."""
    if data.startswith(b"\xef\xbb\xbf"):
        raise LeafletsError(Diagnostic(name, 1, 1, "the file starts with a byte-order mark; save it as UTF-8 "
                                                   "without BOM (GNU gettext refuses it)"))
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise LeafletsError(Diagnostic(name, line, column, "not UTF-8 text; save the catalog as UTF-8")) from None
    try:
        catalog = parse(text)
    except PoSyntaxError as exc:
        raise LeafletsError([Diagnostic(name, p.line, p.column, f"PO syntax error: {p.message}")
                             for p in exc.problems]) from None
    charset = (catalog.header_field("Content-Type") or "").lower().partition("charset=")[2].strip()
    if charset and charset not in ("utf-8", "utf8", "charset"):  # "CHARSET" is a fresh template's placeholder
        raise LeafletsError(Diagnostic(name, _line_of_field(text, "Content-Type"), 1,
                                       f"the header declares charset={charset}; leaflets catalogs are UTF-8 "
                                       "(Content-Type: text/plain; charset=UTF-8)"))
    value = catalog.header_field("Plural-Forms")
    if value is not None:
        try:
            parse_header(value)
        except (PluralFormsError, ValueError) as exc:
            raise LeafletsError(Diagnostic(name, _line_of_field(text, "Plural-Forms"), 1, str(exc))) from None
    return catalog


def _line_of_field(text: str, field: str) -> int:
    for number, line in enumerate(text.split("\n"), start=1):
        if f"{field}:".lower() in line.lower():
            return number
    return 1


def line_containing(path: Path, needle: bytes) -> int:
    """The first line of ``path`` containing ``needle`` (0 if none)."""
    with open(path, "rb") as handle:
        for number, line in enumerate(handle, start=1):
            if needle in line:
                return number
    return 0


def catalog_bytes(catalog: Catalog) -> bytes:
    """The PO text of ``catalog`` as we write it: GNU msgcat's layout (see :mod:`.po`)."""
    return po_bytes(catalog)


def write_if_changed(path: Path, data: bytes) -> bool:
    """Write ``data`` unless ``path`` already holds exactly it; True if written.

    A catalog nobody changed keeps its bytes and its modification time, so
    version control and translation platforms see no change.
    """
    try:
        if Path(path).read_bytes() == data:
            return False
    except OSError:
        pass
    write_atomic(path, data)
    return True


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` via a temporary file in the same folder; a one-line error if it cannot."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    except OSError as exc:
        raise LeafletsError(Diagnostic(display_path(path), 0, 0, f"cannot write: {exc.strerror}")) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; outputs are ordinary files
        os.replace(tmp, path)
    except OSError as exc:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise LeafletsError(Diagnostic(display_path(path), 0, 0, f"cannot write: {exc.strerror}")) from None
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def translation_header(locale) -> list[str]:
    """The comment at the top of a new catalog: what it is and which tools edit it."""
    return [f"{locale.english_name} ({tag_of(locale)}) translation of leaflets patient handouts and clinician",
            "decks.  Edit it with Poedit, Lokalize, Weblate or any text editor (UTF-8);",
            "check it with `msgfmt --check` and `python generate.py locales status --verbose`.",
            "Keep every {placeholder} exactly as it is: numbers come from the content.",
            "See TRANSLATING.md."]


def init_catalog(template: Catalog, tag: str) -> Catalog:
    """A new, empty catalog for ``tag`` with the plural policy's forms in its header."""
    locale = parse_tag(tag)
    fields = [(k, v) for k, v in template.header_fields if k.lower() not in ("language", "plural-forms")]
    fields = [(k, f"{locale.english_name} <{tag_of(locale)}>" if k.lower() == "language-team" else v)
              for k, v in fields]
    position = next((i for i, (k, _) in enumerate(fields) if k.lower() == "language-team"), len(fields))
    fields[position:position] = [("Language", tag_of(locale)), ("Plural-Forms", header_value(tag))]
    catalog = Catalog(header=Message("", translator_comments=translation_header(locale)))
    catalog.header_fields = fields
    nplurals, _ = plural_forms(tag)
    for message in template:
        catalog.add(replace(message, msgstr=("",) * nplurals if message.plural else ("",),
                            flags=[f for f in message.flags if f != "fuzzy"]))
    add_plural_comments(catalog, tag)
    return catalog


def update_catalog(catalog: Catalog, template: Catalog, tag: str) -> Catalog:
    """Merge ``template`` into ``catalog`` as ``msgmerge --previous`` does, then apply the plural policy.

    A catalog whose ``Plural-Forms`` is not the policy's gets the policy's,
    and each plural translation's forms move to the numbers they were
    written for (:func:`leaflets.i18n.plurals.remap_forms`).
    """
    merged = merge(catalog, template, rule_flag=is_rule_flag)
    if merged.header.translator_comments and any("do not edit by hand" in c for c in merged.header.translator_comments):
        merged.header = replace(merged.header, translator_comments=translation_header(parse_tag(tag)))
    use_plural_policy(merged, tag)
    add_plural_comments(merged, tag)
    return merged


def use_plural_policy(catalog: Catalog, tag: str) -> None:
    """Set ``Plural-Forms`` to the policy's and move existing plural forms to match."""
    nplurals, expr = plural_forms(tag)
    current = catalog.header_field("Plural-Forms")
    if current and check_policy(current, tag) is None:
        return  # the policy's formula, perhaps written another way (Poedit writes "n != 1")
    try:
        old_expr = parse_header(current)[1] if current else expr
    except (PluralFormsError, ValueError):
        old_expr = expr
    for message in [*catalog.messages, *catalog.obsolete]:
        if message.plural:
            message.msgstr = remap_forms(message.msgstr, old_expr, expr, nplurals)
    catalog.set_header_field("Plural-Forms", header_value(tag))


def add_plural_comments(catalog: Catalog, tag: str) -> None:
    """Tell the translator of each plural entry which numbers choose which form."""
    note = f"{PLURAL_COMMENT}{tag}: {describe_forms(tag)}"
    for message in catalog:
        comments = [c for c in message.extracted_comments if not c.startswith(PLURAL_COMMENT)]
        message.extracted_comments = comments + ([note] if message.plural else [])


def read_template(path: Path) -> Catalog:
    return open_catalog(path, None)
