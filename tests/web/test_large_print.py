"""The clinic page's large-print edition (issue 19: standard, large print, bilingual): offered
on the form and in the catalogue, and the download is the engine's large-print file."""

from __future__ import annotations

import io
import re

from tests.web.conftest import CREATED

QUERY = {"topic": "atopic-dermatitis", "lang": "es", "format": "pdf", "paper": "letter", "edition": "large-print"}


def test_large_print_is_offered_on_the_clinic_page_and_in_the_catalogue(client):
    page = client.get("/")
    assert page.status_code == 200 and 'value="large-print"' in page.text
    catalogue = client.get("/catalogue")
    assert catalogue.status_code == 200 and "edition=large-print" in catalogue.text
    links = re.findall(r'href="(/download\?[^"]+)"', catalogue.text)
    large = [link for link in links if "edition=large-print" in link]
    assert large and all("format=pdf" in link for link in large)  # the slides have one edition
    assert all(client.get(link.replace("&amp;", "&")).status_code == 200 for link in large[:2])


def test_a_large_print_download_is_the_engines_file_with_large_type(client):
    import pdfplumber

    from leaflets import Engine
    engine = Engine()
    expected = engine.render(engine.localize(engine.topic("atopic-dermatitis"), "es"), "pdf", paper="letter",
                             variant="large-print", created=CREATED)
    response = client.get("/download", params=QUERY)
    assert response.status_code == 200
    assert response.headers["content-disposition"] == \
        'attachment; filename="es-atopic-dermatitis-handout-letter-large-print.pdf"'
    assert response.content == expected.data
    with pdfplumber.open(io.BytesIO(response.content)) as pdf:
        sizes = [round(c["size"]) for c in pdf.pages[0].chars if c["text"].strip()]
    assert min(sizes) >= 16  # the variant's smallest text (footer); body at 18 pt
    assert client.get("/download", params={**QUERY, "format": "pptx"}).status_code == 400  # slides: one edition
