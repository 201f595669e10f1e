"""Render the patient handout of a localized document to PDF with ReportLab.

One function per block type turns the document's explicit blocks
(heading, paragraph, list, callout, references) into flowables.  Text is
laid out by :mod:`leaflets.render.textengine` (fonts per script, HarfBuzz
shaping, bidi), so translated text is drawn as text and never parsed as
ReportLab markup.  Layout mirrors for right-to-left languages.
"""

from __future__ import annotations

import io
import unicodedata
from dataclasses import dataclass, replace
from urllib.parse import quote

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas as rl_canvas
from reportlab.platypus import BaseDocTemplate, Frame, KeepTogether, PageTemplate, Spacer, Table, TableStyle

from leaflets.document import (
    BulletList, Callout, Footer, Heading, Inline, LocalizedDocument, Paragraph as ParaBlock, Span, plain,
)
from leaflets.render.fonts import register_pdf_family, stack_for
from leaflets.render.pdftags import LanguageSpan, Metadata, StructureTree, TaggingCanvas, finish
from leaflets.render.textengine import Run, TextBlock, TextStyle, Typesetter

PAPER = {"a4": A4, "letter": LETTER}
INK = colors.HexColor("#1f2933")
ACCENT = colors.HexColor("#0b5d6b")
FALLBACK_INK = colors.HexColor("#6b7280")
WARNING_INK = colors.HexColor("#b45309")
CALLOUT_BG = {"important": colors.HexColor("#fff4e0"), "info": colors.HexColor("#e8f3f5")}
CALLOUT_RULE = {"important": colors.HexColor("#c77700"), "info": ACCENT}
FOOTER_SPACE = 11 * mm
FOOTER_SIZE = 8.5
FOOTER_LINE = 4 * mm
BODY_SIZE = 12  # never smaller: readability for patients
MAX_PAGES = 2
TWO_COLUMN_ITEM = 42  # a list whose items are all this short is set in two columns
BULLET_INDENT = 14


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


class HandoutTooLong(Exception):
    """The handout does not fit MAX_PAGES even at the tightest density."""

    def __init__(self, locale: str, paper: str, pages: int):
        super().__init__(f"the {locale} handout needs {pages} pages on {paper} paper at the tightest "
                         f"layout; the limit is {MAX_PAGES}: shorten the text")
        self.pages = pages


@dataclass(frozen=True)
class Styles:
    title: TextStyle
    subtitle: TextStyle
    audience: TextStyle
    heading: TextStyle
    body: TextStyle
    bullet: TextStyle
    small: TextStyle
    reference: TextStyle
    references_heading: TextStyle


def make_styles(density: Density = DENSITIES[0]) -> Styles:
    body = TextStyle(BODY_SIZE, density.leading, INK, space_after=density.space_after)
    heading = TextStyle(density.heading_size, density.heading_size * 1.2, ACCENT, bold=True,
                        space_before=density.heading_before, space_after=2)
    return Styles(
        title=TextStyle(density.title_size, density.title_size * 1.2, ACCENT, bold=True, space_after=2),
        subtitle=TextStyle(13, 16.5, INK, space_after=2),
        audience=TextStyle(12, 15, ACCENT, space_after=6),
        heading=heading,
        body=body,
        bullet=replace(body, space_after=1.5, bullet="•", bullet_color=ACCENT, indent=BULLET_INDENT),
        small=TextStyle(10, 12.5, INK, space_before=4),
        reference=TextStyle(7.5, 9, INK, space_after=1.5),
        references_heading=replace(heading, size=11, leading=13.5),
    )


def runs(inline: Inline, citations: tuple[int, ...] = (), footer: Footer | None = None) -> list[Run]:
    """Spans as text runs; English stand-ins for missing translations are grey italics."""
    out = [Run(span.text, span.bold, span.italic or bool(span.lang), FALLBACK_INK if span.lang else None)
           for span in inline]
    if citations and footer is not None:
        out.append(Run("\u2009" + ",".join(footer.number(n) for n in citations), superscript=True))
    return out


# The structure role (tagged PDF) of each document block: a new block kind needs one entry here.
STRUCTURE_ROLES = {
    Heading: lambda block: f"H{min(max(block.level, 1), 6)}",
    ParaBlock: "P",
    BulletList: "L",
    Callout: "Note",
}


def structure_role(block) -> str:
    """The tagged-PDF role of a block (PDF 1.7 standard structure types)."""
    role = STRUCTURE_ROLES.get(type(block))
    if role is None:
        raise TypeError(f"no structure role for {type(block).__name__}: add it to STRUCTURE_ROLES")
    return role(block) if callable(role) else role


class HandoutBuilder:
    """Turns a document's blocks into flowables for one density, and their
    structure elements into ``self.tags`` in reading order."""

    def __init__(self, document: LocalizedDocument, density: Density, width: float):
        self.doc = document
        self.rtl = document.direction == "rtl"
        self.ts = Typesetter(stack_for(document.locale), rtl=self.rtl)
        self.styles = make_styles(density)
        self.width = width
        self.base_font = register_pdf_family(self.ts.stack[0]).regular
        self.tags = StructureTree(document.locale)

    def text(self, inline_or_text, style: TextStyle, citations: tuple[int, ...] = (), role: str = "P",
             **kwargs) -> TextBlock:
        """A text block, tagged as one ``role`` element (English fallback spans as Span with /Lang)."""
        inline = inline_or_text if isinstance(inline_or_text, tuple) else (Span(inline_or_text),)
        node = self.tags.add(role, text=plain(inline) if role.startswith("H") else None)
        text_runs = runs(inline, citations, self.doc.footer)
        for index, span in enumerate(inline):
            if span.lang:
                text_runs[index] = replace(text_runs[index], tag=self.tags.add("Span", parent=node, inline=True,
                                                                               lang=span.lang))
        return TextBlock(self.ts, text_runs, style, tag=node, **kwargs)

    def reference(self, ref) -> TextBlock:
        """A reference as a list item: its number is the label, its DOI or URL a Link."""
        with self.tags.element("LI", lang=ref.lang):
            label = self.tags.add("Lbl")
            body = self.tags.add("LBody")
            number = f"{self.doc.footer.number(ref.number)}. "
            text_runs = [Run(number, tag=label)]
            target = ref.doi or ref.url
            start = ref.text.find(target) if target else -1
            if start < 0:
                text_runs.append(Run(ref.text))
            else:
                if ref.doi and ref.text[:start].endswith("doi:"):
                    start -= 4
                end = ref.text.find(target) + len(target)
                uri = f"https://doi.org/{quote(ref.doi, safe='/:;()._-')}" if ref.doi else ref.url
                link = self.tags.add("Link", parent=body, inline=True, uri=uri, text=ref.text[start:end])
                text_runs += [Run(ref.text[:start]), Run(ref.text[start:end], tag=link), Run(ref.text[end:])]
            return TextBlock(self.ts, [r for r in text_runs if r.text], self.styles.reference, tag=body)

    def story(self) -> list:
        handout, s = self.doc.handout, self.styles
        story = [self.text(handout.title, s.title, role="H1"), self.text(handout.subtitle, s.subtitle),
                 self.text(handout.audience, s.audience), self.callout(handout.key_message)]
        for block in handout.blocks:
            story += self.block(block)
        story.append(self.text(handout.not_advice, s.small))
        story.append(Spacer(1, 4))
        story.append(self.text(handout.references_title, s.references_heading, role="H2", keep_with_next=True))
        with self.tags.element("L", list_numbering="Decimal"):
            entries = [self.reference(ref) for ref in handout.references]
        story.append(self.columns(entries))
        return story

    def block(self, block) -> list:
        """The flowables of one document block (a list item is a flowable of its own)."""
        s = self.styles
        if isinstance(block, Heading):
            return [self.text(block.text, s.heading, role=structure_role(block), keep_with_next=True)]
        if isinstance(block, ParaBlock):
            return [self.text(block.text, s.body, block.citations, role=structure_role(block))]
        if isinstance(block, BulletList):
            with self.tags.element(structure_role(block), list_numbering="Disc"):
                items = [self.list_item(item, s.bullet) for item in block.items]
            items[-1].spaceAfter = s.body.space_after + 2
            if len(block.items) > 3 and all(display_width(plain(item)) <= TWO_COLUMN_ITEM for item in block.items):
                half = (len(items) + 1) // 2
                return [self.columns([items[:half], items[half:]], split=False)]
            return [KeepTogether(items)] if len(items) <= 2 else items
        if isinstance(block, Callout):
            return [self.callout(block)]
        raise TypeError(f"no PDF rendering for {type(block).__name__}")

    def list_item(self, item, style: TextStyle) -> TextBlock:
        """LI with the bullet as Lbl and the text as LBody."""
        with self.tags.element("LI"):
            label = self.tags.add("Lbl")
            return self.text(item, style, role="LBody", label_tag=label)

    def callout(self, block: Callout):
        with self.tags.element(structure_role(block)):
            inner = self.text(block.text, replace(self.styles.body, space_after=0), block.citations)
        table = Table([[inner]], colWidths=[self.width])
        rule = "LINEAFTER" if self.rtl else "LINEBEFORE"
        table.setStyle(TableStyle([
            ("FONTNAME", (0, 0), (-1, -1), self.base_font),  # else Table falls back to Helvetica
            ("BACKGROUND", (0, 0), (-1, -1), CALLOUT_BG.get(block.tone, CALLOUT_BG["info"])),
            (rule, (0, 0), (0, -1), 3, CALLOUT_RULE.get(block.tone, ACCENT)),
            ("LEFTPADDING", (0, 0), (-1, -1), 9), ("RIGHTPADDING", (0, 0), (-1, -1), 9),
            ("TOPPADDING", (0, 0), (-1, -1), 5), ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
        ]))
        return KeepTogether([Spacer(1, 3), table, Spacer(1, 5)])

    def columns(self, flowables: list, gap: float = 5 * mm, split: bool = True):
        """Two columns, filled down the first then the second (mirrored for RTL)."""
        if split:
            half = (len(flowables) + 1) // 2
            left, right = flowables[:half], flowables[half:]
        else:
            left, right = flowables
        if self.rtl:
            left, right = right, left
        table = Table([[left, right]], colWidths=[(self.width - gap) / 2 + gap, (self.width - gap) / 2])
        table.setStyle(TableStyle([
            ("FONTNAME", (0, 0), (-1, -1), self.base_font),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (0, -1), gap),
            ("RIGHTPADDING", (1, 0), (1, -1), 0), ("TOPPADDING", (0, 0), (-1, -1), 0),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
        ]))
        return table


def display_width(text: str) -> int:
    """Length in columns: wide (CJK) characters count twice."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def footer_lines(document: LocalizedDocument, ts: Typesetter, first_width: float) -> list[list]:
    """Footer rows, each a list of lines set side by side; rows shrink, then wrap, never overlap."""
    footer = document.footer
    parts = [footer.content_version, footer.reviewed, footer.language]
    candidates = [[" · ".join(parts)], [" · ".join(parts[:2]), parts[2]], [parts[0], " · ".join(parts[1:])]]
    chosen = candidates[-1]
    for texts in candidates:
        if ts.line_of(texts[0], FOOTER_SIZE, INK).width <= first_width:
            chosen = texts
            break
    rows: list[tuple[list[str], float, colors.Color]] = [([text], FOOTER_SIZE, INK) for text in chosen]
    if footer.notice:
        rows.append((list(footer.notice), 8, WARNING_INK if footer.notice_is_warning else INK))
    out = []
    for texts, size, color in rows:
        tags = notice_languages(document) if texts == list(footer.notice) else ()
        row = ts.line_of_parts(texts, size, color, tags=tags)
        while size > 5.5 and sum(line.width for line in row) > first_width:
            size -= 0.25
            row = ts.line_of_parts(texts, size, color, tags=tags)
        out.append(row)
    return out


def notice_languages(document: LocalizedDocument) -> tuple:
    """A language mark for each notice part in another language than the document's (tagged PDF)."""
    return tuple(LanguageSpan(lang) if lang and lang != document.locale else None
                 for lang in document.footer.notice_langs)


def footer_height(footer: Footer) -> float:
    """Room the footer needs below the text frame (measured conservatively: the language may wrap)."""
    return FOOTER_SPACE + FOOTER_LINE * (1 + (1 if footer.notice else 0))


def _canvas_class(document: LocalizedDocument, ts: Typesetter, page_width: float, margin: float,
                  structure: StructureTree | None = None):
    """A canvas that draws the footer, with 'page X of Y', once the page count is known."""
    footer = document.footer
    rtl = document.direction == "rtl"

    class FooterCanvas(TaggingCanvas):
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
            with self.artifact("Pagination"):
                self._draw_footer_content(number, total)

        def _draw_footer_content(self, number: int, total: int):
            self.saveState()
            width = page_width - 2 * margin
            page = ts.line_of(footer.page_label(number, total), FOOTER_SIZE, INK)
            lines = footer_lines(document, ts, width - page.width - 4 * mm)
            top = margin - 2 * mm + FOOTER_LINE * (len(lines) - 1)
            self.setStrokeColor(ACCENT)
            self.setLineWidth(0.6)
            self.line(margin, top + 9, page_width - margin, top + 9)
            ts.draw_line(self, page, margin if rtl else page_width - margin - page.width, top)
            for index, row in enumerate(lines):
                x = page_width - margin - sum(line.width for line in row) if rtl else margin
                for line in row:
                    ts.draw_line(self, line, x, top - index * FOOTER_LINE)
                    x += line.width
            self.restoreState()

    FooterCanvas.structure = structure
    return FooterCanvas


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
        tagging: list = []
        pages = _build(document, buffer, paper, density, invariant, tagging)
        if pages <= MAX_PAGES or (not enforce_limit and density is DENSITIES[-1]):
            data = finish(buffer.getvalue(), *tagging)
            if hasattr(target, "write"):
                target.write(data)
            else:
                with open(target, "wb") as handle:
                    handle.write(data)
            return pages
    raise HandoutTooLong(document.locale, paper, pages)


def _build(document: LocalizedDocument, target, paper: str, density: Density, invariant: bool,
           tagging: list | None = None) -> int:
    """Lay the handout out at one density into ``target`` (untagged); append to
    ``tagging`` what :func:`finish` needs to add the structure tree."""
    pagesize = PAPER[paper]
    margin = density.margin
    width = pagesize[0] - 2 * margin
    builder = HandoutBuilder(document, density, width)
    initial = builder.base_font
    bottom = margin + footer_height(document.footer)
    doc = BaseDocTemplate(
        target, pagesize=pagesize, leftMargin=margin, rightMargin=margin, topMargin=margin,
        bottomMargin=bottom, title=document.title, subject=document.subject,
        author=document.author, creator="leaflets", producer="leaflets (ReportLab)", lang=document.locale,
        displayDocTitle=True, initialFontName=initial, initialFontSize=BODY_SIZE,
        invariant=1 if invariant else 0, keywords=[document.topic_id, document.locale],
    )
    frame = Frame(margin, bottom, width, pagesize[1] - margin - bottom,
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0, id="body")
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame])])
    doc.build(builder.story(), canvasmaker=_canvas_class(document, builder.ts, pagesize[0], margin, builder.tags))
    if tagging is not None:
        tagging += [builder.tags, Metadata(
            title=document.title, lang=document.locale, author=document.author, subject=document.subject,
            keywords=f"{document.topic_id}, {document.locale}", rtl=document.direction == "rtl")]
    return doc.page
