"""Who reviewed a catalog's translation of a topic, and whether that review still holds.

A review is recorded per topic, in the catalog's PO header, one field per
topic (``locales review`` writes it)::

    X-Reviewed-atopic-dermatitis: Dr Ana Ruiz, dermatologist | 2026-12-01 | sha256:…

The fingerprint covers exactly what the reviewer saw for that topic: every
source string the topic uses (and the interface labels its handouts and
decks print) *and* its translation, plural forms and fuzzy flag included.
Editing one translation, or one English source string, changes the
fingerprint, and the topic's handouts and slides are drafts again until
someone reviews them anew.  Another topic's strings are not part of it, so
adding or editing a topic never touches the review of another.

>>> review = parse_stamp("Dr Ana Ruiz, dermatologist | 2026-12-01 | sha256:0123456789abcdef")
>>> review.reviewer, review.date.isoformat(), review.fingerprint
('Dr Ana Ruiz, dermatologist', '2026-12-01', 'sha256:0123456789abcdef')
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass

REVIEW_HEADER_PREFIX = "X-Reviewed-"
SEPARATOR = " | "


@dataclass(frozen=True)
class Stamp:
    reviewer: str
    date: dt.date
    fingerprint: str


@dataclass(frozen=True)
class Review:
    state: str  # "source", "reviewed", "draft" or "changed"
    translator: str | None = None
    reviewer: str | None = None
    date: dt.date | None = None
    problem: str | None = None

    @property
    def is_draft(self) -> bool:
        return self.state in ("draft", "changed")

    def describe(self) -> str:
        if self.state == "source":
            return "source language"
        if self.state == "reviewed":
            return f"reviewed by {self.reviewer} on {self.date.isoformat()}"
        if self.state == "changed":
            return f"draft: changed since the review by {self.reviewer} on {self.date.isoformat()}"
        return "draft: not reviewed" + (f" ({self.problem})" if self.problem else "")


SOURCE_REVIEW = Review("source")


def header_name(topic_id: str) -> str:
    return f"{REVIEW_HEADER_PREFIX}{topic_id}"


def parse_stamp(value: str) -> Stamp:
    """``reviewer | YYYY-MM-DD | sha256:…``; ValueError if malformed."""
    parts = [p.strip() for p in value.split("|")]
    if len(parts) != 3 or not parts[0] or not parts[2].startswith("sha256:"):
        raise ValueError(f"expected 'reviewer | YYYY-MM-DD | sha256:…', found {value!r}")
    try:
        date = dt.date.fromisoformat(parts[1])
    except ValueError:
        raise ValueError(f"the review date {parts[1]!r} is not a date YYYY-MM-DD") from None
    return Stamp(parts[0], date, parts[2])


def format_stamp(stamp: Stamp) -> str:
    return SEPARATOR.join((stamp.reviewer, stamp.date.isoformat(), stamp.fingerprint))


def fingerprint(catalog, msgids: Iterable[str]) -> str:
    """A hash of the source strings ``msgids`` and their entries in ``catalog``.

    A msgid the catalog lacks counts as untranslated, so adding a string to
    a topic changes its fingerprint too.
    """
    digest = hashlib.sha256()
    for msgid in sorted(set(msgids)):
        message = catalog.get(msgid)
        if message is None:
            record = (msgid, None)
        else:
            strings = tuple(message.string) if isinstance(message.string, (tuple, list)) else (message.string,)
            record = (message.id if isinstance(message.id, str) else tuple(message.id), strings, message.fuzzy)
        digest.update(repr(record).encode("utf-8") + b"\n")
    return "sha256:" + digest.hexdigest()[:16]


def translator_of(catalog) -> str | None:
    name = catalog.last_translator or ""
    return None if not name or "FULL NAME" in name else name


def review_of(catalog, topic_id: str, msgids: Iterable[str], today: dt.date | None = None) -> Review:
    """The review state of ``topic_id`` in ``catalog``: stamp present, valid and still matching."""
    translator = translator_of(catalog)
    value = catalog.header(header_name(topic_id))
    if not value:
        return Review("draft", translator)
    try:
        stamp = parse_stamp(value)
    except ValueError as exc:
        return Review("draft", translator, problem=f"header {header_name(topic_id)}: {exc}")
    if stamp.date > (today or dt.date.today()):
        return Review("draft", translator, problem=f"review date {stamp.date.isoformat()} is in the future")
    if stamp.fingerprint != fingerprint(catalog, msgids):
        return Review("changed", translator, stamp.reviewer, stamp.date)
    return Review("reviewed", translator, stamp.reviewer, stamp.date)


def record_review(catalog, topic_id: str, msgids: Iterable[str], reviewer: str, date: dt.date) -> str:
    """The header value stamping ``topic_id`` as reviewed as the catalog is now."""
    return format_stamp(Stamp(reviewer, date, fingerprint(catalog, msgids)))
