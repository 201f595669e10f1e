"""The placeholders a slide gets on a layout, and their boxes, known without asking python-pptx.

python-pptx answers a placeholder's position or size by walking to the layout placeholder it
inherits from, by XPath queries, each time it is asked: some 2,400 of the English deck's
3,900 queries were a slide's title, body and tag asking the same boxes again.  A layout's
slide boxes are read once per deck (:func:`slide_boxes`); the fit-only pass lays slides out
on them (:mod:`~leaflets.render.slides.probe`, :mod:`~leaflets.render.slides.count`), and the
writer keeps a copy on each slide's placeholders (:func:`~leaflets.render.slides.context.box`),
changed where it moves one (:func:`~leaflets.render.slides.context.place`).
"""

from __future__ import annotations

from dataclasses import dataclass

from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.oxml.simpletypes import ST_Direction
from pptx.shapes.shapetree import SlideShapes

from leaflets.render.deck_template import _placeholder_table

# python-pptx does not clone these onto a slide (the renderer adds the footers itself)
LATENT = (PP_PLACEHOLDER.DATE, PP_PLACEHOLDER.FOOTER, PP_PLACEHOLDER.SLIDE_NUMBER)


@dataclass
class SlideBox:
    """A placeholder of a slide not made: its type, the layout placeholder it is cloned from (whose
    styles it inherits), its box (EMU) and the name python-pptx gives it on a slide (which an
    error names)."""

    type: object
    source: object
    left: int
    top: int
    width: int
    height: int
    name: str = ""
    idx: int = 0  # its placeholder index (python-pptx lists a slide's placeholders by it)


def slide_boxes(layout) -> list[SlideBox]:
    """The placeholders a slide on ``layout`` gets, in order, with the boxes the writer's slide has:
    the layout placeholder's where :func:`~leaflets.render.deck_template.pin_geometry` pins it (an
    index the layout shares), else that of the layout's first placeholder of its index (which
    python-pptx's slide placeholder inherits)."""
    found = layout.__dict__.get("_leaflets_slide_boxes")  # read once per layout of the deck's template
    if found is None:
        table_ = _placeholder_table(layout)
        indices = [idx for idx, _, _ in table_]
        found = []
        for idx, ph_type, ph in table_:
            if ph_type in LATENT:
                continue
            base = ph
            if indices.count(idx) <= 1 or ph.width is None:
                base = next(other for other_idx, _, other in table_ if other_idx == idx)
            found.append((ph_type, ph, base.left, base.top, base.width, base.height,
                          _slide_name(ph, len(found) + 2), idx))
        layout.__dict__["_leaflets_slide_boxes"] = found = tuple(found)
    return [SlideBox(*box) for box in found]


def _slide_name(layout_placeholder, shape_id: int) -> str:
    """The name python-pptx gives the slide placeholder it clones from ``layout_placeholder`` as
    shape ``shape_id`` of a new slide (the placeholders are cloned in order from id 2; see
    ``SlideShapes._next_ph_name``)."""
    basename = SlideShapes.ph_basename(None, layout_placeholder.element.ph_type)
    if layout_placeholder.element.ph_orient == ST_Direction.VERT:
        basename = f"Vertical {basename}"
    return f"{basename} {shape_id - 1}"


__all__ = ["LATENT", "SlideBox", "slide_boxes"]
