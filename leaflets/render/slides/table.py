"""A native table; rows that do not fit at the floor size continue on another slide under the
same header."""

from __future__ import annotations

import re

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
    where = ctx.box_of(ph, box.cx, box.cy)  # what an error names: the template's box
    size, widths, heights, cell_rows, more = rows_on_slide(ctx, table_spec, rows_done, box, where)
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


def rows_on_slide(ctx: DeckContext, table_spec, rows_done: int, box, where) -> tuple[float, list[int], list[int],
                                                                                   list[list], int]:
    """The rows from ``rows_done`` on that one slide of the table holds in ``box``: the size, column
    widths and row heights (EMU) to write, the rows (header first) and how many are left for the
    next slide (balanced: shared out evenly, never one row alone); raises :class:`SlideOverflow`
    naming ``where`` where not even one row fits at the floor.  What the writer and the deck's
    measurement (:mod:`~leaflets.render.slides.count`) both ask."""
    every_row = [list(table_spec.header)] + [list(r) for r in table_spec.rows]
    cell_rows = [list(table_spec.header)] + [list(r) for r in table_spec.rows[rows_done:]]
    sizes = ctx.deck_size("table", ctx.sizes.table)  # the deck's one table size
    size, widths, heights = table_size(ctx, table_spec, rows_done, box, sizes)
    more = 0
    if rows_done == 0:  # a table's first slide: the size its rows fit at whole, or that it continues
        ctx.record("table", sizes.floor if size is None else size, split=size is None)
    if size is None:
        size = sizes.floor
        widths = table_columns(ctx, table_spec, every_row, box.cx, size)
        heights = _row_heights(ctx, cell_rows, widths, size)
        used, keep = heights[0], 1
        while keep < len(heights) and used + heights[keep] <= box.cy:
            used += heights[keep]
            keep += 1
        if keep == 1:
            longest = max((plain(c) for row in cell_rows for c in row), key=len)
            raise ctx.overflow("table", longest, sizes.floor, where)
        # balanced: the rows shared out evenly over the slides they need, never one row alone
        rows_left, per_slide = len(cell_rows) - 1, keep - 1
        parts = -(-rows_left // per_slide)
        keep = -(-rows_left // parts) + 1
        more = len(cell_rows) - keep
        cell_rows, heights = cell_rows[:keep], heights[:keep]
    return size, widths, heights, cell_rows, more


def table_size(ctx: DeckContext, table_spec, rows_done: int, box, sizes) -> tuple[float | None, list[int], list[int]]:
    """The largest size from ``sizes.size`` down to its floor at which the table's rows from
    ``rows_done`` on fit ``box`` whole, with the column widths and row heights (EMU) at it; None
    (and the last tried) where even the floor does not: then it continues on another slide."""
    cell_rows = [list(table_spec.header)] + [list(r) for r in table_spec.rows[rows_done:]]
    # the first column as wide as its names need, measured over every row of the table (its
    # continuation slides keep the same columns)
    every_row = [list(table_spec.header)] + [list(r) for r in table_spec.rows]
    size, widths, heights = None, [], []
    candidate = sizes.size
    while candidate is not None:
        widths = table_columns(ctx, table_spec, every_row, box.cx, candidate)
        heights = _row_heights(ctx, cell_rows, widths, candidate)
        if sum(heights) <= box.cy:
            size = candidate
            break
        candidate = smaller(candidate, sizes.floor)
    return size, widths, heights


def table_columns(ctx: DeckContext, table_spec, every_row, total: int, size: float) -> list[int]:
    """:func:`column_widths` of ``table_spec``'s rows (``every_row``) in ``total`` EMU at ``size``,
    searched once per deck: the writer asks again at the size the fit-only pass
    (:mod:`~leaflets.render.slides.probe`) found, and a table's continuation slides ask again."""
    key = (id(table_spec), total, size)
    kept = ctx.table_columns.get(key)
    if kept is None or kept[0] is not table_spec:
        kept = ctx.table_columns[key] = (table_spec, column_widths(ctx, every_row, total, size))
    return list(kept[1])


def _row_heights(ctx: DeckContext, cell_rows, widths, size: float) -> list[int]:
    """Each row's height (EMU) at ``size``: its tallest cell plus the cell margins."""
    heights = []
    for r, row in enumerate(cell_rows):
        need = 0.0
        for c, inline in enumerate(row):
            pieces = [Piece(s.text, s.bold or r == 0 or c == 0, s.italic) for s in inline]
            column = (widths[c] - CELL_MARGINS) / deck_design.EMU_PER_PT * TABLE_WIDTH_SLACK
            need = max(need, ctx.measurer.height([pieces], size, column, metrics=True))
        heights.append(round(need * deck_design.EMU_PER_PT) + 2 * 45720 + 1)
    return heights


CELL_MARGINS = 2 * 91440  # a cell's left and right insets (EMU)
FIRST_COLUMN = {2: 0.3}  # the first column's least share of the table (by column count) ...
FIRST_COLUMN_OTHERWISE = 0.22
FIRST_COLUMN_MOST = {2: 0.5}  # ... and the most it takes to keep a name on one line
FIRST_COLUMN_MOST_OTHERWISE = 0.4


def column_widths(ctx: DeckContext, cell_rows, total: int, size: float) -> list[int]:
    """Column widths (EMU): the first column (the names a row is about: drugs, trials, items)
    gets the width its names need at ``size``, measured in the deck's fonts: never less than
    its longest word, and of the widths from the old fixed share up to
    :data:`FIRST_COLUMN_MOST` of the table (the names' own one-line widths among them), the
    one that makes the table shortest (the narrowest of equals).  A fixed 22 % column broke
    an Arabic drug name with its Latin name in brackets over four lines and split a table
    that fits one slide in English over three.  The other columns share the rest evenly."""
    cols = len(cell_rows[0])
    if cols == 1:
        return [total]
    least = round(total * FIRST_COLUMN.get(cols, FIRST_COLUMN_OTHERWISE))
    most = round(total * FIRST_COLUMN_MOST.get(cols, FIRST_COLUMN_MOST_OTHERWISE))
    word, wholes = 0, set()
    for row in cell_rows:
        pieces = [Piece(s.text, True, s.italic) for s in row[0]]  # the first column is bold
        wholes.add(_column_for(ctx, ctx.measurer.width(pieces, size)))
        for text in _unbreakable("".join(p.text for p in pieces)):
            word = max(word, _column_for(ctx, ctx.measurer.width([Piece(text, True)], size)))
    steps = 8
    candidates = {least + (most - least) * k // steps for k in range(steps + 1)}
    candidates |= {w for w in wholes if least < w <= most}
    candidates = sorted({max(c, word) for c in candidates})

    def spread(first: int) -> list[int]:
        rest = (total - first) // (cols - 1)
        return [first] + [rest] * (cols - 2) + [total - first - rest * (cols - 2)]

    return min((spread(c) for c in candidates), key=lambda w: (sum(_row_heights(ctx, cell_rows, w, size)), w[0]))


# a line may break after any Chinese or Japanese character or full-width punctuation, as well as at spaces
_WIDE = "\u2e80-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef"
_UNIT = re.compile(f"[{_WIDE}]|[^\\s{_WIDE}]+")


def _unbreakable(text: str) -> list[str]:
    """The pieces of ``text`` a line never breaks inside: words, and in Chinese each character
    (a Chinese name has no spaces: taken whole, it would be one "word" as wide as the name)."""
    return _UNIT.findall(text)


def _column_for(ctx: DeckContext, text_pt: float) -> int:
    """The column width (EMU) that gives ``text_pt`` of text one line, as :func:`_row_heights`
    measures a column (the cell margins, the table and the measurer's slack)."""
    return round(text_pt / (TABLE_WIDTH_SLACK * ctx.measurer.slack) * deck_design.EMU_PER_PT) + CELL_MARGINS + 1
