"""Merge a changed template into a catalog exactly as GNU ``msgmerge --previous`` does.

Translators' tools and platforms (Poedit's "Update from POT", Weblate's
msgmerge add-on, a maintainer running ``msgmerge`` by hand) all merge with
GNU's rules, so ``locales update`` follows the same rules: whatever sequence
of English edits, removals, restorations and repeated updates, a catalog
ends up with the same entries, translations, fuzzy flags and previous
msgids as GNU would give it.  In short:

- an entry whose msgid is still in the template keeps its translation; one
  that was obsolete (``#~``) comes back to life, translation and all;
- a new msgid takes the translation of the most similar translated entry
  (live or obsolete) when the similarity reaches 0.6, marked fuzzy, with the
  English that translation was made for as its previous msgid (``#|``): the
  *original* English, kept through any number of updates, not an
  intermediate one;
- an entry no longer in the template becomes obsolete if it was translated
  (an untranslated one is dropped, as GNU does); nothing else is lost:
  translator comments and flags stay with their entry;
- the template supplies everything a program decides: extracted comments,
  references, format flags and (here) the rules of :mod:`leaflets.i18n.rules`.

Similarity is GNU's ``fstrcmp``: twice the length of the longest common
subsequence of the two msgids' bytes over the sum of their lengths;
candidates are looked up as GNU's fuzzy index does (shared 4-grams of
characters, best first, ties to the earlier entry; strings under four
characters by length).

>>> round(fstrcmp("The cat sat on the mat.", "The cat sat on the red mat."), 4)
0.92
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from dataclasses import replace

from leaflets.i18n.po import Catalog, Message, Previous

FUZZY_THRESHOLD = 0.6
CONTEXT_BONUS = 0.00001  # GNU prefers a candidate valid in any context or in the same one
SHORT_STRING_MAX_BYTES = 3 * 4  # fewer than four characters, at most four bytes each
SHORT_MSG_MAX = int(SHORT_STRING_MAX_BYTES * (2 / FUZZY_THRESHOLD - 1))
FORMAT_FLAG = re.compile(r"^(?:no-|possible-|impossible-)?[a-z0-9+-]+-format$")


def lcs_length(a: bytes, b: bytes) -> int:
    """Length of the longest common subsequence, bit-parallel (Allison and Dix, 1986).

    >>> lcs_length(b"kitten", b"sitting")
    4
    """
    if not a or not b:
        return 0
    masks: dict[int, int] = defaultdict(int)
    for i, byte in enumerate(a):
        masks[byte] |= 1 << i
    full = (1 << len(a)) - 1
    row = full
    for byte in b:
        matches = row & masks.get(byte, 0)
        row = ((row + matches) | (row - matches)) & full
    return len(a) - bin(row).count("1")


def fstrcmp(a: str, b: str) -> float:
    """GNU gettext's similarity of two strings, on their UTF-8 bytes: 1.0 identical, 0.0 nothing in common."""
    x, y = a.encode("utf-8"), b.encode("utf-8")
    total = len(x) + len(y)
    if not x or not y:
        return float(total == 0)
    return 2 * lcs_length(x, y) / total


def _below(x: bytes, y: bytes, counts_x: Counter, counts_y: Counter, lower: float) -> bool:
    """GNU's two quick upper bounds of :func:`fstrcmp`: True if it cannot reach ``lower``.

    Each edit changes the length by one and one byte's count by one, so the
    similarity is at most 2*min/total and at most 1 - sum|count difference|/total.
    """
    total = len(x) + len(y)
    if 2.0 * min(len(x), len(y)) / total < lower:
        return True
    if total >= 20:
        difference = sum(abs(counts_x[k] - counts_y[k]) for k in counts_x.keys() | counts_y.keys())
        return 1.0 - difference / total < lower
    return False


class FuzzyIndex:
    """GNU's fuzzy index over the translated definitions: 4-grams of characters -> entries."""

    def __init__(self, messages: list[Message]):
        self.messages = messages
        self.grams: dict[str, list[int]] = defaultdict(list)
        self.short: dict[int, list[int]] = defaultdict(list)
        self.encoded = [m.msgid.encode("utf-8") for m in messages]
        self.counts = [Counter(e) for e in self.encoded]
        for index, message in enumerate(messages):
            if not message.msgstr or not message.msgstr[0]:
                continue
            text = message.msgid
            for start in range(len(text) - 3):
                entries = self.grams[text[start:start + 4]]
                if not entries or entries[-1] != index:
                    entries.append(index)
            size = len(text.encode("utf-8"))
            if size <= SHORT_MSG_MAX:
                self.short[size].append(index)

    def search(self, msgctxt: str | None, msgid: str) -> Message | None:
        """The best translated definition for ``msgid``, if one reaches the threshold."""
        if len(msgid) >= 4:
            counts: dict[int, int] = defaultdict(int)
            for start in range(len(msgid) - 3):
                for index in self.grams.get(msgid[start:start + 4], ()):
                    counts[index] += 1
            candidates = sorted(counts, key=lambda i: (-counts[i], i))
        else:
            size = len(msgid.encode("utf-8"))
            low = math.ceil(size / (2 / FUZZY_THRESHOLD - 1))
            high = int(size * (2 / FUZZY_THRESHOLD - 1))
            candidates = [i for length in range(low, high + 1) for i in self.short.get(length, ())]
        best, best_weight = None, FUZZY_THRESHOLD
        encoded = msgid.encode("utf-8")
        counts = Counter(encoded)
        for index in candidates:
            message = self.messages[index]
            bonus = CONTEXT_BONUS if message.msgctxt is None or message.msgctxt == msgctxt else 0.0
            other = self.encoded[index]
            if not encoded or not other:
                weight = float(not encoded and not other)
            elif _below(encoded, other, counts, self.counts[index], best_weight - bonus * 1.01):
                continue
            else:
                weight = 2 * lcs_length(encoded, other) / (len(encoded) + len(other))
            weight += bonus
            if weight > best_weight:
                best, best_weight = message, weight
        return best


def merge(definitions: Catalog, template: Catalog, *, rule_flag=lambda flag: False) -> Catalog:
    """The catalog ``msgmerge --previous definitions template`` would write.

    ``rule_flag(flag)`` says which flags the template owns besides format
    flags (length budgets and the like): those come from the template and a
    catalog's own copies are replaced; every other flag a translator wrote
    stays with the entry.  The header keeps its fields in place; only
    ``POT-Creation-Date`` (and ``Report-Msgid-Bugs-To``) come from the template.
    """
    pool = [*definitions.messages, *definitions.obsolete]
    exact = {m.key: m for m in pool}
    index = FuzzyIndex(pool)
    used: set[int] = set()
    result = Catalog(header=replace(definitions.header))
    for name in ("POT-Creation-Date", "Report-Msgid-Bugs-To"):
        value = template.header_field(name)
        if value is not None:
            result.set_header_field(name, value)
    nplurals = _nplurals(definitions)
    owned = lambda flag: flag == "fuzzy" or bool(FORMAT_FLAG.match(flag)) or rule_flag(flag)  # noqa: E731
    for ref in template.messages:
        found = exact.get(ref.key)
        forced = False
        if found is None:
            found = index.search(ref.msgctxt, ref.msgid)
            forced = found is not None
        if found is None:
            forms = ("",) * nplurals if ref.plural else ("",)
            result.add(Message(ref.msgid, forms, ref.msgid_plural, ref.msgctxt,
                               extracted_comments=list(ref.extracted_comments), references=list(ref.references),
                               flags=[f for f in ref.flags if f != "fuzzy"]))
            continue
        used.add(id(found))
        result.add(_merged(found, ref, forced, nplurals, owned))
    for message in pool:
        if id(message) in used or not message.msgstr or not message.msgstr[0]:
            continue  # used above, or untranslated: GNU drops an unused untranslated entry
        result.obsolete.append(replace(message, obsolete=True, extracted_comments=[], references=[],
                                       translator_comments=list(message.translator_comments),
                                       flags=list(message.flags)))
    return result


def _merged(found: Message, ref: Message, forced: bool, nplurals: int, owned) -> Message:
    fuzzy = found.fuzzy or forced
    if found.fuzzy:
        previous = found.previous
    else:
        previous = Previous(found.msgid, found.msgid_plural, found.msgctxt)
    msgstr = found.msgstr
    if ref.plural != found.plural or (ref.plural and ref.msgid_plural != found.msgid_plural):
        fuzzy = True
    if ref.plural and not found.plural:
        msgstr = (msgstr[0],) * nplurals
    elif not ref.plural and found.plural:
        msgstr = (msgstr[0],)
    if not fuzzy and _format_differs(ref, found, msgstr):
        fuzzy = True  # GNU: msgmerge never turns a file that passes msgfmt -c into one that fails
    if not fuzzy or not msgstr or not msgstr[0]:
        previous = None
    flags = (["fuzzy"] if fuzzy else []) + [f for f in ref.flags if f != "fuzzy"] + [
        f for f in found.flags if not owned(f) and f not in ref.flags]
    return Message(ref.msgid, msgstr, ref.msgid_plural, ref.msgctxt,
                   translator_comments=list(found.translator_comments),
                   extracted_comments=list(ref.extracted_comments), references=list(ref.references),
                   flags=flags, previous=previous)


BRACE_FIELD = re.compile(r"(?<!\{)\{([^{}!:]*)[^{}]*\}(?!\})")


def _format_differs(ref: Message, found: Message, msgstr: tuple[str, ...]) -> bool:
    """A python-brace-format entry whose translation would fail ``msgfmt -c`` (named fields differ)."""
    if "python-brace-format" not in ref.flags or "python-brace-format" in found.flags:
        return False
    wanted = set(BRACE_FIELD.findall(ref.msgid_plural or ref.msgid))
    return any(form and set(BRACE_FIELD.findall(form)) != wanted for form in msgstr)


def _nplurals(catalog: Catalog) -> int:
    match = re.search(r"nplurals\s*=\s*(\d+)", catalog.header_field("Plural-Forms") or "")
    return int(match.group(1)) if match else 2
