"""A native table; rows that do not fit at the floor size continue on another slide under the
same header."""

from __future__ import annotations

from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.util import Emu

from leaflets.document import Slide, plain
from leaflets.render import deck_design
from leaflets.render import deck_oxml as ox
from leaflets.render.deck_fit import Piece, smaller
from leaflets.render.slides.chrome import band_top, content_area, finish, write_title
from leaflets.render.slides.context import DeckContext, TextPiece, pieces_of

SINGLE = False  # continues on more slides when its rows do not fit
# Narrow table columns leave an application's own spacing (LibreOffice widens the gap between
# CJK and Latin text) no room: cells are measured this much narrower than they are.
TABLE_WIDTH_SLACK = 0.9


def write(ctx: DeckContext, spec: Slide, rows_done: int = 0) -> None:
    table_spec = spec.table
    page = ctx.new_slide("Table", spec.title)
    write_title(ctx, page, spec.title, tag=spec.investigational, parts=True)
    bottom = band_top(ctx, page, spec)
    ph, box = content_area(page, bottom, PP_PLACEHOLDER.TABLE)
    cols = len(table_spec.header)
    widths = _column_widths(box.cx, cols)
    body_rows = [list(r) for r in table_spec.rows[rows_done:]]
    cell_rows = [list(table_spec.header)] + body_rows
    size, heights = None, []
    sizes = ctx.deck_size("table", ctx.sizes.table)  # the deck's one table size
    candidate = sizes.size
    while candidate is not None:
        heights = _row_heights(ctx, cell_rows, widths, candidate)
        if sum(heights) <= box.cy:
            size = candidate
            break
        candidate = smaller(candidate, sizes.floor)
    more = 0
    if rows_done == 0:  # a table's first slide: the size its rows fit at whole, or that it continues
        ctx.record("table", sizes.floor if size is None else size, split=size is None)
    if size is None:
        size = sizes.floor
        heights = _row_heights(ctx, cell_rows, widths, size)
        used, keep = heights[0], 1
        while keep < len(heights) and used + heights[keep] <= box.cy:
            used += heights[keep]
            keep += 1
        if keep == 1:
            longest = max((plain(c) for row in cell_rows for c in row), key=len)
            raise ctx.overflow("table", longest, sizes.floor, ctx.box_of(ph, box.cx, box.cy))
        # balanced: the rows shared out evenly over the slides they need, never one row alone
        rows_left, per_slide = len(cell_rows) - 1, keep - 1
        parts = -(-rows_left // per_slide)
        keep = -(-rows_left // parts) + 1
        more = len(cell_rows) - keep
        cell_rows, heights = cell_rows[:keep], heights[:keep]
    rows = len(cell_rows)
    if ph.placeholder_format.type == PP_PLACEHOLDER.TABLE:
        frame = ph.insert_table(rows, cols)
    else:
        ox.remove(ph)
        frame = page.slide.shapes.add_table(rows, cols, Emu(box.x), Emu(box.y), Emu(box.cx), Emu(box.cy))
    frame.height = Emu(sum(heights))
    table = frame.table
    ox.set_table_properties(frame, firstRow="1", bandRow="1", **({"rtl": "1"} if ctx.rtl else {}))
    for c, width in enumerate(widths):
        table.columns[c].width = Emu(width)
    for r, row in enumerate(cell_rows):
        table.rows[r].height = Emu(heights[r])
        for c, inline in enumerate(row):
            cell = table.cell(r, c)
            color = "bg1" if r == 0 else "tx1"
            paras = [[TextPiece(p.text, p.bold or r == 0 or c == 0, p.italic, p.lang) for p in pieces_of(inline)]]
            # a right-to-left table's columns align right, Latin-only cells too
            ox.set_body(ox.cell_body(cell), [ctx.paragraph(paras[0], size=size, color=color, slide=page.slide,
                                                           align="r" if ctx.rtl else None)])
            ox.set_cell_fill(cell, "accent1" if r == 0 else ("lt2" if r % 2 else "bg1"), anchor="ctr")
    header = " | ".join(plain(h) for h in table_spec.header)
    name = spec.topic or plain(spec.title)  # the slide's topic where the title states its finding
    ox.set_alt_text(frame, f"{name}: {header}", title=name)
    finish(ctx, page, spec)
    if more:
        write(ctx, spec, rows_done + rows - 1)


def _row_heights(ctx: DeckContext, cell_rows, widths, size: float) -> list[int]:
    """Each row's height (EMU) at ``size``: its tallest cell plus the cell margins."""
    heights = []
    for r, row in enumerate(cell_rows):
        need = 0.0
        for c, inline in enumerate(row):
            pieces = [Piece(s.text, s.bold or r == 0 or c == 0, s.italic) for s in inline]
            column = (widths[c] - 2 * 91440) / deck_design.EMU_PER_PT * TABLE_WIDTH_SLACK
            need = max(need, ctx.measurer.height([pieces], size, column, metrics=True))
        heights.append(round(need * deck_design.EMU_PER_PT) + 2 * 45720 + 1)
    return heights


def _column_widths(total: int, cols: int) -> list[int]:
    if cols == 1:
        return [total]
    first = round(total * (0.3 if cols == 2 else 0.22))
    rest = (total - first) // (cols - 1)
    return [first] + [rest] * (cols - 2) + [total - first - rest * (cols - 2)]
