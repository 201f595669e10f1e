"""The clinic page: choose, preview every page, download; shareable URLs; bad choices are messages."""

from __future__ import annotations

import re

import pytest

from tests.web.conftest import CREATED

QUERY = {"topic": "atopic-dermatitis", "lang": "ar", "format": "pdf", "paper": "a4", "edition": "standard"}


@pytest.fixture(scope="module")
def arabic(client):
    return client.get("/", params=QUERY)


def test_arabic_preview_shows_every_page_as_an_image(client, arabic):
    assert arabic.status_code == 200
    images = re.findall(r'<img src="/img/([0-9a-f]{64})\.png" alt="Page (\d) of (\d)"', arabic.text)
    assert [(n, of) for _, n, of in images] == [("1", "2"), ("2", "2")]
    for digest, _, _ in images:
        png = client.get(f"/img/{digest}.png")
        assert png.status_code == 200 and png.content.startswith(b"\x89PNG")
        assert "immutable" in png.headers["cache-control"]
    assert 'lang="ar"' in arabic.text  # the images say which language they show
    assert "Draft: not yet checked by a qualified reviewer." in arabic.text  # the language's review state


def test_download_is_the_engines_file(client, arabic):
    from leaflets import Engine
    engine = Engine()
    document = engine.localize(engine.topic("atopic-dermatitis"), "ar")
    expected = engine.render(document, "pdf", paper="a4", created=CREATED)
    response = client.get("/download", params=QUERY)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    assert 'attachment; filename="ar-atopic-dermatitis-handout-a4.pdf"' == response.headers["content-disposition"]
    assert response.content == expected.data  # the same bytes as the library makes


def test_the_choice_is_in_the_url_and_a_second_visit_is_cached(client, arabic):
    stats = client.get("/healthz").json()
    again = client.get("/", params=QUERY)
    assert again.text == arabic.text
    after = client.get("/healthz").json()
    assert after["submitted"] == stats["submitted"]  # served from the cache: no job
    assert 'href="/download?topic=atopic-dermatitis&amp;lang=ar&amp;format=pdf&amp;paper=a4&amp;edition=standard"' \
        in arabic.text


def test_the_form_offers_shipped_languages_with_their_state(client, arabic):
    menu = re.search(r'<select id="lang" name="lang".*?</select>', arabic.text, re.S).group(0)
    options = re.findall(r'<option value="([^"]+)" lang="[^"]+"( selected)?>([^<]+)</option>', menu)
    offered = [value for value, _, _ in options]
    from leaflets import Project
    assert offered[:len(Project().locales())] == Project().locales()
    assert ("ar", " selected") == options[offered.index("ar")][:2]
    assert "draft" in options[offered.index("ar")][2]


def test_editions_come_from_the_engine(client, arabic):
    from leaflets import Engine
    editions = re.findall(r'<select id="edition" name="edition">(.*?)</select>', arabic.text, re.S)[0]
    assert re.findall(r'value="([^"]+)"', editions) == [e.id for e in Engine().editions()]


@pytest.mark.parametrize("field,value", [
    ("lang", "xx"), ("lang", "../../etc/passwd"), ("topic", "../content/atopic-dermatitis"),
    ("paper", "a3"), ("format", "docx"), ("edition", "deluxe"), ("lang", "ar" * 500),
])
def test_a_value_the_project_does_not_offer_is_a_message(client, field, value):
    response = client.get("/", params={**QUERY, field: value})
    assert response.status_code == 422
    assert 'role="alert"' in response.text
    assert "Traceback" not in response.text
    download = client.get("/download", params={**QUERY, field: value})
    assert download.status_code == 400 and download.headers["content-type"].startswith("text/plain")


def test_bad_image_names_are_not_found(client):
    for name in ("..%2F..%2Fetc%2Fpasswd", "0" * 63, "g" * 64):
        assert client.get(f"/img/{name}.png").status_code == 404


def test_deck_download(client):
    response = client.get("/download", params={**QUERY, "lang": "es", "format": "pptx"})
    assert response.status_code == 200
    assert response.content.startswith(b"PK")
    assert response.headers["content-disposition"].endswith('filename="es-atopic-dermatitis-slides.pptx"')


def test_a_download_draws_no_images_and_a_later_preview_draws_them(client):
    query = {**QUERY, "lang": "fr", "paper": "letter"}
    before = client.get("/healthz").json()["completed"]
    assert client.get("/download", params=query).status_code == 200
    page = client.get("/", params=query)
    assert len(re.findall(r'<img src="/img/[0-9a-f]{64}\.png" alt="Page', page.text)) == 2
    assert client.get("/healthz").json()["completed"] == before + 2  # the file, then its images
    assert client.get("/", params=query).text == page.text


def test_slides_without_libreoffice_say_so(client):
    page = client.get("/", params={**QUERY, "lang": "es", "format": "pptx", "paper": ""})
    assert page.status_code == 200
    assert "Slide pictures need LibreOffice on the server" in page.text
    assert "Download the slides" in page.text
