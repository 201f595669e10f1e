"""Create, merge and write PO catalogs (the translator-facing files).

Reading for the build lives in :mod:`leaflets.i18n.catalog`; this module is
for the ``locales`` commands: ``init`` (a new language from the template),
``update`` (merge a changed template: changed strings become fuzzy and keep
the previous source, removed ones become obsolete) and writing files
atomically so an interrupted run never leaves half a catalog.
"""

from __future__ import annotations

import io
import os
import tempfile
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import PoFileError, PoFileParser

from leaflets.errors import Diagnostic, LeafletsError, display_path

from leaflets.i18n.locales import parse_tag, tag_of
from leaflets.i18n.plurals import PluralFormsError, check_nplurals, plural_forms, remap_forms
from leaflets.i18n.pofile import po_bytes, previous_ids, scan


class LeafletsCatalog(Catalog):
    """A Babel catalog that keeps header fields Babel does not know.

    Babel drops every header it has no attribute for, which would erase our
    review record (``X-Reviewed-By`` ...) and the ``X-Generator`` or
    ``X-Poedit-*`` fields translators' tools write.  We keep them in order.
    """

    def __init__(self, *args, **kwargs):
        self.extra_headers: list[tuple[str, str]] = []
        self.generated_by: str | None = None
        super().__init__(*args, **kwargs)

    def _set_mime_headers(self, headers):
        headers = list(headers)
        super()._set_mime_headers(headers)
        check_nplurals(self._num_plurals)  # before the parser allocates nplurals forms per entry
        known = {name.lower() for name, _ in Catalog._get_mime_headers(self)}
        self.extra_headers = [(n, v.strip()) for n, v in headers if n.lower() not in known and n.strip()]
        # Babel stamps its own version as Generated-By on every write: keep the file's, so that
        # a Babel upgrade does not rewrite the header of every catalog a command touches
        self.generated_by = next((v.strip() for n, v in headers if n.lower() == "generated-by"), None)

    def _get_mime_headers(self):
        # Babel ends its last value ('Generated-By') with a newline; a header
        # after it would follow a blank line, i.e. fall out of the header.
        generated_by = getattr(self, "generated_by", None)
        headers = [(k, generated_by if generated_by and k.lower() == "generated-by" else v.strip())
                   for k, v in super()._get_mime_headers() + list(getattr(self, "extra_headers", []))]
        if headers:
            headers[-1] = (headers[-1][0], headers[-1][1] + "\n")
        return headers

    mime_headers = property(_get_mime_headers, _set_mime_headers)

    def header(self, name: str) -> str | None:
        for key, value in self.extra_headers:
            if key.lower() == name.lower():
                return value or None
        return None

    def set_header(self, name: str, value: str | None) -> None:
        self.extra_headers = [(k, v) for k, v in self.extra_headers if k.lower() != name.lower()]
        if value:
            self.extra_headers.append((name, value))

    def use_cldr_plurals(self) -> None:
        """Set Plural-Forms from CLDR and move existing plural forms to match."""
        if self.locale is None:
            return
        tag = tag_of(self.locale)
        nplurals, expr = plural_forms(tag)
        old_expr = self.plural_expr
        if (nplurals, expr) == (self.num_plurals, old_expr):
            return
        for message in list(self) + list(self.obsolete.values()):
            if message.id and message.pluralizable and isinstance(message.string, (tuple, list)):
                message.string = remap_forms(tuple(message.string), old_expr, expr, nplurals)
        self._num_plurals, self._plural_expr = nplurals, expr


def read_catalog_file(handle, locale: str | None = None, *, abort_invalid: bool = False) -> LeafletsCatalog:
    """``babel.messages.pofile.read_po``, into a :class:`LeafletsCatalog`."""
    catalog = LeafletsCatalog(locale=locale)
    PoFileParser(catalog, ignore_obsolete=False, abort_invalid=abort_invalid).parse(handle)
    return catalog


MAX_CATALOG_BYTES = 8 * 1024 * 1024  # far above any real catalog; bounds memory on hostile input


def open_catalog(path: Path, tag: str | None) -> LeafletsCatalog:
    """Read a PO or POT file strictly; raise :class:`LeafletsError` pointing at every broken line.

    The raw text is scanned first (:func:`leaflets.i18n.pofile.scan`) because
    Babel's parser silently keeps the first of two equal msgids and cuts the
    last character off an unterminated string.
    """
    name = display_path(path)
    try:
        if Path(path).stat().st_size > MAX_CATALOG_BYTES:
            raise LeafletsError(Diagnostic(name, 0, 0, f"catalog is larger than {MAX_CATALOG_BYTES // 2**20} MB"))
        data = Path(path).read_bytes()
        text = data.decode("utf-8")
    except FileNotFoundError:
        raise LeafletsError(Diagnostic(name, 0, 0, "catalog not found")) from None
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise LeafletsError(Diagnostic(name, line, 1, "not UTF-8 text; save the catalog as UTF-8")) from None
    except OSError as exc:
        raise LeafletsError(Diagnostic(name, 0, 0, f"cannot read catalog: {exc.strerror}")) from None
    problems = scan(text)
    if problems:
        raise LeafletsError([Diagnostic(name, p.line, 1, f"PO syntax error: {p.message}") for p in problems])
    try:
        catalog = read_catalog_file(io.BytesIO(data), tag.replace("-", "_") if tag else None, abort_invalid=True)
    except PoFileError as exc:
        raise LeafletsError(Diagnostic(name, getattr(exc, "lineno", 0) or 0, 1, f"PO syntax error: {exc}")) from None
    except PluralFormsError as exc:
        raise LeafletsError(Diagnostic(name, line_containing(path, b"Plural-Forms:"), 1, str(exc))) from None
    except ValueError as exc:
        raise LeafletsError(Diagnostic(name, 0, 0, f"cannot read catalog: {exc}")) from None
    for msgid, previous in previous_ids(text).items():
        message = catalog.get(msgid)
        if message is not None:
            message.previous_id = previous
    return catalog


def line_containing(path: Path, needle: bytes) -> int:
    """The first line of ``path`` containing ``needle`` (0 if none)."""
    with open(path, "rb") as handle:
        for number, line in enumerate(handle, start=1):
            if needle in line:
                return number
    return 0


def catalog_bytes(catalog: Catalog) -> bytes:
    """The PO text of ``catalog`` as we write it: GNU msgcat's layout (see :mod:`.pofile`)."""
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
    """Write ``data`` to ``path`` via a temporary file in the same folder."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; outputs are ordinary files
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def translation_header(locale) -> str:
    """The comment at the top of a new catalog: what it is and which tools edit it."""
    return (f"# {locale.english_name} ({tag_of(locale)}) translation of leaflets patient handouts and clinician\n"
            "# decks.  Edit it with Poedit, Lokalize, Weblate or any text editor (UTF-8);\n"
            "# check it with `msgfmt --check` and `python generate.py locales status --verbose`.\n"
            "# Keep every {placeholder} exactly as it is: numbers come from the content.\n"
            "# See TRANSLATING.md.")


def init_catalog(template: Catalog, tag: str) -> Catalog:
    """A new, empty catalog for ``tag`` with CLDR plural forms in its header."""
    locale = parse_tag(tag)
    catalog = LeafletsCatalog(locale=locale, domain=template.domain, project=template.project,
                      version=template.version, header_comment=translation_header(locale),
                      creation_date=template.creation_date, revision_date=template.creation_date,
                      copyright_holder=template.copyright_holder, charset="utf-8", fuzzy=False,
                      language_team=f"{locale.english_name} <{tag_of(locale)}>")
    catalog._num_plurals, catalog._plural_expr = plural_forms(tag)
    for message in template:
        if not message.id:
            continue
        catalog.add(message.id, string=("",) * catalog.num_plurals if message.pluralizable else "",
                    locations=message.locations, auto_comments=message.auto_comments, flags=message.flags)
    return catalog


def update_catalog(catalog: LeafletsCatalog, template: Catalog) -> None:
    """Merge ``template`` into ``catalog`` (Babel's merge, with our headers).

    Changed source strings become fuzzy and keep the previous msgid (written
    as ``#|`` lines); strings no longer in the template become obsolete
    (``#~``); new ones are added untranslated.
    """
    extra = list(catalog.extra_headers)
    # Babel rebuilds each entry from the template, which drops the previous
    # msgid of an entry that is still fuzzy from an earlier update; GNU
    # msgmerge keeps it, and translators need it to see what changed.
    previous = {m.id if isinstance(m.id, str) else m.id[0]: m.previous_id
                for m in catalog if m.id and m.fuzzy and m.previous_id}
    catalog.update(template, no_fuzzy_matching=False, update_header_comment=False, keep_user_comments=True,
                   update_creation_date=True)
    catalog.extra_headers = extra
    if "do not edit by hand" in catalog.header_comment and catalog.locale is not None:
        catalog.header_comment = translation_header(catalog.locale)  # the template's words, not a catalog's
    for message in catalog:
        if not message.id:
            continue
        key = message.id if isinstance(message.id, str) else message.id[0]
        if message.fuzzy and not message.previous_id and key in previous:
            message.previous_id = previous[key]
        wanted = template.get(message.id, context=message.context)
        if wanted is not None:  # flags the layout sets (max-length) follow the template
            message.flags = {f for f in message.flags if not f.startswith("max-length:")} | {
                f for f in wanted.flags if f.startswith("max-length:")}
    catalog.use_cldr_plurals()


def read_template(path: Path) -> Catalog:
    return open_catalog(path, None)
