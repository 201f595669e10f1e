"""The closing slide: key messages and the questions prompt; messages that do not fit continue on
another closing slide, and the prompt goes on the last."""

from __future__ import annotations

from pptx.enum.shapes import PP_PLACEHOLDER

from leaflets.document import Slide
from leaflets.render import deck_oxml as ox
from leaflets.render.deck_fit import Frame, split_to_fit
from leaflets.render.slides.chrome import (
    BULLET_INDENT, CONTENT_TYPES, band_top, content_placeholders, finish, placeholder, write_title,
)
from leaflets.render.slides.context import DeckContext, Para, SlideOverflow, TextPiece, box, measured, pieces_of
from leaflets.render.slides.logo import place_logo

SINGLE = False  # continues on more slides when its messages do not fit


def write(ctx: DeckContext, spec: Slide, paras: list[Para] | None = None) -> None:
    page = ctx.new_slide("Closing", spec.title)
    write_title(ctx, page, spec.title, tag=spec.investigational, parts=True)
    bottom = band_top(ctx, page, spec)
    body = placeholder(page, PP_PLACEHOLDER.OBJECT) or placeholder(page, *CONTENT_TYPES)
    others = [ph for ph in content_placeholders(page) if ph.shape_id != body.shape_id]
    prompt = others[0] if others else None  # the layout's box for the questions prompt
    first = paras is None  # the messages' first slide (a continuation records nothing)
    paras = [pieces_of(b) for b in spec.bullets] if paras is None else paras
    question = [TextPiece(p.text, bold=True) for p in pieces_of(spec.subtitle)]
    inline_prompt = prompt is None and spec.subtitle  # no box for it: the last paragraph
    at = box(body)
    frame = Frame.of(at.width, min(at.height, bottom - at.top), indent=BULLET_INDENT)
    size, paras, rest = messages_part(ctx, paras, question if inline_prompt else None, frame, shape=body,
                                      first=first)
    ctx.fill(body, paras, page, size=size)
    if inline_prompt and not rest:
        ox.text_body(body.text_frame).append(ctx.paragraph(question, size=size, bullet=False))
    if prompt is not None:
        if spec.subtitle and not rest:
            at = box(prompt)
            pframe = Frame.of(at.width, min(at.height, bottom - at.top))
            size = ctx.fit("questions prompt", [pieces_of(spec.subtitle)], pframe, ctx.sizes.questions, shape=prompt)
            ctx.fill(prompt, [pieces_of(spec.subtitle)], page, size=size, align="ctr")
        else:
            ox.remove(prompt)
    place_logo(ctx, page, "Closing")
    finish(ctx, page, spec)
    if rest:
        write(ctx, spec, rest)


def messages_part(ctx: DeckContext, paras: list[Para], question: Para | None, frame: Frame, *, shape, first: bool,
                  named=None) -> tuple[float | None, list[Para], list[Para]]:
    """The size to write at, the messages this closing slide holds and those left for the next
    (``question``: the questions prompt as the last paragraph, where the layout has no box for
    it); raises :class:`SlideOverflow` where they cannot be split.  ``first``: the messages'
    first slide (a continuation records no size).  What the writer and the deck's measurement
    (:mod:`~leaflets.render.slides.count`) both ask."""
    sizes = ctx.sizes.body  # fitted at the deck's one body size (kind="body")
    prompt = [question] if question is not None else []
    try:
        size = ctx.fit("key messages", paras + prompt, frame, sizes, shape=shape,
                       space_after=ctx.sizes.body_space_after, kind="body", named=named)
        if first:
            ctx.record("body", ctx.last_size)
        return size, paras, []
    except SlideOverflow:
        if first:
            ctx.record("body", sizes.floor, split=True)
        line, gap = ctx.spacing(shape, sizes, ctx.sizes.body_space_after)
        # the prompt, where it is the last paragraph, counts: it goes on the last slide, after a message
        cuts = split_to_fit(ctx.measurer, measured(paras + prompt), frame, ctx.uniform.get("body", sizes.floor),
                            line=line, space_after=gap)
        if not cuts or len(paras) < 2:
            raise
    cut = min(cuts[0], len(paras) - 1)
    paras, rest = paras[:cut], paras[cut:]
    size = ctx.fit("key messages", paras, frame, sizes, shape=shape, space_after=ctx.sizes.body_space_after,
                   kind="body", named=named)
    return size, paras, rest
