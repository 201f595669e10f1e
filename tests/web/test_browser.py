"""A real browser (Debian's Chromium, driven by Playwright) on a live `leaflets serve`: pick a language,
see the preview, download and read the PDF; upload a broken catalog; keyboard only; axe-core.

Screenshots of every page go to $LEAFLETS_SCREENSHOTS (CI sets it to its log folder), else to the
test's temporary folder.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from tests.conftest import ROOT, require_tool

CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="module")
def browser():
    path = require_tool("chromium")
    playwright = pytest.importorskip("playwright.sync_api")
    with playwright.sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=path, args=["--no-sandbox"])
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def shots(tmp_path_factory) -> Path:
    folder = Path(os.environ.get("LEAFLETS_SCREENSHOTS") or tmp_path_factory.mktemp("screenshots"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def page(browser):
    context = browser.new_context(accept_downloads=True, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()


def serious(page) -> list[str]:
    """axe-core's serious and critical violations on the page (WCAG 2.1 A and AA rules)."""
    from axe_playwright_python.sync_playwright import Axe
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a",
                                                                                 "wcag21aa"]}})
    return [f"{v['id']}: {v['help']} ({len(v['nodes'])})" for v in results.response["violations"]
            if v.get("impact") in ("serious", "critical")]


def _shown_then_downloaded(page, shot):
    """Once every page image has loaded: a screenshot, no serious axe finding, then the PDF
    downloaded from the page's link."""
    page.wait_for_function("Array.from(document.querySelectorAll('ol.pages img')).every(i => i.naturalWidth > 500)")
    page.screenshot(path=str(shot), full_page=True)
    assert serious(page) == []
    with page.expect_download() as info:
        page.get_by_role("link", name="Download the PDF").click()
    return info.value


def test_pick_arabic_preview_and_download(page, live, shots):
    from leaflets import Engine
    page.goto(live.url + "/")
    page.select_option("#lang", "ar")
    page.get_by_role("button", name="Show the pages").click()
    page.wait_for_url(re.compile(r"lang=ar"))
    images = page.locator("ol.pages img")
    assert images.count() == 2
    download = _shown_then_downloaded(page, shots / "clinic-ar.png")
    assert download.suggested_filename == "ar-atopic-dermatitis-handout-a4.pdf"
    import pypdf
    from tests.render.test_pdf_text import BIDI_CONTROLS  # the marks that keep right-to-left runs in order
    text = "".join(p.extract_text() for p in pypdf.PdfReader(download.path()).pages).translate(BIDI_CONTROLS)
    engine = Engine()
    document = engine.localize(engine.topic("atopic-dermatitis"), "ar")
    title = document.handout.title
    assert re.sub(r"\s+", "", title) in re.sub(r"\s+", "", text)
    assert page.locator("button.print").is_visible()  # the script (not inline) showed the print button


def test_upload_a_broken_catalog_and_see_the_line(page, live, shots, tmp_path):
    data = (ROOT / "locales" / "de.po").read_bytes().split(b"\n")
    index = next(i for i, line in enumerate(data) if line.startswith(b'msgstr "') and i > 40)
    data[index] = b'msgstr "kaputt'
    broken = tmp_path / "de.po"
    broken.write_bytes(b"\n".join(data))
    page.goto(live.url + "/translate")
    page.select_option("#lang", "de")
    page.set_input_files("#catalog", str(broken))
    page.get_by_role("button", name="Check and preview").click()
    page.wait_for_selector("#findings-title")
    findings = page.locator(".problems").inner_text()
    assert f"de.po (uploaded):{index + 1}:" in findings and "PO syntax error" in findings
    page.screenshot(path=str(shots / "translate-finding.png"), full_page=True)
    assert serious(page) == []


def test_catalogue(page, live, shots):
    page.goto(live.url + "/catalogue")
    rows = page.locator("tbody tr")
    from leaflets import Engine, Project
    editions = [e for e in Engine().editions() if not e.second_locale]  # bilingual: chosen on the clinic page
    assert len(editions) >= 2 and rows.count() == len(Project().locales()) * len(editions)
    assert page.get_by_role("link", name=re.compile("^Handout A4 \\(PDF\\), العربية$")).count() == 1
    assert page.get_by_role("link", name=re.compile("^Handout A4 \\(PDF\\), العربية, Large print$")).count() == 1
    page.screenshot(path=str(shots / "catalogue.png"), full_page=True)
    assert serious(page) == []


def test_keyboard_only(page, live, shots):
    page.goto(live.url + "/?lang=en")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"  # focus is visible
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    for _ in range(30):  # from the main content, Tab reaches the language of the handout
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "lang":
            break
    assert page.evaluate("document.activeElement.id") == "lang"
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"
    page.keyboard.press("ArrowDown")  # the next language
    chosen = page.evaluate("document.activeElement.value")
    assert chosen != "en"
    for _ in range(15):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == "Show the pages":
            break
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf"lang={re.escape(chosen)}"))
    assert page.locator("ol.pages img").count() == 2
    page.screenshot(path=str(shots / f"clinic-keyboard-{chosen}.png"), full_page=True)


def test_interface_in_arabic_is_right_to_left(page, live, shots):
    page.goto(live.url + "/catalogue?ui=ar")
    assert page.evaluate("document.documentElement.lang") == "ar"
    assert page.evaluate("document.documentElement.dir") == "rtl"
    page.screenshot(path=str(shots / "catalogue-ui-ar.png"), full_page=True)
    assert serious(page) == []


@pytest.fixture(scope="module")
def live_branded(tmp_path_factory):
    """`leaflets serve --brand` with the example clinic's brand file."""
    from tests.web.conftest import LiveServer
    from tests.web.test_brand import BRAND
    server = LiveServer(tmp_path_factory.mktemp("live-brand"), "--brand", str(BRAND))
    yield server
    server.stop()


def test_arabic_preview_with_the_clinic_brand(page, live_branded, shots):
    from tests.web.test_brand import NAME, PHONE
    page.goto(live_branded.url + "/?topic=atopic-dermatitis&lang=ar&format=pdf&paper=a4&edition=standard")
    assert page.locator("#brand").inner_text() == f"Clinic brand: {NAME} ({PHONE})"
    images = page.locator("ol.pages img")
    assert images.count() >= 2
    download = _shown_then_downloaded(page, shots / "clinic-ar-brand.png")
    assert download.suggested_filename == "ar-atopic-dermatitis-handout-a4-riverside.pdf"
    import pypdf
    text = "".join(p.extract_text() for p in pypdf.PdfReader(download.path()).pages)
    assert NAME in text and PHONE in text


def test_catalogue_with_the_clinic_brand(page, live_branded, shots):
    from tests.web.test_brand import NAME, PHONE
    page.goto(live_branded.url + "/catalogue?ui=ar")
    assert page.locator("#brand").inner_text() == f"علامة العيادة: {NAME} ({PHONE})"
    page.screenshot(path=str(shots / "catalogue-brand-ui-ar.png"), full_page=True)
    assert serious(page) == []
    with page.expect_download() as info:
        page.get_by_role("link", name=re.compile("Letter.*PDF.*Deutsch$")).click()
    assert info.value.suggested_filename == "de-atopic-dermatitis-handout-letter-riverside.pdf"
