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
    assert fmt.format_cell_dose(1.25, -3, 2, "de") == f"1,25{NBSP}×{NBSP}10⁻³"


@pytest.mark.parametrize("locale, value, unit, expected", [
    ("en", 12, "week", "12 weeks"), ("en", 1, "month", "1 month"), ("es", 12, "week", "12 semanas"),
    ("es", 1, "month", "1 mes"), ("de", 12, "week", "12 Wochen"), ("hi", 12, "week", "12 सप्ताह"),
])
def test_durations_use_cldr_units(locale, value, unit, expected):
    assert fmt.format_duration(value, unit, locale) == expected


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
