"""Reproducible bytes for zip-based formats (OOXML: the deck and the workbooks in it).

A zip records a time for every member, and ``docProps/core.xml`` the
creation and modification dates; with ``SOURCE_DATE_EPOCH`` set, both
become that date so two builds write the same bytes.  Standard library
only: the build can import it without loading a renderer.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile

CORE_DATES = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:(?:created|modified)>)")


def normalize_zip(data: bytes, when: dt.datetime) -> bytes:
    """Rewrite an OOXML zip with fixed timestamps, for reproducible bytes.

    Member times, and the creation dates in ``docProps/core.xml``, become
    ``when``; nested packages (the workbook behind each chart) get the same
    treatment.
    """
    iso = when.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    # ZIP cannot store times before 1980: members get 1980 at the earliest, core.xml the true date.
    stamp = max(when, dt.datetime(1980, 1, 1, tzinfo=dt.timezone.utc)).timetuple()[:6]
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            member = source.read(info.filename)
            if info.filename.endswith((".xlsx", ".docx", ".pptx")):
                member = normalize_zip(member, when)
            elif info.filename == "docProps/core.xml":
                member = CORE_DATES.sub(rb"\g<1>" + iso + rb"\g<2>", member)
            clone = zipfile.ZipInfo(info.filename, date_time=stamp)
            clone.compress_type = zipfile.ZIP_DEFLATED
            clone.external_attr = 0o644 << 16
            target.writestr(clone, member)
    return out.getvalue()
