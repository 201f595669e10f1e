"""The translator page: an uploaded catalog checked as `locales status --strict` checks it, previewed,
and compared with the shipped one; nothing is written to the project."""

from __future__ import annotations

import hashlib
import re

import pytest

from tests.conftest import ROOT
from tests.web.conftest import csrf_of


def project_digest() -> dict:
    return {p.relative_to(ROOT).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for folder in ("locales", "content") for p in sorted((ROOT / folder).rglob("*")) if p.is_file()}


def upload(client, data: bytes, lang: str = "es", filename: str = "es.po", csrf: str | None = None):
    token = csrf if csrf is not None else csrf_of(client)
    return client.post("/translate", data={"csrf": token, "lang": lang},
                       files={"catalog": (filename, data, "text/x-gettext-translation")})


@pytest.fixture(scope="module")
def before():
    return project_digest()


def test_a_broken_catalog_gets_its_line_numbered_finding(client, before):
    data = (ROOT / "locales" / "es.po").read_bytes()
    lines = data.split(b"\n")
    index = next(i for i, line in enumerate(lines) if line.startswith(b"msgstr \"") and i > 30)
    lines[index] = b'msgstr "unterminated'
    response = upload(client, b"\n".join(lines))
    assert response.status_code == 200
    assert re.search(rf"<code>es\.po \(uploaded\):{index + 1}:\d+</code> PO syntax error", response.text), \
        response.text[-3000:]
    assert project_digest() == before


def test_a_failing_entry_is_a_finding_at_its_line(client, before):
    from leaflets.i18n.catalogs import open_catalog
    catalog = open_catalog(ROOT / "locales" / "es.po", "es")
    lines = (ROOT / "locales" / "es.po").read_text(encoding="utf-8").split("\n")
    entry = next(m for m in catalog if not m.plural and m.msgstr[0].count("{") == 1
                 and re.fullmatch(r'msgstr ".*"', lines[m.line]))  # a one-line msgstr right after the msgid
    lines[entry.line] = "msgstr " + '"' + re.sub(r"\{[a-z_]+\}", "{nonsense}", entry.msgstr[0]) + '"'
    response = upload(client, "\n".join(lines).encode())
    assert response.status_code == 200
    assert re.search(rf"<code>es\.po \(uploaded\):{entry.line}</code> \[placeholders\]", response.text), \
        re.findall(r"<li><code>.*?</li>", response.text)[:5]
    assert project_digest() == before


def test_the_page_a_changed_translation_is_on_is_marked(client, before):
    text = (ROOT / "locales" / "es.po").read_text(encoding="utf-8")
    from leaflets.i18n.catalogs import open_catalog
    heading = open_catalog(ROOT / "locales" / "es.po", "es").find("What is atopic dermatitis?")
    changed = text.replace(f'msgstr "{heading.msgstr[0]}"', 'msgstr "¿Qué es, en pocas palabras, la dermatitis atópica?"', 1)
    assert changed != text
    response = upload(client, changed.encode())
    assert "No findings: this catalog is complete and clean." in response.text
    assert "Handout pages changed: 1 of 2" in response.text
    pages = re.search(r"Handout pages changed:.*?</ol>", response.text, re.S).group(0)
    assert re.findall(r'<li class="(changed)?">', pages) == ["changed", ""]  # page 1 shows the heading
    assert "Page 1 · <strong class=\"badge\">Changed</strong>" in pages
    assert re.search(r"Slides changed: 0 of \d+", response.text)  # the heading is the handout's alone
    assert project_digest() == before


def test_the_shipped_catalog_changes_nothing(client):
    response = upload(client, (ROOT / "locales" / "es.po").read_bytes())
    assert "No findings: this catalog is complete and clean." in response.text
    assert "Handout pages changed: 0 of 2" in response.text
    assert re.search(r"Slides changed: 0 of \d+", response.text)


def test_a_form_without_its_csrf_token_is_refused(client, before):
    response = upload(client, (ROOT / "locales" / "es.po").read_bytes(), csrf="0" * 64)
    assert response.status_code == 400 and "The form expired" in response.text
    assert project_digest() == before


def test_the_admin_action_is_off_unless_the_server_allows_it(client, before):
    token = csrf_of(client)
    response = client.post("/admin/catalog", data={"csrf": token, "lang": "es"},
                           files={"catalog": ("es.po", (ROOT / "locales" / "es.po").read_bytes(), "text/plain")})
    assert response.status_code == 403
    assert project_digest() == before


def test_the_admin_action_writes_only_a_clean_catalog(tmp_path):
    import shutil
    import warnings

    from starlette.testclient import TestClient

    from leaflets.web import create_app
    from tests.web.conftest import settings_for
    shutil.copytree(ROOT / "content", tmp_path / "content")
    shutil.copytree(ROOT / "locales", tmp_path / "locales")
    target = tmp_path / "locales" / "es.po"
    shipped = target.read_bytes()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        app = create_app(settings_for(tmp_path, content_dir=tmp_path / "content", locales_dir=tmp_path / "locales",
                                      admin_writes=True, workers=1))
        with TestClient(app) as client:
            token = csrf_of(client)
            broken = shipped.replace(b'msgstr "Idioma: {language}"', b'msgstr "Idioma: {idioma}"')
            assert broken != shipped
            refused = client.post("/admin/catalog", data={"csrf": token, "lang": "es"},
                                  files={"catalog": ("es.po", broken, "text/plain")})
            assert refused.status_code == 422 and "Not installed" in refused.text
            assert target.read_bytes() == shipped
            better = shipped.replace("¿Qué es la dermatitis atópica?".encode(),
                                     "¿Qué es, en pocas palabras, la dermatitis atópica?".encode(), 1)
            assert better != shipped
            installed = client.post("/admin/catalog", data={"csrf": token, "lang": "es"},
                                    files={"catalog": ("es.po", better, "text/plain")})
            assert installed.status_code == 200 and "Installed as es.po." in installed.text
            assert target.read_bytes() == better
            assert not [p for p in target.parent.iterdir() if p.name.startswith(".")]  # no temporary file left
