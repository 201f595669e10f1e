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

    def __post_init__(self):
        # the hash of the fields, once: families (and stacks of them) key the font set's caches,
        # and a frozen dataclass otherwise hashes every field at every lookup
        object.__setattr__(self, "_hash", hash((self.name, self.regular, self.bold, self.italic, self.bold_italic,
                                                 self.style)))

    def __hash__(self) -> int:
        return self._hash

    def __reduce__(self):
        # made again from its fields, so the hash is this process's (string hashes differ between processes)
        return type(self), (self.name, self.regular, self.bold, self.italic, self.bold_italic, self.style)

    def files(self) -> dict[str, str]:
        return {"regular": self.regular, "bold": self.bold,
                "italic": self.italic or self.regular, "bold_italic": self.bold_italic or self.bold}


LATIN = Family("Noto Sans", "NotoSans-Regular.ttf", "NotoSans-Bold.ttf",
               "NotoSans-Italic.ttf", "NotoSans-BoldItalic.ttf")
ARABIC = Family("Noto Sans Arabic", "NotoSansArabic-Regular.ttf", "NotoSansArabic-Bold.ttf", style="Naskh")
DEVANAGARI = Family("Noto Sans Devanagari", "NotoSansDevanagari-Regular.ttf", "NotoSansDevanagari-Bold.ttf")
SIMPLIFIED_CHINESE = Family("Noto Sans SC", "NotoSansSC-Regular.ttf", "NotoSansSC-Bold.ttf")
KOREAN = Family("Noto Sans KR", "NotoSansKR-Regular.ttf", "NotoSansKR-Bold.ttf")


@dataclass(frozen=True)
class ScriptFonts:
    """How one script is drawn, in the handout and in the deck.

    ``stack``: the families that draw its text, in order of preference (each
    character by the first family whose cmap has it).  ``slot``: the DrawingML
    font slot PowerPoint takes its letters' typeface from (``latin``; ``ea`` for
    Chinese, Japanese and Korean; ``cs`` for complex scripts such as Arabic and
    Devanagari).  ``theme_script``: the script's name in a theme's per-script font
    list (``<a:font script="...">``), which is DrawingML's, not always ISO's
    (Korean, ISO ``Kore``, is ``Hang`` there); None where the slot is ``latin``.
    """

    stack: tuple[Family, ...]
    slot: str = "latin"
    theme_script: str | None = None


# One table for both outputs, keyed by ISO 15924 script, not by language: zh-Hant
# is not zh-Hans, Serbian may be Latn or Cyrl, and Persian and Urdu are written in
# Arabic script and Marathi and Nepali in Devanagari, so they get those fonts in
# the PDF and in the deck alike.  The deck template lists the theme scripts in
# this order.
SCRIPTS: dict[str, ScriptFonts] = {
    "Latn": ScriptFonts((LATIN,)),
    "Cyrl": ScriptFonts((LATIN,)),
    "Grek": ScriptFonts((LATIN,)),
    "Hans": ScriptFonts((SIMPLIFIED_CHINESE, LATIN), "ea", "Hans"),
    "Kore": ScriptFonts((KOREAN, LATIN), "ea", "Hang"),
    "Arab": ScriptFonts((ARABIC, LATIN), "cs", "Arab"),
    "Deva": ScriptFonts((DEVANAGARI, LATIN), "cs", "Deva"),
}
STACKS: dict[str, tuple[Family, ...]] = {script: fonts.stack for script, fonts in SCRIPTS.items()}
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
    leaflets.render.fonts.UnsupportedScript: zh-Hant is written in Traditional Chinese (Hant), and no font in assets/fonts draws it (Noto Sans SC lacks characters such as 膚, 濕 and 體); add a Noto Sans TC subset with tools/fonts/build_fonts.py and a SCRIPTS entry in leaflets/render/fonts.py
    """
    return script_fonts(language).stack


def script_fonts(language: str) -> ScriptFonts:
    """The fonts of the script a locale (BCP 47 tag) is written in; :class:`UnsupportedScript`
    if no shipped font draws it.

    >>> script_fonts("fa").slot, script_fonts("mr").stack[0].name, script_fonts("ko").theme_script
    ('cs', 'Noto Sans Devanagari', 'Hang')
    """
    from leaflets.i18n.locales import script_of
    from leaflets.i18n.pseudo import PSEUDO_LOCALES
    script = script_of(PSEUDO_LOCALES.get(language, language))
    fonts = SCRIPTS.get(script)
    if fonts is None:
        name = SCRIPT_NAMES.get(script, script)
        extra = " (Noto Sans SC lacks characters such as 膚, 濕 and 體)" if script == "Hant" else ""
        raise UnsupportedScript(
            f"{language} is written in {name} ({script}), and no font in assets/fonts draws it{extra}; add a "
            f"Noto Sans {'TC' if script == 'Hant' else name} subset with tools/fonts/build_fonts.py and a "
            "SCRIPTS entry in leaflets/render/fonts.py")
    return fonts


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


def office_slots(language: str) -> dict[str, str]:
    """Typefaces for DrawingML's three font slots, from the table of the language's script.

    PowerPoint picks the slot per character: ``a:latin`` for Latin, Greek and
    Cyrillic, ``a:ea`` for CJK, ``a:cs`` for complex scripts (Arabic,
    Devanagari).  python-pptx only writes ``a:latin``.

    >>> office_slots("ur")
    {'latin': 'Noto Sans', 'ea': 'Noto Sans', 'cs': 'Noto Sans Arabic'}
    """
    fonts = script_fonts(language)
    slots = {"latin": LATIN.name, "ea": LATIN.name, "cs": LATIN.name}
    if fonts.slot != "latin":
        slots[fonts.slot] = fonts.stack[0].name
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
