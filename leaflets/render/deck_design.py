"""The deck's own geometry, and how the deck reads a :class:`~leaflets.design.Design`.

Colours and type sizes are the design's (:mod:`leaflets.design`), shared with
the handout; this module adds what only a deck has: the template's boxes in
EMU on PowerPoint's 16:9 slide (12192000 x 6858000), checked as a whole
(:class:`DeckGeometry`), the theme's colour slots made from the palette
(:func:`theme_colors`), and the theme's fonts made from the one script table
of :mod:`leaflets.render.fonts`.  The template writer
(:mod:`leaflets.render.deck_template_writer`) writes all of it into the
theme, the master's text styles and the layouts; the renderer fits text to
the same boxes and never restates a size or a position the template already
carries, and scales the few boxes it draws itself (sources line, notice,
diagrams) to a presenter's template size.
"""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import model_validator

from leaflets.content.model import Strict
from leaflets.design import DeckType, Palette, TypeSize, rgb
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


def theme_colors(palette: Palette) -> dict[str, str]:
    """The theme's colour scheme (``a:clrScheme``, in schema order) from the palette: slides
    name theme colours (``accent1``, ``tx1``), never a fixed colour, so a presenter's
    template recolours them, and the project's template gets the handout's colours."""
    return {
        "dk1": rgb(palette.ink),
        "lt1": rgb(palette.paper),
        "dk2": rgb(palette.accent),  # titles
        "lt2": rgb(palette.accent_tint),  # table bands, diagram boxes
        "accent1": rgb(palette.accent),
        "accent2": rgb(palette.caution),  # emphasised diagram headers
        "accent3": rgb(palette.muted),  # sources line, notice
        "accent4": rgb(palette.warning),  # investigational tag, draft notice
        "accent5": rgb(palette.accent_secondary),
        "accent6": rgb(palette.caution_tint),  # emphasised diagram steps
        "hlink": rgb(palette.link),
        "folHlink": rgb(palette.visited_link),
    }


def slide_scale(width: int, height: int) -> float:
    """How large a slide of ``width`` x ``height`` EMU shows text of a given point size, relative to
    the project's 16:9 slide, when both fill the same 16:9 screen: 1 for the project's slide
    and for a 4:3 slide 7.5 in tall, 0.83 for LibreOffice's 28 cm wide slides.  The design's
    sizes and floors are for the project's slide; a smaller slide is projected larger."""
    return max(width / SLIDE_WIDTH, height / SLIDE_HEIGHT)


def scaled_sizes(sizes: DeckType, factor: float) -> DeckType:
    """The deck's sizes and floors for a slide that shows text ``factor`` times as large
    (:func:`slide_scale`): each size and floor times ``factor``, to a tenth of a point."""
    if abs(factor - 1) < 1e-9:
        return sizes
    update = {}
    for name, value in sizes:
        if isinstance(value, TypeSize):
            update[name] = value.model_copy(update={"size": round(value.size * factor, 1),
                                                    "floor": round(value.floor * factor, 1)})
    return sizes.model_copy(update=update)


# Theme fonts: one family per DrawingML slot, and one per script for the scripts
# the project ships (PowerPoint picks these by the run's language), all from the
# script table the handout uses (leaflets.render.fonts.SCRIPTS), in its order.
LATIN_FONT = LATIN.name
SCRIPT_FONTS: dict[str, str] = {f.theme_script: f.stack[0].name for f in SCRIPTS.values() if f.theme_script}
EA_FONT = next(f.stack[0].name for f in SCRIPTS.values() if f.slot == "ea")
CS_FONT = next(f.stack[0].name for f in SCRIPTS.values() if f.slot == "cs")

# Share of a text column's width the fitter fills: office applications shape and
# break lines with their own engines, so a line that just fits here may not there.
WIDTH_SLACK = 0.97
# In Chinese and Korean text, office applications also add space where CJK letters meet Latin
# letters or digits ("口服JAK抑制剂": LibreOffice's autospacing, PowerPoint's "Asian and Latin
# text" spacing): a Chinese bullet measured to just fit ran 5 % wider in LibreOffice.
EAST_ASIAN_WIDTH_SLACK = 0.93

# Text insets of every placeholder (bodyPr lIns/rIns, tIns/bIns), EMU.
INSET_X, INSET_Y = 91440, 45720

MARGIN = inches(0.6)
CONTENT_WIDTH = SLIDE_WIDTH - 2 * MARGIN
TITLE_SAFE = 0.05  # share of the slide's width and height kept clear at every edge for footers


class DeckGeometry(Strict):
    """The project template's placeholder boxes, checked together: every box on the slide,
    the footers inside the title-safe area, content under the title, the two columns
    apart.  The template writer writes these boxes; the renderer measures text in them."""

    slide_width: int
    slide_height: int
    title: Box
    body: Box
    left: Box
    right: Box
    deck_title: Box
    deck_subtitle: Box
    section_title: Box
    section_text: Box
    closing_body: Box
    closing_prompt: Box
    date: Box
    footer: Box
    number: Box

    @model_validator(mode="after")
    def _laid_out(self) -> DeckGeometry:
        for name in type(self).model_fields:
            box = getattr(self, name)
            if not isinstance(box, Box):
                continue
            if box.cx <= 0 or box.cy <= 0 or box.x < 0 or box.y < 0 or box.x + box.cx > self.slide_width \
                    or box.bottom > self.slide_height:
                raise ValueError(f"the {name} box {box} is not on the {self.slide_width} x {self.slide_height} "
                                 "EMU slide")
        safe_bottom = self.slide_height * (1 - TITLE_SAFE)
        for name in ("date", "footer", "number"):
            if getattr(self, name).bottom > safe_bottom:
                raise ValueError(f"the {name} box ends below the title-safe area ({safe_bottom:.0f} EMU)")
        for name in ("body", "left", "right", "closing_body"):
            if getattr(self, name).y < self.title.bottom:
                raise ValueError(f"the {name} box starts above the end of the title box")
        if self.left.x + self.left.cx > self.right.x:
            raise ValueError("the left and right columns overlap")
        if self.closing_body.bottom > self.closing_prompt.y:
            raise ValueError("the closing slide's key messages overlap its questions prompt")
        return self


# Layout geometry.  Title-safe area: 5 % in from every edge (0.67 in x 0.375 in).
# Closing: the key messages across the slide, the questions prompt under them.
# Under the body the renderer stacks, up from the footers, the sources line and the
# translation notice, each as tall as its measured text; the investigational tag goes
# under the title (the content below it starts lower).
# Footer placeholders: inside the title-safe area (bottom edge 7.06 in < 7.125 in).
GEOMETRY = DeckGeometry(
    slide_width=SLIDE_WIDTH,
    slide_height=SLIDE_HEIGHT,
    title=Box(MARGIN, inches(0.42), CONTENT_WIDTH, inches(1.12)),
    body=Box(MARGIN, inches(1.68), CONTENT_WIDTH, inches(4.0)),
    left=Box(MARGIN, inches(1.68), (CONTENT_WIDTH - inches(0.4)) // 2, inches(4.0)),
    right=Box(MARGIN + (CONTENT_WIDTH + inches(0.4)) // 2, inches(1.68), (CONTENT_WIDTH - inches(0.4)) // 2,
              inches(4.0)),
    deck_title=Box(inches(0.9), inches(0.6), SLIDE_WIDTH - inches(1.8), inches(2.2)),
    deck_subtitle=Box(inches(0.9), inches(2.95), SLIDE_WIDTH - inches(1.8), inches(2.8)),
    section_title=Box(inches(0.9), inches(2.2), SLIDE_WIDTH - inches(1.8), inches(1.8)),
    section_text=Box(inches(0.9), inches(4.1), SLIDE_WIDTH - inches(1.8), inches(1.3)),
    closing_body=Box(MARGIN, inches(1.68), CONTENT_WIDTH, inches(3.3)),
    closing_prompt=Box(MARGIN, inches(5.02), CONTENT_WIDTH, inches(0.66)),
    date=Box(MARGIN, inches(6.58), inches(7.2), inches(0.48)),
    footer=Box(MARGIN + inches(7.3), inches(6.58), inches(3.8), inches(0.48)),
    number=Box(SLIDE_WIDTH - MARGIN - inches(0.9), inches(6.58), inches(0.9), inches(0.48)),
)
TITLE_BOX, BODY_BOX, LEFT_BOX, RIGHT_BOX = GEOMETRY.title, GEOMETRY.body, GEOMETRY.left, GEOMETRY.right
DECK_TITLE_BOX, DECK_SUBTITLE_BOX = GEOMETRY.deck_title, GEOMETRY.deck_subtitle
SECTION_TITLE_BOX, SECTION_TEXT_BOX = GEOMETRY.section_title, GEOMETRY.section_text
CLOSING_BODY_BOX, CLOSING_PROMPT_BOX = GEOMETRY.closing_body, GEOMETRY.closing_prompt
DATE_BOX, FOOTER_BOX, NUMBER_BOX = GEOMETRY.date, GEOMETRY.footer, GEOMETRY.number

# Layouts by their role (the renderer's canonical names), in the order the template lists them.
LAYOUTS = ("Title", "Section", "Title and Content", "Two Content", "Chart", "Table", "Diagram",
           "References", "Closing")
# The names the project template gives them: PowerPoint's where PowerPoint has the layout (so
# Pandoc's --reference-doc and PowerPoint's "Reset" find them), the role's name otherwise.
# Templates with the names before (Title, Section) still work (deck_template.ALIASES).
LAYOUT_NAMES = {canonical: {"Title": "Title Slide", "Section": "Section Header"}.get(canonical, canonical)
                for canonical in LAYOUTS}
