"""A table's first column is as wide as its names need (issue 20): a fixed 22 % column broke
an Arabic drug name with its Latin name in brackets over four lines, and the biologics table
that fits one slide in English took three in Arabic, two rows to a slide."""

from __future__ import annotations

from pptx import Presentation
from pptx.util import Emu

from leaflets.render import deck_design
from leaflets.render.deck_fit import Measurer, Piece
from leaflets.render.slides.table import CELL_MARGINS, TABLE_WIDTH_SLACK, _unbreakable

from .test_talk import DECK, _document, _slides_of


def _tables(slide):
    return [shape.table for shape in slide.shapes if getattr(shape, "has_table", False) and shape.has_table]


def test_no_locale_needs_more_slides_for_a_table_than_english(built, project, loaded, shipped):
    """Every table slide (and a diagram turned table) takes at most as many slides in every
    locale as in English; Arabic is the case the issue names."""
    assert "ar" in shipped

    def parts(tag):
        prs = Presentation(str(built / tag / DECK))
        return [(spec.kind, len(slides)) for spec, slides in _slides_of(prs, _document(project, loaded, tag))
                if spec.kind == "table"]

    english = parts("en")
    assert len(english) >= 4
    for tag in shipped:
        counts = parts(tag)
        assert len(counts) == len(english), tag
        more = [(k, n, m) for (k, n), (_, m) in zip(counts, english) if n > m]
        assert not more, (tag, more)


def test_first_column_keeps_each_word_whole_and_names_on_few_lines(built, shipped):
    """In every locale, the first column's words fit its width unbroken, no name there takes
    more than two lines (measured as the renderer measures, in the locale's fonts), and the
    column takes at most half the table (a Chinese name, written without spaces, once counted
    as one word and took 64 %, breaking the dates in the next columns)."""
    for tag in shipped:
        prs = Presentation(str(built / tag / DECK))
        measurer = Measurer(tag, tag == "ar")
        checked = 0
        for slide in prs.slides:
            for table in _tables(slide):
                if len(table.columns) < 2:
                    continue
                total = sum(column.width for column in table.columns)
                assert table.columns[0].width <= total // 2 + 1, (tag, table.columns[0].width / total)
                width = (Emu(table.columns[0].width) - CELL_MARGINS) / deck_design.EMU_PER_PT * TABLE_WIDTH_SLACK
                for row in list(table.rows)[1:]:
                    cell = row.cells[0]
                    runs = [r for p in cell.text_frame.paragraphs for r in p.runs]
                    size = runs[0].font.size.pt
                    pieces = [Piece(r.text, True) for r in runs]
                    for word in _unbreakable(cell.text):
                        assert measurer.line_count([Piece(word, True)], size, width) == 1, (tag, word)
                    lines = measurer.line_count(pieces, size, width)
                    assert lines <= 2, (tag, cell.text, lines)
                    checked += 1
        assert checked >= 10, tag


def test_column_widths_are_searched_once_per_table_and_size(monkeypatch):
    """The writer asked for a table's column widths again at the size the fit-only pass had
    already searched them at (issue 21): the English deck's four tables were searched 8 times,
    now once each (the deck's one table size is the size the probe found for them)."""
    import datetime as dt
    import io

    from leaflets import Engine, Project
    from leaflets.render.pptx import render_deck
    from leaflets.render.slides import table

    engine = Engine(Project())
    document = engine.localize(engine.topics()[0], "en")
    searched = []
    search = table.column_widths
    monkeypatch.setattr(table, "column_widths", lambda ctx, rows, total, size: searched.append(
        (total, size)) or search(ctx, rows, total, size))
    render_deck(document, io.BytesIO(), fonts=engine.fonts, created=dt.datetime(2026, 1, 1))
    tables = sum(1 for slide in document.deck.slides if slide.kind == "table")
    assert len(searched) == tables == 4, searched
