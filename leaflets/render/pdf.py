"""Render the patient handout of a localized document to PDF with ReportLab.

One function per block type turns the document's explicit blocks into
flowables; all text is escaped before it reaches ReportLab's paragraph
markup (which would otherwise follow ``<img src>`` and ``<a href>``).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen import canvas as rl_canvas
from reportlab.platypus import (
    BaseDocTemplate, Frame, KeepTogether, ListFlowable, ListItem, PageTemplate, Paragraph, Spacer, Table,
    TableStyle,
)

from leaflets.document import (
    BulletList, Callout, Footer, Heading, Inline, LocalizedDocument, Paragraph as ParaBlock, plain,
)
from leaflets.render.fonts import LATIN, register_pdf_family

PAPER = {"a4": A4, "letter": LETTER}
INK = colors.HexColor("#1f2933")
ACCENT = colors.HexColor("#0b5d6b")
CALLOUT_BG = {"important": colors.HexColor("#fff4e0"), "info": colors.HexColor("#e8f3f5")}
CALLOUT_RULE = {"important": colors.HexColor("#c77700"), "info": ACCENT}
FOOTER_SPACE = 11 * mm
BODY_SIZE = 12  # never smaller: readability for patients
MAX_PAGES = 2


@dataclass(frozen=True)
class Density:
    """How tightly the handout is set; tried in order until it fits MAX_PAGES."""

    name: str
    margin: float
    leading: float
    space_after: float
    heading_size: float
    heading_before: float
    title_size: float


DENSITIES = (
    Density("comfortable", 16 * mm, 15.6, 5, 15, 7, 22),
    Density("compact", 14 * mm, 14.8, 3.5, 14, 5, 20),
    Density("tight", 12 * mm, 14.2, 2.5, 13.5, 3.5, 19),
    Density("tightest", 10 * mm, 13.8, 2, 13, 3, 18),
    Density("densest", 9 * mm, 13.3, 1.5, 12.5, 2.5, 17),
)
TWO_COLUMN_ITEM = 42  # a list whose items are all this short is set in two columns


class HandoutTooLong(Exception):
    """The handout does not fit MAX_PAGES even at the tightest density."""

    def __init__(self, locale: str, paper: str, pages: int):
        super().__init__(f"the {locale} handout needs {pages} pages on {paper} paper at the tightest "
                         f"layout; the limit is {MAX_PAGES}: shorten the text")
        self.pages = pages


@dataclass(frozen=True)
class Styles:
    title: ParagraphStyle
    subtitle: ParagraphStyle
    audience: ParagraphStyle
    heading: ParagraphStyle
    body: ParagraphStyle
    bullet: ParagraphStyle
    small: ParagraphStyle
    reference: ParagraphStyle


def make_styles(document: LocalizedDocument, density: Density = DENSITIES[0]) -> Styles:
    fonts = register_pdf_family(LATIN)
    rtl = document.direction == "rtl"
    align = TA_RIGHT if rtl else TA_LEFT
    body = ParagraphStyle("body", fontName=fonts.regular, fontSize=BODY_SIZE, leading=density.leading,
                          textColor=INK, alignment=align, spaceAfter=density.space_after)
    return Styles(
        title=ParagraphStyle("title", parent=body, fontName=fonts.bold, fontSize=density.title_size,
                             leading=density.title_size * 1.2, textColor=ACCENT, spaceAfter=2),
        subtitle=ParagraphStyle("subtitle", parent=body, fontSize=13, leading=16.5, spaceAfter=2),
        audience=ParagraphStyle("audience", parent=body, fontName=fonts.italic, fontSize=12, leading=15,
                                textColor=ACCENT, spaceAfter=6),
        heading=ParagraphStyle("heading", parent=body, fontName=fonts.bold, fontSize=density.heading_size,
                               leading=density.heading_size * 1.2, textColor=ACCENT,
                               spaceBefore=density.heading_before, spaceAfter=2, keepWithNext=1),
        body=body,
        bullet=ParagraphStyle("bullet", parent=body, spaceAfter=1.5),
        small=ParagraphStyle("small", parent=body, fontSize=10, leading=12.5, spaceBefore=4),
        reference=ParagraphStyle("reference", parent=body, fontSize=7.5, leading=9, spaceAfter=1.5),
    )


FALLBACK_INK = "#6b7280"
WARNING_INK = colors.HexColor("#b45309")


def markup(inline: Inline) -> str:
    """Inline spans as ReportLab paragraph markup, every text escaped.

    Untranslated English shown in a translated handout (``lang`` set) is
    grey and italic, so a reader can see it is a stand-in.
    """
    parts = []
    for span in inline:
        text = escape(span.text)
        if span.bold:
            text = f"<b>{text}</b>"
        if span.italic or span.lang:
            text = f"<i>{text}</i>"
        if span.lang:
            text = f'<font color="{FALLBACK_INK}">{text}</font>'
        parts.append(text)
    return "".join(parts)


def _cite(citations: tuple[int, ...], footer: Footer) -> str:
    if not citations:
        return ""
    digits = str.maketrans("0123456789", footer.digits)
    numbers = ",".join(str(n).translate(digits) for n in citations)
    return f"<super><font size=7>\u2009{escape(numbers)}</font></super>"


def _flowables(document: LocalizedDocument, styles: Styles, width: float) -> list:
    handout = document.handout
    footer = document.footer
    story: list = [
        Paragraph(escape(handout.title), styles.title),
        Paragraph(escape(handout.subtitle), styles.subtitle),
        Paragraph(escape(handout.audience), styles.audience),
        _callout(handout.key_message, styles, width, footer),
    ]
    for block in handout.blocks:
        story.append(_block(block, styles, width, footer))
    story.append(Paragraph(escape(handout.not_advice), styles.small))
    story.append(Spacer(1, 4))
    story.append(Paragraph(escape(handout.references_title),
                           ParagraphStyle("refhead", parent=styles.heading, fontSize=11, leading=13.5)))
    digits = str.maketrans("0123456789", footer.digits)
    entries = [Paragraph(f"{escape(str(ref.number).translate(digits))}. {escape(ref.text)}", styles.reference)
               for ref in handout.references]
    story.append(_columns(entries, width, styles))
    return story


def _columns(flowables: list, width: float, styles: Styles, gap: float = 5 * mm):
    """Two columns, filled down the first then the second (mirrored for RTL)."""
    half = (len(flowables) + 1) // 2
    left, right = flowables[:half], flowables[half:]
    if styles.body.alignment == TA_RIGHT:
        left, right = right, left
    table = Table([[left, right]], colWidths=[(width - gap) / 2 + gap, (width - gap) / 2])
    table.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), styles.body.fontName),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (0, -1), gap),
        ("RIGHTPADDING", (1, 0), (1, -1), 0), ("TOPPADDING", (0, 0), (-1, -1), 0),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
    ]))
    return table


def _block(block, styles: Styles, width: float, footer: Footer):
    if isinstance(block, Heading):
        return Paragraph(markup(block.text), styles.heading)
    if isinstance(block, ParaBlock):
        return Paragraph(markup(block.text) + _cite(block.citations, footer), styles.body)
    if isinstance(block, BulletList):
        if len(block.items) > 3 and all(len(plain(item)) <= TWO_COLUMN_ITEM for item in block.items):
            half = (len(block.items) + 1) // 2
            columns = [_bullets(block.items[:half], styles), _bullets(block.items[half:], styles)]
            return _columns([columns[0], columns[1]], width, styles)
        return _bullets(block.items, styles)
    if isinstance(block, Callout):
        return _callout(block, styles, width, footer)
    raise TypeError(f"no PDF rendering for {type(block).__name__}")


def _bullets(items, styles: Styles) -> ListFlowable:
    rtl = styles.body.alignment == TA_RIGHT
    flowables = [ListItem(Paragraph(markup(item), styles.bullet), leftIndent=14, value="•") for item in items]
    return ListFlowable(flowables, bulletType="bullet", start="•", leftIndent=14, bulletFontName=styles.body.fontName,
                        bulletFontSize=BODY_SIZE, bulletColor=ACCENT, spaceAfter=4, bulletDedent=12 if not rtl else 0)


def _callout(block: Callout, styles: Styles, width: float, footer: Footer):
    para = Paragraph(markup(block.text) + _cite(block.citations, footer), styles.body)
    table = Table([[para]], colWidths=[width])
    rule_side = (0, 0), (0, -1)
    table.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), styles.body.fontName),
        ("BACKGROUND", (0, 0), (-1, -1), CALLOUT_BG.get(block.tone, CALLOUT_BG["info"])),
        ("LINEBEFORE" if styles.body.alignment != TA_RIGHT else "LINEAFTER", *rule_side, 3,
         CALLOUT_RULE.get(block.tone, ACCENT)),
        ("LEFTPADDING", (0, 0), (-1, -1), 9), ("RIGHTPADDING", (0, 0), (-1, -1), 9),
        ("TOPPADDING", (0, 0), (-1, -1), 6), ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]))
    return KeepTogether([Spacer(1, 3), table, Spacer(1, 5)])


def _canvas_class(document: LocalizedDocument, font: str, page_width: float, margin: float):
    """A canvas that draws 'page X of Y' once the page count is known."""
    footer = document.footer
    rtl = document.direction == "rtl"

    class FooterCanvas(rl_canvas.Canvas):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._pages: list[dict] = []

        def showPage(self):
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            total = len(self._pages)
            for number, state in enumerate(self._pages, start=1):
                self.__dict__.update(state)
                self._draw_footer(number, total)
                super().showPage()
            super().save()

        def _draw_footer(self, number: int, total: int):
            """Footer lines measured against the page: they shrink, then wrap, never overlap."""
            self.saveState()
            width = page_width - 2 * margin
            right = footer.page_label(number, total)
            lines = _footer_lines(footer, font, width - stringWidth(right, font, FOOTER_SIZE) - 4 * mm)
            top = margin - 2 * mm + FOOTER_LINE * (len(lines) - 1)
            self.setStrokeColor(ACCENT)
            self.setLineWidth(0.6)
            self.line(margin, top + 9, page_width - margin, top + 9)
            start, end = (self.drawRightString, page_width - margin) if rtl else (self.drawString, margin)
            other, other_x = (self.drawString, margin) if rtl else (self.drawRightString, page_width - margin)
            self.setFont(font, FOOTER_SIZE)
            self.setFillColor(INK)
            other(other_x, top, right)
            for index, (text, size, warning) in enumerate(lines):
                self.setFillColor(WARNING_INK if warning else INK)
                self.setFont(font, size)
                start(end, top - index * FOOTER_LINE, text)
            self.restoreState()

    return FooterCanvas


FOOTER_SIZE = 8.5
FOOTER_LINE = 4 * mm


def _footer_lines(footer: Footer, font: str, first_width: float) -> list[tuple[str, float, bool]]:
    """(text, size, is_warning) per footer line; the first shares its line with the page number."""
    parts = [footer.content_version, footer.reviewed, footer.language]
    joined = " · ".join(parts)
    if stringWidth(joined, font, FOOTER_SIZE) <= first_width:
        lines = [(joined, FOOTER_SIZE, False)]
    else:
        lines = [(" · ".join(parts[:2]), FOOTER_SIZE, False), (parts[2], FOOTER_SIZE, False)]
        if stringWidth(lines[0][0], font, FOOTER_SIZE) > first_width:
            lines = [(parts[0], FOOTER_SIZE, False), (" · ".join(parts[1:]), FOOTER_SIZE, False)]
    if footer.notice:
        lines.append((footer.notice, 8, footer.notice_is_warning))
    return [(text, _shrink(text, font, size, first_width), warn) for text, size, warn in lines]


def _shrink(text: str, font: str, size: float, width: float) -> float:
    """The largest size down to 6 pt at which ``text`` fits ``width``."""
    while size > 6 and stringWidth(text, font, size) > width:
        size -= 0.25
    return size


def footer_height(footer: Footer) -> float:
    """Room the footer needs below the text frame (one line per footer line)."""
    lines = 2 + (1 if footer.notice else 0)  # measured conservatively: the language may wrap
    return FOOTER_SPACE + FOOTER_LINE * (lines - 1)


def render_handout(document: LocalizedDocument, target, paper: str = "a4", *, invariant: bool = False,
                   enforce_limit: bool = True) -> int:
    """Write the handout PDF to ``target`` (path or binary file); return its page count.

    Densities are tried in order and the first that fits :data:`MAX_PAGES`
    is written; if none fits, :class:`HandoutTooLong` is raised and nothing
    is written (unless ``enforce_limit`` is false, for the pseudo-locale
    whose job is to show such overflow).
    """
    pages = 0
    for density in DENSITIES:
        buffer = io.BytesIO()
        pages = _build(document, buffer, paper, density, invariant)
        if pages <= MAX_PAGES or (not enforce_limit and density is DENSITIES[-1]):
            data = buffer.getvalue()
            if hasattr(target, "write"):
                target.write(data)
            else:
                with open(target, "wb") as handle:
                    handle.write(data)
            return pages
    raise HandoutTooLong(document.locale, paper, pages)


def _build(document: LocalizedDocument, target, paper: str, density: Density, invariant: bool) -> int:
    pagesize = PAPER[paper]
    margin = density.margin
    styles = make_styles(document, density)
    fonts = register_pdf_family(LATIN)
    width = pagesize[0] - 2 * margin
    doc = BaseDocTemplate(
        target, pagesize=pagesize, leftMargin=margin, rightMargin=margin, topMargin=margin,
        bottomMargin=margin + footer_height(document.footer), title=document.title, subject=document.subject,
        author=document.author, creator="leaflets", producer="leaflets (ReportLab)", lang=document.locale,
        displayDocTitle=True, initialFontName=fonts.regular, initialFontSize=BODY_SIZE,
        invariant=1 if invariant else 0, keywords=[document.topic_id, document.locale],
    )
    footer_space = footer_height(document.footer)
    frame = Frame(margin, margin + footer_space, width, pagesize[1] - 2 * margin - footer_space,
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0, id="body")
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame])])
    doc.build(_flowables(document, styles, width),
              canvasmaker=_canvas_class(document, fonts.regular, pagesize[0], margin))
    return doc.page
