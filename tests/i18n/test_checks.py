"""One failing case per translation check, with the exact message."""

from __future__ import annotations

import pytest

from leaflets.i18n.catalog import read_catalog
from leaflets.i18n.rules import NO_RULE, Rule
from leaflets.i18n.checks import check_message, check_text

CASES = [
    ("About {share}.", "Unos {share} y {extra}.",
     [("placeholders", "unknown placeholder {extra}; the source has {share}")]),
    ("About {share}.", "Unos pocos.", [("placeholders", "placeholder {share} is missing")]),
    ("About {share}.", "Unos {Share}.", [("placeholders", "malformed placeholder {Share}; did you mean {share}?")]),
    ("Children.", "Niños 18.",
     [("numbers", "number '18' is not in the source; numbers must come from placeholders")]),
    ("Children.", "أطفال ١٨.",
     [("numbers", "number '١٨' (Arabic-Indic digits) is not in the source; numbers must come from placeholders")]),
    ("Children.", "बच्चे १८.",
     [("numbers", "number '१८' (Devanagari digits) is not in the source; numbers must come from placeholders")]),
    ("<b>Important:</b> read this.", "<b>Importante: lea esto.", [("markup", "tag <b> is opened but never closed")]),
    ("Read this.", '<a href="x">Lea</a> esto.', [("markup", 'tag <a href="x"> is not allowed; only <b> and <i> are')]),
    ("Read this.", "Lea &amp; esto.", [("markup", "entity &amp; is not allowed; write the character itself")]),
    ("<b>Important:</b> read this.", "Importante: lea esto.",
     [("markup", "emphasis differs from the source: source has <b>×1, translation has no emphasis")]),
    ("Read this.", "Lea\u202e esto.",
     [("characters", "bidi control character U+202E RIGHT-TO-LEFT OVERRIDE; text direction is handled by the renderer")]),
    ("Read this.", "Lea\u2067 esto.",
     [("characters", "bidi control character U+2067 RIGHT-TO-LEFT ISOLATE; text direction is handled by the renderer")]),
    ("Read this.", "Lea\u200b esto.", [("characters", "invisible character U+200B ZERO WIDTH SPACE")]),
    ("Read this.", "Lea\u200d esto.", [("characters", "U+200D ZERO WIDTH JOINER outside a script that uses it")]),
    ("Read this.", "Lea\x07 esto.", [("characters", "control character U+0007 control")]),
    ("Read this.", " Lea esto.", [("whitespace", "leading whitespace differs from the source")]),
    ("Read this.", "Lea esto. ", [("whitespace", "trailing whitespace differs from the source")]),
    ("Read this.", "Lea esto", [("punctuation", "has no final punctuation but the source ends with '.'")]),
    ("Title", "Título.", [("punctuation", "ends with '.'-type punctuation but the source has no final punctuation")]),
    ("What is it?", "Qué es.", [("punctuation", "ends with '.'-type punctuation but the source ends with '?'")]),
]


@pytest.mark.parametrize("source, translation, expected", CASES, ids=[f"{c[2][0][0]}-{i}" for i, c in enumerate(CASES)])
def test_each_check_reports_exactly(source, translation, expected):
    assert check_text(source, translation) == expected


@pytest.mark.parametrize("source, translation", [
    ("What is it?", "这是什么？"), ("What is it?", "ما هو؟"), ("It ends.", "यह खत्म होता है।"),
    ("It ends.", "结束。"), ("Phase I/IIa trial ({trial_year})", "Фаза I/IIa ({trial_year} г.)"),
    ("Dry skin", "皮肤干燥"), ("Contact your doctor:", "Contactez votre médecin :"),
    ("Read this.", "क्\u200dष पढ़ें।"), ("Th1/Th2 imbalance", "Дисбаланс Th1/Th2"),
])
def test_script_aware_equivalents_pass(source, translation):
    assert check_text(source, translation) == []


def test_plural_entry_must_have_every_form():
    problems = check_message(("{n} adult", "{n} adults"), ("{n} взрослый", "{n} взрослых"), plural=True, nplurals=3)
    assert problems == [("plurals", "has 2 plural forms; the catalog's Plural-Forms needs 3")]
    problems = check_message(("{n} adult", "{n} adults"), ("{n} взрослый", "", "{n} взрослых"), plural=True, nplurals=3)
    assert problems == [("plurals", "plural form msgstr[1] is empty")]


def test_findings_name_file_line_and_msgid(tmp_path):
    po = tmp_path / "es.po"
    po.write_text('msgid ""\nmsgstr ""\n"Language: es\\n"\n"Content-Type: text/plain; charset=utf-8\\n"\n\n'
                  'msgid "About {share} of children."\nmsgstr "Alrededor del 10 % de los niños."\n', encoding="utf-8")
    translations = read_catalog(po, "es")
    assert "About {share} of children." not in translations.entries  # never shown in a build
    messages = [str(f.diagnostic()) for f in translations.findings]
    assert messages == [
        f"{po}:6:1: [placeholders] msgid 'About {{share}} of children.': placeholder {{share}} is missing",
        f"{po}:6:1: [numbers] msgid 'About {{share}} of children.': number '10' is not in the source; "
        "numbers must come from placeholders",
    ]



# ------------------------------------------------------- checks added for issue 7
SAME = ("same", "the translation is identical to the English source; translate it (if it is right as it is, ask the "
                "maintainers to list it under translation: same_as_source in the topic)")
NEW_CASES = [
    ("Talk to your doctor today.", "Talk to your doctor today.", NO_RULE, "es", [SAME]),
    ("Talk to your doctor today.", "Talk to your doctor today.", Rule(same_as_source=True), "es", []),
    ("Dupilumab (IgE)", "Dupilumab (IgE)", NO_RULE, "es", []),  # under three words: names stay
    ("Severity in US children with eczema", "Schweregrad bei Kindern mit Ekzem in den Vereinigten Staaten von "
     "Amerika laut einer landesweiten Befragung von Eltern", Rule(max_length=60), "de",
     [("length", "is 117 characters long (placeholders and tags not counted); the limit (the layout's length "
                 "budget) is 60")]),
    ("EASI-50 in {share}", "EASI-50 bei {share} der Gruppe", Rule(max_length=25), "de", []),
    ("Dry skin is common.", "皮肤干燥很常见.", NO_RULE, "zh-Hans",
     [("punctuation", "ends with ASCII '.'; Chinese text ends a sentence with '。'")]),
    ("What is it?", "这是什么?", NO_RULE, "zh-Hans",
     [("punctuation", "ends with ASCII '?'; Chinese text ends a sentence with '？'")]),
    ("What is it?", "ما هو?", NO_RULE, "ar",
     [("punctuation", "ends with ASCII '?'; Arabic text ends a sentence with '؟'")]),
    ("It ends.", "यह खत्म होता है.", NO_RULE, "hi",
     [("punctuation", "ends with ASCII '.'; Devanagari text ends a sentence with '।' or '॥'")]),
    ("It ends.", "انتهى.", NO_RULE, "ar", []),  # Arabic ends statements with '.'
]


@pytest.mark.parametrize("source, translation, rule, language, expected", NEW_CASES,
                         ids=[f"{c[3]}-{i}" for i, c in enumerate(NEW_CASES)])
def test_new_checks_report_exactly(source, translation, rule, language, expected):
    assert check_text(source, translation, rule=rule, language=language) == expected


def test_new_findings_name_their_po_line(tmp_path):
    po = tmp_path / "zh-Hans.po"
    po.write_text('msgid ""\nmsgstr ""\n"Language: zh_Hans\\n"\n"Content-Type: text/plain; charset=utf-8\\n"\n\n'
                  '#, max-length:10\nmsgid "Dry skin"\nmsgstr "皮肤非常非常非常非常非常干燥"\n\n'
                  'msgid "Talk to your doctor today."\nmsgstr "Talk to your doctor today."\n\n'
                  'msgid "It ends."\nmsgstr "结束."\n', encoding="utf-8")
    translations = read_catalog(po, "zh-Hans", {"Dry skin": Rule(max_length=10)})
    assert [str(f.diagnostic()) for f in translations.findings] == [
        f"{po}:7:1: [length] msgid 'Dry skin': is 14 characters long (placeholders and tags not counted); "
        "the limit (the layout's length budget) is 10",
        f"{po}:10:1: [punctuation] msgid 'Talk to your doctor today.': ends with ASCII '.'; Chinese text ends a "
        "sentence with '。'",
        f"{po}:10:1: [same] msgid 'Talk to your doctor today.': {SAME[1]}",
        f"{po}:13:1: [punctuation] msgid 'It ends.': ends with ASCII '.'; Chinese text ends a sentence with '。'",
    ]
    assert translations.entries == {}  # none of them is ever printed
