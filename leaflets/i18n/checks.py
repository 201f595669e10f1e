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


def _number_runs(text: str) -> list[str]:
    text = ANY_BRACES.sub(" ", text)
    runs, current = [], ""
    for ch in text:
        if unicodedata.category(ch) == "Nd":
            current += ch
        elif current:
            runs.append(current)
            current = ""
    if current:
        runs.append(current)
    return runs


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


def _characters(translation: str) -> list[str]:
    problems = []
    for index, ch in enumerate(translation):
        code = ord(ch)
        label = f"U+{code:04X} {unicodedata.name(ch, 'control')}"
        if unicodedata.category(ch) == "Cc":
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
