"""The title slide: the deck's title, and its subtitle, audience and kind in the subtitle box."""

from __future__ import annotations

from pptx.enum.shapes import PP_PLACEHOLDER

from leaflets.document import Slide
from leaflets.render.deck_fit import Frame
from leaflets.render.slides.chrome import CONTENT_TYPES, band_top, finish, placeholder, write_title
from leaflets.render.slides.context import DeckContext, SlideOverflow, TextPiece, box, pieces_of
from leaflets.render.slides.logo import place_logo

SINGLE = True  # never continues on another slide


def write(ctx: DeckContext, spec: Slide) -> None:
    page = ctx.new_slide("Title", spec.title)
    write_title(ctx, page, spec.title, ctx.sizes.deck_title)
    sub = placeholder(page, PP_PLACEHOLDER.SUBTITLE, *CONTENT_TYPES)
    if sub is not None:
        deck = ctx.doc.deck
        paras = [pieces_of(spec.subtitle), [TextPiece(deck.audience)], [TextPiece(deck.kind_label)]]
        if deck.presenter:  # a presenter profile: who gives the talk, and when
            paras.append([TextPiece(deck.presenter, bold=True)] + ([TextPiece(" · " + deck.date)] if deck.date else []))
        paras = [p for p in paras if "".join(x.text for x in p)]
        bottom = band_top(ctx, page, spec)
        at = box(sub)
        frame = Frame.of(at.width, min(at.height, bottom - at.top))
        try:
            size = ctx.fit("subtitle", paras, frame, ctx.sizes.subtitle, shape=sub, space_after=6)
        except SlideOverflow:  # a small subtitle box (a presenter's template): the kind label goes
            paras = paras[:2]
            size = ctx.fit("subtitle", paras, frame, ctx.sizes.subtitle, shape=sub, space_after=6)
        ctx.fill(sub, paras, page, size=size, bullet=False if page.substitute_for else None)
    else:
        band_top(ctx, page, spec)
    place_logo(ctx, page, "Title")
    finish(ctx, page, spec)
