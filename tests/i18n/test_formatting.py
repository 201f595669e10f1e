"""Babel formatting of every fact kind, per locale."""

from __future__ import annotations

import datetime as dt

import pytest

from leaflets.i18n import formatting as fmt

NBSP, NNBSP = "\u00a0", "\u202f"


@pytest.mark.parametrize("locale, expected", [
    ("en", "10.7%"), ("es", f"10,7{NBSP}%"), ("de", f"10,7{NBSP}%"), ("fr", f"10,7{NBSP}%"),
])
def test_percent_uses_the_locale_pattern(locale, expected):
    assert fmt.format_percent_value(10.7, None, locale) == expected


def test_percent_keeps_whole_numbers_whole():
    assert fmt.format_percent_value(55, None, "en") == "55%"
    assert fmt.format_percent_value(33.0, None, "es") == f"33{NBSP}%"
    assert fmt.format_percent_value(12.345, 1, "en") == "12.3%"


@pytest.mark.parametrize("locale, expected", [
    ("en", "17.8 million"), ("es", "17,8 millones"), ("de", "17,8 Millionen"), ("zh-Hans", "1780万"),
])
def test_large_counts_are_compact(locale, expected):
    assert fmt.format_large_count(17_800_000, 1, locale.replace("-", "_")) == expected


def test_cell_dose_has_times_sign_and_superscript_exponent():
    assert fmt.format_cell_dose(2.5, 7, 1, "en") == f"2.5{NBSP}×{NBSP}10⁷"
    assert fmt.format_cell_dose(5.0, 7, 1, "es") == f"5,0{NBSP}×{NBSP}10⁷"
    # one digit system in the whole dose: superscript digits exist only in Latin
    assert fmt.format_cell_dose(5.0, 7, 1, "ar", "arab") == f"5.0{NBSP}×{NBSP}10⁷"
    assert fmt.format_number(0.038, 3, "en") == "0.038" and fmt.format_number(0.038, 3, "de") == "0,038"
    assert fmt.format_cell_dose(1.25, -3, 2, "de") == f"1,25{NBSP}×{NBSP}10⁻³"


@pytest.mark.parametrize("locale, value, unit, expected", [
    ("en", 12, "week", "12 weeks"), ("en", 1, "month", "1 month"), ("es", 12, "week", "12 semanas"),
    ("es", 1, "month", "1 mes"), ("de", 12, "week", "12 Wochen"), ("hi", 12, "week", "12 सप्ताह"),
])
def test_durations_use_cldr_units(locale, value, unit, expected):
    assert fmt.format_duration(value, unit, locale) == expected


def test_a_plural_category_without_a_unit_pattern_takes_the_other_pattern():
    """CLDR: a missing plural form falls back to "other".  This raised "no pattern for 1
    month(s)" for every such locale, and for Vietnamese once Babel 2.19 (CLDR 48) gave it
    a "one" category its units lack."""
    from babel import Locale

    machame = Locale.parse("jmc")
    assert machame.plural_form(1) == "one"
    assert not any("one" in forms for forms in machame._data["unit_patterns"]["duration-month"].values())
    assert fmt.format_duration(1, "month", "jmc").startswith("1 ")


def test_years_are_never_grouped():
    assert fmt.format_year(2017, "en") == "2017"
    assert fmt.format_year(2017, "de") == "2017"


def test_dates_are_long_and_localized():
    day = dt.date(2017, 3, 28)
    assert fmt.format_long_date(day, "en") == "March 28, 2017"
    assert fmt.format_long_date(day, "es") == "28 de marzo de 2017"


def test_lists_use_the_locale_pattern():
    assert fmt.format_text_list(["a", "b", "c"], "standard", "es") == "a, b y c"
    assert fmt.format_text_list(["a", "b", "c"], "or", "en") == "a, b, or c"
    # a style CLDR lacks for a locale falls back instead of crashing
    assert fmt.format_text_list(["1", "2", "3"], "unit", "hi")


# ------------------------------------------------- numbers never change meaning
import unicodedata  # noqa: E402
from decimal import Decimal  # noqa: E402

from leaflets.content.model import LargeCountFact, PercentFact  # noqa: E402
from leaflets.localize import format_fact, numbering_for  # noqa: E402
from leaflets.i18n.locales import parse_tag  # noqa: E402

EVERY_LOCALE = ["en", "es", "fr", "de", "ru", "vi", "zh-Hans", "ko", "ar", "hi", "ja", "pt-BR", "es-US", "en-IN",
                "fa", "mr"]


@pytest.mark.parametrize("tag", EVERY_LOCALE)
def test_compact_numbers_round_trip_for_every_fact(tag, loaded):
    """296 million is never 3亿: every large count reads back as its exact value."""
    locale = parse_tag(tag)
    facts = [f for f in loaded.topic.facts.values() if isinstance(f, LargeCountFact)]
    assert facts
    for fact in facts:
        text = fmt.format_large_count(fact.value, fact.decimals, locale)
        value = fmt.compact_value(text, fact.value, locale)
        assert value is None and fmt.format_count(fact.value, locale) == text or value == Decimal(fact.value), \
            (tag, fact.value, text)


@pytest.mark.parametrize("tag", EVERY_LOCALE)
def test_percentages_keep_their_value_and_precision(tag, loaded):
    locale = parse_tag(tag)
    numbering = numbering_for(locale)
    for fact in loaded.topic.facts.values():
        if isinstance(fact, PercentFact):
            text = format_fact(fact, locale, numbering)
            digits = "".join(str(unicodedata.digit(ch)) if ch.isdigit() else "." if ch in ".,٫" else "" for ch in text)
            assert Decimal(digits) == Decimal(str(fact.value)), (tag, text)


@pytest.mark.parametrize("value, decimals, tag, expected", [
    (296_000_000, 0, "zh-Hans", "2.96亿"), (296_000_000, 0, "ko", "2.96억"), (296_000_000, 0, "hi", "29.6 करोड़"),
    (17_800_000, 1, "hi", "1.78 करोड़"), (17_800_000, 1, "zh-Hans", "1780万"), (17_800_000, 1, "en", "17.8 million"),
])
def test_compact_adds_the_digits_a_language_needs(value, decimals, tag, expected):
    assert fmt.format_large_count(value, decimals, tag) == expected


def test_arabic_uses_the_arabic_percent_sign():
    assert fmt.format_percent_value(10.7, None, "ar", "arab") == "١٠٫٧٪"
    assert fmt.format_percent_value(55, None, "ar", "arab") == "٥٥٪"


# ------------------------------------ CLDR's default numbering system per locale (issue 15)
import datetime as dt  # noqa: E402

from babel import Locale, localedata  # noqa: E402

from leaflets.localize import chart_number_format  # noqa: E402
from leaflets.render.fonts import ARABIC, coverage  # noqa: E402


@pytest.mark.parametrize("tag, numbering", [
    ("fa", "arabext"), ("fa-AF", "arabext"), ("ur-IN", "arabext"), ("mr", "deva"), ("ne", "deva"),
    ("ar", "arab"), ("ar-EG", "arab"), ("ar-MA", "arab"),  # Arabic: Arabic-Indic digits everywhere (README)
    ("ur", "latn"), ("hi", "latn"), ("en", "latn"), ("zh-Hans", "latn"), ("ru", "latn"),
])
def test_digits_follow_cldr_default_numbering_except_arabic(tag, numbering):
    assert numbering_for(parse_tag(tag)) == numbering


def test_every_cldr_default_numbering_system_has_its_ten_digits():
    """No locale gets a native numbering system's separators around Latin digits."""
    systems = {Locale.parse(ident).default_numbering_system for ident in localedata.locale_identifiers()}
    assert {"arab", "arabext", "deva"} <= systems
    for system in systems - {"latn"}:
        digits = fmt.NATIVE_DIGITS[system]
        assert [unicodedata.digit(d) for d in digits] == list(range(10)), system
        assert len({unicodedata.name(d).rsplit(" DIGIT ", 1)[0] for d in digits}) == 1, system


def test_persian_facts_are_written_in_extended_arabic_indic_digits():
    assert fmt.format_percent_value(10.7, None, "fa", "arabext") == "۱۰٫۷٪"
    assert fmt.format_count(1234, "fa", "arabext") == "۱٬۲۳۴"
    assert fmt.format_year(2017, "fa", "arabext") == "۲۰۱۷"
    assert fmt.format_long_date(dt.date(2017, 3, 28), "fa", "arabext") == "۲۸ مارس ۲۰۱۷"
    assert fmt.format_month_year(2021, 12, "fa", "arabext") == "دسامبر ۲۰۲۱"
    assert fmt.format_duration(12, "week", "fa", "arabext") == "۱۲ هفته"
    assert fmt.format_large_count(17_800_000, 1, "fa", "arabext") == "۱۷٫۸ میلیون"
    assert fmt.format_cell_dose(2.5, 7, 1, "fa", "arabext") == "2.5\u00a0×\u00a010⁷"  # one digit system
    assert fmt.format_natural_frequency(1, 10, "fa", "arabext")["denominator"] == "۱۰"
    assert fmt.digits("fa", "arabext") == "۰۱۲۳۴۵۶۷۸۹"
    assert fmt.percent_sign("fa", "arabext") == "٪"


def test_persian_chart_asks_office_for_persian_digits():
    """Office's numeral shape 03 (Extended Arabic-Indic, LCID 0x0429 fa-IR), as 02 is Arabic-Indic for Arabic."""
    assert chart_number_format(Locale.parse("fa"), "arabext", 1) == '[$-3000429]0.0"٪"'
    assert chart_number_format(Locale.parse("mr"), "deva", 0) == '[$-4000439]0%'


def test_the_arabic_font_draws_persian_digits_and_separators():
    wanted = {*range(0x06F0, 0x06FA), ord("٪"), ord("٫"), ord("٬")}
    assert wanted <= coverage(ARABIC.regular) and wanted <= coverage(ARABIC.bold)
