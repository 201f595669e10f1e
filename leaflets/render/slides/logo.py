"""A clinic's logo on the title and closing slides: a picture in the slide's top corner on
the reading side's far end (top right, top left in a right-to-left deck), above the title box,
with the logo's alt text as its description (screen readers, PowerPoint's accessibility check)."""

from __future__ import annotations

import io

from leaflets.render.deck_design import inches

HEIGHT = {"Title": inches(0.45), "Closing": inches(0.3)}  # the closing slide's title starts higher
TOP = inches(0.08)
SIDE = inches(0.6)


def place_logo(ctx, page, layout: str) -> None:
    """Add the deck's logo (if the document has one) to ``page``."""
    logo = ctx.doc.deck.logo
    if logo is None:
        return
    height = HEIGHT.get(layout, inches(0.3))
    width = round(height * logo.width / logo.height)
    slide_width = ctx.prs.slide_width
    left = SIDE if ctx.rtl else slide_width - SIDE - width
    picture = page.slide.shapes.add_picture(io.BytesIO(logo.data), left, TOP, width, height)
    properties = picture._element.nvPicPr.cNvPr
    properties.set("name", "Logo")
    properties.set("descr", logo.alt)
