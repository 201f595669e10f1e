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


# A ZIP member's time is an MS-DOS date: years 1980 to 2107, even seconds.
ZIP_FIRST = dt.datetime(1980, 1, 1, tzinfo=dt.timezone.utc)
ZIP_LAST = dt.datetime(2107, 12, 31, 23, 59, 58, tzinfo=dt.timezone.utc)


def zip_time(when: dt.datetime) -> tuple[int, int, int, int, int, int]:
    """The member time for ``when``, clamped to what ZIP can hold.

    ``SOURCE_DATE_EPOCH`` may be any second up to 9999-12-31 (every date
    formatter and PDF can write it), but ZIP stores 1980-01-01 to 2107-12-31
    only: members of a package dated outside that range get the nearest end
    of it (1980-01-01 00:00:00 or 2107-12-31 23:59:58), while ``core.xml``
    keeps the true date.  The clamped value is as reproducible as the date.
    """
    return min(max(when, ZIP_FIRST), ZIP_LAST).timetuple()[:6]


def normalize_zip(data: bytes, when: dt.datetime) -> bytes:
    """Rewrite an OOXML zip with fixed timestamps, for reproducible bytes.

    Member times (clamped to ZIP's 1980-2107: :func:`zip_time`), and the
    creation dates in ``docProps/core.xml``, become ``when``; nested packages (the workbook behind each chart) get the same
    treatment.
    """
    iso = when.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    stamp = zip_time(when)
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
