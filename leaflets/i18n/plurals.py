"""Plural forms: the classic gettext formulas translators' tools expect, checked against CLDR.

**Policy.** A catalog's ``Plural-Forms`` header is the classic gettext
formula for its language, the one Poedit, translate-toolkit (``pofilter``),
Launchpad and Weblate's gettext defaults use (:data:`GETTEXT_PLURALS`).
CLDR, which Babel follows, gives some languages categories those tools do
not expect: Spanish, French, Italian and Portuguese have a ``many`` form
for exact millions ("1 000 000 de adultos"), and CLDR 48 gives Vietnamese a
``one`` form.  A translator whose tool offers two forms (or one) cannot fill
a third, so we keep the classic count; a count that is an exact million
then reads with the ``other`` form.  A language missing from the table
gets CLDR's categories for whole numbers (:func:`cldr_forms`; counts in our
content are whole numbers, so categories only fractions reach are left out).

Each plural entry of a catalog says which numbers pick which form
(:func:`describe_forms`), so a translator never has to decode the formula.

>>> plural_forms("fr")
(2, '(n > 1)')
>>> plural_forms("zh-Hans")
(1, '0')
>>> print(describe_forms("ru"))
msgstr[0]: 1, 21, 31, 41, … (CLDR one); msgstr[1]: 2, 3, 4, 22, … (CLDR few); msgstr[2]: 0, 5, 6, 7, … (CLDR many)
"""

from __future__ import annotations

import gettext
import re

from babel import Locale
from babel.plural import PluralRule, _GettextCompiler

from leaflets.i18n.locales import parse_tag

TAG_ORDER = ("zero", "one", "two", "few", "many", "other")
MAX_NPLURALS = len(TAG_ORDER)  # CLDR has six plural categories; gettext needs no more forms
MAX_EXPRESSION = 400  # characters; the longest real formula is about 200
SAMPLES = list(range(0, 1001)) + [10**6, 2 * 10**6, 10**7, 10**9]

# Classic gettext formulas (GNU gettext manual, "Plural forms"; the same as
# translate-toolkit's and Poedit's tables, which a test checks).
_ONE = (1, "0")
_NOT_ONE = (2, "(n != 1)")
_ABOVE_ONE = (2, "(n > 1)")
_EAST_SLAVIC = (3, "(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2)")
GETTEXT_PLURALS: dict[str, tuple[int, str]] = {
    **dict.fromkeys(("ja", "ko", "zh", "vi", "th", "id", "ms", "my", "km", "lo", "yo"), _ONE),
    **dict.fromkeys(("en", "de", "nl", "sv", "da", "nb", "nn", "no", "fi", "et", "hu", "el", "he", "it", "es",
                     "ca", "eu", "gl", "tr", "az", "ur", "ne", "ta", "te", "ml", "sw", "so", "ha", "ps", "ku",
                     "ka", "kk", "uz", "bg", "sq", "mn", "af", "ht"), _NOT_ONE),
    **dict.fromkeys(("fr", "pt", "hi", "fa", "bn", "mr", "gu", "kn", "pa", "am", "ti", "hy", "zu", "fil", "ln"),
                    _ABOVE_ONE),
    **dict.fromkeys(("ru", "uk", "be", "sr", "hr", "bs"), _EAST_SLAVIC),
    "ar": (6, "n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 : n%100>=11 ? 4 : 5"),
    "pl": (3, "(n==1 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2)"),
    "cs": (3, "(n==1) ? 0 : (n>=2 && n<=4) ? 1 : 2"),
    "sk": (3, "(n==1) ? 0 : (n>=2 && n<=4) ? 1 : 2"),
    "ro": (3, "(n==1 ? 0 : (n==0 || (n%100 > 0 && n%100 < 20)) ? 1 : 2)"),
    "lt": (3, "(n%10==1 && n%100!=11 ? 0 : n%10>=2 && (n%100<10 || n%100>=20) ? 1 : 2)"),
    "lv": (3, "(n%10==0 || n%100>=11 && n%100<=19) ? 0 : (n%10==1 && n%100!=11) ? 1 : 2"),
    "sl": (4, "(n%100==1 ? 0 : n%100==2 ? 1 : n%100==3 || n%100==4 ? 2 : 3)"),
}


class PluralFormsError(ValueError):
    """A catalog's Plural-Forms header is unreadable, impossible or not the policy's."""


def check_nplurals(nplurals: int | None) -> None:
    """Refuse ``nplurals`` outside 1..6 before anything allocates that many forms.

    >>> check_nplurals(99999999)
    Traceback (most recent call last):
    ...
    leaflets.i18n.plurals.PluralFormsError: Plural-Forms: nplurals=99999999 is out of range; a language has 1 to 6 plural forms (CLDR)
    """
    if nplurals is not None and not 1 <= nplurals <= MAX_NPLURALS:
        raise PluralFormsError(f"Plural-Forms: nplurals={nplurals} is out of range; "
                               f"a language has 1 to {MAX_NPLURALS} plural forms (CLDR)")


def plural_forms(tag: str | Locale) -> tuple[int, str]:
    """(nplurals, C expression) of the policy for a locale: the classic formula, else CLDR's."""
    locale = tag if isinstance(tag, Locale) else parse_tag(tag)
    return GETTEXT_PLURALS.get(locale.language) or cldr_forms(locale)


def header_value(tag: str | Locale) -> str:
    """The ``Plural-Forms`` header value of the policy: ``nplurals=2; plural=(n > 1);``."""
    nplurals, expr = plural_forms(tag)
    return f"nplurals={nplurals}; plural={expr};"


HEADER = re.compile(r"^\s*nplurals\s*=\s*(\d+)\s*;\s*plural\s*=\s*(.+?)\s*;?\s*$", re.S)


def parse_header(value: str) -> tuple[int, str]:
    """(nplurals, expression) of a ``Plural-Forms`` value; PluralFormsError if unreadable.

    >>> parse_header("nplurals=2; plural=(n != 1);")
    (2, '(n != 1)')
    """
    match = HEADER.match(value or "")
    if not match:
        raise PluralFormsError(f"Plural-Forms: expected 'nplurals=N; plural=EXPRESSION;', found {value[:80]!r}")
    nplurals = int(match.group(1))
    check_nplurals(nplurals)
    expr = match.group(2)
    try:
        plural_function(expr)
    except ValueError as exc:
        raise PluralFormsError(f"Plural-Forms: {exc}") from None
    return nplurals, expr


def check_policy(value: str | None, tag: str) -> str | None:
    """Why a catalog's ``Plural-Forms`` value is not the policy's for ``tag`` (None if it is).

    Formulas that choose the same form for every whole number are the same
    (``n != 1`` and ``(n != 1)``).

    >>> check_policy("nplurals=2; plural=n != 1;", "es") is None
    True
    >>> print(check_policy("nplurals=3; plural=n == 1 ? 0 : (!(n == 0) && n % 1000000 == 0) ? 1 : 2;", "es"))
    Plural-Forms has 3 forms; Spanish (es) has 2 in the plural policy: nplurals=2; plural=(n != 1); (run `locales update` to move the existing forms)
    """
    want_n, want_expr = plural_forms(tag)
    expected = header_value(tag)
    name = f"{parse_tag(tag).english_name} ({tag})"
    if not value:
        return f"the header has no Plural-Forms; {name} needs {expected}"
    try:
        nplurals, expr = parse_header(value)
    except (PluralFormsError, ValueError) as exc:
        return f"{exc}; {name} needs {expected}"
    hint = " (run `locales update` to move the existing forms)"
    if nplurals != want_n:
        return f"Plural-Forms has {nplurals} forms; {name} has {want_n} in the plural policy: {expected}{hint}"
    ours, theirs = plural_function(want_expr), plural_function(expr)
    for n in SAMPLES:
        if ours(n) != theirs(n):
            return (f"Plural-Forms chooses form {theirs(n)} for {n}, the plural policy form {ours(n)}: "
                    f"{name} needs {expected}{hint}")
    return None


# ------------------------------------------------------------------ CLDR
def integer_categories(rule: PluralRule) -> list[str]:
    """The CLDR categories that some whole number falls into, in CLDR order."""
    reached = {rule(n) for n in SAMPLES}
    return [tag for tag in TAG_ORDER if tag in reached]


class _IntegerGettextCompiler(_GettextCompiler):
    """Compile a CLDR rule for whole numbers: fraction and exponent operands
    are 0, so relations on them fold to constants and disappear."""

    compile_c = compile_e = _GettextCompiler.compile_v

    def compile_relation(self, method, expr, range_list):
        text = self.compile(expr)
        if text == "0":
            hit = any(int(lo[1][0]) <= 0 <= int(hi[1][0]) for lo, hi in range_list[1])
            return "1" if hit else "0"
        parts = []
        for low, high in range_list[1]:
            lo, hi = self.compile(low), self.compile(high)
            parts.append(f"{text} == {lo}" if lo == hi else f"{text} >= {lo} && {text} <= {hi}")
        return parts[0] if len(parts) == 1 else "(" + " || ".join(f"({p})" for p in parts) + ")"

    def compile_and(self, left, right):
        a, b = self.compile(left), self.compile(right)
        if "0" in (a, b):
            return "0"
        return b if a == "1" else a if b == "1" else f"({a} && {b})"

    def compile_or(self, left, right):
        a, b = self.compile(left), self.compile(right)
        if "1" in (a, b):
            return "1"
        return b if a == "0" else a if b == "0" else f"({a} || {b})"

    def compile_not(self, operand):
        a = self.compile(operand)
        return {"0": "1", "1": "0"}.get(a, f"!({a})")

    def compile_is(self, left, right):
        return f"{self.compile(left)} == {self.compile(right)}"

    def compile_isnot(self, left, right):
        return f"{self.compile(left)} != {self.compile(right)}"

    def compile_mod(self, left, right):
        return f"{self.compile(left)} % {self.compile(right)}"


def cldr_forms(locale: Locale) -> tuple[int, str]:
    """(nplurals, C expression) from CLDR, for whole numbers (languages the table lacks).

    >>> cldr_forms(Locale.parse("cy"))[0]
    6
    """
    rule = locale.plural_form
    categories = integer_categories(rule)
    if len(categories) == 1:
        return 1, "0"
    fallback = "other" if "other" in categories else categories[-1]
    order = [c for c in categories if c != fallback] + [fallback]
    compiler = _IntegerGettextCompiler()
    parts = []
    for tag_, ast in rule.abstract:
        if tag_ in order and tag_ != fallback:
            condition = compiler.compile(ast)
            if condition != "0":
                parts.append((condition, order.index(tag_)))
    parts.sort(key=lambda part: part[1])
    expr = "".join(f"{cond} ? {index} : " for cond, index in parts) + str(len(order) - 1)
    function = plural_function(expr)
    for n in SAMPLES:  # our expression must agree with CLDR on every sample (defensive)
        category = rule(n)
        if function(n) != (order.index(category) if category in order else len(order) - 1):
            raise ValueError(f"plural expression {expr!r} disagrees with CLDR at n={n}")
    return len(order), expr


def describe_forms(tag: str) -> str:
    """Which whole numbers choose each form of the policy, with the CLDR categories they fall in."""
    locale = parse_tag(tag)
    nplurals, expr = plural_forms(locale)
    function = plural_function(expr)
    rule = locale.plural_form
    parts = []
    for index in range(nplurals):
        numbers = [n for n in SAMPLES if function(n) == index]
        examples = ", ".join(str(n) for n in numbers[:4]) + (", …" if len(numbers) > 4 else "")
        categories = [c for c in TAG_ORDER if any(rule(n) == c for n in numbers)]
        parts.append(f"msgstr[{index}]: {examples} (CLDR {'/'.join(categories)})")
    return "; ".join(parts)


def plural_function(expr: str):
    """A Python function n -> form index for a gettext expression (v = 0 for integers).

    ValueError for an expression gettext cannot compile or one too long to be real.
    """
    if len(expr) > MAX_EXPRESSION:
        raise ValueError(f"plural expression longer than {MAX_EXPRESSION} characters")
    try:
        return gettext.c2py(re.sub(r"\bv\b", "0", expr))
    except (ValueError, RecursionError, SyntaxError) as exc:
        raise ValueError(f"invalid plural expression: {exc}") from None


def remap_forms(forms: tuple[str, ...], old_expr: str, new_expr: str, nplurals: int) -> tuple[str, ...]:
    """Reorder plural forms written for ``old_expr`` to suit ``new_expr``.

    For each new form, a sample number selects it; the old form that the old
    expression chose for that number moves there ('' where none did).

    >>> remap_forms(("adulto", "de adultos", "adultos"), "n == 1 ? 0 : (n != 0 && n % 1000000 == 0) ? 1 : 2", "(n != 1)", 2)
    ('adulto', 'adultos')
    """
    old, new = plural_function(old_expr), plural_function(new_expr)
    result = [""] * nplurals
    for target in range(nplurals):
        for n in SAMPLES:
            if new(n) == target:
                source = old(n)
                result[target] = forms[source] if source < len(forms) else ""
                break
    return tuple(result)
