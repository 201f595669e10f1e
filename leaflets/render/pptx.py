"""Render the clinician deck of a localized document to PPTX with python-pptx.

The deck is built on a template (python-pptx's default unless the caller
passes one).  The default template is 4:3, so :func:`widen_to_16x9` rescales
its master and layouts, not just the slide size.  Every run gets the
document's language tag and the font family in the right slot.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from lxml import etree
from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION, XL_TICK_LABEL_POSITION
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.oxml.ns import qn
from pptx.util import Emu, Inches, Pt

from leaflets.document import Inline, LocalizedDocument, Slide, Span
from leaflets.render.fonts import LATIN, office_slots

WIDTH, HEIGHT = Inches(13.333), Inches(7.5)
ACCENT = RGBColor(0x0B, 0x5D, 0x6B)
INK = RGBColor(0x1F, 0x29, 0x33)
MUTED = RGBColor(0x52, 0x60, 0x6D)
WARNING = RGBColor(0xB4, 0x53, 0x09)
LAYOUT_TITLE, LAYOUT_CONTENT, LAYOUT_TITLE_ONLY = 0, 1, 5


def widen_to_16x9(prs) -> None:
    """Make a 4:3 template 16:9: scale every placeholder's x and width.

    Changing only ``slide_width`` would leave titles and bodies in the left
    three quarters of the slide.
    """
    ratio = WIDTH / prs.slide_width
    prs.slide_width, prs.slide_height = WIDTH, HEIGHT
    if abs(ratio - 1) < 1e-6:
        return
    masters = list(prs.slide_masters)
    for container in masters + [layout for m in masters for layout in m.slide_layouts]:
        for shape in container.placeholders:
            # only shapes with their own geometry: the others inherit the (scaled) master's
            if shape._element.spPr.find(qn("a:xfrm")) is not None:
                shape.left, shape.width = Emu(int(shape.left * ratio)), Emu(int(shape.width * ratio))


def place(shape, left, top, width, height) -> None:
    """Position a shape; all four values, since a placeholder that inherits its
    geometry gets a zero origin and size for whatever is not set."""
    shape.left, shape.top, shape.width, shape.height = left, top, width, height


def plain_paragraphs(spec: Slide) -> list[Inline]:
    """Interim: the slide kinds this renderer has no layout for yet (section,
    diagram, closing, disclosure) as plain title + bullets, so they never
    crash; the deck rewrite gives each its own layout."""
    paragraphs = list(spec.bullets)
    if spec.diagram is not None:
        for lane in spec.diagram.lanes:
            paragraphs.append(lane.title + tuple(Span((": " if i == 0 else "; ") + "".join(s.text for s in step))
                                                 for i, step in enumerate(lane.steps)))
    if spec.subtitle:
        paragraphs.append(spec.subtitle)
    if spec.investigational:
        paragraphs.append((Span(spec.investigational, bold=True),))
    return paragraphs


class DeckWriter:
    """Writes one deck; holds the language and fonts every run must carry."""

    def __init__(self, document: LocalizedDocument, template: Path | None = None):
        self.doc = document
        self.lang = document.office_lang
        self.rtl = document.direction == "rtl"
        self.family = LATIN.name
        self.slots = office_slots(document.locale)
        self.prs = Presentation(str(template) if template else None)
        widen_to_16x9(self.prs)

    # ------------------------------------------------------------- runs
    def tag_run(self, run, size: float | None = None, bold: bool | None = None, italic: bool | None = None,
                color: RGBColor | None = None) -> None:
        font = run.font
        if size:
            font.size = Pt(size)
        if bold is not None:
            font.bold = bold
        if italic is not None:
            font.italic = italic
        if color is not None:
            font.color.rgb = color
        self.tag_properties(run._r.get_or_add_rPr())

    def tag_properties(self, rpr) -> None:
        """Language and the typeface of each DrawingML font slot on a run's properties."""
        rpr.set("lang", self.lang)
        for slot, typeface in self.slots.items():
            element = rpr.find(qn(f"a:{slot}"))
            if element is None:
                element = etree.SubElement(rpr, qn(f"a:{slot}"))
            element.set("typeface", typeface)

    def write_inline(self, paragraph, inline: Inline, size: float, color: RGBColor = INK,
                     bold: bool = False) -> None:
        for span in inline:
            run = paragraph.add_run()
            run.text = span.text
            # untranslated English stand-ins are tagged English, grey and italic
            self.tag_run(run, size, bold or span.bold, span.italic or bool(span.lang), MUTED if span.lang else color)
            if span.lang:
                run._r.get_or_add_rPr().set("lang", "en-US" if span.lang == "en" else span.lang)
        self._end(paragraph, size)

    def _end(self, paragraph, size: float) -> None:
        if self.rtl:
            paragraph._p.get_or_add_pPr().set("rtl", "1")
            paragraph.alignment = PP_ALIGN.RIGHT
        end = paragraph._p.find(qn("a:endParaRPr"))
        if end is None:
            end = etree.SubElement(paragraph._p, qn("a:endParaRPr"))
        end.set("lang", self.lang)
        end.set("sz", str(int(size * 100)))

    def fill(self, frame, paragraphs: list[Inline], size: float, color: RGBColor = INK, bold: bool = False,
             space_after: float = 6) -> None:
        frame.clear()
        frame.word_wrap = True
        for index, inline in enumerate(paragraphs):
            paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
            paragraph.space_after = Pt(space_after)
            self.write_inline(paragraph, inline, size, color, bold)
        body = frame._txBody.find(qn("a:bodyPr"))
        for old in body.findall(qn("a:normAutofit")) + body.findall(qn("a:spAutoFit")):
            body.remove(old)
        etree.SubElement(body, qn("a:normAutofit"))

    def textbox(self, slide, left, top, width, height, paragraphs: list[Inline], size: float,
                color: RGBColor = MUTED, anchor=MSO_ANCHOR.TOP):
        box = slide.shapes.add_textbox(left, top, width, height)
        box.text_frame.vertical_anchor = anchor
        self.fill(box.text_frame, paragraphs, size, color, space_after=0)
        return box

    # ----------------------------------------------------------- slides
    def add(self, spec: Slide, number: int, total: int) -> None:
        if spec.kind == "title":
            slide = self._title_slide(spec)
        elif spec.kind in ("table", "chart"):
            slide = self.prs.slides.add_slide(self.prs.slide_layouts[LAYOUT_TITLE_ONLY])
            self._title(slide, spec.title)
            if spec.table is not None:
                self._table(slide, spec)
            else:
                self._chart(slide, spec)
        else:
            slide = self.prs.slides.add_slide(self.prs.slide_layouts[LAYOUT_CONTENT])
            self._title(slide, spec.title)
            body = slide.placeholders[1]
            place(body, Inches(0.6), Inches(1.45), Inches(12.1), Inches(4.95))
            paragraphs = plain_paragraphs(spec)
            size = 13 if spec.kind == "references" else (20 if len(paragraphs) <= 5 else 18)
            self.fill(body.text_frame, paragraphs, size, space_after=4 if spec.kind == "references" else 8)
            if spec.kind == "references":  # numbered entries: no bullet glyph as well
                for paragraph in body.text_frame.paragraphs:
                    ppr = paragraph._p.get_or_add_pPr()
                    ppr.set("marL", "0")
                    ppr.set("indent", "0")
                    ppr.insert(0, etree.Element(qn("a:buNone")))
        self._footer(slide, spec, number, total)
        notes = slide.notes_slide.notes_text_frame
        self.fill(notes, [(Span(n),) for n in spec.notes], 12)

    def _title(self, slide, title: Inline) -> None:
        shape = slide.shapes.title
        place(shape, Inches(0.6), Inches(0.35), Inches(12.1), Inches(1.0))
        self.fill(shape.text_frame, [title], 32, ACCENT, bold=True)

    def _title_slide(self, spec: Slide):
        slide = self.prs.slides.add_slide(self.prs.slide_layouts[LAYOUT_TITLE])
        self.fill(slide.shapes.title.text_frame, [spec.title], 40, ACCENT, bold=True)
        subtitle = slide.placeholders[1]
        self.fill(subtitle.text_frame, [spec.subtitle, (Span(self.doc.deck.audience),)], 20, INK)
        return slide

    def _footer(self, slide, spec: Slide, number: int, total: int) -> None:
        footer = self.doc.footer
        left = f"{self.doc.deck.title} · {footer.content_version}"
        if spec.sources:
            self.textbox(slide, Inches(0.6), Inches(6.45), Inches(12.1), Inches(0.35),
                         [(Span(spec.sources),)], 11)
        # mirrored for right-to-left decks: page number on the left, title on the right
        title_x, number_x = (Inches(2.2), Inches(0.6)) if self.rtl else (Inches(0.6), Inches(11.2))
        self.textbox(slide, title_x, Inches(6.9), Inches(10.5), Inches(0.4), [(Span(left),)], 10,
                     anchor=MSO_ANCHOR.MIDDLE)
        box = self.textbox(slide, number_x, Inches(6.9), Inches(1.5), Inches(0.4),
                           [(Span(footer.number(f"{number}/{total}")),)], 10, anchor=MSO_ANCHOR.MIDDLE)
        box.text_frame.paragraphs[0].alignment = PP_ALIGN.LEFT if self.rtl else PP_ALIGN.RIGHT
        if footer.notice:
            own, *english = footer.notice
            spans = (Span(own),) + tuple(s for text in english for s in (Span(" / "), Span(text, lang="en")))
            self.textbox(slide, Inches(0.6), Inches(7.16), Inches(12.1), Inches(0.3), [spans], 9,
                         WARNING if footer.notice_is_warning else MUTED, anchor=MSO_ANCHOR.TOP)

    def _table(self, slide, spec: Slide) -> None:
        table_spec = spec.table
        rows, cols = len(table_spec.rows) + 1, len(table_spec.header)
        shape = slide.shapes.add_table(rows, cols, Inches(0.6), Inches(1.45), Inches(12.1), Inches(4.8))
        table = shape.table
        table.columns[0].width = Inches(2.6)
        table.columns[1].width = Inches(12.1 - 2.6) if cols == 2 else table.columns[1].width
        for c, cell_text in enumerate(table_spec.header):
            table.cell(0, c).fill.solid()
            table.cell(0, c).fill.fore_color.rgb = ACCENT
            self.fill(table.cell(0, c).text_frame, [cell_text], 15, RGBColor(0xFF, 0xFF, 0xFF), bold=True, space_after=0)
        for r, row in enumerate(table_spec.rows, start=1):
            for c, cell_text in enumerate(row):
                self.fill(table.cell(r, c).text_frame, [cell_text], 14, INK, bold=(c == 0), space_after=0)
        if self.rtl:
            shape._element.graphic.graphicData.tbl.tblPr.set("rtl", "1")

    def _chart(self, slide, spec: Slide) -> None:
        chart_spec = spec.chart
        data = CategoryChartData()
        data.categories = list(chart_spec.categories)
        data.add_series(chart_spec.series_name, [v / 100 for v in chart_spec.values])
        frame = slide.shapes.add_chart(XL_CHART_TYPE.COLUMN_CLUSTERED, Inches(1.2), Inches(1.45),
                                       Inches(10.9), Inches(4.9), data)
        chart = frame.chart
        chart.has_legend = False
        chart.has_title = True
        title = chart.chart_title.text_frame
        self.fill(title, [(Span(chart_spec.title),)], 18, INK, bold=True, space_after=0)
        chart.font.size = Pt(16)
        chart.font.name = self.family
        value_axis = chart.value_axis
        value_axis.tick_label_position = XL_TICK_LABEL_POSITION.NONE
        value_axis.has_major_gridlines = False
        value_axis.maximum_scale = 1.0
        value_axis.minimum_scale = 0.0
        category_axis = chart.category_axis
        category_axis.tick_labels.font.size = Pt(16)
        if self.rtl:
            category_axis.reverse_order = True
        plot = chart.plots[0]
        plot.gap_width = 80
        series = plot.series[0]
        series.format.fill.solid()
        series.format.fill.fore_color.rgb = ACCENT
        for index, label in enumerate(chart_spec.value_labels):
            data_label = series.points[index].data_label
            data_label.position = XL_LABEL_POSITION.OUTSIDE_END
            frame_ = data_label.text_frame
            frame_.text = ""
            self.write_inline(frame_.paragraphs[0], (Span(label),), 18, INK, bold=True)
        self._tag_chart_text(chart)

    def _tag_chart_text(self, chart) -> None:
        """Give the chart part's default text properties the deck language."""
        space = chart._chartSpace
        for rpr in space.iter(qn("a:defRPr"), qn("a:rPr"), qn("a:endParaRPr")):
            self.tag_properties(rpr)

    # ----------------------------------------------------------- output
    def properties(self, created: dt.datetime) -> None:
        props = self.prs.core_properties
        props.title = self.doc.deck.title
        props.subject = self.doc.deck.subtitle
        props.author = self.doc.author
        props.language = self.lang
        props.keywords = f"{self.doc.topic_id}; {self.doc.locale}"
        props.created = props.modified = created
        props.last_modified_by = "leaflets"
        props.revision = 1

    def write(self, target, created: dt.datetime) -> None:
        slides = self.doc.deck.slides
        for number, spec in enumerate(slides, start=1):
            self.add(spec, number, len(slides))
        self.properties(created)
        self.prs.save(target)


def render_deck(document: LocalizedDocument, target, *, template: Path | None = None,
                created: dt.datetime | None = None) -> int:
    """Write the clinician deck to ``target``; return its slide count."""
    writer = DeckWriter(document, template)
    writer.write(target, created or dt.datetime.now(dt.timezone.utc).replace(microsecond=0, tzinfo=None))
    return len(document.deck.slides)
