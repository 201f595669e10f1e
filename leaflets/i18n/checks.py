"""Checks on translations: what a careless or hostile catalog can get wrong.

Each check compares one translated string with its source and returns
problems as sentences.  :func:`check_message` runs them all for one catalog
entry.  ``status``, ``check`` and every build use these, so a translator
sees the same finding everywhere.

>>> check_text("About {share} of children.", "Alrededor del {share} de los niños.")
[]
>>> check_text("About {share} of children.", "Alrededor del 10,7 % de los niños.")
[('placeholders', 'placeholder {share} is missing'), ('numbers', "number '10' is not in the source; numbers must come from placeholders"), ('numbers', "number '7' is not in the source; numbers must come from placeholders")]
>>> check_text("Dry skin is common.", "皮肤干燥很常见.", language="zh-Hans")
[('punctuation', "ends with ASCII '.'; Chinese text ends a sentence with '。'")]
>>> check_text("Talk to your doctor today.", "Talk to your doctor today.", language="es")
[('same', 'the translation is identical to the English source; translate it (if it is right as it is, ask the maintainers to list it under translation: same_as_source in the topic)')]
>>> check_text("Dry skin, itching.", "皮肤干燥,瘙痒。", language="zh-Hans")
[('punctuation', "ASCII ',' inside Chinese text ('皮肤干燥,瘙痒。'); write '，' (or '、' between the items of a list)")]
>>> check_text("Dupilumab and tralokinumab", "度普利尤单抗 and 曲罗芦单抗", language="zh-Hans")
[('english', "'and' looks like English left untranslated; only names, acronyms, units and drug names stay in Latin script")]
>>> check_text("Dry skin", "Piel muy seca y agrietada", rule=Rule(max_length=10))
[('length', "is 25 characters long (placeholders and tags not counted); the limit (the layout's length budget) is 10")]
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

from leaflets.content import inline
from leaflets.errors import Diagnostic
from leaflets.i18n.locales import script_of as locale_script
from leaflets.i18n.rules import NO_RULE, Rule

ANY_BRACES = re.compile(r"\{[^{}]*\}")
BIDI_CONTROLS = {0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A)}
ZERO_WIDTH = {0x200B, 0x2060, 0xFEFF, 0x180E}
JOINERS = {0x200C, 0x200D}
# Scripts in which ZWJ/ZWNJ change shaping and are legitimately typed.
JOINING_SCRIPTS = ("ARABIC", "DEVANAGARI", "BENGALI", "GURMUKHI", "GUJARATI", "ORIYA", "TAMIL", "TELUGU",
                   "KANNADA", "MALAYALAM", "SINHALA", "SYRIAC", "MONGOLIAN")
FINAL = {
    ".": ".。।॥۔።．",
    "?": "?？؟;՞",
    "!": "!！",
    ":": ":：",
    ";": "；؛",
}
CLOSERS = "\"'”’»›」』"  # closing quotes; a closing bracket ends a parenthesis, not a sentence
# Scripts whose sentences end with their own marks, not ASCII ones:
# final punctuation kind -> (required characters, name of the script's mark).
SCRIPT_FINALS: dict[str, dict[str, str]] = {
    "Hans": {".": "。", "?": "？", "!": "！"},
    "Hant": {".": "。", "?": "？", "!": "！"},
    "Jpan": {".": "。", "?": "？", "!": "！"},
    "Arab": {"?": "؟", ";": "؛"},
    "Deva": {".": "।॥"},
}
SCRIPT_NAMES = {"Hans": "Chinese", "Hant": "Chinese", "Jpan": "Japanese", "Arab": "Arabic", "Deva": "Devanagari"}
# ASCII marks that a script writes in its own form inside its text, not only at the end of a
# sentence: script -> ASCII mark -> what to write instead.  Korean uses Western punctuation, and
# in Arabic script the ASCII colon is the normal colon, so neither is listed.
_CJK_MARKS = {"?": "'？'", ";": "'；'", ":": "'：'"}
SCRIPT_MARKS: dict[str, dict[str, str]] = {
    "Hans": {**_CJK_MARKS, ",": "'，' (or '、' between the items of a list)"},
    "Hant": {**_CJK_MARKS, ",": "'，' (or '、' between the items of a list)"},
    "Jpan": {**_CJK_MARKS, ",": "'、' or '，'"},
    "Arab": {"?": "'؟'", ",": "'،'", ";": "'؛'"},
}
MARK_SCRIPT_NAMES = {"Hans": "Chinese", "Hant": "Chinese", "Jpan": "Japanese", "Arab": "Arabic-script"}
# Text that is not prose of the translation's script, whatever surrounds it: a mark inside or next
# to it belongs to it (a query string, a DOI, a domain name) and is never flagged.
NOT_PROSE = re.compile(r"\{[^{}]*\}|https?://[!-~]+|doi:[!-~]+|\b10\.\d{4,9}/[!-~]+"
                       r"|\b[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b")
INLINE_TAG = re.compile(r"</?[bi]>")
NEUTRAL, TRANSPARENT = "\ufffc", "\x00"  # masks: stops a neighbour search / is skipped by it
# Words that occur in almost every English sentence and in no name, acronym, unit or drug.
ENGLISH_FUNCTION_WORDS = frozenset(
    "a an the and or but nor of to in on at by for from with without into onto about than as is are was were be been "
    "being am do does did has have had not no if then so that this these those it its your you we our they their "
    "he she his her him them who whom whose which what when where why how can could may might must shall should will "
    "would per each every all any some more most only also very".split())
# Scholarly Latin kept as written in medical text of every language.
LATIN_PHRASES = frozenset({"et al", "in vitro", "in vivo", "ex vivo", "in situ", "de novo", "per se"})
# The endings of International Nonproprietary Names (WHO INN stems) that two-word names are
# built from, and the second words of such names: axicabtagene ciloleucel, certolizumab pegol.
INN_WORD = re.compile(r"(?:mab|cept|nib|limus|cel|gene|vec)$|^(?:alfa|beta|gamma|pegol)$")
LATIN_TOKEN = re.compile(r"[A-Za-z\u00C0-\u024F0-9]+(?:[-'’][A-Za-z\u00C0-\u024F0-9]+)*")
QUOTED = re.compile(r'"([^"]+)"|“([^”]+)”|„([^“”]+)[“”]|«\s*([^»]+?)\s*»|「([^」]+)」|『([^』]+)』')
SAME_MIN_WORDS = 3  # shorter strings (names, acronyms, "IgE") are often the same in every language


@dataclass(frozen=True)
class Finding:
    """One problem with one catalog entry."""

    file: str
    line: int
    msgid: str
    check: str
    message: str

    def diagnostic(self) -> Diagnostic:
        short = self.msgid if len(self.msgid) <= 60 else self.msgid[:57] + "..."
        return Diagnostic(self.file, self.line, 1, f"[{self.check}] msgid {short!r}: {self.message}")


def check_text(source: str, translation: str, *, rule: Rule = NO_RULE,
               language: str | None = None) -> list[tuple[str, str]]:
    """All problems of one translated string against its source: (check, message).

    ``rule`` is what the content says of the string (length budget,
    exemptions: :mod:`leaflets.i18n.rules`), never a flag from the catalog;
    ``language`` is the catalog's BCP 47 tag, for script-aware checks.
    """
    problems: list[tuple[str, str]] = []
    problems += [("placeholders", m) for m in _placeholders(source, translation)]
    problems += [("numbers", m) for m in _numbers(source, translation)]
    problems += [("markup", m) for m in _markup(source, translation)]
    problems += [("characters", m) for m in _characters(translation)]
    problems += [("whitespace", m) for m in _whitespace(source, translation)]
    problems += [("punctuation", m) for m in _final_punctuation(source, translation)]
    problems += [("punctuation", m) for m in _script_punctuation(source, translation, language)]
    problems += [("punctuation", m) for m in _inside_punctuation(source, translation, language)]
    problems += [("english", m) for m in _english_left(source, translation, language)]
    problems += [("same", m) for m in _same_as_source(source, translation, rule, language)]
    problems += [("length", m) for m in _length(translation, rule)]
    return problems


def check_message(sources: tuple[str, ...], forms: tuple[str, ...], *, plural: bool,
                  nplurals: int, rule: Rule = NO_RULE,
                  language: str | None = None) -> list[tuple[str, str]]:
    """Check a (possibly plural) entry: every form against the matching source form."""
    problems: list[tuple[str, str]] = []
    if plural:
        if len(forms) != nplurals:
            problems.append(("plurals", f"has {len(forms)} plural forms; the catalog's Plural-Forms needs {nplurals}"))
        empty = [str(i) for i, form in enumerate(forms) if not form]
        if empty and any(forms):
            problems.append(("plurals", f"plural form msgstr[{', '.join(empty)}] is empty"))
    # Every plural form is checked against the English plural (same placeholders as the singular).
    source = sources[-1]
    for index, form in enumerate(forms):
        if not form:
            continue
        for check, message in check_text(source, form, rule=rule, language=language):
            if plural:
                message = f"msgstr[{index}]: {message}"
            if (check, message) not in problems:
                problems.append((check, message))
    return problems


# ------------------------------------------------------------------ checks
def _placeholders(source: str, translation: str) -> list[str]:
    expected = set(inline.placeholders(source))
    found = Counter(inline.placeholders(translation))
    problems = []
    for raw in ANY_BRACES.findall(translation):
        if not inline.PLACEHOLDER.fullmatch(raw):
            near = _closest(raw, expected)
            problems.append(f"malformed placeholder {raw}" + (f"; did you mean {{{near}}}?" if near else ""))
    for name in sorted(expected - set(found)):
        if not any(_closest(raw, {name}) for raw in ANY_BRACES.findall(translation)
                   if not inline.PLACEHOLDER.fullmatch(raw)):
            problems.append(f"placeholder {{{name}}} is missing")
    for name in sorted(set(found) - expected):
        known = ", ".join(f"{{{n}}}" for n in sorted(expected)) or "none"
        problems.append(f"unknown placeholder {{{name}}}; the source has {known}")
    return problems


def _closest(raw: str, names: set[str]) -> str | None:
    bare = re.sub(r"[^a-z0-9_]", "", raw.lower().replace(" ", "_"))
    for name in names:
        if bare == name or bare.replace("_", "") == name.replace("_", ""):
            return name
    return None


DIGIT_RUN = re.compile(r"\d+")  # in a str pattern, \d is any character of category Nd (every script's digits)


def _number_runs(text: str) -> list[str]:
    """The runs of decimal digits (category Nd, any script) outside ``{placeholders}``."""
    return DIGIT_RUN.findall(ANY_BRACES.sub(" ", text))


def _numbers(source: str, translation: str) -> list[str]:
    allowed = Counter(_ascii_digits(run) for run in _number_runs(source))
    problems = []
    for run in _number_runs(translation):
        value = _ascii_digits(run)
        if allowed[value] > 0:
            allowed[value] -= 1
            if run != value:
                problems.append(f"number {run!r} is written in {_script(run)} digits; write it as in the source")
            continue
        note = f" ({_script(run)} digits)" if run != value else ""
        problems.append(f"number {run!r}{note} is not in the source; numbers must come from placeholders")
    return problems


def _ascii_digits(run: str) -> str:
    return "".join(str(unicodedata.digit(ch)) for ch in run)


def _script(run: str) -> str:
    name = unicodedata.name(run[0], "")
    return name.split(" DIGIT")[0].title() if " DIGIT" in name else "non-ASCII"


def _markup(source: str, translation: str) -> list[str]:
    neutral = ANY_BRACES.sub("", translation)
    try:
        tokens = inline.tokenize(neutral)
    except inline.InlineError as exc:
        return [str(exc)]
    source_tags = Counter(v for k, v in inline.tokenize(ANY_BRACES.sub("", source)) if k == "open")
    tags = Counter(v for k, v in tokens if k == "open")
    if tags != source_tags:
        want = ", ".join(f"<{t}>×{n}" for t, n in sorted(source_tags.items())) or "no emphasis"
        got = ", ".join(f"<{t}>×{n}" for t, n in sorted(tags.items())) or "no emphasis"
        return [f"emphasis differs from the source: source has {want}, translation has {got}"]
    return []


SUSPECT_CODES = BIDI_CONTROLS | ZERO_WIDTH | JOINERS


def _characters(translation: str) -> list[str]:
    problems = []
    for index, ch in enumerate(translation):
        code = ord(ch)
        control = unicodedata.category(ch) == "Cc"
        if not control and code not in SUSPECT_CODES:
            continue  # (most characters: named only when reported)
        label = f"U+{code:04X} {unicodedata.name(ch, 'control')}"
        if control:
            problems.append(f"control character {label}")
        elif code in BIDI_CONTROLS:
            problems.append(f"bidi control character {label}; text direction is handled by the renderer")
        elif code in ZERO_WIDTH:
            problems.append(f"invisible character {label}")
        elif code in JOINERS and not _joiner_needed(translation, index):
            problems.append(f"{label} outside a script that uses it")
    return list(dict.fromkeys(problems))


def _joiner_needed(text: str, index: int) -> bool:
    neighbours = text[index - 1:index] + text[index + 1:index + 2]
    return len(neighbours) == 2 and all(unicodedata.name(c, "").startswith(JOINING_SCRIPTS) for c in neighbours)


def _whitespace(source: str, translation: str) -> list[str]:
    problems = []
    lead = lambda s: s[:len(s) - len(s.lstrip())]  # noqa: E731
    trail = lambda s: s[len(s.rstrip()):]  # noqa: E731
    if lead(source) != lead(translation):
        problems.append("leading whitespace differs from the source")
    if trail(source) != trail(translation):
        problems.append("trailing whitespace differs from the source")
    return problems


def final_class(text: str) -> str | None:
    """The kind of final punctuation ('.', '?', '!', ':', ';') or None, script-aware."""
    end = text.rstrip().rstrip(CLOSERS).rstrip()
    if end.endswith(("…", "...")):
        return "…"
    if not end:
        return None
    for kind, chars in FINAL.items():
        if end[-1] in chars:
            return kind
    return None


def _final_punctuation(source: str, translation: str) -> list[str]:
    want, got = final_class(source), final_class(translation)
    if want == got:
        return []
    if want is None:
        return [f"ends with {got!r}-type punctuation but the source has no final punctuation"]
    if got is None:
        return [f"has no final punctuation but the source ends with {want!r}"]
    return [f"ends with {got!r}-type punctuation but the source ends with {want!r}"]


def script_of(language: str | None) -> str | None:
    """The ISO 15924 script a language is written in (CLDR likely subtags).

    >>> script_of("zh-Hans"), script_of("hi"), script_of("ar-EG"), script_of("es")
    ('Hans', 'Deva', 'Arab', 'Latn')
    """
    if not language:
        return None
    try:
        return locale_script(language)
    except ValueError:
        return None


def _script_punctuation(source: str, translation: str, language: str | None) -> list[str]:
    script = script_of(language)
    required = SCRIPT_FINALS.get(script or "", {})
    kind = final_class(source)
    if kind not in required or final_class(translation) != kind:
        return []
    end = translation.rstrip().rstrip(CLOSERS).rstrip()
    if end[-1:] in required[kind]:
        return []
    marks = " or ".join(f"'{c}'" for c in required[kind])
    return [f"ends with ASCII {end[-1]!r}; {SCRIPT_NAMES[script]} text ends a sentence with {marks}"]


def _inside_punctuation(source: str, translation: str, language: str | None) -> list[str]:
    """ASCII ``? , ; :`` used inside Chinese or Japanese text, or ``? , ;`` inside Arabic-script text.

    Readers of these scripts expect their own marks (full-width ``？，；：``, Arabic ``؟ ، ؛``)
    wherever a sentence pauses, not only at its end; the ASCII forms look cramped or wrong and
    break differently at line ends.  A mark counts as inside the script's text when the nearest
    character before or after it (spaces and ``<b>``/``<i>`` tags skipped) is a letter or mark of
    that script.  Marks between Latin words, digits, placeholders, URLs, DOIs and domain names
    are theirs: "IL-4, IL-13", "2007;18(2):82-91" and "?cond=eczema,msc" stay as written.
    The sentence-final mark has its own finding (:func:`_script_punctuation`) and is not repeated.

    >>> _inside_punctuation("Dry skin, itching.", "皮肤干燥,瘙痒。", "zh-Hans")
    ["ASCII ',' inside Chinese text ('皮肤干燥,瘙痒。'); write '，' (or '、' between the items of a list)"]
    >>> _inside_punctuation("Upadacitinib, abrocitinib", "أوباداسيتينيب (upadacitinib, abrocitinib)", "ar")
    []
    """
    script = script_of(language)
    marks = SCRIPT_MARKS.get(script or "")
    if not marks:
        return []
    masked = _mask_non_prose(translation)
    skip = -1
    if _script_punctuation(source, translation, language):
        skip = len(translation.rstrip().rstrip(CLOSERS).rstrip()) - 1
    problems = []
    for index, ch in enumerate(masked):
        if ch not in marks or index == skip:
            continue
        if not any(_of_script(near, script) for near in _neighbours(masked, index)):
            continue
        where = _context(translation, masked, index)
        problems.append(f"ASCII {ch!r} inside {MARK_SCRIPT_NAMES[script]} text ({where!r}); write {marks[ch]}")
    return problems


def _context(text: str, masked: str, index: int, width: int = 8) -> str:
    """Up to ``width`` characters of ``text`` either side of ``index``, tags left out, to find the mark by."""
    shown = [i for i in range(len(text)) if masked[i] != TRANSPARENT]
    at = shown.index(index)
    start, end = max(0, at - width), min(len(shown), at + width + 1)
    return (("…" if start else "") + "".join(text[i] for i in shown[start:end])
            + ("…" if end < len(shown) else "")).strip()


def _mask_non_prose(text: str) -> str:
    """``text`` with placeholders, URLs, DOIs and domain names blanked to :data:`NEUTRAL` and
    ``<b>``/``<i>`` tags to :data:`TRANSPARENT`, keeping every other character at its index."""
    text = NOT_PROSE.sub(lambda m: NEUTRAL * len(m.group(0)), text)
    return INLINE_TAG.sub(lambda m: TRANSPARENT * len(m.group(0)), text)


def _neighbours(masked: str, index: int) -> list[str]:
    """The nearest characters before and after ``index`` that are not spaces or tags."""
    found = []
    for step in (-1, 1):
        at = index + step
        while 0 <= at < len(masked) and (masked[at].isspace() or masked[at] == TRANSPARENT):
            at += step
        if 0 <= at < len(masked):
            found.append(masked[at])
    return found


def _of_script(ch: str, script: str) -> bool:
    """Whether ``ch`` is a letter or punctuation mark of ``script`` (digits are numbers, not text)."""
    if unicodedata.category(ch) == "Nd":
        return False
    if script == "Arab":
        return unicodedata.name(ch, "").startswith("ARABIC")
    code = ord(ch)
    if 0xFF00 <= code <= 0xFFEF:  # full-width forms: punctuation yes, full-width Latin letters no
        return not ch.isalnum()
    return any(low <= code <= high for low, high in CJK_RANGES)


# CJK symbols and punctuation, kana, ideographs (with extension A, compatibility and the
# supplementary planes' extensions).
CJK_RANGES = ((0x3000, 0x30FF), (0x31F0, 0x31FF), (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF),
              (0x20000, 0x3FFFF))


def _english_left(source: str, translation: str, language: str | None) -> list[str]:
    """English words left untranslated in a catalog whose script is not Latin.

    In text of any script but Latin (Chinese, Japanese, Korean, Arabic, Devanagari, Cyrillic...)
    every Latin-script word stands out, yet many are right: acronyms (IgE, EASI-50, FDA), drug names written in
    Latin beside their transliteration (دوبيلوماب (dupilumab)), trial and product names, units
    (kg).  What they have in common is that none is a run of ordinary lowercase words, and none
    is an English function word.  So a run of Latin words (separated by spaces or joined by
    hyphens) is flagged when it holds

    * two or more consecutive lowercase words ("moisturiser every day", "moderate-to-severe",
      "ruxolitinib cream"), unless they are scholarly Latin (:data:`LATIN_PHRASES`: et al.,
      in vitro) or every word has the shape of an INN (:data:`INN_WORD`: axicabtagene
      ciloleucel, certolizumab pegol); or
    * a lowercase English function word (:data:`ENGLISH_FUNCTION_WORDS`: "and", "the", "your"),
      unless it joins two capitalised words of a name written in Title Case, as when a clinician
      text spells out a scale: "EASI (Eczema Area and Severity Index)".

    A lowercase word alone (dupilumab, kg, n) and capitalised words (Kim, Dupixent) pass: a
    single leftover English noun cannot be told from a name, nor "Dupilumab and Tralokinumab"
    from a Title Case name, so those are a reviewer's to find.
    Placeholders, ``<b>``/``<i>`` tags, URLs, DOIs and domain names are not words, and a passage
    the source itself puts in quotation marks (a search term such as "atopic dermatitis") is
    quoted English, not a leftover.  A translation that is the source unchanged is the ``same``
    check's finding (with its ``same_as_source`` escape in the content), not this one's.

    >>> _english_left("Use a moisturiser every day.", "每天使用 moisturiser every day。", "zh-Hans")[0][:60]
    "'moisturiser every day' looks like English left untranslated"
    >>> _english_left("Dupilumab (IgE)", "دوبيلوماب (dupilumab) وIgE", "ar")
    []
    """
    script = script_of(language)
    if script in (None, "Latn") or translation.strip() == source.strip():
        return []
    mentioned = {next(g for g in m.groups() if g).strip() for m in QUOTED.finditer(source)}
    text = QUOTED.sub(lambda m: " " if next(g for g in m.groups() if g).strip() in mentioned else m.group(0),
                      translation)
    text = INLINE_TAG.sub("", NOT_PROSE.sub(" ", text))
    problems = []
    for run in _latin_runs(text):
        if _looks_english(run):
            problems.append(f"{' '.join(run)!r} looks like English left untranslated; only names, acronyms, "
                            "units and drug names stay in Latin script")
    return list(dict.fromkeys(problems))


def _latin_runs(text: str) -> list[list[str]]:
    """Runs of Latin-script tokens that only spaces separate, in order."""
    runs: list[list[str]] = []
    end = -1
    for match in LATIN_TOKEN.finditer(text):
        if runs and text[end:match.start()].isspace():
            runs[-1].append(match.group(0))
        else:
            runs.append([match.group(0)])
        end = match.end()
    return runs


def _looks_english(run: list[str]) -> bool:
    """Whether a run of Latin tokens holds two consecutive lowercase words or a function word
    (function words inside a Title Case name, "Eczema Area and Severity Index", are the name's)."""
    start = 0
    while start < len(run):
        end = start
        while end < len(run) and _lowercase(run[end]):
            end += 1
        if end == start:
            start += 1
            continue
        words = [w for token in run[start:end] for w in re.split(r"[-'’]", token)]
        in_name = 0 < start and end < len(run) and _title_case(run[start - 1]) and _title_case(run[end]) \
            and all(w in ENGLISH_FUNCTION_WORDS for w in words)
        if not in_name and " ".join(words) not in LATIN_PHRASES:
            if len(words) >= 2 and not all(INN_WORD.search(w) for w in words):
                return True
            if any(w in ENGLISH_FUNCTION_WORDS for w in words):
                return True
        start = end
    return False


def _lowercase(token: str) -> bool:
    return all(w.isalpha() and w.islower() for w in re.split(r"[-'’]", token))


def _title_case(token: str) -> bool:
    """A capitalised word such as "Area" (not an acronym such as "MSC" or "IgE")."""
    return token[:1].isupper() and token[1:].isalpha() and token[1:].islower() and len(token) > 1


def _same_as_source(source: str, translation: str, rule: Rule, language: str | None) -> list[str]:
    if rule.same_as_source or (language or "").split("-")[0] == "en":
        return []
    if translation.strip() != source.strip():
        return []
    words = re.findall(r"[^\W\d_]{2,}", ANY_BRACES.sub(" ", re.sub(r"<[^>]*>", " ", source)))
    if len(words) < SAME_MIN_WORDS:
        return []
    return ["the translation is identical to the English source; translate it (if it is right as it is, "
            "ask the maintainers to list it under translation: same_as_source in the topic)"]


def visible_length(text: str) -> int:
    """Characters of text a layout must hold, not counting {placeholders} or <b>/<i> tags
    (a placeholder's value has the same length in the source and every translation).

    >>> visible_length("EASI-50 in {easi50_high_dose} of the <b>high-dose</b> group")
    34
    """
    return len(re.sub(r"</?[bi]>", "", ANY_BRACES.sub("", text)))


def _length(translation: str, rule: Rule) -> list[str]:
    limit = rule.max_length
    if limit is None or visible_length(translation) <= limit:
        return []
    return [f"is {visible_length(translation)} characters long (placeholders and tags not counted); "
            f"the limit (the layout's length budget) is {limit}"]
