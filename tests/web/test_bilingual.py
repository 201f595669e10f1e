"""The clinic page's bilingual edition: a second language chosen on the page, the engine's file."""

from __future__ import annotations

from tests.web.conftest import CREATED

QUERY = {"topic": "atopic-dermatitis", "lang": "ar", "format": "pdf", "paper": "a4", "edition": "bilingual",
         "second": "en"}


def test_a_bilingual_download_is_the_engines_file(client):
    from leaflets import Engine
    engine = Engine()
    topic = engine.topic("atopic-dermatitis")
    expected = engine.render(engine.localize(topic, "ar"), "pdf", paper="a4", variant="bilingual",
                             second=engine.localize(topic, "en"), created=CREATED)
    response = client.get("/download", params=QUERY)
    assert response.status_code == 200
    assert response.headers["content-disposition"] == \
        'attachment; filename="ar-atopic-dermatitis-handout-a4-bilingual-en.pdf"'
    assert response.content == expected.data


def test_bilingual_slides_and_a_missing_second_language_are_messages(client):
    for params in ({**QUERY, "format": "pptx"}, {**QUERY, "second": ""}, {**QUERY, "second": "ar"}):
        page = client.get("/", params=params)
        assert page.status_code == 422 and 'role="alert"' in page.text and "Traceback" not in page.text
        assert client.get("/download", params=params).status_code == 400
