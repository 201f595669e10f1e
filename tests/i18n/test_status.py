"""What translators are told: status (text and JSON), verbose listings, layout fit."""

from __future__ import annotations

import json
import re

from tests.i18n.test_workflow import cli, copy, edit_source, small_copy  # noqa: F401 - fixture


def test_status_json_has_per_locale_and_per_topic_counts(copy):
    result = cli(copy, "locales", "status", "--format", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    rows = {row["locale"]: row for row in data["locales"]}
    assert set(rows) >= {"en", "es", "ar", "zh-Hans"}
    es = rows["es"]
    assert es["complete"] and es["translated"] == es["total"] > 100 and es["fuzzy"] == 0
    assert es["review"] == "draft: not reviewed"
    assert [t["topic"] for t in es["topics"]] == ["atopic-dermatitis"]
    topic = es["topics"][0]
    assert topic["draft"] is True and es["files"] == ["locales/es.po"] and es["shipped"] is True
    assert topic["review"]["state"] == "draft" and topic["review"]["reviewer"] is None
    assert topic["fits"] is True  # JSON lays out every complete shipped language
    assert data["schema_version"] == 2 and data["complete"] is True


def test_verbose_lists_fuzzy_and_untranslated_with_lines(copy):
    edit_source(copy, '"Medicine for skin infections"', '"Medicines for skin infections"')
    assert cli(copy, "locales", "update").returncode == 0
    po = (copy / "locales" / "es.po").read_text(encoding="utf-8").splitlines()
    line = po.index('msgid "Medicines for skin infections"') + 1
    out = cli(copy, "locales", "status", "--verbose").stdout
    assert f"  locales/es.po:{line}: fuzzy: 'Medicines for skin infections'" in out, out
    data = json.loads(cli(copy, "locales", "status", "--format", "json").stdout)
    es = next(r for r in data["locales"] if r["locale"] == "es")
    assert es["fuzzy_entries"] == [{"file": "locales/es.po", "line": line, "msgid": "Medicines for skin infections"}]


def test_a_translation_too_long_for_the_page_fails_check_and_strict_status(small_copy):
    copy = small_copy  # check lays out every language in it
    po = copy / "locales" / "es.po"
    text = po.read_text(encoding="utf-8")
    start = text.index('msgid ""\n"Atopic dermatitis is the most common type of eczema.')
    msgstr = text.index("msgstr", start)
    end = text.index("\n\n", msgstr)
    sentence = "La piel seca pica mucho y necesita cuidados diarios con cremas hidratantes suaves. "
    long_text = text[:msgstr] + 'msgstr ""\n' + "\n".join(f'"{sentence}"' for _ in range(40))[:-2] + '."' + text[end:]
    po.write_text(long_text, encoding="utf-8")
    line = long_text[:start].count("\n") + 1
    check = cli(copy, "check")
    assert check.returncode == 1
    assert re.search(rf"locales/es\.po:{line}:1: \[fit\] the es atopic-dermatitis handout needs \d+ pages on a4 "
                     r"paper \(the limit is 2\); shorten msgid 'Atopic dermatitis is the most common type of ec"
                     r"\.\.\.' \(\+\d+ characters against the English\)", check.stderr), check.stderr
    assert check.stderr.count("[fit]") == 2  # A4 and Letter; the other strings are not blamed
    strict = cli(copy, "locales", "status", "--strict", "--locale", "es")
    assert strict.returncode == 1 and f"locales/es.po:{line}:1: [fit]" in strict.stdout


def test_unknown_tag_shaped_catalog_is_reported_not_a_crash(small_copy):
    copy = small_copy  # check lays out every language in it
    (copy / "locales" / "xx-Qqqq.po").write_text('msgid ""\nmsgstr ""\n', encoding="utf-8")
    check = cli(copy, "check")
    assert check.returncode == 1 and "Traceback" not in check.stderr
    assert "locales/xx-Qqqq.po: 'xx-Qqqq' is not a locale Babel (CLDR) knows" in check.stderr
    status = cli(copy, "locales", "status")  # listed, and bad input: exit 1 even without --strict
    assert status.returncode == 1 and "xx-Qqqq.po" in status.stderr and re.search(r"^de +\d+/", status.stdout, re.M)


def test_a_character_no_font_draws_fails_strict_status_at_its_line(copy):
    po = copy / "locales" / "es.po"
    text = po.read_text(encoding="utf-8")
    text = text.replace('msgstr "Medicamentos para las infecciones de la piel"', 'msgstr "Medicamentos para las infecciones de la piel ሰ"', 1)
    assert "ሰ" in text
    po.write_text(text, encoding="utf-8")
    line = text[:text.index('msgstr "Medicamentos para las infecciones de la piel ሰ"')].count("\n")  # the msgid line above it
    strict = cli(copy, "locales", "status", "--strict", "--locale", "es")
    assert strict.returncode == 1
    assert (f"locales/es.po:{line}:1: [glyphs] locale es: msgid 'Medicine for skin infections': character 'ሰ' (U+1230 ETHIOPIC "
            "SYLLABLE SA)") in strict.stdout, strict.stdout


def test_a_slide_overflow_is_reported_at_its_po_line(project, loaded):
    from leaflets.build import load_translations
    from leaflets.document import DECK
    from leaflets.fit import _string_overflow
    from leaflets.render.pptx import SlideOverflow

    translations = load_translations(project, "de")
    msgid = "Medicine for skin infections"
    finding = _string_overflow(loaded, translations, DECK, SlideOverflow("de", 7, "title", msgid, 24), "de")
    assert (finding.slide, finding.msgid, finding.kind) == (7, msgid, "deck")
    assert str(finding.diagnostic()) == (f"locales/de.po:{translations.line_of(msgid)}:1: [fit] de: slide 7 (title): "
                               f"{msgid!r} does not fit its box even at 24 pt; shorten the translation")
