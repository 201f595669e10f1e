"""Bullets (and a disclosure's "label: value" lines): text in the content placeholder, continued
on more slides where it does not fit at the floor size."""

from __future__ import annotations

from leaflets.document import Slide
from leaflets.design import TypeSize
from leaflets.render import deck_oxml as ox
from leaflets.render.deck_fit import Frame, split_to_fit
from leaflets.render.slides.chrome import BULLET_INDENT, CONTENT_TYPES, band_top, finish, placeholder, write_title
from leaflets.render.slides.context import DeckContext, Para, SlideOverflow, box, measured, pieces_of

SINGLE = False  # continues on more slides when its text does not fit


def write(ctx: DeckContext, spec: Slide) -> None:
    continued(ctx, spec, "Title and Content", [pieces_of(b) for b in spec.bullets],
              bulleted=spec.kind != "disclosure")


def continued(ctx: DeckContext, spec: Slide, layout: str, paras: list[Para], *, bulleted: bool = True,
              sizes: TypeSize | None = None, space_after: float | None = None) -> None:
    """Paragraphs in the content placeholder of ``layout``, bulleted or not (at the design's body
    size, or ``sizes`` with ``space_after``); what does not fit at the floor size continues on
    another slide of the same title (balanced, see :func:`~leaflets.render.deck_fit.split_to_fit`)."""
    kind = "body" if sizes is None else None  # the deck's one body size (references have their own)
    sizes = sizes or ctx.sizes.body
    space_after = ctx.sizes.body_space_after if space_after is None else space_after
    remaining = paras
    while True:
        page = ctx.new_slide(layout, spec.title)
        write_title(ctx, page, spec.title, tag=spec.investigational, parts=True)
        body = placeholder(page, *CONTENT_TYPES)
        bottom = band_top(ctx, page, spec)
        plain_paras = not bulleted and (page.substitute_for or spec.kind == "disclosure")
        indent = BULLET_INDENT if bulleted else 0
        at = box(body)
        frame = Frame.of(at.width, min(at.height, bottom - at.top), indent=indent)
        size, part = next_part(ctx, remaining, frame, sizes, shape=body, space_after=space_after, kind=kind,
                               first=remaining is paras)
        ctx.fill(body, part, page, size=size, **({"bullet": False, "margin": 0, "indent": 0} if plain_paras else {}))
        if ctx.build_in and bulleted and len(part) > 1:
            ox.build_paragraphs(page.slide, body.shape_id, len(part))
        finish(ctx, page, spec)
        remaining = remaining[len(part):]
        if not remaining:
            return


def next_part(ctx: DeckContext, remaining: list[Para], frame: Frame, sizes: TypeSize, *, shape, space_after: float,
              kind: str | None, first: bool, named=None) -> tuple[float | None, list[Para]]:
    """The size to write at and the paragraphs of ``remaining`` that the next slide of
    :func:`continued` holds (all, or where they do not fit at the floor, the first slide's share
    of a balanced split); raises :class:`SlideOverflow` where one paragraph alone does not fit.
    ``first``: the slide's first part, whose size the deck's one body size counts.  What the
    writer and the deck's measurement (:mod:`~leaflets.render.slides.count`) both ask."""
    try:
        size = ctx.fit("body", remaining, frame, sizes, shape=shape, space_after=space_after, kind=kind, named=named)
        if kind and first:
            ctx.record(kind, ctx.last_size)
        return size, remaining
    except SlideOverflow:
        if kind and first:
            ctx.record(kind, sizes.floor, split=True)
        line, gap = ctx.spacing(shape, sizes, space_after)
        floor = ctx.uniform.get(kind, sizes.floor) if kind else sizes.floor
        cuts = split_to_fit(ctx.measurer, measured(remaining), frame, floor, line=line, space_after=gap)
        if not cuts:
            raise
    part = remaining[:cuts[0]]
    return ctx.fit("body", part, frame, sizes, shape=shape, space_after=space_after, kind=kind, named=named), part
