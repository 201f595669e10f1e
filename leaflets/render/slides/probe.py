"""The deck's one body size and one table size, found by fitting only: no slide is made.

The deck has one body size and one table size, the smallest any slide's text of that kind
fits at whole (the floor where a slide continues on another; issue 20).  Learning them
used to take a whole layout of the deck through python-pptx, slides, notes and all, which
most locales then threw away to write the deck again at those sizes.  This pass asks only
what those sizes depend on: for each document slide that records one (bullets, a
disclosure, the closing slide's messages, a table's first slide, a lanes diagram that
becomes a table), the box its text gets on its layout, and the size that text fits at.

The box is the one the writer's slide would have: the layout's placeholder as python-pptx
clones it onto a slide (:func:`slide_boxes`, as :func:`~leaflets.render.deck_template.pin_geometry`
pins it), moved down under a grown title and the investigational tag
(:func:`~leaflets.render.slides.chrome.pushed`), ending above the band
(:func:`~leaflets.render.slides.chrome.band`).  Sizes are fitted by the writer's own
functions, with the layout's placeholder for the styles a slide's inherits (a new slide's
placeholder has no list style of its own).

Where anything here does not fit, the pass gives up (:class:`~leaflets.render.contract.LayoutOverflow`)
and :func:`~leaflets.render.pptx.render_deck` lays the deck out as before, which names
the slide, its number and msgid.
"""

from __future__ import annotations

from pptx.enum.shapes import PP_PLACEHOLDER

from leaflets.document import Slide
from leaflets.render import deck_design
from leaflets.render.deck_fit import Frame
from leaflets.render.slides import bullets, closing, diagram, kind_of, table
from leaflets.render.slides.chrome import (
    BULLET_INDENT, CONTENT_TYPES, FOOTER_TYPES, GAP, TITLE_TYPES, band, pushed, tag_height, title_size,
)
from leaflets.render.slides.boxes import LATENT, SlideBox, slide_boxes
from leaflets.render.slides.context import DeckContext, SlideOverflow, TextPiece, pieces_of

class ProbePage:
    """A slide of the probe: the layout for ``canonical`` and its placeholders' boxes (and, where
    it has one, the investigational tag's top and height, EMU)."""

    def __init__(self, ctx: DeckContext, canonical: str):
        self.canonical = canonical
        self.layout = ctx.template.layout(canonical).layout
        self.boxes = slide_boxes(self.layout)
        self.tag: tuple[int, int] | None = None

    def placeholder(self, *types) -> SlideBox | None:
        return next((box for box in self.boxes if box.type in types), None)

    def push(self, below: int, top: int) -> None:
        for box in self.boxes:
            moved = pushed(box.type, box.top, box.height, below, top)
            if moved is not None:
                box.top, box.height = moved


def _page(ctx: DeckContext, canonical: str, spec: Slide, *, parts: bool) -> tuple[ProbePage, int]:
    """The page of ``spec``'s first slide on ``canonical``, its title fitted (grown, the tag under it,
    as :func:`~leaflets.render.slides.chrome.write_title` does), and where its content must end."""
    return open_page(ctx, canonical, spec, tag=spec.investigational, parts=parts)


def open_page(ctx: DeckContext, canonical: str, spec: Slide, title_spec=None, *, tag: str,
              parts: bool) -> tuple[ProbePage, int]:
    """The page of a slide of ``spec`` on ``canonical`` as the writer's slide would be after
    :func:`~leaflets.render.slides.chrome.write_title` (the title fitted at ``title_spec``, grown
    where it must, ``tag`` under it) and :func:`~leaflets.render.slides.chrome.band_top`, with where
    its content must end; raises :class:`SlideOverflow` where they do."""
    page = ProbePage(ctx, canonical)
    title = page.placeholder(*TITLE_TYPES)
    if title is not None:
        _, grown = title_size(ctx, title.source, title, spec.title, title_spec, parts=parts)
        if grown is not None:
            title.height = grown
            page.push(title.top + grown + GAP, title.top)
        if tag:
            top = title.top + title.height + GAP
            page.tag = (top, tag_height(ctx, tag))
            page.push(top + page.tag[1] + GAP, top)
    elif tag:  # no title box: the tag in the top margin (chrome._tag_beside)
        page.tag = (round(deck_design.MARGIN * ctx.sx) + deck_design.INSET_Y, tag_height(ctx, tag))
    bottom, _ = band(ctx, page.layout, canonical, spec)
    return page, bottom


def _body(ctx: DeckContext, what: str, paras, body: SlideBox, bottom: int, indent: int) -> None:
    """Record the size the deck's body text ``paras`` fits ``body`` at whole, or that it continues."""
    frame = Frame.of(body.width, min(body.height, bottom - body.top), indent=indent)
    try:
        ctx.fit(what, paras, frame, ctx.sizes.body, shape=body.source, space_after=ctx.sizes.body_space_after,
                kind="body")
        ctx.record("body", ctx.last_size)
    except SlideOverflow:
        ctx.record("body", ctx.sizes.body.floor, split=True)


def _table(ctx: DeckContext, spec: Slide) -> None:
    page, bottom = _page(ctx, "Table", spec, parts=True)
    ph = page.placeholder(PP_PLACEHOLDER.TABLE) or page.placeholder(*CONTENT_TYPES)
    box = deck_design.Box(ph.left, ph.top, ph.width, max(0, min(ph.height, bottom - ph.top)))
    sizes = ctx.sizes.table
    size, _, _ = table.table_size(ctx, spec.table, 0, box, sizes)
    ctx.record("table", sizes.floor if size is None else size, split=size is None)


def probe_slide(ctx: DeckContext, spec: Slide) -> None:
    """Record on ``ctx`` the sizes ``spec``'s slides fit at, as writing it would (see the module)."""
    kind = kind_of(spec)
    if kind is bullets:
        page, bottom = _page(ctx, "Title and Content", spec, parts=True)
        indent = BULLET_INDENT if spec.kind != "disclosure" else 0
        _body(ctx, "body", [pieces_of(b) for b in spec.bullets], page.placeholder(*CONTENT_TYPES), bottom, indent)
    elif kind is closing:
        page, bottom = _page(ctx, "Closing", spec, parts=True)
        body = page.placeholder(PP_PLACEHOLDER.OBJECT) or page.placeholder(*CONTENT_TYPES)
        inline_prompt = not any(box is not body for box in page.boxes if box.type in CONTENT_TYPES) and spec.subtitle
        question = [TextPiece(p.text, bold=True) for p in pieces_of(spec.subtitle)]
        paras = [pieces_of(b) for b in spec.bullets] + ([question] if inline_prompt else [])
        _body(ctx, "key messages", paras, body, bottom, BULLET_INDENT)
    elif kind is table:
        _table(ctx, spec)
    elif kind is diagram:
        try:
            page, bottom = _page(ctx, "Diagram", spec, parts=False)
            ph = page.placeholder(PP_PLACEHOLDER.ORG_CHART) or page.placeholder(*CONTENT_TYPES)
            box = deck_design.Box(ph.left, ph.top, ph.width, max(0, min(ph.height, bottom - ph.top)))
            diagram.fits(ctx, spec, box, ctx.box_of(ph.source, box.cx, box.cy))
        except SlideOverflow:
            if spec.diagram.kind != "lanes":
                raise
            _table(ctx, diagram.as_table(spec))


def probe_sizes(ctx: DeckContext) -> dict[str, float]:
    """The deck's one size of each kind (:meth:`DeckContext.uniform_sizes`), every slide fitted
    and none made; raises :class:`~leaflets.render.contract.LayoutOverflow` where some text does
    not fit (the caller lays the deck out to name it)."""
    for spec in ctx.doc.deck.slides:
        probe_slide(ctx, spec)
    return ctx.uniform_sizes()


__all__ = ["FOOTER_TYPES", "LATENT", "ProbePage", "SlideBox", "open_page", "probe_sizes", "probe_slide", "slide_boxes"]
