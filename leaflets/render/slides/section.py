"""A section divider: its title, and an optional line of text under it."""

from __future__ import annotations

from leaflets.document import Slide
from leaflets.render import deck_oxml as ox
from leaflets.render.deck_fit import Frame
from leaflets.render.slides.chrome import CONTENT_TYPES, band_top, finish, placeholder, write_title
from leaflets.render.slides.context import DeckContext, pieces_of

SINGLE = True  # never continues on another slide


def write(ctx: DeckContext, spec: Slide) -> None:
    page = ctx.new_slide("Section", spec.title)
    write_title(ctx, page, spec.title, ctx.sizes.deck_title)
    body = placeholder(page, *CONTENT_TYPES)
    band_top(ctx, page, spec)
    if body is not None:
        if spec.subtitle:
            paras = [pieces_of(spec.subtitle)]
            size = ctx.fit("section text", paras, Frame.of(body.width, body.height), ctx.sizes.subtitle, shape=body)
            ctx.fill(body, paras, page, size=size)
        else:
            ox.remove(body)
    finish(ctx, page, spec)
