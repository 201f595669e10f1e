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
