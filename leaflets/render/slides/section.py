"""A section divider: its title, and an optional line of text under it.

A template without a section layout gives its Title Only layout (LibreOffice's have
no section layout), else its Title Slide, else Title and Content: the line of text
goes in the layout's subtitle or text box, or, where it has none (Title Only), in a
text box of the renderer's own under the title."""

from __future__ import annotations

from pptx.enum.shapes import PP_PLACEHOLDER

from leaflets.document import Slide
from leaflets.render import deck_design
from leaflets.render import deck_oxml as ox
from leaflets.render.deck_fit import Frame
from leaflets.render.slides.chrome import (
    CONTENT_TYPES, GAP, TITLE_TYPES, band_top, finish, placeholder, textbox, write_title,
)
from leaflets.render.slides.context import DeckContext, box, measured, pieces_of

SINGLE = True  # never continues on another slide


def write(ctx: DeckContext, spec: Slide) -> None:
    page = ctx.new_slide("Section", spec.title)
    ctx.sections.append((len(ctx.titles) - 1, ctx.titles[-1]))  # a PowerPoint section starts here
    write_title(ctx, page, spec.title, ctx.sizes.deck_title, tag=spec.investigational)
    body = placeholder(page, PP_PLACEHOLDER.SUBTITLE, *CONTENT_TYPES)
    bottom = band_top(ctx, page, spec)
    paras = [pieces_of(spec.subtitle)] if spec.subtitle else []
    if body is not None:
        if paras:
            at = box(body)
            frame = Frame.of(at.width, min(at.height, bottom - at.top))
            size = ctx.fit("section text", paras, frame, ctx.sizes.subtitle, shape=body)
            ctx.fill(body, paras, page, size=size, bullet=False if page.substitute_for else None)
        else:
            ox.remove(body)
    elif paras:  # a Title Only layout: the text under the title, as far down as the band
        title = placeholder(page, *TITLE_TYPES)
        title = box(title) if title is not None else None
        top = title.top + title.height + GAP if title is not None else ctx.prs.slide_height // 3
        tags = [shape for shape in page.slide.shapes if shape.name == "Investigational tag"]
        if tags:  # under the tag the title has (chrome.title_tag)
            top = max(top, tags[0].top + tags[0].height + GAP)
        left = title.left if title is not None else 0
        width = title.width if title is not None else ctx.prs.slide_width
        frame = Frame.of(width, max(0, bottom - top), inset_x=0, inset_y=0)
        size = ctx.fit("section text", paras, frame, ctx.sizes.subtitle) or ctx.sizes.subtitle.size
        height = round(ctx.measurer.height(measured(paras), size, frame.width) * deck_design.EMU_PER_PT) + 1
        textbox(ctx, page, "Section text", left, top, width, height, paras, size)
    finish(ctx, page, spec)
