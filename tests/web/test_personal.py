"""Issue 19, item 2: one patient's copy from the clinic page, never stored and never logged.

The fields travel in a POST form (with the CSRF token), never in a URL; the file is rendered
past the cache (the cache folder holds exactly the same files before and after) and sent with
``Cache-Control: no-store``; nothing of the patient's reaches a log record; hostile values are
refused naming the field (never echoing the value) or drawn as literal text.
"""

from __future__ import annotations

import logging
import re
import subprocess
from pathlib import Path

import pytest

from tests.conftest import require_tool
from tests.web.conftest import csrf_of

NAME = "Ana <b>Lima</b> &amp; Zyx"
NOTE = "Apply the cream twice a day; QWERTY-MARKER"
CHOICE = {"topic": "atopic-dermatitis", "lang": "en", "format": "pdf", "paper": "a4", "edition": "standard"}


def _cache_files(client) -> list[Path]:
    folder = Path(client.app.app_state.settings.cache_dir)
    return sorted(p for p in folder.rglob("*") if p.is_file())


def _first_page(data: bytes, tmp_path: Path) -> str:
    require_tool("pdftotext")
    pdf = tmp_path / "copy.pdf"
    pdf.write_bytes(data)
    return subprocess.run(["pdftotext", "-f", "1", "-l", "1", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout


def test_the_clinic_page_offers_the_fields_in_a_post_form_only(client):
    page = client.get("/", params=CHOICE).text
    form = re.search(r'<form class="personal" method="post" action="/download/personal">.*?</form>', page, re.S)
    assert form is not None
    for name in ("name", "follow_up", "note", "csrf"):
        assert f'name="{name}"' in form.group(0)
    assert "follow_up=" not in page and "note=" not in page  # no link carries a field


def test_a_patients_copy_bypasses_the_cache_and_the_logs(client, tmp_path, caplog):
    token = csrf_of(client, "/?" + "&".join(f"{k}={v}" for k, v in CHOICE.items()))  # the preview is cached now
    before = _cache_files(client)
    with caplog.at_level(logging.DEBUG):
        response = client.post("/download/personal", data={
            **CHOICE, "csrf": token, "name": NAME, "follow_up": "2027-03-03", "note": NOTE})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["cache-control"] == "no-store"
    assert _cache_files(client) == before  # nothing written, nothing evicted
    text = _first_page(response.content, tmp_path)
    assert f"For: {NAME}" in text  # markup and entities drawn as the characters typed
    assert "Follow-up: March 3, 2027" in text and NOTE in text
    assert text.index("Follow-up") < text.index("Atopic dermatitis (eczema)")
    logged = caplog.text + " ".join(str(r.args) for r in caplog.records)
    for secret in ("Lima", "QWERTY-MARKER", "2027-03-03"):
        assert secret not in logged


def test_the_same_fields_twice_are_rendered_twice_not_shared(client):
    token = csrf_of(client, "/")
    data = {**CHOICE, "csrf": token, "name": "Bo"}
    first = client.post("/download/personal", data=data)
    second = client.post("/download/personal", data=data)
    assert first.status_code == second.status_code == 200
    assert first.content == second.content  # reproducible, and still nothing cached


@pytest.mark.parametrize("fields, status, says", [
    ({"note": "x" * 10_000}, 400, "note"),
    ({"name": "Ana\x07Lima"}, 400, "U+0007"),
    ({"name": "Ana\u202eLima"}, 400, "U+202E"),
    ({"follow_up": "03/03/2027"}, 400, "YYYY-MM-DD"),
    ({}, 400, "at least one"),
])
def test_hostile_values_are_refused_naming_the_field_never_echoing_it(client, fields, status, says):
    before = _cache_files(client)
    token = csrf_of(client, "/")
    response = client.post("/download/personal", data={**CHOICE, "csrf": token, **fields})
    assert response.status_code == status and says in response.text
    assert "Lima" not in response.text and "xxxxxxxxxx" not in response.text
    assert _cache_files(client) == before


def test_without_the_csrf_token_or_by_get_nothing_is_made(client):
    assert client.post("/download/personal", data={**CHOICE, "name": "Ana"}).status_code == 400
    assert client.get("/download/personal", params={**CHOICE, "name": "Ana"}).status_code == 405
    token = csrf_of(client, "/")
    deck = client.post("/download/personal", data={**CHOICE, "format": "pptx", "csrf": token, "name": "Ana"})
    assert deck.status_code == 400 and "handout" in deck.text


def test_a_patients_copy_of_the_bilingual_edition_has_both_languages_and_the_patients_lines(client, tmp_path):
    """The bilingual edition's copy for one patient: the first language's handout with the
    patient's lines above its title, each section followed by its English translation (this
    was refused: the worker never localized the second language for a patient's copy)."""
    choice = {**CHOICE, "lang": "es", "edition": "bilingual", "second": "en"}
    token = csrf_of(client, "/")
    before = _cache_files(client)
    response = client.post("/download/personal", data={**choice, "csrf": token, "name": "Bo Chen",
                                                       "note": "Crema dos veces al día"})
    assert response.status_code == 200, response.text
    assert response.headers["content-disposition"].endswith('-bilingual-en.pdf"')
    assert _cache_files(client) == before
    text = _first_page(response.content, tmp_path)
    assert "Bo Chen" in text and "Crema dos veces al día" in text
    assert "Dermatitis atópica" in text and "Atopic dermatitis (eczema)" in text  # both languages
    assert text.index("Bo Chen") < text.index("Dermatitis atópica")
