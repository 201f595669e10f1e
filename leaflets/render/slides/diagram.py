"""A diagram drawn as grouped shapes: lanes side by side (a trial design) or a ladder of rungs
(a treatment ladder), with an optional caption; text shrinks to the floor.  Lanes too narrow
side by side go one to a row, and, where even that does not fit, become a native table."""

from __future__ import annotations

from dataclasses import replace

from pptx.enum.dml import MSO_THEME_COLOR
from pptx.enum.shapes import MSO_SHAPE, PP_PLACEHOLDER
from pptx.util import Emu

from leaflets.document import Slide, Table, plain
from leaflets.render import deck_design
from leaflets.render import deck_oxml as ox
from leaflets.render.deck_fit import Frame, smaller
from leaflets.render.deck_package import drop_slides
from leaflets.render.slides import table
from leaflets.render.slides.chrome import GAP, band_top, content_area, finish, shape_text, textbox, write_title
from leaflets.render.slides.context import (
    DeckContext, OpenSlide, Para, SlideOverflow, TemplateBox, TextPiece, measured, pieces_of,
)

SINGLE = False  # lanes that do not fit become a table, which may continue
DIAGRAM_SPACE = 4  # points between the steps in one diagram box


def write(ctx: DeckContext, spec: Slide) -> None:
    """The diagram; lanes too long for the slide even one lane to a row (a presenter's small or
    4:3 template) become a native table, one column per lane, which continues on more slides."""
    start = len(ctx.titles)
    try:
        _write(ctx, spec)
    except SlideOverflow:
        if spec.diagram.kind != "lanes":
            raise
        drop_slides(ctx.prs, [start])
        del ctx.titles[start:]
        ctx.number -= 1
        table.write(ctx, as_table(spec))


def as_table(spec: Slide) -> Slide:
    """A lanes diagram as a table slide: lane titles as the header, step *i* of every lane as row
    *i*; a caption goes to the speaker notes."""
    lanes = spec.diagram.lanes
    rows = max(len(lane.steps) for lane in lanes)
    body = tuple(tuple(lane.steps[r] if r < len(lane.steps) else () for lane in lanes) for r in range(rows))
    notes = spec.notes + tuple(plain(b) for b in spec.bullets)
    return replace(spec, kind="table", table=Table(tuple(lane.title for lane in lanes), body), diagram=None,
                   bullets=(), notes=notes)


def _write(ctx: DeckContext, spec: Slide) -> None:
    diagram = spec.diagram
    page = ctx.new_slide("Diagram", spec.title)
    write_title(ctx, page, spec.title, tag=spec.investigational)
    bottom = band_top(ctx, page, spec)
    ph, box = content_area(page, bottom, PP_PLACEHOLDER.ORG_CHART)
    where = ctx.box_of(ph, box.cx, box.cy)  # what an error names: the template's box
    ox.remove(ph)
    if spec.bullets:  # a caption under the diagram
        paras, size, cy = caption(ctx, spec, box, where)
        textbox(ctx, page, "Diagram caption", box.x, box.bottom - cy, box.cx, cy, paras, size)
        box = deck_design.Box(box.x, box.y, box.cx, box.cy - cy - GAP)
    group = page.slide.shapes.add_group_shape()
    group.name = "Diagram"
    if diagram.kind == "ladder":
        _ladder(ctx, page, group, diagram, box, where)
    else:
        _lanes(ctx, page, group, diagram, box, where)
    ox.set_alt_text(group, diagram.alt or _diagram_alt(diagram), title=spec.topic or plain(spec.title))
    finish(ctx, page, spec)


def caption(ctx: DeckContext, spec: Slide, box: deck_design.Box, where: TemplateBox) -> tuple[list[Para], float, int]:
    """The caption under the diagram: its paragraphs, size and height (EMU); raises
    :class:`SlideOverflow` where it would take more than a third of ``box``."""
    paras = [pieces_of(b) for b in spec.bullets]
    size = ctx.sizes.body.floor  # body text: readable from the back of the room
    height = ctx.measurer.height(measured(paras), size, box.cx / deck_design.EMU_PER_PT)
    cy = round(height * deck_design.EMU_PER_PT) + 1
    if cy > box.cy // 3:
        raise ctx.overflow("diagram caption", "".join(p.text for para in paras for p in para), size, where)
    return paras, size, cy


def fits(ctx: DeckContext, spec: Slide, box: deck_design.Box, where: TemplateBox) -> None:
    """Measure the diagram of ``spec`` in ``box`` as :func:`write` lays it out, drawing nothing:
    raises :class:`SlideOverflow` where :func:`_write` does (a lanes diagram then becomes a table)."""
    if spec.bullets:
        _, _, cy = caption(ctx, spec, box, where)
        box = deck_design.Box(box.x, box.y, box.cx, box.cy - cy - GAP)
    if spec.diagram.kind == "ladder" or _lanes_size(ctx, spec.diagram, box) is None:
        _ladder_size(ctx, spec.diagram, box, where, rows=spec.diagram.kind != "ladder")


def _box(ctx: DeckContext, page: OpenSlide, group, name: str, x, y, cx, cy, paras: list[Para], size: float,
         emphasis: bool, header: bool, align: str | None = "ctr") -> None:
    """One box of the diagram: a header (filled) or steps, in the lane's emphasis colour."""
    shape = group.shapes.add_shape(MSO_SHAPE.ROUNDED_RECTANGLE, Emu(x), Emu(y), Emu(cx), Emu(cy))
    shape.name = name
    shape.fill.solid()
    fill = (MSO_THEME_COLOR.ACCENT_2 if emphasis else MSO_THEME_COLOR.ACCENT_1) if header else (
        MSO_THEME_COLOR.ACCENT_6 if emphasis else MSO_THEME_COLOR.BACKGROUND_2)
    shape.fill.fore_color.theme_color = fill
    shape.line.fill.background()
    shape_text(ctx, page, shape, paras, size, "bg1" if header else "tx1", align=align)
    if len(paras) > 1:  # steps in one box: a little space between them
        ox.space_paragraphs(shape.text_frame, DIAGRAM_SPACE)


def _need(ctx: DeckContext, paras: list[Para], width: int, size: float) -> int:
    """Height (EMU) a diagram box of ``width`` needs for ``paras`` at ``size``, insets included."""
    frame = Frame.of(width, 0)
    height = ctx.measurer.height(measured(paras), size, frame.width, space_after=DIAGRAM_SPACE)
    return round(height * deck_design.EMU_PER_PT) + 2 * deck_design.INSET_Y + 1


def _diagram_overflow(ctx: DeckContext, texts: list[list[Para]], box: TemplateBox) -> SlideOverflow:
    longest = max(("".join(p.text for p in para) for paras in texts for para in paras), key=len)
    return ctx.overflow("diagram", longest, ctx.sizes.diagram.floor, box)


def _lanes(ctx: DeckContext, page: OpenSlide, group, diagram, box: deck_design.Box, where: TemplateBox) -> None:
    """Columns side by side (trial designs), one header each; step *i* of every column sits
    in the same row, so the columns compare line by line (arms, dose, control, follow-up)."""
    lanes, gap, row_gap, width, rows, headers, steps = _lanes_geometry(diagram, box)
    order = lanes[::-1] if ctx.rtl else lanes
    fitted = _lanes_size(ctx, diagram, box)
    if fitted is None:  # too narrow for the lanes side by side (a 4:3 template): one row per lane
        _ladder(ctx, page, group, diagram, box, where, rows=True)
        return
    size, header_h, row_h, total = fitted
    extra = (box.cy - total) // (rows + 1) if rows else 0  # the rest of the area, shared out
    header_h += extra
    row_h = [h + extra for h in row_h]
    for column, lane in enumerate(order):
        index = lanes.index(lane)
        x = box.x + column * (width + gap)
        _box(ctx, page, group, f"Lane {index + 1}", x, box.y, width, header_h, headers[index], size, lane.emphasis,
             True)
        y = box.y + header_h + row_gap
        for r in range(rows):
            if steps[r][index]:
                _box(ctx, page, group, f"Lane {index + 1} step {r + 1}", x, y, width, row_h[r], steps[r][index],
                     size, lane.emphasis, False)
            y += row_h[r] + row_gap


def _lanes_geometry(diagram, box: deck_design.Box) -> tuple:
    """The lanes, the gaps between columns and between rows, a column's width (EMU), the number of
    step rows, each lane's header and each row's steps as pieces: what :func:`_lanes` draws with
    and :func:`_lanes_size` fits."""
    lanes = list(diagram.lanes)
    gap = deck_design.inches(0.2)
    width = (box.cx - gap * (len(lanes) - 1)) // len(lanes)
    rows = max((len(lane.steps) for lane in lanes), default=0)
    headers = [[[TextPiece(s.text, True, s.italic) for s in lane.title]] for lane in lanes]
    steps = [[[pieces_of(lane.steps[r])] if r < len(lane.steps) else [] for lane in lanes] for r in range(rows)]
    return lanes, gap, deck_design.inches(0.06), width, rows, headers, steps


def _lanes_size(ctx: DeckContext, diagram, box: deck_design.Box) -> tuple[float, int, list[int], int] | None:
    """The size the lanes fit ``box`` at side by side, with the header's and each row's height and
    the total (EMU); None where they do not even at the floor."""
    lanes, gap, row_gap, width, rows, headers, steps = _lanes_geometry(diagram, box)
    size = ctx.sizes.diagram.size
    while True:
        header_h = max(_need(ctx, h, width, size) for h in headers)
        row_h = [max(_need(ctx, cell, width, size) for cell in row if cell) for row in steps]
        total = header_h + sum(row_h) + row_gap * rows
        if total <= box.cy:
            return size, header_h, row_h, total
        size = smaller(size, ctx.sizes.diagram.floor)
        if size is None:
            return None


def _ladder(ctx: DeckContext, page: OpenSlide, group, diagram, box: deck_design.Box, where: TemplateBox,
            rows: bool = False) -> None:
    """Rungs from the bottom up (a treatment ladder): each a row of a filled title box and a
    box of its steps, shifted right as the ladder climbs.  ``rows``: lanes that do not fit
    side by side, one row each from the top, unshifted (no ladder is implied)."""
    rungs, gap, shift, titles, steps, width, title_w, steps_w = _ladder_geometry(diagram, box, rows)
    n = len(rungs)
    size, row_h, total = _ladder_size(ctx, diagram, box, where, rows)
    extra = (box.cy - total) // n
    y = box.bottom
    for index, rung in enumerate(rungs):
        height = row_h[index] + extra
        y -= height
        offset = index * shift
        x = box.x + (box.cx - width - offset if ctx.rtl else offset)
        title_x, steps_x = (x + steps_w + gap, x) if ctx.rtl else (x, x + title_w + gap)
        name = f"Lane {n - index}" if rows else f"Step {index + 1}"
        _box(ctx, page, group, name, title_x, y, title_w, height, titles[index], size, rung.emphasis, True)
        if steps[index]:
            _box(ctx, page, group, f"{name} detail", steps_x, y, steps_w, height, steps[index], size,
                 rung.emphasis, False, align=None)
        y -= gap


def _ladder_geometry(diagram, box: deck_design.Box, rows: bool) -> tuple:
    """The rungs in drawing order (bottom up; ``rows``: top down), the gap between rows, the shift
    per rung, each rung's title and steps as pieces, and the widths (EMU) of a rung, its title
    box and its steps box: what :func:`_ladder` draws with and :func:`_ladder_size` fits."""
    rungs = list(diagram.lanes)[::-1] if rows else list(diagram.lanes)
    gap = deck_design.inches(0.08)
    shift = 0 if rows else deck_design.inches(0.3)
    titles = [[[TextPiece(s.text, True, s.italic) for s in rung.title]] for rung in rungs]
    steps = [[pieces_of(step) for step in rung.steps] for rung in rungs]
    width = box.cx - shift * (len(rungs) - 1)
    title_w = round(width * 0.3)
    return rungs, gap, shift, titles, steps, width, title_w, width - title_w - gap


def _ladder_size(ctx: DeckContext, diagram, box: deck_design.Box, where: TemplateBox,
                 rows: bool = False) -> tuple[float, list[int], int]:
    """The size the rungs (``rows``: the lanes one to a row) fit ``box`` at, with each row's height
    and the total (EMU); raises :class:`SlideOverflow` where they do not even at the floor."""
    rungs, gap, shift, titles, steps, width, title_w, steps_w = _ladder_geometry(diagram, box, rows)
    n = len(rungs)
    size = ctx.sizes.diagram.size
    while True:
        row_h = [max(_need(ctx, t, title_w, size), _need(ctx, st, steps_w, size) if st else 0)
                 for t, st in zip(titles, steps)]
        total = sum(row_h) + gap * (n - 1)
        if total <= box.cy:
            return size, row_h, total
        size = smaller(size, ctx.sizes.diagram.floor)
        if size is None:
            raise _diagram_overflow(ctx, titles + steps, where)


def _diagram_alt(diagram) -> str:
    parts = []
    for lane in diagram.lanes:
        steps = ", ".join(plain(s) for s in lane.steps)
        parts.append(plain(lane.title) + (f": {steps}" if steps else ""))
    return "; ".join(parts)
