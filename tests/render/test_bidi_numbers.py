"""Phone numbers and house numbers in right-to-left lines (issue 18: a clinic's contacts in Arabic).

After Arabic letters the bidi algorithm turns Latin digits into Arabic numbers (rule W2),
and a hyphen joins only European numbers (W4), so 555-0199 would be shown as 0199-555; a
house number alone at the start of a line would follow its street.  Both are set as one
left-to-right piece.
"""

from __future__ import annotations

import pytest

from leaflets.render.textlayout import bidi_levels, reorder


def visual(text: str, rtl: bool = True) -> str:
    return "".join(reorder(list(text), bidi_levels(text, rtl)))


@pytest.mark.parametrize(("logical", "shown"), [
    ("اتصل بالرقم 555-0199.", ".555-0199 مقرلاب لصتا"),
    ("الهاتف: +1-555-0100", "+1-555-0100 :فتاهلا"),
    ("12 River Road, Springfield", "12 River Road, Springfield"),
])
def test_numbers_read_left_to_right_in_right_to_left_lines(logical, shown):
    # reorder() gives visual order with Arabic letters still in logical (unshaped) order: an
    # Arabic word appears reversed here, a number or a Latin phrase as it is read
    assert visual(logical) == shown


def test_left_to_right_lines_and_other_numbers_are_unchanged():
    assert visual("Call 555-0100 now", rtl=False) == "Call 555-0100 now"
    assert bidi_levels("١٠٫٧٪ من الأطفال", True) == bidi_levels("١٠٫٧٪ من الأطفال", True)
    levels = bidi_levels("جرعة 2.5 × 10⁷ خلية", True)
    assert levels == bidi_levels("جرعة 2.5 × 10⁷ خلية", True) and 2 not in {levels[0], levels[-1]}
