"""Issue 19, item 2: one patient's copy (name, follow-up date, note) through the engine.

The fields are an explicit option of one localization; the date is formatted by Babel in
the localizer; the renderer draws the lines as text in a tagged section above the title.
Hostile values (markup, very long text, control characters) are refused or drawn literally.
"""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import unicodedata

import pikepdf
import pytest

from leaflets.engine import Engine
from leaflets.errors import LeafletsError
from leaflets.patient import MAX_NAME, MAX_NOTE, PatientNote, patient_note
from tests.conftest import require_tool

NOTE = PatientNote(name="Ana <b>Lima</b> & <font color=red>co</font>", follow_up=dt.date(2027, 3, 3),
                   note="Apply the cream twice a day.")


def _text(data: bytes, tmp_path) -> str:
    require_tool("pdftotext")
    pdf = tmp_path / "p.pdf"
    pdf.write_bytes(data)
    out = subprocess.run(["pdftotext", "-f", "1", "-l", "1", str(pdf), "-"], capture_output=True, text=True,
                         check=True).stdout
    return "".join(ch for ch in re.sub(r"\s+", " ", out) if unicodedata.category(ch) != "Cf")


def _sect_texts(data: bytes) -> list[str]:
    """The roles of the structure elements of the first Sect after the document's start."""
    import io
    with pikepdf.open(io.BytesIO(data)) as pdf:
        kids = pdf.Root.StructTreeRoot.K
        document = kids[0] if isinstance(kids, pikepdf.Array) else kids
        return [str(k.S) for k in document.K if isinstance(k, pikepdf.Dictionary)][:4]


@pytest.mark.parametrize("locale, follow_up", [("en", "Follow-up: March 3, 2027"),
                                                ("es", "Próxima cita: 3 de marzo de 2027")])
def test_the_lines_are_printed_above_the_title_with_the_date_in_the_locale(loaded, tmp_path, locale, follow_up):
    engine = Engine()
    document = engine.localize(loaded, locale, patient=NOTE)
    assert [line.text for line in document.handout.patient][1] == follow_up
    artifact = engine.render(document, "pdf", paper="a4")
    text = _text(artifact.data, tmp_path)
    name_line = document.handout.patient[0].text
    assert name_line.endswith("Ana <b>Lima</b> & <font color=red>co</font>")  # markup is drawn as text
    assert name_line in text and follow_up in text
    assert text.index(follow_up) < text.index(document.handout.title)
    assert _sect_texts(artifact.data)[0] == "/Sect"  # the patient's lines: a section of their own, first


def test_a_document_without_the_option_has_no_patient_lines(loaded):
    assert Engine().localize(loaded, "en").handout.patient == ()


def test_only_the_given_fields_are_printed(loaded):
    document = Engine().localize(loaded, "ar", patient=PatientNote(follow_up=dt.date(2027, 3, 3)))
    [line] = document.handout.patient
    assert line.text.startswith("موعد المتابعة: ") and "٢٠٢٧" in line.text  # Arabic-Indic digits, by Babel


@pytest.mark.parametrize("fields, what", [
    ({"name": "A" * (MAX_NAME + 1)}, "name"),
    ({"note": "x" * 10_000}, "note"),
    ({"name": "Ana\x00Lima"}, "U+0000"),
    ({"note": "line one\nline two"}, "U+000A"),
    ({"name": "Ana\u202eamiL"}, "U+202E"),  # a bidi override would reorder what is printed
    ({"follow_up": "3/3/2027"}, "YYYY-MM-DD"),
    ({"follow_up": "2027-02-30"}, "YYYY-MM-DD"),
    ({"follow_up": "1900-01-01"}, "2000"),
])
def test_hostile_values_are_refused_with_a_message_naming_the_field(fields, what):
    with pytest.raises(LeafletsError) as caught:
        patient_note(**fields)
    assert what in str(caught.value)


def test_form_strings_become_a_note_and_empty_fields_none():
    assert patient_note(name="  ", follow_up="", note="") is None
    note = patient_note(name=" Ana ", follow_up="2027-03-03", note="x" * MAX_NOTE)
    assert note.name == "Ana" and note.follow_up == dt.date(2027, 3, 3) and len(note.note) == MAX_NOTE


@pytest.mark.parametrize("locale", ["en", "ar"])
def test_a_patients_copy_passes_both_pdf_ua_checkers(loaded, tmp_path, locale):
    import page as page_validation
    import pdfua
    engine = Engine()
    artifact = engine.render(engine.localize(loaded, locale, patient=NOTE), "pdf", paper="letter")
    path = tmp_path / f"{locale}.pdf"
    path.write_bytes(artifact.data)
    assert [str(f) for f in page_validation.validate_pdf(str(path), profile="ua1").failures] == []
    assert [(f.rule_id, f.message) for f in pdfua.validate(str(path)).findings] == []
