"""Who reviewed a catalog's translation of a topic, whether that review still holds, and what changed since.

A review is recorded per topic, in the catalog's PO header, one field per
topic (``locales review`` writes it)::

    X-Reviewed-atopic-dermatitis: Dr Ana Ruiz, dermatologist | 2026-12-01 | sha256:…

The fingerprint covers exactly what the reviewer saw for that topic: every
source string the topic uses (and the interface labels its handouts and
decks print) *and* its translation, plural forms, fuzzy flag and the
catalog's ``Plural-Forms`` formula (which decides which form a number gets).
Editing one translation, one English source string or the formula changes
the fingerprint, and the topic's handouts and slides are drafts again until
someone reviews them anew.  Another topic's strings are not part of it, so
adding or editing a topic never touches the review of another.

So that the next reviewer sees *what* changed, ``locales review`` also keeps
a record of the reviewed entries beside the catalogs
(``locales/reviews/<tag>.json``, :class:`ReviewRecord`); :func:`diff`
compares it with the catalog as it is now.  The record is only an aid: the
stamp's fingerprint decides the state, and a record that does not match its
stamp is reported as such, never trusted.

>>> review = parse_stamp("Dr Ana Ruiz, dermatologist | 2026-12-01 | sha256:0123456789abcdef")
>>> review.reviewer, review.date.isoformat(), review.fingerprint
('Dr Ana Ruiz, dermatologist', '2026-12-01', 'sha256:0123456789abcdef')
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

REVIEW_HEADER_PREFIX = "X-Reviewed-"
SEPARATOR = " | "
RECORD_FORMAT = "leaflets-review-record/1"
MAX_RECORD_BYTES = 16 * 1024 * 1024
MAX_REVIEWER = 200  # characters: a name and a qualification, not a paragraph (it is printed in every footer)


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

    def as_json(self) -> dict:
        return {"state": self.state, "reviewer": self.reviewer, "date": self.date.isoformat() if self.date else None,
                "translator": self.translator, "problem": self.problem, "description": self.describe()}


def header_name(topic_id: str) -> str:
    return f"{REVIEW_HEADER_PREFIX}{topic_id}"


def parse_stamp(value: str) -> Stamp:
    """``reviewer | YYYY-MM-DD | sha256:…``; ValueError if malformed."""
    parts = [p.strip() for p in value.split("|")]
    if len(parts) != 3 or not parts[0] or not parts[2].startswith("sha256:"):
        raise ValueError(f"expected 'reviewer | YYYY-MM-DD | sha256:…', found {value[:120]!r}")
    try:
        date = dt.date.fromisoformat(parts[1])
    except ValueError:
        raise ValueError(f"the review date {parts[1][:40]!r} is not a date YYYY-MM-DD") from None
    check_reviewer_name(parts[0])
    return Stamp(parts[0], date, parts[2])


def check_reviewer_name(name: str) -> None:
    """ValueError unless ``name`` is printable text of at most :data:`MAX_REVIEWER` characters
    (a name read from a catalog's header or a review record is free text from a file)."""
    if len(name) > MAX_REVIEWER:
        raise ValueError(f"the reviewer's name is {len(name)} characters long (at most {MAX_REVIEWER})")
    if any(not ch.isprintable() for ch in name):
        raise ValueError("the reviewer's name has a control character")


def format_stamp(stamp: Stamp) -> str:
    return SEPARATOR.join((stamp.reviewer, stamp.date.isoformat(), stamp.fingerprint))


# ------------------------------------------------------------ fingerprints
def entry_record(msgid: str, message) -> tuple:
    """What a reviewer saw of one msgid: the entry's source, forms and fuzzy flag (None if absent)."""
    if message is None:
        return (msgid, None)
    return (message.msgid if message.msgid_plural is None else (message.msgid, message.msgid_plural),
            tuple(message.msgstr), message.fuzzy)


def fingerprint_of(records: Iterable[tuple], plural_header: str) -> str:
    """A hash of entry records (sorted by msgid) and the Plural-Forms formula."""
    digest = hashlib.sha256()
    digest.update(f"Plural-Forms: {' '.join(plural_header.split())}\n".encode("utf-8"))
    for record in sorted(records, key=lambda r: r[0] if isinstance(r[0], str) else r[0][0]):
        digest.update(repr(record).encode("utf-8") + b"\n")
    return "sha256:" + digest.hexdigest()[:16]


def fingerprint(message: Callable[[str], object], msgids: Iterable[str], plural_header: str) -> str:
    """The fingerprint of the source strings ``msgids`` and the entries ``message(msgid)`` gives.

    A msgid the catalog lacks counts as untranslated, so adding a string to
    a topic changes its fingerprint too.
    """
    return fingerprint_of((entry_record(m, message(m)) for m in set(msgids)), plural_header)


def translator_of(catalog) -> str | None:
    name = catalog.header_field("Last-Translator") or ""
    return None if not name or "FULL NAME" in name else name


def stamp_of(catalog, topic_id: str) -> Stamp | None:
    """The topic's stamp, or None; ValueError if the field is there but malformed."""
    value = catalog.header_field(header_name(topic_id))
    return parse_stamp(value) if value else None


def review_of(catalog, topic_id: str, msgids: Iterable[str], message: Callable[[str], object],
              plural_header: str, today: dt.date | None = None) -> Review:
    """The review state of ``topic_id``: stamp present, valid and still matching."""
    translator = translator_of(catalog)
    try:
        stamp = stamp_of(catalog, topic_id)
    except ValueError as exc:
        return Review("draft", translator, problem=f"header {header_name(topic_id)}: {exc}")
    if stamp is None:
        return Review("draft", translator)
    if stamp.date > (today or dt.date.today()):
        return Review("draft", translator, problem=f"review date {stamp.date.isoformat()} is in the future")
    if stamp.fingerprint != fingerprint(message, msgids, plural_header):
        return Review("changed", translator, stamp.reviewer, stamp.date)
    return Review("reviewed", translator, stamp.reviewer, stamp.date)


# ------------------------------------------------------------ the record
@dataclass
class TopicRecord:
    """What one review of one topic saw: the stamp and every entry record."""

    reviewer: str
    date: dt.date
    fingerprint: str
    plural_header: str
    entries: dict[str, tuple]  # msgid -> entry_record

    def matches_stamp(self) -> bool:
        return fingerprint_of(self.entries.values(), self.plural_header) == self.fingerprint

    def as_json(self) -> dict:
        return {"reviewer": self.reviewer, "date": self.date.isoformat(), "fingerprint": self.fingerprint,
                "plural_forms": self.plural_header,
                "entries": [_record_json(msgid, record) for msgid, record in sorted(self.entries.items())]}


def _record_json(msgid: str, record: tuple) -> dict:
    if record[1] is None:
        return {"msgid": msgid, "absent": True}
    source, forms, fuzzy = record
    plural = source[1] if isinstance(source, tuple) else None
    return {"msgid": msgid, "msgid_plural": plural, "msgstr": list(forms), "fuzzy": fuzzy}


def _record_from_json(item: dict) -> tuple[str, tuple]:
    msgid = item["msgid"]
    if not isinstance(msgid, str):
        raise ValueError("msgid is not text")
    if item.get("absent"):
        return msgid, (msgid, None)
    plural, forms, fuzzy = item.get("msgid_plural"), item["msgstr"], item["fuzzy"]
    if not (plural is None or isinstance(plural, str)) or not isinstance(fuzzy, bool) \
            or not isinstance(forms, list) or not all(isinstance(f, str) for f in forms):
        raise ValueError(f"entry {msgid[:40]!r} is malformed")
    return msgid, ((msgid, plural) if plural is not None else msgid, tuple(forms), fuzzy)


@dataclass
class ReviewRecord:
    """``locales/reviews/<tag>.json``: the last reviewed entries of each topic of one catalog."""

    locale: str
    topics: dict[str, TopicRecord] = field(default_factory=dict)

    def to_bytes(self) -> bytes:
        data = {"format": RECORD_FORMAT, "locale": self.locale,
                "topics": {tid: record.as_json() for tid, record in sorted(self.topics.items())}}
        return (json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode("utf-8")

    @classmethod
    def from_bytes(cls, data: bytes, locale: str) -> ReviewRecord:
        """Parse a record; ValueError (one sentence) if it is not one."""
        if len(data) > MAX_RECORD_BYTES:
            raise ValueError(f"larger than {MAX_RECORD_BYTES // 2**20} MB")
        try:
            raw = json.loads(data.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
            raise ValueError(f"not a JSON review record ({exc})") from None
        if not isinstance(raw, dict) or raw.get("format") != RECORD_FORMAT or not isinstance(raw.get("topics"), dict):
            raise ValueError(f"not a review record (expected format {RECORD_FORMAT!r})")
        record = cls(locale)
        for tid, item in raw["topics"].items():
            try:
                entries = dict(_record_from_json(e) for e in item["entries"])
                check_reviewer_name(str(item["reviewer"]))
                record.topics[tid] = TopicRecord(str(item["reviewer"]), dt.date.fromisoformat(item["date"]),
                                                 str(item["fingerprint"]), str(item.get("plural_forms", "")), entries)
            except (KeyError, TypeError, ValueError, AttributeError) as exc:
                raise ValueError(f"topic {tid!r}: {exc}") from None
        return record


def snapshot(stamp: Stamp, message: Callable[[str], object], msgids: Iterable[str], plural_header: str) -> TopicRecord:
    return TopicRecord(stamp.reviewer, stamp.date, stamp.fingerprint, plural_header,
                       {m: entry_record(m, message(m)) for m in set(msgids)})


# ------------------------------------------------------------ what changed
@dataclass(frozen=True)
class Change:
    """One difference between the reviewed entries and the catalog now.

    ``kind``: ``translation`` (same English, other translation), ``fuzzy``
    (only the fuzzy flag changed), ``source`` (the English changed; ``was``
    is the English that was reviewed), ``new`` and ``removed`` (strings that
    joined or left the topic), ``plural-forms`` (the formula), or
    ``unknown`` (no usable record: every entry is listed).
    """

    msgid: str
    kind: str
    before: tuple[str, ...] | None
    after: tuple[str, ...] | None
    fuzzy_before: bool = False
    fuzzy_after: bool = False
    was: str | None = None

    def as_json(self) -> dict:
        return {"msgid": self.msgid, "kind": self.kind, "was": self.was,
                "before": list(self.before) if self.before is not None else None,
                "after": list(self.after) if self.after is not None else None,
                "fuzzy_before": self.fuzzy_before, "fuzzy_after": self.fuzzy_after}


def diff(record: TopicRecord | None, message: Callable[[str], object], msgids: Iterable[str],
         plural_header: str) -> list[Change]:
    """Every entry that differs between ``record`` and now, in msgid order.

    An English change shows as one ``source`` change (matched through the
    entry's previous msgid, ``#|``), not as a new and a removed string.
    Without a usable record every entry counts as changed ("unknown"): a
    reviewer must then look at the whole translation again.
    """
    now = {m: entry_record(m, message(m)) for m in set(msgids)}
    if record is None or not record.matches_stamp():
        return [Change(m, "unknown", None, _forms(now[m]), fuzzy_after=_fuzzy(now[m])) for m in sorted(now)]
    changes = []
    if " ".join(record.plural_header.split()) != " ".join(plural_header.split()):
        changes.append(Change("", "plural-forms", (record.plural_header,), (plural_header,)))
    gone = {m for m in record.entries if m not in now}
    renamed: dict[str, str] = {}  # msgid now -> the reviewed English it replaced
    for msgid in sorted(set(now) - set(record.entries)):
        previous = getattr(message(msgid), "previous", None)
        if previous is not None and previous.msgid in gone and previous.msgid not in renamed.values():
            renamed[msgid] = previous.msgid
    for msgid in sorted(set(now) | set(record.entries)):
        before, after = record.entries.get(msgid), now.get(msgid)
        if before == after or msgid in renamed.values():
            continue
        if msgid in renamed:
            old = record.entries[renamed[msgid]]
            changes.append(Change(msgid, "source", _forms(old), _forms(after), _fuzzy(old), _fuzzy(after),
                                  was=renamed[msgid]))
        elif before is None:
            changes.append(Change(msgid, "new", None, _forms(after), fuzzy_after=_fuzzy(after)))
        elif after is None:
            changes.append(Change(msgid, "removed", _forms(before), None, fuzzy_before=_fuzzy(before)))
        elif _forms(before) == _forms(after) and before[0] == after[0]:
            changes.append(Change(msgid, "fuzzy", _forms(before), _forms(after), _fuzzy(before), _fuzzy(after)))
        else:
            changes.append(Change(msgid, "translation", _forms(before), _forms(after), _fuzzy(before),
                                  _fuzzy(after)))
    return changes


def _forms(record: tuple) -> tuple[str, ...]:
    return () if record[1] is None else tuple(record[1])


def _fuzzy(record: tuple) -> bool:
    return record[1] is not None and bool(record[2])


def diff_digest(changes: list[Change]) -> str:
    """A short digest of a diff: ``--accept`` proves the reviewer saw exactly these changes."""
    digest = hashlib.sha256(json.dumps([c.as_json() for c in changes], ensure_ascii=False, sort_keys=True)
                            .encode("utf-8"))
    return digest.hexdigest()[:12]
