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
from babel.messages.pofile import read_po, write_po

from leaflets.i18n.locales import parse_tag, tag_of

PO_WIDTH = 76


def catalog_bytes(catalog: Catalog, *, template: bool = False) -> bytes:
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=PO_WIDTH, include_previous=True, sort_output=False,
             ignore_obsolete=False)
    return buffer.getvalue()


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


def init_catalog(template: Catalog, tag: str) -> Catalog:
    """A new, empty catalog for ``tag`` with CLDR plural forms in its header."""
    locale = parse_tag(tag)
    catalog = Catalog(locale=locale, domain=template.domain, project=template.project,
                      version=template.version, header_comment=template.header_comment.replace(
                          "Translation template", f"{locale.english_name} ({tag_of(locale)}) translation"),
                      creation_date=template.creation_date, revision_date=template.creation_date,
                      copyright_holder=template.copyright_holder, charset="utf-8", fuzzy=False,
                      language_team=f"{locale.english_name} <{tag_of(locale)}>")
    for message in template:
        if not message.id:
            continue
        catalog.add(message.id, string=("",) * catalog.num_plurals if message.pluralizable else "",
                    locations=message.locations, auto_comments=message.auto_comments, flags=message.flags)
    return catalog


def read_template(path: Path) -> Catalog:
    with open(path, "rb") as handle:
        return read_po(handle)
