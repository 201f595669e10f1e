"""Who translated a catalog, who reviewed it, and whether that review still holds.

The review is recorded in the catalog's PO header:

``X-Reviewed-By``
    reviewer's name and qualification, e.g. ``Dr Ana Ruiz, dermatologist``
``X-Reviewed-On``
    the review date, ``YYYY-MM-DD``
``X-Reviewed-Source``
    the fingerprint of the English source the reviewer saw (written by
    ``generate.py locales review``)

A catalog with no review, or whose reviewed source differs from today's
source, is a *draft*: its handouts and slides say so on every page.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

from babel.messages.catalog import Catalog

REVIEWED_BY, REVIEWED_ON, REVIEWED_SOURCE = "X-Reviewed-By", "X-Reviewed-On", "X-Reviewed-Source"


@dataclass(frozen=True)
class Review:
    state: str  # "source", "reviewed", "draft" or "stale"
    translator: str | None = None
    reviewer: str | None = None
    date: dt.date | None = None
    problem: str | None = None

    @property
    def is_draft(self) -> bool:
        return self.state in ("draft", "stale")

    def describe(self) -> str:
        if self.state == "source":
            return "source language"
        if self.state == "reviewed":
            return f"reviewed by {self.reviewer} on {self.date.isoformat()}"
        if self.state == "stale":
            return f"draft: review by {self.reviewer} on {self.date.isoformat()} predates a source change"
        return "draft: not reviewed" + (f" ({self.problem})" if self.problem else "")


SOURCE_REVIEW = Review("source")


def source_fingerprint(template: Catalog) -> str:
    """A short hash of every source string (msgid and plural) in the template."""
    ids = sorted(repr(m.id) for m in template if m.id)
    return "sha256:" + hashlib.sha256("\n".join(ids).encode("utf-8")).hexdigest()[:16]


def review_of(catalog, fingerprint: str | None) -> Review:
    """The review state recorded in ``catalog``'s header, against ``fingerprint``."""
    translator = catalog.last_translator if "FULL NAME" not in (catalog.last_translator or "") else None
    reviewer = catalog.header(REVIEWED_BY)
    on = catalog.header(REVIEWED_ON)
    if not reviewer and not on:
        return Review("draft", translator)
    if not reviewer or not on:
        missing = REVIEWED_BY if not reviewer else REVIEWED_ON
        return Review("draft", translator, problem=f"header {missing} is missing")
    try:
        date = dt.date.fromisoformat(on)
    except ValueError:
        return Review("draft", translator, problem=f"header {REVIEWED_ON} is not a date YYYY-MM-DD: {on!r}")
    if fingerprint and catalog.header(REVIEWED_SOURCE) != fingerprint:
        return Review("stale", translator, reviewer, date)
    return Review("reviewed", translator, reviewer, date)


def record_review(catalog, reviewer: str, date: dt.date, fingerprint: str) -> None:
    catalog.set_header(REVIEWED_BY, reviewer)
    catalog.set_header(REVIEWED_ON, date.isoformat())
    catalog.set_header(REVIEWED_SOURCE, fingerprint)
