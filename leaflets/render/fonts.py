"""The fonts shipped in ``assets/fonts`` and which one draws which text.

Nothing depends on fonts installed on the machine: the PDF embeds subsets of
these files and the deck names these families (LibreOffice and PowerPoint use
them when installed; ``assets/fonts`` can be installed for exact rendering).
The folder is package data (:mod:`leaflets.resources`), so an installed
leaflets finds it wherever it runs.

This module says which family draws what; the files themselves, as ReportLab
and fontTools read them, belong to a :class:`~leaflets.render.fontset.FontSet`
(the functions below take one, by default the shipped fonts' set).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from leaflets.render.fontset import FontSet, PdfFonts, shipped_fonts
from leaflets.resources import resources

FONT_DIR = resources().fonts_dir


@dataclass(frozen=True)
class Family:
    """A font family: its name (as applications know it) and its files."""

    name: str
    regular: str
    bold: str
    italic: str | None = None
    bold_italic: str | None = None
    style: str | None = None  # the calligraphic style it draws, where a script has several (Naskh, Nastaliq)

    def files(self) -> dict[str, str]:
        return {"regular": self.regular, "bold": self.bold,
                "italic": self.italic or self.regular, "bold_italic": self.bold_italic or self.bold}


LATIN = Family("Noto Sans", "NotoSans-Regular.ttf", "NotoSans-Bold.ttf",
               "NotoSans-Italic.ttf", "NotoSans-BoldItalic.ttf")
ARABIC = Family("Noto Sans Arabic", "NotoSansArabic-Regular.ttf", "NotoSansArabic-Bold.ttf", style="Naskh")
DEVANAGARI = Family("Noto Sans Devanagari", "NotoSansDevanagari-Regular.ttf", "NotoSansDevanagari-Bold.ttf")
SIMPLIFIED_CHINESE = Family("Noto Sans SC", "NotoSansSC-Regular.ttf", "NotoSansSC-Bold.ttf")
KOREAN = Family("Noto Sans KR", "NotoSansKR-Regular.ttf", "NotoSansKR-Bold.ttf")


# Which families draw a script's text, in order of preference: each character
# is drawn by the first family whose cmap has it.  Keyed by ISO 15924 script,
# not by language: zh-Hant is not zh-Hans, and Serbian may be Latn or Cyrl.
STACKS: dict[str, tuple[Family, ...]] = {
    "Latn": (LATIN,),
    "Cyrl": (LATIN,),
    "Grek": (LATIN,),
    "Arab": (ARABIC, LATIN),
    "Deva": (DEVANAGARI, LATIN),
    "Hans": (SIMPLIFIED_CHINESE, LATIN),
    "Kore": (KOREAN, LATIN),
}
SCRIPT_NAMES = {"Hant": "Traditional Chinese", "Jpan": "Japanese", "Hebr": "Hebrew", "Thai": "Thai",
                "Beng": "Bengali", "Taml": "Tamil", "Ethi": "Ethiopic"}


class UnsupportedScript(ValueError):
    """No shipped font draws the script a locale is written in."""


def stack_for(language: str) -> tuple[Family, ...]:
    """The font stack for a locale (BCP 47 tag), chosen by the script it is written in.

    >>> [f.name for f in stack_for("zh-Hans")]
    ['Noto Sans SC', 'Noto Sans']
    >>> stack_for("zh-Hant")
    Traceback (most recent call last):
    ...
    leaflets.render.fonts.UnsupportedScript: zh-Hant is written in Traditional Chinese (Hant), and no font in assets/fonts draws it (Noto Sans SC lacks characters such as 膚, 濕 and 體); add a Noto Sans TC subset with tools/fonts/build_fonts.py and a STACKS entry in leaflets/render/fonts.py
    """
    from leaflets.i18n.locales import script_of
    from leaflets.i18n.pseudo import PSEUDO_LOCALES
    script = script_of(PSEUDO_LOCALES.get(language, language))
    stack = STACKS.get(script)
    if stack is None:
        name = SCRIPT_NAMES.get(script, script)
        extra = " (Noto Sans SC lacks characters such as 膚, 濕 and 體)" if script == "Hant" else ""
        raise UnsupportedScript(
            f"{language} is written in {name} ({script}), and no font in assets/fonts draws it{extra}; add a "
            f"Noto Sans {'TC' if script == 'Hant' else name} subset with tools/fonts/build_fonts.py and a "
            "STACKS entry in leaflets/render/fonts.py")
    return stack


@dataclass(frozen=True)
class WritingStyle:
    """The style readers of a language expect its script in, and a font that draws it."""

    script: str  # ISO 15924: the expectation holds for this script only (Roman Urdu is Latin)
    style: str
    font: str


# Languages normally written in a style of their script that the shipped font does not draw.
# Urdu is written in Nastaliq (W3C Arabic Layout Requirements, alreq issue 276: "nastaliq fonts
# are the norm, and incorrect substitutions may cause readability and cultural issues"); Noto
# Sans Arabic is a Naskh design.  Persian print is Naskh, so Persian is not listed.
WRITING_STYLES: dict[str, WritingStyle] = {
    "ur": WritingStyle("Arab", "Nastaliq", "Noto Nastaliq Urdu"),
}


def style_warning(language: str) -> str | None:
    """Why the shipped fonts would draw ``language`` (a BCP 47 tag) in a style its readers do
    not expect, or None.  The handouts stay legible, so this is a warning, not a refusal.

    >>> style_warning("ur")[:56]
    'ur (Urdu) is normally written in the Nastaliq style, but'
    >>> style_warning("fa") is None, style_warning("ar") is None
    (True, True)
    """
    from babel import Locale

    from leaflets.i18n.locales import parse_tag, script_of
    locale = parse_tag(language)
    expected = WRITING_STYLES.get(locale.language)
    if expected is None or script_of(language) != expected.script:
        return None
    family = stack_for(language)[0]
    if family.style is None or family.style == expected.style:
        return None
    name = Locale.parse(locale.language).english_name
    return (f"{language} ({name}) is normally written in the {expected.style} style, but the shipped "
            f"{family.name} draws {family.style}: the handouts will be legible but not in the style readers expect. "
            f"To draw {expected.style}, add {expected.font} to assets/fonts (tools/fonts/build_fonts.py) and a "
            f"font stack for {locale.language} in leaflets/render/fonts.py (stacks are chosen by script today)")


EAST_ASIAN = (SIMPLIFIED_CHINESE, KOREAN)
COMPLEX = (ARABIC, DEVANAGARI)


def office_slots(language: str) -> dict[str, str]:
    """Typefaces for DrawingML's three font slots, from the language's stack.

    PowerPoint picks the slot per character: ``a:latin`` for Latin, Greek and
    Cyrillic, ``a:ea`` for CJK, ``a:cs`` for complex scripts (Arabic,
    Devanagari).  python-pptx only writes ``a:latin``.
    """
    stack = stack_for(language)
    slots = {"latin": LATIN.name, "ea": LATIN.name, "cs": LATIN.name}
    for family in stack:
        if family in EAST_ASIAN:
            slots["ea"] = family.name
        elif family in COMPLEX:
            slots["cs"] = family.name
    return slots


def font_path(filename: str, fonts: FontSet | None = None) -> Path:
    """The path of a font file (of ``fonts``, by default the shipped ones); a missing file is a
    one-line error naming it."""
    return (fonts or shipped_fonts()).path(filename)


def coverage(filename: str, fonts: FontSet | None = None) -> frozenset[int]:
    """Code points a font file maps to glyphs (its cmap), read with fontTools."""
    return (fonts or shipped_fonts()).coverage(filename)


def family_covering(stack: tuple[Family, ...], char: str, fonts: FontSet | None = None) -> Family | None:
    """The first family of ``stack`` that has a glyph for ``char`` (regular and bold)."""
    return (fonts or shipped_fonts()).family_covering(stack, char)


def register_pdf_family(family: Family, fonts: FontSet | None = None) -> PdfFonts:
    """The ReportLab fonts of a family (of ``fonts``, by default the shipped ones), registered
    on first use."""
    return (fonts or shipped_fonts()).pdf_family(family)
