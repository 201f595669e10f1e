"""One patient's details for a single download: name, follow-up date and a short note.

A front desk prints the leaflet for the patient in front of them: "For: Ana Lima",
"Follow-up: 3 March 2027", "Note: apply the cream twice a day".  These are personal
data, so they are an explicit option of one render (``Engine.localize(...,
patient=PatientNote(...))``), never part of a build, a cache or a log, and they are
validated like any other untrusted input: plain text of bounded length, no control
or formatting characters (they could hide or reorder what is printed), and a real
date.  The localizer turns them into :class:`~leaflets.document.PatientLine` (labels
from the catalog, the date formatted by Babel); the renderer escapes and draws them.
"""

from __future__ import annotations

import datetime as dt
import unicodedata

import pydantic
from pydantic import Field, field_validator

from leaflets.content.model import Strict
from leaflets.errors import Diagnostic, LeafletsError

MAX_NAME = 80
MAX_NOTE = 280


def _plain_text(value: str | None, what: str) -> str | None:
    if value is None:
        return None
    value = unicodedata.normalize("NFC", value).strip()
    for ch in value:
        if unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"):
            raise ValueError(f"the {what} may be plain text only: character U+{ord(ch):04X} is not allowed "
                             "(no control, formatting or unassigned characters, no line breaks)")
    return value or None


class PatientNote(Strict):
    """What one patient's copy carries above the title; every field is optional but one is needed."""

    name: str | None = Field(None, max_length=MAX_NAME, description="the patient's name as it should be printed")
    follow_up: dt.date | None = Field(None, description="the date of the next appointment")
    note: str | None = Field(None, max_length=MAX_NOTE, description="a short note from the clinician")

    @field_validator("name")
    @classmethod
    def _name(cls, value):
        return _plain_text(value, "name")

    @field_validator("note")
    @classmethod
    def _note(cls, value):
        return _plain_text(value, "note")

    @field_validator("follow_up")
    @classmethod
    def _date(cls, value):
        if value is not None and not dt.date(2000, 1, 1) <= value <= dt.date(2199, 12, 31):
            raise ValueError("a follow-up date between 2000 and 2199")
        return value

    @property
    def empty(self) -> bool:
        return self.name is None and self.follow_up is None and self.note is None


def patient_note(**fields) -> PatientNote | None:
    """A :class:`PatientNote` from untrusted fields (a form's strings; empty ones are absent),
    or None if every field is empty; a :class:`LeafletsError` says which field is wrong."""
    values = {key: (value if not isinstance(value, str) or value.strip() else None) for key, value in fields.items()}
    follow_up = values.get("follow_up")
    if isinstance(follow_up, str):
        try:
            values["follow_up"] = dt.date.fromisoformat(follow_up.strip()) if len(follow_up) <= 10 else None
        except ValueError:
            values["follow_up"] = None
        if values["follow_up"] is None:
            raise LeafletsError(Diagnostic("patient", 0, 0, "follow_up: write the date as YYYY-MM-DD"))
    try:
        note = PatientNote.model_validate(values)
    except pydantic.ValidationError as exc:
        raise LeafletsError([Diagnostic("patient", 0, 0, f"{'.'.join(map(str, err['loc'])) or 'patient'}: "
                                        f"{err['msg'].removeprefix('Value error, ')}") for err in exc.errors()]) from None
    return None if note.empty else note
