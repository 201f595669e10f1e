"""The server's clinic brand (``leaflets serve --brand FILE|none``): validated at start-up, drawn
on every preview and download (handout, deck, one patient's copy), linked from the catalogue, and
part of every cache key and coalescing key, so servers with different brands sharing a cache never
serve each other's bytes.  Without a brand, files are the generic edition (no clinic band)."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import warnings
import zipfile
from pathlib import Path

import pytest

from tests.conftest import ROOT, require_tool, run_cli
from tests.web.conftest import CREATED, csrf_of, settings_for

EXAMPLE = ROOT / "examples" / "riverside-clinic"
BRAND = EXAMPLE / "_brand.yml"
NAME, PHONE = "Riverside Skin Clinic", "555-0100"
QUERY = {"topic": "atopic-dermatitis", "lang": "ar", "format": "pdf", "paper": "a4", "edition": "standard"}


def pdf_text(data: bytes, tmp_path: Path) -> str:
    require_tool("pdftotext")
    path = tmp_path / "file.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


def brand_copy(folder: Path, old: str, new: str) -> Path:
    """The example clinic's folder copied to ``folder``, with ``old`` replaced by ``new`` in its brand file."""
    target = folder / "clinic"
    shutil.copytree(EXAMPLE, target)
    text = BRAND.read_text(encoding="utf-8")
    assert old in text
    (target / "_brand.yml").write_text(text.replace(old, new), encoding="utf-8")
    return target / "_brand.yml"


@pytest.fixture(scope="module")
def branded(tmp_path_factory):
    """A TestClient of an app serving the shipped project with the example clinic's brand."""
    from starlette.testclient import TestClient

    from leaflets.web import create_app
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        app = create_app(settings_for(tmp_path_factory.mktemp("web-brand"), brand=BRAND))
        with TestClient(app) as test_client:
            yield test_client


def library_file(lang: str, fmt: str, paper: str | None, clinic) -> bytes:
    """What ``leaflets.Engine`` makes for the same choice: the bytes the server must send."""
    from leaflets import Engine
    engine = Engine()
    document = engine.localize(engine.topic("atopic-dermatitis"), lang, clinic=clinic)
    return engine.render(document, fmt, paper=paper, created=CREATED, clinic=clinic).data


def test_the_pages_say_which_brand_is_in_use(branded, client):
    for path in ("/", "/catalogue"):
        page = branded.get(path, params=QUERY if path == "/" else None).text
        assert re.search(rf'<p class="brand" id="brand">Clinic brand: {NAME} \(<bdi dir="ltr">{PHONE}</bdi>\)</p>',
                         page), path
        assert "No clinic brand" not in page
        assert "No clinic brand: the generic edition" in client.get(path).text
    assert branded.get("/healthz").json()["brand"] == "riverside"
    assert client.get("/healthz").json()["brand"] is None


def test_an_arabic_preview_is_rendered_with_the_brand(branded, tmp_path):
    from leaflets.clinic import load_profile
    page = branded.get("/", params=QUERY)
    assert page.status_code == 200, page.text
    assert len(re.findall(r'<img src="/img/[0-9a-f]{64}\.png" alt="Page \d of \d"', page.text)) >= 2
    service = branded.app.app_state.service
    choice = service.choose(QUERY, service.overview())
    cached = service._cached(service.stamp(choice, CREATED))  # the file the preview's images were drawn from
    assert cached is not None
    data = service.file(cached.fingerprint)
    text = pdf_text(data, tmp_path)
    assert NAME in text and PHONE in text and "911" in text
    assert data == library_file("ar", "pdf", "a4", load_profile(BRAND))  # the library's clinic edition, exactly


def test_downloads_are_the_clinics_edition(branded, tmp_path):
    from leaflets.clinic import load_profile
    clinic = load_profile(BRAND)
    handout = branded.get("/download", params={**QUERY, "lang": "en", "paper": "letter"})
    assert handout.status_code == 200
    assert handout.headers["content-disposition"] == \
        'attachment; filename="en-atopic-dermatitis-handout-letter-riverside.pdf"'
    text = pdf_text(handout.content, tmp_path)
    assert NAME in text and PHONE in text and "Mon–Fri" in text
    assert handout.content == library_file("en", "pdf", "letter", clinic)
    deck = branded.get("/download", params={**QUERY, "lang": "es", "format": "pptx", "paper": ""})
    assert deck.status_code == 200
    assert deck.headers["content-disposition"].endswith('filename="es-atopic-dermatitis-slides-riverside.pptx"')
    with zipfile.ZipFile(io.BytesIO(deck.content)) as archive:
        first = archive.read("ppt/slides/slide1.xml").decode()
        theme = "".join(archive.read(n).decode() for n in archive.namelist() if n.startswith("ppt/theme/"))
    assert 'name="Logo" descr="Riverside Skin Clinic logo' in first  # the clinic's logo on the title slide
    assert "1D4E89" in theme  # the deck in the clinic's colours
    assert deck.content == library_file("es", "pptx", None, clinic)


def test_one_patients_copy_carries_the_brand(branded, tmp_path):
    form = {**QUERY, "lang": "en", "csrf": csrf_of(branded, "/"), "name": "Ana Lima"}
    response = branded.post("/download/personal", data=form)
    assert response.status_code == 200, response.text
    assert response.headers["content-disposition"].endswith('-riverside.pdf"')
    text = pdf_text(response.content, tmp_path)
    assert "Ana Lima" in text and NAME in text and PHONE in text


def test_the_catalogue_links_to_the_clinics_files(branded):
    page = branded.get("/catalogue").text
    link = re.search(r'href="(/download\?topic=atopic-dermatitis&amp;lang=fr&amp;edition=standard&amp;format=pdf'
                     r'&amp;paper=a4)"', page).group(1).replace("&amp;", "&")
    response = branded.get(link)
    assert response.status_code == 200
    assert response.headers["content-disposition"].endswith('filename="fr-atopic-dermatitis-handout-a4-riverside.pdf"')


def test_without_a_brand_there_is_no_clinic_band(client, tmp_path):
    response = client.get("/download", params={**QUERY, "lang": "en"})
    assert response.headers["content-disposition"].endswith('filename="en-atopic-dermatitis-handout-a4.pdf"')
    text = pdf_text(response.content, tmp_path)
    assert NAME not in text and PHONE not in text and "Ask us for this leaflet" not in text
    assert response.content == library_file("en", "pdf", "a4", None)


def test_cache_and_coalescing_keys_differ_by_brand(tmp_path):
    """The same choice on servers with no brand, the example brand, and the example brand with
    another phone number (same brand id, other file): three stamps, and in one shared pool and
    cache, three renders (none coalesced with another) whose files each carry their own number."""
    import asyncio

    from leaflets.web.cache import DiskCache
    from leaflets.web.pool import LocalPool
    from leaflets.web.service import Choice, RenderService
    other = brand_copy(tmp_path, 'phone: "555-0100"', 'phone: "555-0142"')
    settings = [settings_for(tmp_path, workers=2), settings_for(tmp_path, brand=BRAND),
                settings_for(tmp_path, brand=other)]
    assert settings[1].clinic.id == settings[2].clinic.id == "riverside"
    choice = Choice("atopic-dermatitis", "en", "pdf", "a4")

    async def scenario():
        cache = DiskCache(tmp_path / "shared", 64 * 2**20)
        pool = LocalPool(workers=2, queue_limit=4, timeout=60, recycle_after=100, retry_after=3,
                         cache_spec=("disk", str(tmp_path / "shared"), 64 * 2**20))
        await pool.start()
        try:
            services = [RenderService(s, pool, cache) for s in settings]
            stamps = [s.stamp(choice, CREATED) for s in services]
            results = await asyncio.gather(*(s.render(choice, images=False) for s in services))
            return stamps, results, pool.stats, [services[0].file(r.fingerprint) for r in results]
        finally:
            await pool.close()

    stamps, results, stats, files = asyncio.run(scenario())
    assert len(set(stamps)) == 3
    assert len({r.fingerprint for r in results}) == 3
    assert stats.coalesced == 0 and stats.completed == 3
    texts = [pdf_text(data, tmp_path) for data in files]
    assert "555-0" not in texts[0] and NAME not in texts[0]
    assert "555-0100" in texts[1] and "555-0142" not in texts[1]
    assert "555-0142" in texts[2] and "555-0100" not in texts[2]


def test_a_tagline_catalog_is_part_of_the_cache_key(tmp_path):
    """A clinic's language-assistance notice quotes other languages' catalogs: editing one changes
    the key of every clinic file (else the server would keep a stale tagline)."""
    from leaflets.web.service import Choice, RenderService
    locales = tmp_path / "locales"
    shutil.copytree(ROOT / "locales", locales)
    service = RenderService(settings_for(tmp_path, locales_dir=locales, brand=BRAND), pool=None, cache=None)
    generic = RenderService(settings_for(tmp_path, locales_dir=locales), pool=None, cache=None)
    choice = Choice("atopic-dermatitis", "en", "pdf", "a4")
    before, generic_before = service.stamp(choice, CREATED), generic.stamp(choice, CREATED)
    with open(locales / "vi.po", "a", encoding="utf-8") as catalog:
        catalog.write("\n")
    assert service.stamp(choice, CREATED) != before
    assert generic.stamp(choice, CREATED) == generic_before  # an English generic file does not read vi.po


@pytest.mark.parametrize("old,new,line,message", [
    ('primary: river', 'primary: "#7FB3D5"', 26, "contrast"),
    ('  phone: "555-0100"\n  hours', '  phone: "555 0100"\n  hours', 36, "phone"),
    ("languages: [en, es, zh-Hans, ar, vi, ko, ru]", "languages: [en, es, tlh]", 46, "'tlh'"),
])
def test_a_bad_brand_file_stops_the_server_before_it_starts(tmp_path, old, new, line, message):
    from leaflets.errors import LeafletsError
    bad = brand_copy(tmp_path, old, new)
    result = run_cli("serve", "--project", str(ROOT), "--port", "0", "--brand", str(bad), cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr and "serving" not in result.stdout
    assert re.search(rf"error: .*_brand\.yml:{line}:\d+: .*{re.escape(message)}", result.stderr), result.stderr
    with pytest.raises(LeafletsError) as refused:  # the library's Settings check the same
        settings_for(tmp_path, brand=bad)
    assert refused.value.diagnostics[0].line == line
    assert not (tmp_path / ".leaflets-cache").exists()  # nothing was written


def test_brand_options_as_build_takes_them(tmp_path):
    from leaflets.cli import _brand_file
    from leaflets.project import Project
    missing = run_cli("serve", "--brand", str(tmp_path / "nope.yml"), cwd=tmp_path)
    assert missing.returncode == 2 and "no such file" in missing.stderr and "Traceback" not in missing.stderr
    folder = tmp_path / "project"
    (folder / "content").mkdir(parents=True)
    (folder / "locales").mkdir()
    project = Project.in_folder(folder)
    assert _brand_file(project, None) is None  # no _brand.yml: the generic edition
    shutil.copy(BRAND, folder / "_brand.yml")
    assert _brand_file(project, None) == (folder / "_brand.yml").resolve()  # the project's brand by default
    assert _brand_file(project, Path("none")) is None  # --brand none: the generic edition
    assert _brand_file(project, BRAND) == BRAND.resolve()
