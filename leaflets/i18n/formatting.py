"""Format facts for a locale with Babel.  Small pure functions, locale explicit.

Each function takes a :class:`babel.Locale` (or a locale identifier) and
``numbering``, the CLDR numbering system to write digits in (``"latn"`` or a
native system such as ``"arab"`` or Persian ``"arabext"``).  Nothing here knows
about pages or slides.

>>> format_percent_value(10.7, None, "en")
'10.7%'
>>> format_percent_value(10.7, None, "es")
'10,7\\xa0%'
>>> format_large_count(17_800_000, 1, "en")
'17.8 million'
>>> format_large_count(17_800_000, 1, "es")
'17,8 millones'
>>> format_cell_dose(2.5, 7, 1, "en")
'2.5\\xa0×\\xa010⁷'
>>> format_cell_dose(5.0, 7, 1, "es")
'5,0\\xa0×\\xa010⁷'
>>> format_percent_value(6, None, "de")
'6\\xa0%'
>>> format_duration(12, "week", "es")
'12 semanas'
>>> format_year(2017, "en")
'2017'
>>> format_count(1234, "es")
'1.234'
>>> format_count(12345, "en")
'12,345'
>>> format_text_list(["hands", "feet", "neck"], "standard", "en")
'hands, feet, and neck'
>>> format_text_list(["a", "b"], "or", "es")
'a o b'
>>> format_large_count(296_000_000, 0, "zh-Hans"), format_large_count(17_800_000, 1, "hi")
('2.96亿', '1.78 करोड़')
>>> format_percent_value(10.7, None, "ar", "arab")
'١٠٫٧٪'
>>> format_percent_value(10.7, None, "fa", "arabext")
'۱۰٫۷٪'
"""

from __future__ import annotations

import copy
import datetime as dt
import re
from decimal import ROUND_HALF_EVEN, Decimal

from babel import Locale, dates, lists, numbers, units

SUPERSCRIPT = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")
# Babel switches decimal and percent symbols for a numbering system but keeps ASCII
# digits.  These are the digits of every numbering system CLDR makes a locale's default
# (CLDR numberingSystems.xml: ten consecutive Unicode digits from the zero given here), so
# that any locale's numbers come out in its own digits, never native separators around
# Latin digits (tests/i18n/test_formatting.py checks the list against Babel's locales).
ZERO_DIGITS = {"arab": 0x0660, "arabext": 0x06F0, "deva": 0x0966, "beng": 0x09E6, "tibt": 0x0F20, "mymr": 0x1040,
               "nkoo": 0x07C0, "olck": 0x1C50, "mtei": 0xABF0, "cakm": 0x11136, "hmnp": 0x1E140, "adlm": 0x1E950}
NATIVE_DIGITS = {system: "".join(chr(zero + d) for d in range(10)) for system, zero in ZERO_DIGITS.items()}


def native(text: str, numbering: str) -> str:
    """ASCII digits in ``text`` written in the numbering system's digits.

    >>> native("10٫7٪", "arab"), native("10٫7٪", "arabext"), native("10.7%", "latn")
    ('١٠٫٧٪', '۱۰٫۷٪', '10.7%')
    """
    if numbering == "latn":
        return text
    digits = NATIVE_DIGITS.get(numbering)
    if digits is None:
        raise ValueError(f"no digits known for the numbering system {numbering!r}; add its zero to ZERO_DIGITS")
    return text.translate(str.maketrans("0123456789", digits))
TIMES = "\u00a0×\u00a0"  # no-break spaces keep "2.5 × 10⁷" on one line


def _locale(locale: Locale | str) -> Locale:
    return locale if isinstance(locale, Locale) else Locale.parse(locale, sep="-" if "-" in locale else "_")


def _decimal(value: float | int, decimals: int | None) -> Decimal:
    """A Decimal with exactly ``decimals`` places (or as written, if None)."""
    result = Decimal(str(value))
    if decimals is not None:
        result = result.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_EVEN)
    return result


def format_count(value: int, locale: Locale | str, numbering: str = "latn") -> str:
    """A whole number with the locale's grouping (CLDR minimum grouping applies)."""
    return native(numbers.format_decimal(value, locale=_locale(locale), numbering_system=numbering), numbering)


def _apply(pattern: str, value: Decimal, decimals: int | None, loc: Locale, numbering: str) -> str:
    """Apply a CLDR pattern of the locale with the fraction digits forced.

    Babel's ``decimal_quantization=False`` drops trailing zeros (5.0 -> 5);
    a cell dose written 5.0 must keep its precision, so we copy the locale's
    own pattern and set its fraction precision instead.
    """
    parsed = copy.copy(numbers.parse_pattern(pattern))
    if decimals is None:
        decimals = max(0, -value.as_tuple().exponent)
    parsed.frac_prec = (decimals, decimals)
    text = parsed.apply(value, loc, numbering_system=numbering)
    if "%" in pattern:
        text = text.replace("%", percent_sign(loc, numbering))
    return native(text, numbering)


def percent_sign(locale: Locale | str, numbering: str = "latn") -> str:
    """The percent sign of the locale's numbering system (Arabic-Indic: ``٪``).

    Babel keeps ASCII ``%`` for a non-default numbering system.  CLDR's
    Arabic sign carries an Arabic letter mark (U+061C), a bidi control that
    the renderers' own bidi handling makes unnecessary, so it is dropped.

    >>> percent_sign("ar", "arab"), percent_sign("ar", "latn"), percent_sign("en")
    ('٪', '%', '%')
    """
    loc = _locale(locale)
    symbols = loc.number_symbols.get(numbering) or loc.number_symbols.get("latn") or {}
    return symbols.get("percentSign", "%").replace("\u061c", "").replace("\u200e", "").replace("\u200f", "")


def format_number(value: float | int, decimals: int | None, locale: Locale | str, numbering: str = "latn") -> str:
    """A decimal number keeping exactly the given decimals: 5.0 stays '5.0'."""
    loc = _locale(locale)
    return _apply(loc.decimal_formats[None].pattern, _decimal(value, decimals), decimals, loc, numbering)


def format_percent_value(value: float | int, decimals: int | None, locale: Locale | str,
                         numbering: str = "latn") -> str:
    """``value`` is in percent (10.7 -> 10.7 %), with the locale's percent pattern."""
    loc = _locale(locale)
    amount = _decimal(value, decimals)
    if decimals is None:
        decimals = max(0, -amount.as_tuple().exponent)
        amount = amount.normalize() if amount == amount.to_integral() else amount
        decimals = max(0, -amount.as_tuple().exponent)
    return _apply(loc.percent_formats[None].pattern, amount / 100, decimals, loc, numbering)


MAX_EXTRA_DIGITS = 4


def format_large_count(value: int, decimals: int, locale: Locale | str, numbering: str = "latn") -> str:
    """A large count in words where CLDR has them ('17.8 million'), else short ('1780万').

    A compact form must mean the same number in every language: 296 million
    is 2.96亿, never 3亿.  Fraction digits are added (up to
    :data:`MAX_EXTRA_DIGITS` beyond ``decimals``) until the compact form reads
    back as ``value``; if none does, the full number is written.
    """
    loc = _locale(locale)
    for format_type in ("long", "short"):
        if format_type not in loc.compact_decimal_formats:
            continue
        for digits in range(decimals, decimals + MAX_EXTRA_DIGITS + 1):
            text = numbers.format_compact_decimal(value, format_type=format_type, fraction_digits=digits,
                                                  locale=loc)
            if compact_value(text, value, loc) == value:
                return native(numbers.format_compact_decimal(value, format_type=format_type, fraction_digits=digits,
                                                             locale=loc, numbering_system=numbering), numbering)
        break
    return format_count(value, loc, numbering)


def compact_value(text: str, near: int, locale: Locale | str) -> Decimal | None:
    """The number a compact form such as '2.96亿' stands for (its unit inferred from ``near``).

    >>> compact_value("3亿", 296_000_000, "zh-Hans")
    Decimal('300000000')
    """
    import math
    loc = _locale(locale)
    decimal_symbol = loc.number_symbols.get("latn", {}).get("decimal", ".")
    group = loc.number_symbols.get("latn", {}).get("group", ",")
    match = re.search(r"\d[\d" + re.escape(group) + r"]*(?:" + re.escape(decimal_symbol) + r"\d+)?", text)
    if not match:
        return None
    mantissa = Decimal(match.group(0).replace(group, "").replace(decimal_symbol, "."))
    if mantissa == 0:
        return None
    unit = Decimal(10) ** round(math.log10(near / float(mantissa)))
    return mantissa * unit


def format_cell_dose(mantissa: float | int, exponent: int, decimals: int, locale: Locale | str,
                     numbering: str = "latn") -> str:
    """Scientific notation with a real times sign and a superscript exponent.

    Unicode has superscript digits only for the Latin system, so a dose is written
    in Latin digits throughout, whatever the locale's numbering system: one digit
    system in the whole expression ('5.0 × 10⁷', never '٥٫٠ × 10⁷'), with the
    locale's Latin-digit decimal sign.

    >>> format_cell_dose(5.0, 7, 1, "ar", "arab"), format_cell_dose(2.5, 7, 1, "fa", "arabext")
    ('5.0\xa0×\xa010⁷', '2.5\xa0×\xa010⁷')
    """
    return f"{format_number(mantissa, decimals, locale, 'latn')}{TIMES}10{str(exponent).translate(SUPERSCRIPT)}"


def format_duration(value: int, unit: str, locale: Locale | str, numbering: str = "latn") -> str:
    """'12 weeks' with CLDR unit patterns, from the longest length that has a
    pattern for the value's plural category.

    Babel falls back to a wrong form when a length lacks the category (Arabic
    'long' has none: '12 أسابيع' instead of '12 أسبوعًا'; Hindi prints
    'duration-week'), so we pick the length ourselves.

    >>> format_duration(12, "week", "ar")
    '12 أسبوعًا'
    """
    loc = _locale(locale)
    key = f"duration-{unit}"
    category = loc.plural_form(value)
    patterns = loc._data["unit_patterns"].get(key, {})
    # CLDR: a plural category a unit has no pattern for takes the "other" pattern (CLDR 48 gave
    # Vietnamese a "one" category, but its units keep one form: "1 tháng", Babel 2.19)
    for wanted in (category, "other"):
        for length in ("long", "short", "narrow"):
            if wanted in patterns.get(length, {}):
                text = units.format_unit(value, key, length=length, locale=loc, numbering_system=numbering)
                return native(text, numbering)
    raise ValueError(f"locale {loc} has no pattern for {value} {unit}(s)")


def format_year(value: int, locale: Locale | str, numbering: str = "latn") -> str:
    """A calendar year: never grouped, in the locale's digits."""
    return native(numbers.format_decimal(value, format="0", locale=_locale(locale), numbering_system=numbering),
                  numbering)


def format_long_date(value: dt.date, locale: Locale | str, numbering: str = "latn") -> str:
    """The locale's long date format: 'March 28, 2017', '28 de marzo de 2017'."""
    return native(dates.format_date(value, format="long", locale=_locale(locale)), numbering)


def format_text_list(items: list[str], style: str, locale: Locale | str) -> str:
    """Join already-translated items with the locale's list pattern.

    Some locales lack a style's patterns in CLDR (Babel raises KeyError);
    they fall back to the ``standard`` pattern rather than failing.
    """
    try:
        return lists.format_list(list(items), style=style, locale=_locale(locale))
    except KeyError:
        return lists.format_list(list(items), style="standard", locale=_locale(locale))


def digits(locale: Locale | str, numbering: str = "latn") -> str:
    """The ten digits 0-9 of the numbering system, for renderers' page numbers."""
    return "".join(format_year(d, locale, numbering) for d in range(10))


def format_natural_frequency(numerator: int, denominator: int, locale: Locale | str,
                             numbering: str = "latn") -> dict[str, str]:
    """The parts of a natural frequency ("about 1 in 10") in the locale's digits.

    The wording around the numbers ("in", "sur", "из", "명 중") belongs to the
    translated sentence, which names the parts ``{fact.numerator}`` and
    ``{fact.denominator}``; only the digits come from here, so no number a
    patient reads is typed into a translation.  ``plural`` is the CLDR plural
    category of the numerator, which agrees with the verb ("1 in 10 children
    has", "3 in 10 children have").

    >>> format_natural_frequency(1, 10, "en")
    {'numerator': '1', 'denominator': '10', 'plural': 'one'}
    >>> format_natural_frequency(3, 10, "ru")["plural"]
    'few'
    >>> format_natural_frequency(1, 3, "ar", "arab")
    {'numerator': '١', 'denominator': '٣', 'plural': 'one'}
    >>> format_natural_frequency(1, 1000, "de")["denominator"]
    '1.000'
    >>> format_natural_frequency(10, 10, "en")
    Traceback (most recent call last):
    ...
    ValueError: a natural frequency needs 0 < numerator < denominator (got 10 in 10)
    """
    if not 0 < numerator < denominator:
        raise ValueError(f"a natural frequency needs 0 < numerator < denominator (got {numerator} in {denominator})")
    loc = _locale(locale)
    return {"numerator": format_count(numerator, loc, numbering),
            "denominator": format_count(denominator, loc, numbering),
            "plural": loc.plural_form(numerator)}


def format_month_year(year: int, month: int, locale: Locale | str, numbering: str = "latn") -> str:
    """A month and year with the locale's CLDR skeleton ``yMMMM``, for dates
    whose day the source does not give.

    >>> format_month_year(2021, 12, "en")
    'December 2021'
    >>> format_month_year(2024, 9, "es")
    'septiembre de 2024'
    """
    return native(dates.format_skeleton("yMMMM", dt.date(year, month, 1), locale=_locale(locale)), numbering)
