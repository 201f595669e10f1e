"""The deck's slide count, or the error where some text does not fit, measured only: no slide made.

``check`` asks of a deck how many slides it has and whether every text fits; writing it through
python-pptx to learn that (slides, notes, tables, charts, the package) cost as much as a build.
This pass lays each slide out as its writer does, with the writer's own measuring functions,
and makes nothing: the boxes a slide gets on its layout (:func:`~leaflets.render.slides.probe.slide_boxes`),
its title fitted and grown, the tag and the band (:func:`~leaflets.render.slides.probe.open_page`),
then its kind's text: bullets and references continued where they do not fit
(:func:`~leaflets.render.slides.bullets.next_part`), the closing slide's messages
(:func:`~leaflets.render.slides.closing.messages_part`), a table's rows
(:func:`~leaflets.render.slides.table.rows_on_slide`), a diagram (:func:`~leaflets.render.slides.diagram.fits`,
a lanes diagram that does not fit becoming a table), and the part titles of a slide that
continued ("(2/3)").  So it counts the slides the writer writes, and where text does not fit
raises the error the writer would: the same slide number, layout, placeholder and msgid.

Like :func:`~leaflets.render.pptx.deck_slides` before it, it fits each slide at its own sizes
(the deck's one body and table size only shrink text that fits whole, which takes no more slides).
"""

from __future__ import annotations

from pptx.enum.shapes import PP_PLACEHOLDER

from leaflets.document import Slide
from leaflets.render import deck_design
from leaflets.render.deck_fit import Frame
from leaflets.render.slides import bullets, chart, closing, diagram, kind_of, references, section, table, title
from leaflets.render.slides.chrome import BULLET_INDENT, CONTENT_TYPES, GAP, TITLE_TYPES, part_title, title_size
from leaflets.render.slides.context import DeckContext, Para, SlideOverflow, TextPiece, pieces_of
from leaflets.render.slides.probe import ProbePage, SlideBox, open_page


def count_slides(ctx: DeckContext) -> int:
    """The number of slides the deck of ``ctx.doc`` takes, every text fitted as the writer fits
    it and no slide made; raises the writer's :class:`SlideOverflow` where some text does not fit."""
    for spec in ctx.doc.deck.slides:
        start = ctx.number
        page = _MEASURES.get(kind_of(spec), _bullets)(ctx, spec)
        parts = ctx.number - start
        if parts > 1:
            _part_titles(ctx, spec, page, parts)
    return ctx.number


def _open(ctx: DeckContext, canonical: str, spec: Slide, title_spec=None, *, tag: str = "",
          parts: bool = False) -> tuple[ProbePage, int]:
    """A new slide on ``canonical``: counted, its layout the one an error names, then laid out."""
    ctx.current_layout = ctx.template.layout(canonical).layout.name
    ctx.number += 1
    return open_page(ctx, canonical, spec, title_spec, tag=tag, parts=parts)


def _box(ph: SlideBox, bottom: int) -> deck_design.Box:
    """A placeholder's box, ending above the band (:func:`~leaflets.render.slides.chrome.content_area`)."""
    return deck_design.Box(ph.left, ph.top, ph.width, max(0, min(ph.height, bottom - ph.top)))


def _title(ctx: DeckContext, spec: Slide) -> ProbePage:
    page, bottom = _open(ctx, "Title", spec, ctx.sizes.deck_title)
    sub = page.placeholder(PP_PLACEHOLDER.SUBTITLE, *CONTENT_TYPES)
    if sub is not None:
        deck = ctx.doc.deck
        paras = [pieces_of(spec.subtitle), [TextPiece(deck.audience)], [TextPiece(deck.kind_label)]]
        if deck.presenter:
            paras.append([TextPiece(deck.presenter, bold=True)] + ([TextPiece(" · " + deck.date)] if deck.date else []))
        paras = [p for p in paras if "".join(x.text for x in p)]
        frame = Frame.of(sub.width, min(sub.height, bottom - sub.top))
        try:
            ctx.fit("subtitle", paras, frame, ctx.sizes.subtitle, shape=sub.source, space_after=6, named=sub)
        except SlideOverflow:  # (the writer drops the kind label, as here)
            ctx.fit("subtitle", paras[:2], frame, ctx.sizes.subtitle, shape=sub.source, space_after=6, named=sub)
    return page


def _section(ctx: DeckContext, spec: Slide) -> ProbePage:
    page, bottom = _open(ctx, "Section", spec, ctx.sizes.deck_title, tag=spec.investigational)
    body = page.placeholder(PP_PLACEHOLDER.SUBTITLE, *CONTENT_TYPES)
    paras = [pieces_of(spec.subtitle)] if spec.subtitle else []
    if body is not None and paras:
        frame = Frame.of(body.width, min(body.height, bottom - body.top))
        ctx.fit("section text", paras, frame, ctx.sizes.subtitle, shape=body.source, named=body)
    elif body is None and paras:  # a Title Only layout: a text box under the title (and its tag)
        title_box = page.placeholder(*TITLE_TYPES)
        top = title_box.top + title_box.height + GAP if title_box is not None else ctx.prs.slide_height // 3
        if page.tag is not None:
            top = max(top, page.tag[0] + page.tag[1] + GAP)
        width = title_box.width if title_box is not None else ctx.prs.slide_width
        ctx.fit("section text", paras, Frame.of(width, max(0, bottom - top), inset_x=0, inset_y=0),
                ctx.sizes.subtitle)
    return page


def _chart(ctx: DeckContext, spec: Slide) -> ProbePage:
    page, _ = _open(ctx, "Chart", spec, tag=spec.investigational)
    return page  # a chart's labels are the application's to place: nothing here is fitted


def _bullets(ctx: DeckContext, spec: Slide) -> ProbePage:
    return _continued(ctx, spec, "Title and Content", [pieces_of(b) for b in spec.bullets],
                      bulleted=spec.kind != "disclosure")


def _references(ctx: DeckContext, spec: Slide) -> ProbePage:
    return _continued(ctx, spec, "References", references.reference_paragraphs(spec.bullets), bulleted=False,
                      sizes=ctx.sizes.references, space_after=ctx.sizes.references_space_after)


def _continued(ctx: DeckContext, spec: Slide, layout: str, paras: list[Para], *, bulleted: bool,
               sizes=None, space_after: float | None = None) -> ProbePage:
    """:func:`~leaflets.render.slides.bullets.continued`, measured: every continuation slide has
    the first's boxes (the same title, tag and band)."""
    kind = "body" if sizes is None else None
    sizes = sizes or ctx.sizes.body
    space_after = ctx.sizes.body_space_after if space_after is None else space_after
    page, bottom = _open(ctx, layout, spec, tag=spec.investigational, parts=True)
    body = page.placeholder(*CONTENT_TYPES)
    frame = Frame.of(body.width, min(body.height, bottom - body.top), indent=BULLET_INDENT if bulleted else 0)
    remaining = paras
    while True:
        _, part = bullets.next_part(ctx, remaining, frame, sizes, shape=body.source, space_after=space_after,
                                    kind=kind, first=remaining is paras, named=body)
        remaining = remaining[len(part):]
        if not remaining:
            return page
        ctx.number += 1


def _closing(ctx: DeckContext, spec: Slide) -> ProbePage:
    page, bottom = _open(ctx, "Closing", spec, tag=spec.investigational, parts=True)
    body = page.placeholder(PP_PLACEHOLDER.OBJECT) or page.placeholder(*CONTENT_TYPES)
    others = [box for box in page.boxes if box.type in CONTENT_TYPES and box is not body]
    prompt = others[0] if others else None
    paras = [pieces_of(b) for b in spec.bullets]
    question = [TextPiece(p.text, bold=True) for p in pieces_of(spec.subtitle)]
    inline_prompt = prompt is None and spec.subtitle
    frame = Frame.of(body.width, min(body.height, bottom - body.top), indent=BULLET_INDENT)
    first = True
    while True:
        _, _, rest = closing.messages_part(ctx, paras, question if inline_prompt else None, frame,
                                           shape=body.source, first=first, named=body)
        if prompt is not None and spec.subtitle and not rest:
            prompt_frame = Frame.of(prompt.width, min(prompt.height, bottom - prompt.top))
            ctx.fit("questions prompt", [pieces_of(spec.subtitle)], prompt_frame, ctx.sizes.questions,
                    shape=prompt.source, named=prompt)
        if not rest:
            return page
        paras, first = rest, False
        ctx.number += 1


def _table(ctx: DeckContext, spec: Slide) -> ProbePage:
    page, bottom = _open(ctx, "Table", spec, tag=spec.investigational, parts=True)
    ph = page.placeholder(PP_PLACEHOLDER.TABLE) or page.placeholder(*CONTENT_TYPES)
    box = _box(ph, bottom)
    where = ctx.box_of(ph, box.cx, box.cy)
    rows_done = 0
    while True:
        _, _, _, rows, more = table.rows_on_slide(ctx, spec.table, rows_done, box, where)
        if not more:
            return page
        rows_done += len(rows) - 1
        ctx.number += 1


def _diagram(ctx: DeckContext, spec: Slide) -> ProbePage:
    number = ctx.number
    try:
        page, bottom = _open(ctx, "Diagram", spec, tag=spec.investigational)
        ph = page.placeholder(PP_PLACEHOLDER.ORG_CHART) or page.placeholder(*CONTENT_TYPES)
        box = _box(ph, bottom)
        diagram.fits(ctx, spec, box, ctx.box_of(ph, box.cx, box.cy))
        return page
    except SlideOverflow:
        if spec.diagram.kind != "lanes":
            raise
        ctx.number = number  # (the writer drops the diagram's slide) a table instead
        return _table(ctx, diagram.as_table(spec))


def _part_titles(ctx: DeckContext, spec: Slide, page: ProbePage, parts: int) -> None:
    """The titles :func:`~leaflets.render.slides.chrome.mark_parts` gives the ``parts`` slides of a
    slide that continued ("Topical therapy (2/3)"), fitted to the first's title box."""
    box = page.placeholder(*TITLE_TYPES)
    if box is None:
        return
    for index in range(parts):
        title_size(ctx, box.source, box, part_title(ctx, spec.title, index + 1, parts))


_MEASURES = {
    title: _title, section: _section, bullets: _bullets, references: _references, closing: _closing,
    chart: _chart, table: _table, diagram: _diagram,
}

__all__ = ["count_slides"]
