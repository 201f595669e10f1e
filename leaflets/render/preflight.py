"""Glyph preflight: no character reaches a PDF or deck without a font that draws it.

A character missing from every font of a locale's stack would print as an
empty box ("tofu").  Before anything is rendered, every character of every
string in a localized document is looked up in the cmaps of the fonts that
will draw it (read with fontTools); each miss is an error naming the locale,
the msgid, the character and its code point.
"""

from __future__ import annotations

import unicodedata

from leaflets.document import LocalizedDocument
from leaflets.errors import Diagnostic, LeafletsError
from leaflets.render.fonts import UnsupportedScript, stack_for
from leaflets.render.fontset import FontSet, shipped_fonts

class MissingGlyphs(LeafletsError):
    """Characters of a localized document that no font of its locale draws (each would print
    as an empty box), at the catalog or topic line of their string."""


# Format characters (ZWJ, ZWNJ, soft hyphen...) steer shaping and are not drawn.
INVISIBLE = {"Cf", "Cc", "Zl", "Zp"}


def missing_glyphs(document: LocalizedDocument, loaded, translations, fonts: FontSet | None = None) -> list[Diagnostic]:
    """Every character no font of the locale's stack draws, at the ``file:line`` of its string.

    The line is the catalog entry's for a translation, the content file's
    for English source text (``loaded`` is the topic, ``translations`` the
    catalog the document was localized from).  The cmaps are those of
    ``fonts`` (by default the shipped fonts), the fonts that will draw it.
    """
    fonts = fonts or shipped_fonts()
    try:
        stack = stack_for(document.locale)
    except UnsupportedScript as exc:
        return [Diagnostic(translations.file, 0, 0, f"[glyphs] {exc}")]
    names = ", ".join(family.name for family in stack)
    problems: dict[tuple[str, str], Diagnostic] = {}
    # each distinct character of the document looked up once; the strings are walked (in order,
    # for the diagnostics' order) only when some character is missing
    distinct = set().union(*(text for _, text in document.texts))
    missing = {ch for ch in distinct if not ch.isspace() and unicodedata.category(ch) not in INVISIBLE
               and fonts.family_covering(stack, ch) is None}
    for msgid, text in (document.texts if missing else ()):
        for ch in dict.fromkeys(text):
            if ch in missing and (msgid, ch) not in problems:
                short = msgid if len(msgid) <= 60 else msgid[:57] + "..."
                file, line = _where(msgid, loaded, translations)
                problems[(msgid, ch)] = Diagnostic(
                    file, line, 1 if line else 0,
                    f"[glyphs] locale {document.locale}: msgid {short!r}: character {ch!r} "
                    f"(U+{ord(ch):04X} {unicodedata.name(ch, 'unnamed')}) is in no font of the "
                    f"{document.locale} font stack ({names}); it would print as an empty box")
    for tagline in document.handout.taglines:  # each in its own language's fonts
        try:
            own = stack_for(tagline.lang)
        except UnsupportedScript as exc:
            problems[("tagline", tagline.lang)] = Diagnostic(translations.file, 0, 0, f"[glyphs] {exc}")
            continue
        for ch in tagline.text:
            if ch.isspace() or unicodedata.category(ch) in INVISIBLE or fonts.family_covering(own, ch) is not None:
                continue
            problems.setdefault((tagline.lang, ch), Diagnostic(
                translations.file, 0, 0, f"[glyphs] the {tagline.lang} language-assistance tagline: character "
                f"{ch!r} (U+{ord(ch):04X}) is in no font of the {tagline.lang} font stack"))
    return list(problems.values())


def _where(msgid: str, loaded, translations) -> tuple[str, int]:
    file, line = translations.location(msgid)
    if line:
        return file, line
    from leaflets.content.messages import iter_texts
    for text in iter_texts(loaded.topic):
        if text.msgid == msgid:
            return loaded.source.file, loaded.line_of(text.path)
    return loaded.source.file, 0
