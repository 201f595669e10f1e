"""The deck's design as data: palette, type sizes and their floors, layout geometry.

One source for both the template generator (``tools/templates/make_template.py``
writes these into the theme, the master's text styles and the layouts) and
the renderer (which fits text to the same boxes and never restates a size or
a position the template already carries).  Geometry is in EMU on PowerPoint's
16:9 slide (12192000 x 6858000); the renderer scales the few boxes it draws
itself (sources line, notice, diagrams) to a presenter's template size.
"""

from __future__ import annotations

from dataclasses import dataclass

from leaflets.render.fonts import LATIN, SCRIPTS

EMU_PER_INCH = 914400
EMU_PER_PT = 12700
SLIDE_WIDTH, SLIDE_HEIGHT = 12192000, 6858000  # PowerPoint's "Widescreen"


def inches(value: float) -> int:
    return round(value * EMU_PER_INCH)


@dataclass(frozen=True)
class Box:
    """A rectangle in EMU."""

    x: int
    y: int
    cx: int
    cy: int

    @property
    def bottom(self) -> int:
        return self.y + self.cy

    def scaled(self, sx: float, sy: float) -> Box:
        return Box(round(self.x * sx), round(self.y * sy), round(self.cx * sx), round(self.cy * sy))


# Theme colour scheme from the brand palette (the handout's colours).
PALETTE: dict[str, str] = {
    "dk1": "1F2933",  # ink
    "lt1": "FFFFFF",
    "dk2": "0B5D6B",  # brand teal: titles
    "lt2": "E8F3F5",  # pale teal: table bands, diagram boxes
    "accent1": "0B5D6B",
    "accent2": "C77700",  # callout amber
    "accent3": "52606D",  # muted ink
    "accent4": "B45309",  # warning
    "accent5": "3E8E9B",
    "accent6": "FFF4E0",
    "hlink": "0B5D6B",
    "folHlink": "52606D",
}

# Theme fonts: one family per DrawingML slot, and one per script for the scripts
# the project ships (PowerPoint picks these by the run's language), all from the
# script table the handout uses (leaflets.render.fonts.SCRIPTS), in its order.
LATIN_FONT = LATIN.name
SCRIPT_FONTS: dict[str, str] = {f.theme_script: f.stack[0].name for f in SCRIPTS.values() if f.theme_script}
EA_FONT = next(f.stack[0].name for f in SCRIPTS.values() if f.slot == "ea")
CS_FONT = next(f.stack[0].name for f in SCRIPTS.values() if f.slot == "cs")


@dataclass(frozen=True)
class TypeSize:
    """A text size and the smallest it may shrink to when fitting (points)."""

    size: float
    floor: float
    line: float = 1.15  # line height as a multiple of the size (the template's lnSpc)


TITLE = TypeSize(32, 24, 1.0)
DECK_TITLE = TypeSize(40, 28, 1.0)
SUBTITLE = TypeSize(24, 20)
BODY = TypeSize(24, 20)
TABLE = TypeSize(18, 16, 1.0)
REFERENCES = TypeSize(14, 12)
SOURCES = TypeSize(12, 12)
NOTICE = TypeSize(12, 12)
FOOTER = TypeSize(12, 12, 1.0)
CHART = TypeSize(18, 16, 1.0)
DIAGRAM = TypeSize(20, 16, 1.0)
QUESTIONS = TypeSize(32, 24, 1.0)
TAG = TypeSize(14, 12, 1.0)
NOTES = TypeSize(14, 12)

# Share of a text column's width the fitter fills: office applications shape and
# break lines with their own engines, so a line that just fits here may not there.
WIDTH_SLACK = 0.97

# Paragraph spacing the master's body style carries (points after each paragraph).
BODY_SPACE_AFTER = 10
REFERENCES_SPACE_AFTER = 6

# Text insets of every placeholder (bodyPr lIns/rIns, tIns/bIns), EMU.
INSET_X, INSET_Y = 91440, 45720

MARGIN = inches(0.6)
CONTENT_WIDTH = SLIDE_WIDTH - 2 * MARGIN

# Layout geometry.  Title-safe area: 5 % in from every edge (0.67 in x 0.375 in).
TITLE_BOX = Box(MARGIN, inches(0.42), CONTENT_WIDTH, inches(1.12))
BODY_BOX = Box(MARGIN, inches(1.68), CONTENT_WIDTH, inches(4.0))
LEFT_BOX = Box(MARGIN, inches(1.68), (CONTENT_WIDTH - inches(0.4)) // 2, inches(4.0))
RIGHT_BOX = Box(MARGIN + (CONTENT_WIDTH + inches(0.4)) // 2, inches(1.68), (CONTENT_WIDTH - inches(0.4)) // 2,
                inches(4.0))
DECK_TITLE_BOX = Box(inches(0.9), inches(0.6), SLIDE_WIDTH - inches(1.8), inches(2.2))
DECK_SUBTITLE_BOX = Box(inches(0.9), inches(2.95), SLIDE_WIDTH - inches(1.8), inches(2.8))
SECTION_TITLE_BOX = Box(inches(0.9), inches(2.2), SLIDE_WIDTH - inches(1.8), inches(1.8))
SECTION_TEXT_BOX = Box(inches(0.9), inches(4.1), SLIDE_WIDTH - inches(1.8), inches(1.3))
# Closing: the key messages across the slide, the questions prompt under them.
CLOSING_BODY_BOX = Box(MARGIN, inches(1.68), CONTENT_WIDTH, inches(3.3))
CLOSING_PROMPT_BOX = Box(MARGIN, inches(5.02), CONTENT_WIDTH, inches(0.66))
# Under the body the renderer stacks, up from the footers, the sources line (with the
# investigational tag) and the translation notice, each as tall as its measured text.
# Footer placeholders: inside the title-safe area (bottom edge 7.06 in < 7.125 in).
DATE_BOX = Box(MARGIN, inches(6.58), inches(7.2), inches(0.48))
FOOTER_BOX = Box(MARGIN + inches(7.3), inches(6.58), inches(3.8), inches(0.48))
NUMBER_BOX = Box(SLIDE_WIDTH - MARGIN - inches(0.9), inches(6.58), inches(0.9), inches(0.48))

# Layout names, in the order the template lists them.
LAYOUTS = ("Title", "Section", "Title and Content", "Two Content", "Chart", "Table", "Diagram",
           "References", "Closing")
