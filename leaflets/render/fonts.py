"""The fonts shipped in ``assets/fonts`` and which one draws which text.

Nothing depends on fonts installed on the machine: the PDF embeds subsets of
these files and the deck names these families (LibreOffice and PowerPoint use
them when installed; ``assets/fonts`` can be installed for exact rendering).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONT_DIR = Path(__file__).resolve().parents[2] / "assets" / "fonts"


@dataclass(frozen=True)
class Family:
    """A font family: its name (as applications know it) and its files."""

    name: str
    regular: str
    bold: str
    italic: str | None = None
    bold_italic: str | None = None

    def files(self) -> dict[str, str]:
        return {"regular": self.regular, "bold": self.bold,
                "italic": self.italic or self.regular, "bold_italic": self.bold_italic or self.bold}


LATIN = Family("Noto Sans", "NotoSans-Regular.ttf", "NotoSans-Bold.ttf",
               "NotoSans-Italic.ttf", "NotoSans-BoldItalic.ttf")
ARABIC = Family("Noto Sans Arabic", "NotoSansArabic-Regular.ttf", "NotoSansArabic-Bold.ttf")
DEVANAGARI = Family("Noto Sans Devanagari", "NotoSansDevanagari-Regular.ttf", "NotoSansDevanagari-Bold.ttf")
SIMPLIFIED_CHINESE = Family("Noto Sans SC", "NotoSansSC-Regular.ttf", "NotoSansSC-Bold.ttf")
KOREAN = Family("Noto Sans KR", "NotoSansKR-Regular.ttf", "NotoSansKR-Bold.ttf")


# Which families draw a locale's text, in order of preference: each character
# is drawn by the first family whose cmap has it.
STACKS: dict[str, tuple[Family, ...]] = {
    "ar": (ARABIC, LATIN),
    "hi": (DEVANAGARI, LATIN),
    "zh": (SIMPLIFIED_CHINESE, LATIN),
    "ko": (KOREAN, LATIN),
}
DEFAULT_STACK = (LATIN,)


def stack_for(language: str) -> tuple[Family, ...]:
    """The font stack for a language (BCP 47 primary subtag)."""
    return STACKS.get(language.split("-")[0], DEFAULT_STACK)


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


@lru_cache(maxsize=None)
def coverage(filename: str) -> frozenset[int]:
    """Code points a font file maps to glyphs (its cmap), read with fontTools."""
    from fontTools.ttLib import TTFont as FontToolsFont
    with FontToolsFont(str(FONT_DIR / filename), lazy=True) as font:
        return frozenset(font["cmap"].getBestCmap())


def family_covering(stack: tuple[Family, ...], char: str) -> Family | None:
    """The first family of ``stack`` that has a glyph for ``char`` (regular and bold)."""
    code = ord(char)
    for family in stack:
        if code in coverage(family.regular) and code in coverage(family.bold):
            return family
    return None


@dataclass(frozen=True)
class PdfFonts:
    """ReportLab font names registered for one family (bold/italic mapped)."""

    regular: str
    bold: str
    italic: str
    bold_italic: str


@lru_cache(maxsize=None)
def register_pdf_family(family: Family) -> PdfFonts:
    """Register a family's TrueType files with ReportLab once per process."""
    base = family.name.replace(" ", "")
    names = {}
    for style, filename in family.files().items():
        name = f"{base}-{style}"
        path = FONT_DIR / filename
        if not path.exists():
            raise FileNotFoundError(f"font file missing: {path}")
        if name not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont(name, str(path)))
        names[style] = name
    addMapping(base, 0, 0, names["regular"])
    addMapping(base, 1, 0, names["bold"])
    addMapping(base, 0, 1, names["italic"])
    addMapping(base, 1, 1, names["bold_italic"])
    return PdfFonts(names["regular"], names["bold"], names["italic"], names["bold_italic"])
