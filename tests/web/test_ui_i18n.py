"""The pages' own words go through gettext: the template catalog is current, every interface catalog
is complete and passes the same checks as a topic's, and a page is in the language asked for."""

from __future__ import annotations

from pathlib import Path

from leaflets.web.i18n import LOCALES_DIR, UiCatalogs, extract


def test_the_template_catalog_is_current():
    assert (LOCALES_DIR / "web.pot").read_bytes() == extract(), \
        "interface strings changed: rewrite leaflets/web/locales/web.pot (see TRANSLATING.md, 'The web pages')"


def test_every_interface_catalog_is_complete_and_clean():
    from leaflets.i18n.catalogs import open_catalog
    template = {m.msgid for m in open_catalog(LOCALES_DIR / "web.pot")}
    catalogs = UiCatalogs()
    assert catalogs.problems == []
    assert set(catalogs.tags()) >= {"en", "es", "ar"}
    for path in sorted(Path(LOCALES_DIR).glob("*.po")):
        language = catalogs.languages[path.stem]
        assert set(language.entries) == template, path.name


def test_a_check_failure_in_an_interface_catalog_is_reported_not_shown(tmp_path):
    (tmp_path / "es.po").write_text('msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n'
                                    'msgid "Files of {title}"\nmsgstr "Archivos de {titulo}"\n', encoding="utf-8")
    catalogs = UiCatalogs(tmp_path)
    assert any("es.po:4" in p and "placeholders" in p for p in catalogs.problems)
    assert catalogs.languages["es"].gettext("Files of {title}", title="X") == "Files of X"


def test_the_page_language_follows_the_choice_and_the_browser(client):
    spanish = client.get("/catalogue", params={"ui": "es"})
    assert '<html lang="es" dir="ltr">' in spanish.text and "Catálogo" in spanish.text
    arabic = client.get("/catalogue", headers={"Accept-Language": "ar-EG,ar;q=0.9,en;q=0.5"})
    assert '<html lang="ar" dir="rtl">' in arabic.text and "الفهرس" in arabic.text
    unknown = client.get("/catalogue", params={"ui": "<x>"}, headers={"Accept-Language": "tlh"})
    assert '<html lang="en" dir="ltr">' in unknown.text
