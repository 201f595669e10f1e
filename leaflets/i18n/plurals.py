"""gettext Plural-Forms derived from CLDR plural rules.

Babel's ``to_gettext`` translates a CLDR rule literally: it keeps the
``other`` category that only fractions reach (Russian gets four forms) and
the compact-exponent operand ``e`` that gettext does not know (``msgfmt``
rejects it).  Counts in our content are whole numbers, so we keep the
categories whole numbers reach and treat ``e`` as 0.

>>> plural_forms("ar")
(6, 'n == 0 ? 0 : n == 1 ? 1 : n == 2 ? 2 : n % 100 >= 3 && n % 100 <= 10 ? 3 : n % 100 >= 11 && n % 100 <= 99 ? 4 : 5')
>>> plural_forms("es")  # CLDR's 'many' is for exact millions: "1 000 000 de adultos"
(3, 'n == 1 ? 0 : (!(n == 0) && n % 1000000 == 0) ? 1 : 2')
>>> plural_forms("zh-Hans")
(1, '0')
"""

from __future__ import annotations

import gettext
import re

from babel import Locale
from babel.plural import PluralRule, _GettextCompiler

from leaflets.i18n.locales import parse_tag

TAG_ORDER = ("zero", "one", "two", "few", "many", "other")
MAX_NPLURALS = len(TAG_ORDER)  # CLDR has six plural categories; gettext needs no more forms
MAX_EXPRESSION = 400  # characters; CLDR's longest rule compiles to about 200


class PluralFormsError(ValueError):
    """A catalog's Plural-Forms header asks for an impossible number of forms."""


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
SAMPLES = list(range(0, 1001)) + [10**6, 2 * 10**6, 10**7, 10**9]


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


def plural_forms(tag: str | Locale) -> tuple[int, str]:
    """(nplurals, C expression) for a locale, from CLDR, for whole numbers."""
    locale = tag if isinstance(tag, Locale) else parse_tag(tag)
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
    _verify(rule, order, expr)
    return len(order), expr


def _verify(rule: PluralRule, order: list[str], expr: str) -> None:
    """Our expression must agree with CLDR on every sample (defensive)."""
    function = plural_function(expr)
    for n in SAMPLES:
        category = rule(n)
        expected = order.index(category) if category in order else len(order) - 1
        if function(n) != expected:
            raise ValueError(f"plural expression {expr!r} disagrees with CLDR at n={n}")


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
