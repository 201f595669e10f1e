"""Catalogs in progress (locales/LINGUAS) and regional overlays (es-US.po over es.po)."""

from __future__ import annotations

import json
import re

from leaflets.i18n.catalogs import catalog_bytes, open_catalog, write_atomic
from tests.i18n.test_review import REVIEWER, review
from tests.i18n.test_workflow import SMALL_COPY, TOPIC, cli, copy, fill, pdf_text, small_copy  # noqa: F401 - fixture

SHIPPED = "ar de es fr hi ko ru vi zh-Hans"


def _half_translated_italian(copy):
    assert cli(copy, "locales", "init", "it").returncode == 0
    po = copy / "locales" / "it.po"
    fill(po, "it")
    catalog = open_catalog(po, "it")
    for message in catalog.messages[::2]:
        message.msgstr = ("",) * len(message.msgstr)
    write_atomic(po, catalog_bytes(catalog))


def test_a_catalog_in_progress_does_not_fail_the_default_build(small_copy):
    copy = small_copy  # a default build and strict status lay out every language in it
    _half_translated_italian(copy)
    (copy / "locales" / "LINGUAS").write_text(f"# languages that ship\n{' '.join(SMALL_COPY)}\n", encoding="utf-8")
    built = cli(copy, "build", "--format", "pptx", "--out", str(copy / "out"))
    assert built.returncode == 0, built.stderr
    assert not (copy / "out" / "it").exists() and (copy / "out" / "es").exists() and (copy / "out" / "de").exists()
    status = cli(copy, "locales", "status")
    assert re.search(r"^it +\d+/\d+ .*\(in progress: not in locales/LINGUAS\)$", status.stdout, re.M), status.stdout
    strict = cli(copy, "locales", "status", "--strict", "--format", "json")  # every shipped language laid out
    assert strict.returncode == 0, strict.stdout + strict.stderr
    data = json.loads(strict.stdout)
    italian = next(row for row in data["locales"] if row["locale"] == "it")
    assert italian["shipped"] is False and italian["complete"] is False and data["complete"] is True
    preview = cli(copy, "build", "--locale", "it", "--format", "pptx", "--out", str(copy / "preview"))
    assert preview.returncode == 1 and "untranslated" in preview.stderr  # a preview still says what is missing


def test_without_linguas_every_catalog_ships(small_copy):
    copy = small_copy  # a default build and strict status lay out every language in it
    _half_translated_italian(copy)
    built = cli(copy, "build", "--format", "pptx", "--out", str(copy / "out"))
    assert built.returncode == 1 and "it.po" in built.stderr
    strict = cli(copy, "locales", "status", "--strict", "--locale", "it")
    assert strict.returncode == 1 and "not complete: it" in strict.stderr


def test_a_wrong_linguas_entry_is_named_at_its_line(copy):
    (copy / "locales" / "LINGUAS").write_text(f"{SHIPPED}\n\nxx-QQ pt-BR\n", encoding="utf-8")
    strict = cli(copy, "locales", "status", "--strict", "--locale", "es")
    assert strict.returncode == 1 and "Traceback" not in strict.stderr
    assert "locales/LINGUAS:3:1: 'xx-QQ' is not a locale Babel (CLDR) knows" in strict.stdout
    assert "locales/LINGUAS:3:1: 'pt-BR' is listed as shipped but there is no pt-BR.po" in strict.stdout
    assert "2 problem(s) with the catalog files" in strict.stderr


def _us_spanish(copy, translation: str) -> None:
    """es-US.po with one regional wording; every other entry empty (it falls back to es.po)."""
    assert cli(copy, "locales", "init", "es-US").returncode == 0
    po = copy / "locales" / "es-US.po"
    catalog = open_catalog(po, "es-US")
    catalog.find("Medicine for skin infections").msgstr = (translation,)
    write_atomic(po, catalog_bytes(catalog))


def test_a_regional_catalog_overrides_message_by_message(copy):
    _us_spanish(copy, "Medicinas para infecciones de la piel")
    built = cli(copy, "build", "--locale", "es-US", "--format", "pdf", "--paper", "letter", "--out", str(copy / "out"))
    assert built.returncode == 0, built.stderr
    handout = pdf_text(copy / "out" / "es-US" / f"{TOPIC}-handout-letter.pdf")
    assert "Medicinas para infecciones de la piel" in handout  # es-US.po's wording
    assert "Medicamentos para las infecciones de la piel" not in handout
    assert "Dermatitis atópica" in handout  # everything else from es.po
    status = cli(copy, "locales", "status")
    assert re.search(r"^es-US +(\d+)/\1 .*\(1 own entries over locales/es\.po\)$", status.stdout, re.M), status.stdout


def test_a_regional_review_covers_what_it_takes_from_the_language(copy):
    _us_spanish(copy, "Medicinas para infecciones de la piel")
    assert review(copy, "es-US").returncode == 0
    assert re.search(rf"^es-US .*reviewed by {REVIEWER}", cli(copy, "locales", "status").stdout, re.M)
    es = copy / "locales" / "es.po"
    es.write_text(es.read_text(encoding="utf-8").replace('msgstr "Dermatitis atópica (eccema)"',
                                                          'msgstr "Dermatitis atópica (eczema)"', 1), encoding="utf-8")
    status = cli(copy, "locales", "status").stdout
    assert re.search(rf"^es-US .*draft: changed since the review by {REVIEWER}", status, re.M), status
    diff = cli(copy, "locales", "review", "es-US", "--diff").stdout
    assert "locales/es.po:" in diff and "+ now:      Dermatitis atópica (eczema)" in diff
