"""Pseudo-translation: show layout overflow and untranslated text without a translator.

``en-XA`` accents every letter, lengthens each string by about 40 % and
brackets it, leaving placeholders and emphasis tags intact:

>>> pseudo_translate("About {share} of <b>children</b>.")
'[Àƀôûţ {share} ôƒ <b>çĥîļðŕéñ</b>. ~~~~~~~~]'

A string that shows up unbracketed in a pseudo-localized handout was never
sent through the catalog; one that is cut off does not fit its box.
"""

from __future__ import annotations

import math

from leaflets.content import inline
from leaflets.i18n.catalog import Translations
from leaflets.i18n.review import Review

from leaflets.i18n.locales import PSEUDO_LOCALES  # noqa: E402,F401 (defined there: no Babel, no pydantic)
ACCENTS = str.maketrans(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
    "àƀçðéƒĝĥîĵķļɱñôþǫŕšţûṽŵẋýžÀƁÇÐÉƑĜĤÎĴĶĻṀÑÔÞǪŔŠŢÛṼŴẊÝŽ",
)
EXPANSION = 0.4


def pseudo_translate(text: str) -> str:
    """Accent, lengthen by ~40 % and bracket ``text``; markup and placeholders kept."""
    out, letters = [], 0
    for kind, value in inline.tokenize(text):
        if kind == "text":
            out.append(value.translate(ACCENTS))
            letters += len(value)
        elif kind == "placeholder":
            out.append("{" + value + "}")
            letters += len(value)
        else:
            out.append(f"<{'/' if kind == 'close' else ''}{value}>")
    pad = "~" * max(1, math.ceil(letters * EXPANSION) - 2)
    return f"[{''.join(out)} {pad}]"


class PseudoTranslations(Translations):
    """Every lookup succeeds with the pseudo-translation of the English text."""

    def __init__(self):
        super().__init__(file="(pseudo-locale)")

    def review_of(self, topic_id: str, msgids) -> Review:
        return Review("draft", "generated pseudo-locale")

    def lookup(self, msgid: str, count: int | None = None, plural: str | None = None) -> str:
        english = plural if plural is not None and count != 1 else msgid
        return pseudo_translate(english)
