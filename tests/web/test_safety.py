"""Every upload and parameter is untrusted: hostile uploads get a clear message, nothing is written,
and the server keeps serving; security headers, the access token and the body limit."""

from __future__ import annotations

import gzip
import re
import warnings

import pytest

from tests.conftest import ROOT
from tests.web.conftest import csrf_of, settings_for
from tests.web.test_translate import project_digest, upload


@pytest.fixture(scope="module")
def before():
    return project_digest()


def still_serving(client):
    assert client.get("/catalogue").status_code == 200


def test_wrong_encoding_is_named_at_its_line(client, before):
    data = (ROOT / "locales" / "fr.po").read_text(encoding="utf-8").encode("latin-1", errors="replace")
    response = upload(client, data, lang="fr", filename="fr.po")
    assert re.search(r"<code>fr\.po \(uploaded\):\d+:\d+</code> not UTF-8 text; save the catalog as UTF-8",
                     response.text)
    assert project_digest() == before
    still_serving(client)


def test_a_50_mb_upload_is_refused_unread(client, before):
    response = upload(client, b"#" * (50 * 2**20))
    assert response.status_code == 413 and "too large" in response.text
    assert project_digest() == before
    still_serving(client)


def test_an_upload_over_the_catalog_limit_but_under_the_body_limit(client, before):
    response = upload(client, b"# " * (1536 * 1024))  # 3 MB: under the 4 MB form bound, over the 2 MB catalog bound
    assert response.status_code == 400 and "The file is too large for a catalog." in response.text
    still_serving(client)


def test_a_zip_bomb_is_just_a_file_that_is_not_a_catalog(client, before):
    bomb = gzip.compress(bytes(200 * 2**20), compresslevel=9)  # 200 MB of zeros in ~200 kB
    assert len(bomb) < 2**20
    response = upload(client, bomb, filename="es.po.gz")
    assert response.status_code == 200
    assert "not UTF-8 text" in response.text or "PO syntax error" in response.text
    assert project_digest() == before
    still_serving(client)


@pytest.mark.parametrize("filename", ["../../locales/es.po", "/etc/passwd", "..\\..\\x.po", "es.po\x00.sh",
                                      "<script>alert(1)</script>.po"])
def test_path_names_never_reach_a_path(client, before, filename):
    response = upload(client, b'msgid "x"\nmsgstr "unterminated\n', filename=filename)  # broken: no preview
    assert response.status_code == 200
    assert re.search(r"<code>(es\.po|[A-Za-z0-9_.-]+\.po) \(uploaded\):2:\d+</code> PO syntax error", response.text)
    assert "<script>alert(1)" not in response.text
    assert "passwd" not in response.text and "../" not in response.text
    assert project_digest() == before


def test_markup_and_format_strings_in_a_catalog_are_shown_as_text(client, before):
    text = (ROOT / "locales" / "es.po").read_text(encoding="utf-8")
    text = text.replace('msgstr "Idioma: {language}"', 'msgstr "<script>alert(1)</script>{language.__class__}%s%n"')
    text = re.sub(r'(msgid "What is atopic dermatitis\?"\nmsgstr ")[^"]*(")',
                  r'\1<img src=x onerror=alert(1)>{0}{__import__}?\2', text)
    response = upload(client, text.encode())
    assert response.status_code == 200
    assert "<script>alert" not in response.text and "<img src=x" not in response.text
    assert "&lt;img src=x onerror=alert(1)&gt;" in response.text or "placeholders" in response.text
    assert re.search(r"es\.po \(uploaded\):\d+</code> \[(placeholders|markup)\]", response.text)
    assert project_digest() == before
    still_serving(client)


def test_security_headers_on_every_page(client):
    for path in ("/", "/translate", "/catalogue", "/nowhere"):
        headers = client.get(path).headers
        csp = headers["content-security-policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] == "no-referrer"
    page = client.get("/translate").text
    assert not re.search(r"<script(?![^>]*\bsrc=)", page)  # no inline script
    assert " style=" not in page and "<style" not in page


def test_access_token(tmp_path):
    from starlette.testclient import TestClient

    from leaflets.web import create_app
    token = "t" * 32
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        app = create_app(settings_for(tmp_path, access_token=token, workers=1))
        with TestClient(app) as client:
            assert client.get("/catalogue").status_code == 401
            assert client.get("/catalogue", headers={"Authorization": "Bearer " + "x" * 32}).status_code == 401
            assert client.get("/catalogue", headers={"Authorization": f"Bearer {token}"}).status_code == 200
            signin = client.get("/signin")
            assert signin.status_code == 200
            csrf = re.search(r'name="csrf" value="([0-9a-f]+)"', signin.text).group(1)
            assert client.post("/signin", data={"csrf": csrf, "token": "wrong"}).status_code == 401
            response = client.post("/signin", data={"csrf": csrf, "token": token}, follow_redirects=False)
            assert response.status_code == 303
            assert client.get("/catalogue").status_code == 200  # the cookie carries it now


def test_the_default_binds_to_loopback():
    from leaflets.cli import make_parser
    args = make_parser().parse_args(["serve"])
    assert args.host == "127.0.0.1"
