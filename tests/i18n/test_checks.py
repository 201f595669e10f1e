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


# ------------------------------------------- punctuation inside CJK and Arabic-script text (issue 15)
INSIDE_CASES = [
    ("Dry skin, itching and redness.", "皮肤干燥,瘙痒和发红。", "zh-Hans",
     [("punctuation", "ASCII ',' inside Chinese text ('皮肤干燥,瘙痒和发红。'); write '，' (or '、' between the items "
                      "of a list)")]),
    ("Important: see a doctor.", "重要:请看医生。", "zh-Hans",
     [("punctuation", "ASCII ':' inside Chinese text ('重要:请看医生。'); write '：'")]),
    ("Is it eczema? Ask a nurse.", "是湿疹吗?请询问护士。", "zh-Hant",
     [("punctuation", "ASCII '?' inside Chinese text ('是湿疹吗?请询问护士。'); write '？'")]),
    ("<b>Creams</b>; tablets.", "<b>乳膏</b>;片剂。", "zh-Hans",  # tags are transparent
     [("punctuation", "ASCII ';' inside Chinese text ('乳膏;片剂。'); write '；'")]),
    ("Dry skin, itching.", "肌の乾燥,かゆみ。", "ja",
     [("punctuation", "ASCII ',' inside Japanese text ('肌の乾燥,かゆみ。'); write '、' or '，'")]),
    ("Dry skin, itching; redness?", "جفاف الجلد, حكة; احمرار؟", "ar",
     [("punctuation", "ASCII ',' inside Arabic-script text ('…اف الجلد, حكة; اح…'); write '،'"),
      ("punctuation", "ASCII ';' inside Arabic-script text ('…جلد, حكة; احمرار؟'); write '؛'")]),
    ("Is it eczema? Ask.", "آیا اگزما است? بپرسید.", "fa",
     [("punctuation", "ASCII '?' inside Arabic-script text ('…گزما است? بپرسید.'); write '؟'")]),
    ("Dry skin, itching.", "خشک جلد, خارش۔", "ur",
     [("punctuation", "ASCII ',' inside Arabic-script text ('خشک جلد, خارش۔'); write '،'")]),
    ("EASI-50: {share}", "EASI-50:{share}的患者", "zh-Hans", []),  # between a Latin run and a placeholder
    ("EASI-50: cells", "EASI-50:细胞组", "zh-Hans",
     [("punctuation", "ASCII ':' inside Chinese text ('EASI-50:细胞组'); write '：'")]),
]

INSIDE_PASSES = [
    ("Upadacitinib, abrocitinib (JAK1)", "Upadacitinib, abrocitinib（JAK1）", "zh-Hans"),  # a Latin run
    ("IL-4, IL-13 and IL-31", "IL-4, IL-13和IL-31", "zh-Hans"),
    ("Search https://clinicaltrials.gov/search?cond=eczema,msc now", "搜索https://clinicaltrials.gov/search?cond=eczema,msc", "zh-Hans"),
    ("{trial_followup}: {share}", "{trial_followup}:{share}", "zh-Hans"),  # placeholders are not text
    ("Source: Hanifin JM. Dermatitis. 2007;18(2):82-91", "来源：Hanifin JM. Dermatitis. 2007;18(2):82-91", "zh-Hans"),
    ("Is it eczema? Ask.", "습진인가요? 물어보세요.", "ko"),  # Korean uses Western punctuation
    ("Important: see a doctor.", "مهم: راجع الطبيب.", "ar"),  # the ASCII colon is normal in Arabic script
    ("Upadacitinib, abrocitinib", "أوباداسيتينيب وأبروسيتينيب (upadacitinib, abrocitinib)", "ar"),
    ("See doi:10.1002/stem.2401, page 3", "انظر doi:10.1002/stem.2401، الصفحة", "ar"),
]


@pytest.mark.parametrize("source, translation, language, expected", INSIDE_CASES,
                         ids=[f"{c[2]}-{i}" for i, c in enumerate(INSIDE_CASES)])
def test_ascii_punctuation_inside_cjk_and_arabic_script(source, translation, language, expected):
    assert check_text(source, translation, language=language) == expected


@pytest.mark.parametrize("source, translation, language", INSIDE_PASSES,
                         ids=[f"{c[2]}-{i}" for i, c in enumerate(INSIDE_PASSES)])
def test_ascii_punctuation_outside_script_text_passes(source, translation, language):
    assert check_text(source, translation, language=language) == []


def test_final_ascii_mark_is_reported_once():
    """The sentence-final mark has its own finding; the inside check does not repeat it."""
    assert check_text("What is it?", "这是什么?", language="zh-Hans") == [
        ("punctuation", "ends with ASCII '?'; Chinese text ends a sentence with '？'")]


# ------------------------------------------- English left in a non-Latin catalog (issue 15)
def _english(fragment: str) -> tuple[str, str]:
    return ("english", f"{fragment!r} looks like English left untranslated; only names, acronyms, units and drug "
                       "names stay in Latin script")


ENGLISH_CASES = [
    ("Use a moisturiser every day.", "每天使用 moisturiser every day。", "zh-Hans", [_english("moisturiser every day")]),
    ("Dupilumab and tralokinumab", "度普利尤单抗 and 曲罗芦单抗", "zh-Hans", [_english("and")]),
    ("Ruxolitinib cream", "芦可替尼（ruxolitinib cream）", "zh-Hans", [_english("ruxolitinib cream")]),
    ("Moderate-to-severe disease", "moderate-to-severe 질환", "ko", [_english("moderate-to-severe")]),
    ("Talk to your doctor.", "कृपया Talk to your डॉक्टर से बात करें।", "hi", [_english("Talk to your")]),
    ("Search for it.", 'ابحث عن "atopic dermatitis".', "ar", [_english("atopic dermatitis")]),
    ("MSCs and IgE", "الخلايا MSC and IgE", "fa", [_english("MSC and IgE")]),
]

ENGLISH_PASSES = [
    ("Dupilumab", "دوبيلوماب (dupilumab)", "ar"),  # an INN beside its transliteration
    ("Tacrolimus, pimecrolimus, crisaborole, ruxolitinib",
     "他克莫司（tacrolimus）、吡美莫司（pimecrolimus）、克立硼罗（crisaborole）、芦可替尼（ruxolitinib）", "zh-Hans"),
    ("Upadacitinib, abrocitinib", "أوباداسيتينيب وأبروسيتينيب (upadacitinib, abrocitinib)", "ar"),
    ("Axicabtagene ciloleucel", "阿基仑赛（axicabtagene ciloleucel）", "zh-Hans"),  # a two-word INN
    ("Certolizumab pegol", "सर्टोलिज़ुमैब (certolizumab pegol)", "hi"),
    ("EASI-50 at {seo_followup}", "{seo_followup}时的EASI-50", "zh-Hans"),  # acronyms and trial endpoints
    ("Serum IgE, IL-4Rα, JAK1 (FDA)", "血清IgE、IL-4Rα、JAK1（FDA）", "zh-Hans"),
    ("{seo_dose} cells/kg, hUCB-MSCs, phase I/IIa", "每次{seo_dose}个细胞/kg，hUCB-MSCs，I/IIa期", "zh-Hans"),
    ("Kim (n), remestemcel-L", "Kim（n），remestemcel-L", "ko"),  # a name, the sample size, a product
    ('Search in English for "atopic dermatitis" and "mesenchymal".',
     "用英文搜索“atopic dermatitis”和“mesenchymal”。", "zh-Hans"),  # quoted as in the source: a mention
    ("Search ClinicalTrials.gov and trialsearch.who.int.", "搜索ClinicalTrials.gov和trialsearch.who.int。", "zh-Hans"),
    ("See https://www.aad.org/public/diseases/eczema now.", "请看https://www.aad.org/public/diseases/eczema。", "zh-Hans"),
    ("Seo et al. reported it in vitro.", "Seo et al.在体外（in vitro）报告了这一点。", "zh-Hans"),
    ("Staphylococcus aureus", "金黄色葡萄球菌（Staphylococcus aureus）", "zh-Hans"),
    ("the Eczema Area and Severity Index", "индекса EASI (Eczema Area and Severity Index)", "ru"),  # a scale's name
    ("Moisturise every day.", "Hidrátese every day.", "es"),  # a Latin-script catalog: not this check's concern
]


@pytest.mark.parametrize("source, translation, language, expected", ENGLISH_CASES,
                         ids=[f"{c[2]}-{i}" for i, c in enumerate(ENGLISH_CASES)])
def test_english_left_in_a_non_latin_catalog(source, translation, language, expected):
    assert check_text(source, translation, language=language) == expected


@pytest.mark.parametrize("source, translation, language", ENGLISH_PASSES,
                         ids=[f"{c[2]}-{i}" for i, c in enumerate(ENGLISH_PASSES)])
def test_latin_names_acronyms_units_and_drugs_pass(source, translation, language):
    assert check_text(source, translation, language=language) == []


def test_an_untranslated_copy_of_the_source_is_left_to_the_same_check():
    """One finding for a string nobody translated, with its same_as_source escape, not two."""
    source = "Talk to your doctor or nurse"
    assert check_text(source, source, language="zh-Hans") == [SAME]
    assert check_text(source, source, rule=Rule(same_as_source=True), language="zh-Hans") == []


def test_script_findings_name_file_line_and_msgid(tmp_path):
    po = tmp_path / "ar.po"
    po.write_text('msgid ""\nmsgstr ""\n"Language: ar\\n"\n"Content-Type: text/plain; charset=utf-8\\n"\n\n'
                  'msgid "Dry skin, itching."\nmsgstr "جفاف الجلد, وحكة."\n\n'
                  'msgid "MSCs and IgE"\nmsgstr "الخلايا MSC and IgE"\n', encoding="utf-8")
    translations = read_catalog(po, "ar")
    assert [str(f.diagnostic()) for f in translations.findings] == [
        f"{po}:6:1: [punctuation] msgid 'Dry skin, itching.': ASCII ',' inside Arabic-script text "
        "('…اف الجلد, وحكة.'); write '،'",
        f"{po}:9:1: [english] msgid 'MSCs and IgE': 'MSC and IgE' looks like English left untranslated; only names, "
        "acronyms, units and drug names stay in Latin script",
    ]
    assert translations.entries == {}


def test_digit_runs_are_the_characters_of_category_nd():
    """The checks find numbers with ``\\d`` (issue 21: a per-character loop was a tenth of reading
    a catalog); in a str pattern it is exactly Unicode's decimal digits, every script's."""
    import sys
    import unicodedata

    from leaflets.i18n.checks import _number_runs
    digits = "".join(chr(c) for c in range(sys.maxunicode + 1) if unicodedata.category(chr(c)) == "Nd")
    assert _number_runs(digits) == [digits]
    assert _number_runs("a ² ½ Ⅻ ① {n1} ٣ x३") == ["٣", "३"]  # other numbers are not digits; placeholders skipped


def test_a_string_without_escapes_is_its_own_text():
    from leaflets.i18n.po import PoSyntaxError, unquote
    assert unquote('"Atopic dermatitis ٣ ✓"') == "Atopic dermatitis ٣ ✓"
    assert unquote(r'"a\"b\\c\n\101"') == 'a"b\\c\nA'
    with pytest.raises(PoSyntaxError):
        unquote('"a"b"')
