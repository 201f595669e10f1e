"""Render the patient handout of a localized document to PDF with ReportLab.

One function per block type turns the document's explicit blocks
(heading, paragraph, list, callout, references) into flowables.  Text is
laid out by :mod:`leaflets.render.textlayout` (fonts per script, HarfBuzz
shaping, bidi), so translated text is drawn as text and never parsed as
ReportLab markup.  Layout mirrors for right-to-left languages.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import threading
import unicodedata
from collections.abc import Mapping
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, replace
from functools import lru_cache
from types import MappingProxyType
from urllib.parse import quote

from reportlab.lib import colors
from reportlab.pdfgen import canvas as rl_canvas
from reportlab.platypus import BaseDocTemplate, Frame, KeepTogether, PageBreak, PageTemplate, Spacer, Table, TableStyle
from reportlab.platypus.flowables import BalancedColumns, Flowable

from leaflets.design import DEFAULT_DESIGN, MM, Density, Design, Palette, TextSpec
from leaflets.document import (
    HANDOUT, Box, ClinicHeader, Image, BulletList, Callout, Footer, Heading, Inline, LocalizedDocument, Paragraph as ParaBlock, Place,
    Span, plain,
)
from leaflets.render import rlshim
from leaflets.render.contract import LayoutOverflow
from leaflets.render.fonts import stack_for
from leaflets.render.fontset import CACHE_SIZES, FontSet, shipped_fonts
from leaflets.render.pdftags import LanguageSpan, Mark, Metadata, Node, StructureTree, TaggingCanvas, finish
from leaflets.render.pdftext import TextBlock, draw_line
from leaflets.render.textlayout import Line, Run, TextStyle, Typesetter

@dataclass(frozen=True)
class Colours:
    """A palette as ReportLab colours, with the colours of each callout and box tone (read-only:
    one instance serves every handout of a palette)."""

    ink: colors.Color
    accent: colors.Color
    fallback: colors.Color
    warning: colors.Color
    callout_background: Mapping[str, colors.Color]
    callout_rule: Mapping[str, colors.Color]
    box_background: Mapping[str, colors.Color]  # the action boxes: a calm tint for the daily routine,
    box_rule: Mapping[str, colors.Color]  # a red frame for "get help today"
    box_ink: Mapping[str, colors.Color]


@lru_cache(maxsize=8)
def colours_of(palette: Palette) -> Colours:
    """The handout's colours from a palette (cached: a palette is immutable)."""
    c = {name: colors.HexColor(value) for name, value in palette.model_dump().items()}
    by_tone = lambda **tones: MappingProxyType({tone: c[role] for tone, role in tones.items()})  # noqa: E731
    return Colours(
        ink=c["ink"], accent=c["accent"], fallback=c["fallback_ink"], warning=c["warning"],
        callout_background=by_tone(important="caution_tint", info="accent_tint"),
        callout_rule=by_tone(important="caution", info="accent"),
        box_background=by_tone(every_day="accent_tint", get_help="danger_tint"),
        box_rule=by_tone(every_day="accent", get_help="danger"),
        box_ink=by_tone(every_day="accent", get_help="danger"),
    )


class HandoutTooLong(LayoutOverflow):
    """The handout does not fit the design's page limit even at the tightest density."""

    def __init__(self, locale: str, paper: str, pages: int, limit: int):
        super().__init__(f"the {locale} handout needs {pages} pages on {paper} paper at the tightest "
                         f"layout; the limit is {limit}: shorten the text")
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


def make_styles(design: Design, density: Density) -> Styles:
    """The text styles of a design at one density: body text keeps its size, its leading
    and spacing and the heading and title sizes are the density's."""
    t, colours = design.type.handout, colours_of(design.palette)
    ink, accent = colours.ink, colours.accent
    body = TextStyle(t.body, density.leading, ink, space_after=density.space_after)
    heading = TextStyle(density.heading_size, density.heading_size * t.heading.line, accent, bold=True,
                        space_before=density.heading_before, space_after=t.heading_space_after)

    def fixed(spec: TextSpec, color) -> TextStyle:
        return TextStyle(spec.size, spec.leading, color, space_before=spec.space_before, space_after=spec.space_after)

    return Styles(
        title=TextStyle(density.title_size, density.title_size * t.title.line, accent, bold=True,
                        space_after=t.title_space_after),
        subtitle=fixed(t.subtitle, ink),
        audience=fixed(t.audience, accent),
        heading=heading,
        body=body,
        bullet=replace(body, space_after=t.item_space_after, bullet="•", bullet_color=accent,
                       indent=t.bullet_indent),
        small=fixed(t.small, ink),
        reference=replace(fixed(t.reference, ink), indent=t.reference_indent),
        references_heading=replace(heading, size=t.references_heading.size, leading=t.references_heading.leading),
    )


def runs(inline: Inline, citations: tuple[int, ...] = (), footer: Footer | None = None,
         fallback: colors.Color | None = None, *, italics: bool = True) -> list[Run]:
    """Spans as text runs; English stand-ins for missing translations are italics in ``fallback``.

    Without ``italics`` (large print) nothing is slanted, and citation numbers are set at the
    text's own size in brackets instead of as small raised figures.  Either way a narrow
    no-break space joins a citation to its word: it never starts a line."""
    out = [Run(span.text, span.bold, (span.italic or span.fallback) and italics, fallback if span.fallback else None)
           for span in inline]
    if citations and footer is not None:
        numbers = ",".join(footer.number(n) for n in citations)
        out.append(Run(CITATION_GLUE + numbers, superscript=True) if italics else Run(f"{CITATION_GLUE}[{numbers}]"))
    return out


CITATION_GLUE = "\u202f"  # NARROW NO-BREAK SPACE (as wide as the thin space it replaced)


# The structure role (tagged PDF) of each document block: a new block kind needs one entry here.
STRUCTURE_ROLES = {
    Heading: lambda block: f"H{min(max(block.level, 1), 6)}",
    ParaBlock: "P",
    BulletList: "L",
    Callout: "Note",
    Box: "Sect",  # an action box: a section with its own heading
}
LIST_NUMBERING = {"bullet": "Disc", "checkbox": "None"}  # BulletList.marker -> /ListNumbering


# A web address in running text: a scheme, or a host under a common top-level domain.
WEB_ADDRESS = re.compile(r"https?://[^\s<>\"]*[^\s<>\".,;:!?)]"
                         r"|(?<![A-Za-z0-9.-])(?:[A-Za-z0-9-]+\.)+(?:gov|org|int|com|net|edu|eu)(?![A-Za-z0-9-]|\.[A-Za-z])"
                         r"(?:/[^\s<>\"]*[^\s<>\".,;:!?)])?")


def structure_role(block) -> str:
    """The tagged-PDF role of a block (PDF 1.7 standard structure types)."""
    role = STRUCTURE_ROLES.get(type(block))
    if role is None:
        raise TypeError(f"no structure role for {type(block).__name__}: add it to STRUCTURE_ROLES")
    return role(block) if callable(role) else role


class HandoutBuilder:
    """Turns a document's blocks into flowables for one density, and their
    structure elements into ``self.tags`` in reading order."""

    def __init__(self, document: LocalizedDocument, density: Density, width: float, design: Design,
                 fonts: FontSet):
        self.doc = document
        self.design = design
        self.density = density
        self.fonts = fonts
        self.colours = colours_of(design.palette)
        self.rtl = document.direction == "rtl"
        self.ts = Typesetter(stack_for(document.locale), rtl=self.rtl, fonts=fonts)
        self.styles = make_styles(design, density)
        self.width = width
        self.base_font = fonts.pdf_family(self.ts.stack[0]).regular
        self.ref_ts = Typesetter(self.ts.stack, rtl=False, fonts=fonts) if self.rtl else self.ts
        self.fonts = fonts
        self.tags = StructureTree(document.locale)
        self.parts: dict[Place, list] = {}  # each place of the document -> its structure elements
        self.section_level = 1  # the level of the last heading: a box's title is one below it
        self.footer_tags: dict = {}  # footer part key -> its element (see footer_elements)

    @contextmanager
    def part(self, part: str, index: int = -1):
        """The structure elements added inside belong to the document's place ``part`` (``index``)."""
        kids = self.tags.root.kids
        start = len(kids)
        try:
            yield
        finally:
            self.parts.setdefault(Place(HANDOUT, part, index), []).extend(kids[start:])

    def text(self, inline_or_text, style: TextStyle, citations: tuple[int, ...] = (), role: str = "P",
             cls: type = TextBlock, **kwargs) -> TextBlock:
        """A text block, tagged as one ``role`` element (English fallback spans as Span with /Lang)."""
        inline = inline_or_text if isinstance(inline_or_text, tuple) else (Span(inline_or_text),)
        node = self.tags.add(role, text=plain(inline) if role.startswith("H") else None)
        text_runs = runs(inline, citations, self.doc.footer, self.colours.fallback,
                         italics=self.design.variant.italics)
        for index, span in enumerate(inline):
            if span.lang:
                text_runs[index] = replace(text_runs[index], tag=self.tags.add("Span", parent=node, inline=True,
                                                                               lang=span.lang))
        if citations:  # a Reference element a screen reader announces as "Sources: 1, 2"
            numbers = [self.doc.footer.number(n) for n in citations]
            reference = self.tags.add("Reference", parent=node, inline=True,
                                      alt=self.doc.handout.citation_alt(numbers))
            text_runs[-1] = replace(text_runs[-1], tag=reference)
        text_runs = [run if run.tag else replace(run, tag=node) for run in text_runs]  # whoever lays them out
        return cls(self.ts, self.linked(text_runs, node), style, tag=node, **kwargs)

    def linked(self, text_runs: list[Run], node) -> list[Run]:
        """Runs with every web address (``ClinicalTrials.gov``, ``https://...``) as a Link element.

        The address stays content of its paragraph (splitting the shaped text at the
        link would change kerning); the Link element holds the annotation over it."""
        out: list[Run] = []
        for run in text_runs:
            position = 0
            for match in WEB_ADDRESS.finditer(run.text):
                address = match.group(0)
                uri = address if "://" in address else f"https://{address.split('/')[0].lower()}" + (
                    address[len(address.split("/")[0]):])
                link = self.tags.add("Link", parent=run.tag or node, inline=True, uri=uri, text=address)
                out += [replace(run, text=run.text[position:match.start()]), replace(run, text=address, link=link)]
                position = match.end()
            out.append(replace(run, text=run.text[position:]) if position else run)
        return [run for run in out if run.text]

    def item(self, inline: Inline, style: TextStyle, marker: str, citations: tuple[int, ...] = ()) -> TextBlock:
        """A list item (LI) with a bullet (Lbl), or with a tick box drawn in the indent (an artifact)."""
        with self.tags.element("LI"):
            if marker == "checkbox":
                return self.text(inline, replace(style, bullet=None), citations, role="LBody", cls=CheckItem)
            return self.text(inline, style, citations, role="LBody", label_tag=self.tags.add("Lbl"))

    def items(self, block, style: TextStyle, marker: str) -> list:
        """The items of a list block, inside its L element."""
        with self.tags.element("L", list_numbering=LIST_NUMBERING.get(marker, "Disc")):
            return [self.item(item, style, marker, block.citations if i == len(block.items) - 1 else ())
                    for i, item in enumerate(block.items)]

    def title_text(self, text: str, style: TextStyle, role: str = "P") -> TextBlock:
        return self.text(text, style, role=role, cls=TitleBlock)

    def story(self, second: HandoutBuilder | None = None, height: float | None = None) -> list:
        """The flowables in reading order, with the page-flow rules built in:
        a heading travels with what follows it, a list's introduction with its
        first two items, and the references flow in two columns that may split.

        With a ``second`` builder (a bilingual edition: the same topic in a second
        language, sharing this builder's structure tree) each section is followed by
        the same section in the second language, set in its own fonts and direction
        and tagged as a Div with its /Lang.  Sections are the opening (title to key
        message), each heading with what follows it, and the closing note; the
        references (in their published languages) come once, at the end.

        Two languages of different directions (Arabic and English) are set on facing
        pages instead (:meth:`facing`, for frames ``height`` tall): every page holds one
        language, because text extraction (poppler's pdftotext) reads a whole page in
        one direction and would scramble the other language's lines."""
        story = []
        if second is None:
            for section in self.sections():
                story += section
        else:
            mine, theirs = list(self.section_plan()), list(second.section_plan())
            if mine != theirs:
                raise ValueError(f"the {self.doc.locale} and {second.doc.locale} documents of "
                                 f"{self.doc.topic_id} have different sections")
            if self.rtl != second.rtl and height is not None:
                story += self.facing(second, height)
                if second.rtl:  # the references are Latin: not on a right-to-left page
                    story.append(PageBreak())
            else:
                for own, other in zip(self.sections(), second.sections(band=False)):
                    story += own + [Spacer(1, self.design.page.frames.space_before)] + other
        story.append(Spacer(1, 4))
        story += self.reference_part()
        if self.doc.handout.taglines:  # the clinic's language-assistance notice, once, last
            with self.part("taglines"):
                story.append(self.tagline_section(self.doc.handout.taglines))
        return story

    def facing(self, second: HandoutBuilder, height: float) -> list:
        """The sections in runs that fit a page in both languages: a run in this language,
        then from a new page the same run in the second, then the next run from a new page.
        The runs are found by measuring each section in both languages with scratch builders
        (their structure elements are thrown away), so the real ones are made in reading order."""
        with rlshim.dated(None):  # a scratch canvas to measure on: its date is never written
            canvas = rl_canvas.Canvas(io.BytesIO())

        def heights(builder: HandoutBuilder, band: bool) -> list[float]:
            scratch = HandoutBuilder(builder.doc, self.density, self.width, self.design, self.fonts)
            return [measure(section, self.width, height, canvas) for section in scratch.sections(band=band)]

        own_heights, other_heights = heights(self, True), heights(second, False)
        room = height * self.design.variant.fill_limit
        runs_of, start = [], 0
        while start < len(own_heights):
            end = start + 1
            while (end < len(own_heights) and sum(own_heights[start:end + 1]) <= room
                   and sum(other_heights[start:end + 1]) <= room):
                end += 1
            runs_of.append(end - start)
            start = end
        story, own, other = [], self.sections(), second.sections(band=False)
        for number, count in enumerate(runs_of):
            if number:
                story.append(PageBreak())
            for _ in range(count):
                story += next(own)
            story.append(PageBreak())
            for _ in range(count):
                story += next(other)
        return story

    def section_plan(self) -> list[tuple[int, int]]:
        """The document's blocks as sections, (first, last + 1) each: a new one at each heading
        that does not follow a heading (headings in a row start one section together)."""
        blocks = self.doc.handout.blocks
        starts = [0] + [i for i in range(1, len(blocks))
                        if isinstance(blocks[i], Heading) and not isinstance(blocks[i - 1], Heading)]
        return list(zip(starts, starts[1:] + [len(blocks)])) if blocks else []

    def sections(self, band: bool = True):
        """Each section's flowables, made (and tagged) only when the previous one has been
        taken, so two builders sharing a structure tree interleave their elements in
        reading order.  ``band``: the clinic's band opens the first section (the second
        language's sections do without: the band is the leaflet's, once).  A second
        language's section is a Div element in its language."""
        handout, s = self.doc.handout, self.styles

        def opening() -> list:
            out = []
            if handout.clinic is not None and band:  # the band says whose leaflet it is, and for whom
                with self.part("clinic"):
                    out.append(self.clinic_header(handout.clinic, handout.audience))
            if handout.patient and band:  # one patient's copy: whose it is and when to come back, before the title
                with self.part("patient"):
                    out.append(self.patient_block(handout.patient))
            with self.part("title"):
                out.append(self.title_text(handout.title, s.title, role="H1"))
            with self.part("subtitle"):
                out.append(self.title_text(handout.subtitle, s.subtitle))
            if handout.clinic is None:
                with self.part("audience"):
                    out.append(self.text(handout.audience, s.audience))
            if band:  # the review date and translation notice, read after the title block
                self.footer_tags = self.footer_elements()
            with self.part("key_message"):
                out.append(self.callout(handout.key_message))
            return out

        def closing() -> list:
            with self.part("not_advice"):
                return [self.text(handout.not_advice, s.small)]

        makers = [opening] + [lambda r=r: self.section_blocks(*r) for r in self.section_plan()] + [closing]
        for make in makers:
            if band:
                yield make()
            else:
                with self.tags.element("Div", lang=self.doc.locale):
                    flowables = make()
                yield flowables

    def section_blocks(self, first: int, end: int) -> list:
        """The flowables of blocks ``first`` to ``end`` - 1 with the page-flow rules."""
        blocks = list(self.doc.handout.blocks)
        groups = []
        index = first
        while index < end:
            block = blocks[index]
            with self.part("block", index):
                flowables = self.block(block)
            if isinstance(block, ParaBlock) and index + 1 < end and isinstance(blocks[index + 1], BulletList):
                index += 1  # a list's introduction keeps at least its first two items
                with self.part("block", index):
                    items = self.block(blocks[index])
                flowables = [keep_together(flowables + items[:2])] + items[2:]
            groups.append((isinstance(block, Heading), flowables))
            index += 1
        story, pending = [], []
        for is_heading, flowables in groups:
            if is_heading:
                pending += flowables
                continue
            if pending:  # a heading never ends a page: it shares a group with what follows
                flowables = [keep_together(pending + [flowables[0]])] + flowables[1:]
                pending = []
            story += flowables
        return story + pending

    def reference_part(self) -> list:
        """The references' heading and list (two columns where the variant has them)."""
        with self.part("references"):
            heading = self.text(self.doc.handout.references_title, self.styles.references_heading, role="H2")
        with self.tags.element("L", list_numbering="Decimal"):
            entries = self.references()
        if self.design.variant.reference_columns == 1 or not entries:
            return [keep_together([heading] + entries[:1])] + entries[1:]
        return [HeadingWithColumns(heading, self.reference_columns(entries))]

    def patient_block(self, lines) -> KeepTogether:
        """One patient's lines ("For:", "Follow-up:", "Note:") as a section of paragraphs at body
        size, the label bold; the values are drawn as text (never parsed as markup)."""
        style = replace(self.styles.body, space_after=0, rtl=self.rtl)
        with self.tags.element("Sect"):
            blocks = [self.text((Span(line.label, bold=True), Span(line.text[len(line.label):])), style)
                      for line in lines]
        return keep_together(blocks + [Spacer(1, self.design.page.frames.space_before)])

    def tagline_section(self, taglines) -> KeepTogether:
        """The language-assistance notice: one paragraph per language, each set in that
        language's fonts and direction and tagged with its /Lang, at body size (at least the
        size of the text around it: see README.md, "Language-assistance notice")."""
        base = replace(self.styles.body, space_after=self.styles.body.space_after + 1)
        flowables: list = [Spacer(1, self.design.page.frames.space_before),
                           Rule(self.width, self.design.page.footer.rule_width, self.colours.accent), Spacer(1, 4)]
        with self.tags.element("Sect"):
            for tagline in taglines:
                rtl = tagline.direction == "rtl"
                ts = Typesetter(stack_for(tagline.lang), rtl=rtl, fonts=self.fonts)
                node = self.tags.add("P", lang=tagline.lang)
                flowables.append(TextBlock(ts, self.linked([Run(tagline.text, tag=node)], node),
                                           replace(base, rtl=rtl), tag=node))
        return keep_together(flowables)

    def clinic_header(self, clinic: ClinicHeader, audience: str):
        """A clinic's edition: its logo, name and contacts, and a QR code to the leaflet online,
        in a band above the title (mirrored for right-to-left).  The logo and the QR code are
        Figures with alt text; the name, contact lines and offer are paragraphs.  The audience
        line ("Information for patients and families") follows the clinic's name in the band,
        where it says whose leaflet this is for whom (a line saved on a full page)."""
        s, t = self.styles, self.design.type.handout
        gap = self.design.page.column_gap
        scale = t.body / 12  # the band grows with the type (large print)
        with self.tags.element("Sect"):
            logo = None
            if clinic.logo is not None:
                logo = ImageFigure(self.tags.add("Figure", alt=clinic.logo.alt), clinic.logo, 11 * MM * scale)
            # the band is in the document's direction even where it starts with the clinic's Latin name
            name_style = replace(s.subtitle, color=self.colours.accent, space_after=1, rtl=self.rtl)
            name = self.text((Span(clinic.name, bold=True), Span(" · " + audience)), name_style)
            self.parts.setdefault(Place(HANDOUT, "audience"), []).append(name.tag)
            stack = [name]
            line_style = replace(s.small, space_before=0, space_after=0, rtl=self.rtl)
            line = (Span(" · ".join(clinic.lines)),) if clinic.lines else ()
            if clinic.offer and self.design.variant.offers_editions:  # the offer of other editions follows
                line += ((Span(" · "),) if line else ()) + (Span(clinic.offer, bold=True),)
            if line:  # address, phone, web address and the offer in one paragraph (it wraps if it must)
                stack.append(self.text(line, line_style))
            qr = None
            if clinic.qr_url:
                qr = QRFigure(self.tags.add("Figure", alt=clinic.qr_alt), clinic.qr_url, 14 * MM * scale,
                              self.colours.ink)
        cells, widths = [], []
        if logo is not None:
            cells.append(logo)
            widths.append(logo.draw_width + gap)
        text_index = len(cells)
        cells.append(stack)
        widths.append(0)
        if qr is not None:
            cells.append(qr)
            widths.append(qr.size + gap)
        widths[text_index] = self.width - sum(widths)
        if self.rtl:
            cells, widths = cells[::-1], widths[::-1]
        table = Table([cells], colWidths=widths)
        last = len(cells) - 1
        table.setStyle(TableStyle([
            ("FONTNAME", (0, 0), (-1, -1), self.base_font),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
            *[("LEFTPADDING" if self.rtl else "RIGHTPADDING", (i, 0), (i, 0), gap) for i in range(last)],
            ("LINEBELOW", (0, 0), (-1, -1), self.design.page.footer.rule_width, self.colours.accent),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ]))
        return keep_together([table, Spacer(1, self.design.page.frames.space_before)])

    def footer_elements(self) -> dict:
        """The review date and each part of the translation notice as P elements (the English
        half with /Lang), read right after the title, subtitle and audience: drawn in the first
        page's footer, which later pages repeat as an artifact.  Keyed as :func:`footer_parts`."""
        footer = self.doc.footer
        langs = footer.notice_langs or ("",) * len(footer.notice)
        return {"reviewed": self.tags.add("P"),
                **{("notice", i): self.tags.add("P", lang=lang or None) for i, lang in enumerate(langs)}}

    def references(self) -> list:
        """One flowable per reference, the number hanging in the indent.  References
        are Latin-script entries in their published language, set left to right
        even in a right-to-left handout."""
        if not hasattr(self, "_references"):
            self._references = [self.reference(ref) for ref in self.doc.handout.references]
        return self._references

    def reference(self, ref) -> TextBlock:
        """A reference as a list item: its number is the label, its DOI or URL a Link."""
        style = replace(self.styles.reference, bullet=f"{self.doc.footer.number(ref.number)}.")
        with self.tags.element("LI", lang=ref.lang):
            label = self.tags.add("Lbl")
            body = self.tags.add("LBody")
            target = ref.doi or ref.url
            start = ref.text.find(target) if target else -1
            if ref.url and start < 0:  # the address is not printed: the whole entry is the link
                link = self.tags.add("Link", parent=body, inline=True, uri=ref.url, text=f"{ref.text} {ref.url}")
                text_runs = [Run(ref.text, tag=link)]
            elif start < 0:
                text_runs = [Run(ref.text, tag=body)]
            else:
                end = start + len(target)
                if ref.doi and ref.text[:start].endswith("doi:"):
                    start -= 4
                uri = f"https://doi.org/{quote(ref.doi, safe='/:;()._-')}" if ref.doi else ref.url
                link = self.tags.add("Link", parent=body, inline=True, uri=uri, text=ref.text[start:end])
                text_runs = [r for r in (Run(ref.text[:start], tag=body), Run(ref.text[start:end], tag=link),
                                         Run(ref.text[end:], tag=body)) if r.text]
            return WholeBlock(self.ref_ts, text_runs, style, tag=body, label_tag=label)

    def reference_columns(self, entries: list):
        """Two balanced columns that can split across pages (unlike a table), between
        references: an entry is never split across columns or pages.  The first column
        is the right one in a right-to-left handout."""
        if not entries:
            return Spacer(1, 0)
        return Columns(entries, nCols=2, needed=3 * self.styles.reference.leading,
                       innerPadding=self.design.page.column_gap,
                       leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0, endSlack=0.2, rtl=self.rtl)

    def block(self, block) -> list:
        """The flowables of one document block (a list item is a flowable of its own)."""
        s = self.styles
        if isinstance(block, Heading):
            self.section_level = min(max(block.level, 1), 6)
            return [self.text(block.text, s.heading, role=structure_role(block))]
        if isinstance(block, ParaBlock):
            return [self.text(block.text, s.body, block.citations, role=structure_role(block))]
        if isinstance(block, BulletList):
            items = self.items(block, s.bullet, block.marker)
            items[-1].spaceAfter = s.body.space_after + 2
            if len(block.items) > 3 and all(display_width(plain(item)) <= self.design.variant.two_column_item
                                           for item in block.items):
                half = (len(items) + 1) // 2
                return [self.columns([items[:half], items[half:]], split=False)]
            return [keep_together(items)] if len(items) <= 2 else items
        if isinstance(block, Callout):
            return [self.callout(block)]
        if isinstance(block, Box):
            return [self.box(block)]
        raise TypeError(f"no PDF rendering for {type(block).__name__}")

    def callout(self, block: Callout):
        with self.tags.element(structure_role(block)):
            inner = self.text(block.text, replace(self.styles.body, space_after=0), block.citations)
        table = Table([[inner]], colWidths=[self.width])
        rule = "LINEAFTER" if self.rtl else "LINEBEFORE"
        c, frames = self.colours, self.design.page.frames
        table.setStyle(TableStyle([
            ("FONTNAME", (0, 0), (-1, -1), self.base_font),  # else Table falls back to Helvetica
            ("BACKGROUND", (0, 0), (-1, -1), c.callout_background.get(block.tone, c.callout_background["info"])),
            (rule, (0, 0), (0, -1), frames.callout_rule, c.callout_rule.get(block.tone, c.accent)),
            *self.padding(),
        ]))
        return keep_together([Spacer(1, frames.space_before), table, Spacer(1, frames.space_after)])

    def padding(self) -> list[tuple]:
        """Table style commands for the inner padding of a callout or box."""
        frames = self.design.page.frames
        return [("LEFTPADDING", (0, 0), (-1, -1), frames.padding_x),
                ("RIGHTPADDING", (0, 0), (-1, -1), frames.padding_x),
                ("TOPPADDING", (0, 0), (-1, -1), frames.padding_y),
                ("BOTTOMPADDING", (0, 0), (-1, -1), frames.padding_y)]

    def box(self, block: Box):
        """An action box: its own heading, optional intro and a list, framed and tinted."""
        s = self.styles
        with self.tags.element(structure_role(block)):
            title = self.text(block.title, replace(s.heading, space_before=0,
                                                   color=self.colours.box_ink.get(block.tone, self.colours.accent)),
                              role=f"H{min(self.section_level + 1, 6)}")
            inner = [title]
            if block.intro:
                intro_style = replace(s.body, space_after=self.design.type.handout.item_space_after)
                inner.append(self.text(block.intro, intro_style))
            marker = "checkbox" if block.tone == "every_day" else "bullet"  # the daily routine is a checklist
            inner += self.items(block, s.bullet, marker)
            if block.contacts:  # whom to call, after the signs: the first line, then the others together
                inner[-1].spaceAfter = self.design.type.handout.item_space_after * 2
                contact_style = replace(s.body, space_after=self.design.type.handout.item_space_after)
                first, *others = block.contacts
                joined = tuple(span for i, line in enumerate(others) for span in ((Span(" "),) if i else ()) + line)
                inner += [self.text(line, contact_style) for line in (first, joined) if line]
        table = Table([[inner]], colWidths=[self.width])
        c, frames = self.colours, self.design.page.frames
        table.setStyle(TableStyle([
            ("FONTNAME", (0, 0), (-1, -1), self.base_font),
            ("BACKGROUND", (0, 0), (-1, -1), c.box_background.get(block.tone, c.box_background["every_day"])),
            ("BOX", (0, 0), (-1, -1), frames.alert_rule if block.tone == "get_help" else frames.box_rule,
             c.box_rule.get(block.tone, c.accent)),
            *self.padding(),
        ]))
        return keep_together([Spacer(1, frames.space_before), table, Spacer(1, frames.space_after)])

    def columns(self, flowables: list, split: bool = True):
        """Two columns, filled down the first then the second (mirrored for RTL)."""
        gap = self.design.page.column_gap
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


class Rule(Flowable):
    """A horizontal rule across the frame, drawn as an artifact (it is decoration)."""

    def __init__(self, width: float, thickness: float, color):
        super().__init__()
        self.width, self.thickness, self.color = width, thickness, color

    def wrap(self, avail_width, avail_height):
        return self.width, self.thickness

    def draw(self):
        canvas = self.canv
        with canvas.artifact("Layout") if hasattr(canvas, "artifact") else nullcontext():
            canvas.saveState()
            canvas.setStrokeColor(self.color)
            canvas.setLineWidth(self.thickness)
            canvas.line(0, self.thickness / 2, self.width, self.thickness / 2)
            canvas.restoreState()


class ImageFigure(Flowable):
    """A raster image (a clinic's logo) ``height`` tall, its aspect kept, tagged as a Figure
    whose Alt says what it shows."""

    def __init__(self, tag, image: Image, height: float):
        super().__init__()
        self.tag, self.image = tag, image
        self.draw_height = height
        self.draw_width = min(height * image.width / image.height, 3 * height)
        self.draw_height = self.draw_width * image.height / image.width

    def wrap(self, avail_width, avail_height):
        return self.draw_width, self.draw_height

    def draw(self):
        from reportlab.lib.utils import ImageReader
        canvas = self.canv
        canvas.mark_content(self.tag, 0, None)
        canvas.drawImage(ImageReader(io.BytesIO(self.image.data)), 0, 0, self.draw_width, self.draw_height,
                         mask="auto")
        figure_box(canvas, self.tag, self.draw_width, self.draw_height)
        canvas.unmark_content()


class QRFigure(Flowable):
    """A QR code (segno, error correction M) ``size`` square, quiet zone included, drawn as
    filled squares (no image, no font), tagged as a Figure with alt text."""

    def __init__(self, tag, url: str, size: float, color):
        super().__init__()
        import segno
        self.tag, self.url, self.size, self.color = tag, url, size, color
        self.matrix = segno.make(url, error="m", micro=False, boost_error=False).matrix

    def wrap(self, avail_width, avail_height):
        return self.size, self.size

    def draw(self):
        canvas = self.canv
        border = 2  # modules of quiet zone inside the square (the white page gives the rest)
        count = len(self.matrix) + 2 * border
        module = self.size / count
        canvas.mark_content(self.tag, 0, None)
        canvas.saveState()
        canvas.setFillColor(self.color)
        path = canvas.beginPath()
        for row, cells in enumerate(self.matrix):
            y = self.size - (row + border + 1) * module
            for column, dark in enumerate(cells):
                if dark:
                    path.rect((column + border) * module, y, module, module)
        canvas.drawPath(path, stroke=0, fill=1)
        canvas.restoreState()
        figure_box(canvas, self.tag, self.size, self.size)
        canvas.unmark_content()


def figure_box(canvas, tag, width: float, height: float) -> None:
    """Record where a Figure is on the page (its BBox attribute in the structure tree)."""
    if getattr(canvas, "_artifacts", 0) or not hasattr(canvas, "_page_rect"):
        return
    tag.boxes.append((canvas._record(), canvas._page_rect(0, 0, width, height)))


class WholeBlock(TextBlock):
    """A text block that is never split (a reference: its lines stay in one column)."""

    def split(self, avail_width, avail_height):
        return []


class Columns(BalancedColumns):
    """ReportLab's balanced columns, filled from the right in a right-to-left document
    (``rtl``): the frames of each page's columns are mirrored, so the first column, and
    so the first references, are on the right."""

    def __init__(self, *args, rtl: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.rtl = rtl

    def _generated_content(self, aW, aH):
        height, content = super()._generated_content(aW, aH)
        for index, flowable in enumerate(content):
            if isinstance(flowable, BalancedColumns) and not isinstance(flowable, Columns):
                # the rest, on the next page: the same columns, also mirrored
                rest = Columns.__new__(Columns)
                rest.__dict__.update(flowable.__dict__)
                rest.rtl = self.rtl
                content[index] = rest
        if self.rtl:
            columns = next(f for f in content if getattr(f, "F", None) and len(f.F) == self._nCols)
            columns.F = mirrored(columns.F)
        return height, content


def mirrored(frames: list) -> list:
    """Frames in the same order, each where its mirror image in the row of frames is (the
    first takes the last one's place and paddings)."""
    from reportlab.platypus.frames import Frame
    out = []
    for frame, place in zip(frames, reversed(frames)):
        out.append(Frame(place._x1, place._y1, place._width, place._height, leftPadding=place._leftPadding,
                         bottomPadding=place._bottomPadding, rightPadding=place._rightPadding,
                         topPadding=place._topPadding, id=frame.id, showBoundary=frame.showBoundary,
                         overlapAttachedSpace=frame._oASpace, _debug=frame._debug))
    return out


class HeadingWithColumns(Flowable):
    """A heading that starts a page only together with the first lines of the
    balanced columns after it (ReportLab keeps nothing with a container)."""

    def __init__(self, heading: TextBlock, columns: BalancedColumns):
        super().__init__()
        self.heading, self.columns = heading, columns

    def wrap(self, avail_width, avail_height):
        return avail_width, 0xFFFFFF  # always split: the decision is made in split()

    def split(self, avail_width, avail_height):
        _, heading = self.heading.wrap(avail_width, avail_height)
        needed = heading + self.heading.getSpaceBefore() + self.heading.getSpaceAfter() + self.columns._needed
        return [self.heading, self.columns] if avail_height >= needed else []


class CheckItem(TextBlock):
    """A checklist item: an empty tick box in the indent (mirrored for RTL), drawn as a shape
    so that no font needs a box glyph."""

    def split(self, avail_width, avail_height):
        parts = super().split(avail_width, avail_height)
        if parts:
            parts[0].__class__ = CheckItem  # the first part keeps the box; the rest has none
        return parts

    def draw(self):
        super().draw()
        if not self._draw_bullet:
            return  # the continuation of a split item
        style = self.style
        side = 0.55 * style.size
        gap = 0.1 * style.indent  # a little more room between the box and the text
        x = self.avail - (style.indent + side) / 2 + gap if self.typesetter.rtl else (style.indent - side) / 2 - gap
        y = self.height - style.size * 0.95 - 0.05 * style.size
        canvas = self.canv
        canvas.saveState()
        canvas.setStrokeColor(style.bullet_color or style.color)
        canvas.setLineWidth(0.9)
        canvas.rect(x, y, side, side, stroke=1, fill=0)
        canvas.restoreState()


class TitleBlock(TextBlock):
    """A title or subtitle whose last line never holds a single word."""

    def wrap(self, avail_width, avail_height):
        if self._lines is None:
            self._lines = balanced_lines(self.typesetter, self.runs, self.style, avail_width - self.style.indent)
        return super().wrap(avail_width, avail_height)


def _words(line: Line) -> int:
    return len(line.text.split())


def balanced_lines(ts: Typesetter, line_runs: list[Run], style: TextStyle, width: float) -> list[Line]:
    """Greedy lines, but a lone last word is joined by its neighbour: the measure
    narrows step by step (never below 60 %) until the last line holds two words.
    Scripts written without spaces are left as they are."""
    lines = ts.lines(line_runs, style, width)
    if len(lines) < 2 or _words(lines[-1]) >= 2 or len("".join(r.text for r in line_runs).split()) < 3:
        return lines
    trial = width
    while trial > 0.6 * width:
        trial -= 0.03 * width
        candidate = ts.lines(line_runs, style, trial)
        if len(candidate) > len(lines):
            break
        if _words(candidate[-1]) >= 2:
            return candidate
    return lines


def keep_together(flowables: list) -> KeepTogether:
    """One KeepTogether for flowables that must share a page; nested groups are
    flattened (ReportLab does not keep a flowable with a following container)."""
    flat: list = []
    for flowable in flowables:
        flat += flowable._content if isinstance(flowable, KeepTogether) else [flowable]
    return KeepTogether(flat)


def measure(flowables: list, width: float, height: float, canvas) -> float:
    """The height a story needs in one column, without laying it out on pages (a page break
    counts the rest of its page)."""
    total = 0.0
    for flowable in flowables:
        if isinstance(flowable, PageBreak):  # what is left of the page stays empty
            total = -(-total // height) * height if total else total
        elif isinstance(flowable, KeepTogether):
            total += measure(flowable._content, width, height, canvas)
        elif isinstance(flowable, HeadingWithColumns):
            total += measure([flowable.heading, flowable.columns], width, height, canvas)
        elif isinstance(flowable, BalancedColumns):
            gap = flowable._innerPadding or 0  # the gap between the columns
            total += measure(flowable._content, (width - gap) / 2, height, canvas) / 2
        else:
            _, h = flowable.wrapOn(canvas, width, height)
            total += h + flowable.getSpaceBefore() + flowable.getSpaceAfter()
    return total


def display_width(text: str) -> int:
    """Length in columns: wide (CJK) characters count twice."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def footer_parts(document: LocalizedDocument) -> list[tuple[object, str]]:
    """The footer's texts, each with its key in a footer tag mapping (see :func:`footer_lines`):
    ``"content_version"``, ``"reviewed"``, ``"language"``, then ``("notice", i)`` for each
    part of the translation notice."""
    footer = document.footer
    return [("content_version", footer.content_version), ("reviewed", footer.reviewed),
            ("language", footer.language), *((("notice", i), text) for i, text in enumerate(footer.notice))]


def footer_lines(document: LocalizedDocument, ts: Typesetter, first_width: float, design: Design,
                 tags: Mapping | None = None, width: float | None = None) -> list[list[Line]]:
    """Footer rows, each a list of lines set side by side; rows shrink to the notice's floor, then
    wrap, never overlap.  The first row is ``first_width`` wide (the page label is beside it), the
    others ``width`` (by default as wide).  ``tags`` maps a part's key (:func:`footer_parts`) to the
    tag its text is drawn with: an element on the first page, a language mark inside the artifact
    on the others."""
    tags = tags if tags is not None else {}
    size, notice, ink = design.type.handout.footer, design.type.handout.notice, colours_of(design.palette).ink
    parts = footer_parts(document)
    info, notices = parts[:3], parts[3:]
    # The content version, review date and language on one row if they fit, else on two.
    candidates = [[info], [info[:2], info[2:]], [info[:1], info[1:]]]
    chosen = candidates[-1]
    for rows in candidates:
        if _parts_width(ts, rows[0], size, ink, " · ") <= first_width:
            chosen = rows
            break
    width = first_width if width is None else width
    notice_color = colours_of(design.palette).warning if document.footer.notice_is_warning else ink
    # A notice is a pair (own language, English) per row; two notices (a build with English stand-ins
    # that is also a draft) are a row in the language and one in English.
    langs = document.footer.notice_langs
    english = [key for key, _ in notices if langs[key[1]] and langs[key[1]] != document.locale] \
        if len(langs) == len(notices) else []
    if len(notices) > 2 and english:
        groups = [[part for part in notices if part[0] not in english], [part for part in notices if part[0] in english]]
    else:
        groups = [notices[start:start + 2] for start in range(0, len(notices), 2)]
    planned = [(row, size, ink, " · ") for row in chosen] + [(row, notice.size, notice_color, " / ") for row in groups]
    out: list = []
    for row, size, color, separator in planned:
        available = width if out else first_width
        if len(row) > 1 and _parts_width(ts, row, notice.floor, color, separator) > available:
            # parts that do not fit side by side at the floor: one part a row
            for part in row:
                out += _rows(ts, [part], size, color, separator, tags, width if out else first_width, notice.floor)
        else:
            out += _rows(ts, row, size, color, separator, tags, available, notice.floor)
    return out


def _parts_width(ts: Typesetter, parts: list, size: float, color, separator: str) -> float:
    return sum(line.width for line in ts.line_of_parts([text for _, text in parts], size, color, separator))


def _rows(ts: Typesetter, parts: list, size: float, color, separator: str, tags: Mapping, width: float,
          floor: float) -> list[list[Line]]:
    """Footer rows for ``parts`` set side by side at ``size``, shrunk towards ``floor`` to fit
    ``width``; one part that does not fit even at the floor is wrapped onto rows of its own."""
    texts, part_tags = [text for _, text in parts], [tags.get(key) for key, _ in parts]
    row = ts.line_of_parts(texts, size, color, separator, tags=part_tags)
    while size > floor and sum(line.width for line in row) > width:
        size = max(floor, size - 0.25)
        row = ts.line_of_parts(texts, size, color, separator, tags=part_tags)
    if len(parts) == 1 and sum(line.width for line in row) > width:
        return [[line] for line in ts.lines([Run(texts[0], tag=part_tags[0])], TextStyle(size, size, color), width)]
    return [row]


def notice_languages(document: LocalizedDocument) -> dict:
    """A language mark for each notice part in another language than the document's, by its key
    in :func:`footer_parts` (the footer of a page after the first: an artifact)."""
    return {("notice", i): LanguageSpan(lang) for i, lang in enumerate(document.footer.notice_langs)
            if lang and lang != document.locale}


def footer_side(design: Design, margin: float) -> float:
    """The footer's distance from the paper's side edges: the margin, but never closer to the
    edge than the footer's edge distance (plus 1 pt for glyphs that reach past their advance)."""
    return max(margin, design.page.footer.edge + 1)


def footer_rows(document: LocalizedDocument, page_width: float, margin: float, design: Design,
                fonts: FontSet) -> int:
    """Rows the footer needs on this paper, as :func:`footer_lines` will set them."""
    ts = Typesetter(stack_for(document.locale), rtl=document.direction == "rtl", fonts=fonts)
    width = page_width - 2 * footer_side(design, margin)
    limit = design.page_limit
    page = ts.line_of(document.footer.page_label(limit, limit), design.type.handout.footer,
                      colours_of(design.palette).ink)
    return len(footer_lines(document, ts, width - page.width - design.page.footer.page_label_gap, design,
                            width=width))


def footer_baseline(margin: float, design: Design) -> float:
    """Baseline of the lowest footer row: the text's descenders stay the footer's edge distance
    from the paper edge."""
    footer = design.page.footer
    # 0.8 of the size: the deepest font descent (Arabic) included
    return max(margin - footer.baseline_drop, footer.edge + 0.8 * design.type.handout.footer)


def footer_height(rows: int, margin: float, design: Design) -> float:
    """Height from the paper's bottom edge to the text frame: footer rows, rule and gap."""
    footer = design.page.footer
    return footer_baseline(margin, design) + footer.row_pitch * (rows - 1) + footer.rule_above + footer.gap


def _canvas_class(document: LocalizedDocument, ts: Typesetter, page_width: float, margin: float, design: Design,
                  structure: StructureTree | None = None, first_page_tags: Mapping | None = None,
                  measuring: bool = False):
    """A canvas that draws the footer, with 'page X of Y', once the page count is known.

    The footer is an artifact (pagination), except on the first page the parts that
    ``first_page_tags`` maps to structure elements (the review date and the translation
    notice: content a reader needs, once).  A ``measuring`` canvas takes the pages of a
    layout only counted: no line of text or footer is drawn and nothing is written."""
    footer = document.footer
    rtl = document.direction == "rtl"
    geometry, size, colours = design.page.footer, design.type.handout.footer, colours_of(design.palette)

    class FooterCanvas(TaggingCanvas):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._pages: list[dict] = []
            rlshim.share_descent(self, ts.font_name(ts.stack[0], False, False))

        def showPage(self):
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            if self.measuring:
                return
            total = len(self._pages)
            for number, state in enumerate(self._pages, start=1):
                self.__dict__.update(state)
                self._draw_footer(number, total)
                super().showPage()
            super().save()

        def _draw_footer(self, number: int, total: int):
            self.saveState()
            side = footer_side(design, margin)
            width = page_width - 2 * side
            page = ts.line_of(footer.page_label(number, total), size, colours.ink)
            tags = dict(first_page_tags or {}) if number == 1 else notice_languages(document)
            lines = footer_lines(document, ts, width - page.width - geometry.page_label_gap, design, tags,
                                 width=width)
            top = footer_baseline(margin, design) + geometry.row_pitch * (len(lines) - 1)
            with self.artifact("Pagination"):
                self.setStrokeColor(colours.accent)
                self.setLineWidth(geometry.rule_width)
                self.line(side, top + geometry.rule_above, page_width - side, top + geometry.rule_above)
                draw_line(self, page, side if rtl else page_width - side - page.width, top)
            for index, row in enumerate(lines):
                x = page_width - side - sum(line.width for line in row) if rtl else side
                for line in row:
                    y = top - index * geometry.row_pitch
                    if isinstance(line.tag, Node):  # content of its element
                        draw_line(self, line, x, y)
                    else:
                        with self.artifact("Pagination"):
                            draw_line(self, line, x, y)
                    x += line.width
            self.unmark_content()
            self.restoreState()

    FooterCanvas.structure = structure
    FooterCanvas.measuring = measuring
    return FooterCanvas


def render_handout(document: LocalizedDocument, target, paper: str = "a4", *, created: dt.datetime | None = None,
                   enforce_limit: bool = True, drawn: dict[Place, tuple[int, ...]] | None = None,
                   design: Design = DEFAULT_DESIGN, fonts: FontSet | None = None,
                   second: LocalizedDocument | None = None, layout: dict | None = None) -> int:
    """Write the handout PDF to ``target`` (path or binary file); return its page count.

    ``created`` (an aware datetime) dates the PDF and makes it reproducible: the
    same document and date give the same bytes; None dates it now.  ``fonts``
    draw it (by default the shipped fonts' set).

    ``drawn``, if given, is filled with the pages (numbered from 1) on which
    each place of the document (:class:`~leaflets.document.Place`: title,
    key message, block *i*...) was drawn; the footer is on every page.

    Colours, text styles, paper sizes, the footer, the densities to try and
    the page limit are the ``design``'s.  The density is chosen by measuring
    the story (:func:`choose_density`), the same for every paper of the design
    (A4 and Letter) wherever one fits all, and the handout is laid out once.
    Only if page breaks waste more room than the measurement allows is the
    next denser setting tried.  If none fits, :class:`HandoutTooLong` is
    raised and nothing is written (unless ``enforce_limit`` is false, for the
    pseudo-locale whose job is to show such overflow).

    ``second`` (the same topic localized for a second language) makes the bilingual
    edition: each section followed by its translation (see :meth:`HandoutBuilder.story`).

    ``layout``, if given, is a remembered layout choice (:mod:`leaflets.layoutmemo`): a
    ``"density"`` it names (one of the design's) is where the search starts instead of
    measuring; the density drawn is put back in it for the next render of the same inputs.
    """
    fonts = fonts or shipped_fonts()
    pages = 0
    densities = design.variant.densities
    for density in _densities_from(document, design, fonts, second, layout):
        buffer = io.BytesIO()
        tagging: list = []
        places: dict = {}
        with rlshim.dated(created):
            pages = _build(document, buffer, paper, density, design, created is not None, fonts, tagging, places,
                           second)
        if pages <= design.page_limit or (not enforce_limit and density is densities[-1]):
            data = finish(buffer.getvalue(), *tagging)
            if drawn is not None:
                drawn.update(places)
            if layout is not None:
                layout["density"] = density.name
            if hasattr(target, "write"):
                target.write(data)
            else:
                with open(target, "wb") as handle:
                    handle.write(data)
            return pages
    raise HandoutTooLong(document.locale, paper, pages, design.page_limit)


def handout_pages(document: LocalizedDocument, paper: str = "a4", *, design: Design = DEFAULT_DESIGN,
                  fonts: FontSet | None = None, second: LocalizedDocument | None = None,
                  enforce_limit: bool = True, layout: dict | None = None) -> int:
    """The page count :func:`render_handout` gives, or its :class:`HandoutTooLong`, from the same
    layout (the density chosen by measurement, or remembered in ``layout`` as there, the story
    flowed onto pages at it) without drawing a line of text, tagging or writing a PDF: what
    ``check`` needs to know."""
    fonts = fonts or shipped_fonts()
    pages = 0
    densities = design.variant.densities
    for density in _densities_from(document, design, fonts, second, layout):
        pages = _build(document, io.BytesIO(), paper, density, design, True, fonts, second=second, measuring=True)
        if pages <= design.page_limit or (not enforce_limit and density is densities[-1]):
            if layout is not None:
                layout["density"] = density.name
            return pages
    raise HandoutTooLong(document.locale, paper, pages, design.page_limit)


def _densities_from(document: LocalizedDocument, design: Design, fonts: FontSet,
                    second: LocalizedDocument | None, layout: dict | None) -> tuple[Density, ...]:
    """The densities to lay the handout out at, in order, until one fits the page limit: from the
    one ``layout`` remembers if the design has it (the density a render of the same inputs drew:
    no measurement), else from the one measurement chooses (:func:`choose_density`)."""
    densities = design.variant.densities
    remembered = layout.get("density") if layout is not None else None
    for index, density in enumerate(densities):
        if isinstance(remembered, str) and density.name == remembered:
            return densities[index:]
    return densities[densities.index(choose_density(document, design, fonts=fonts, second=second)):]


def frame_size(document: LocalizedDocument, paper: str, density: Density, design: Design,
               fonts: FontSet) -> tuple[float, float]:
    """Width and height of the text frame on ``paper`` at ``density`` (the footer's rows taken off)."""
    sheet = design.page.paper(paper)
    margin = density.margin
    bottom = footer_height(footer_rows(document, sheet.width, margin, design, fonts), margin, design)
    return sheet.width - 2 * margin, sheet.height - margin - bottom


def fill(document: LocalizedDocument, paper: str, density: Density, design: Design, fonts: FontSet,
         second: LocalizedDocument | None = None) -> float:
    """The share of the page limit's pages the handout's story needs at ``density``, by measurement
    (with ``second``: the bilingual edition's).

    The measured story (its lines laid out) is kept for :func:`_build` to draw
    (:func:`_measured`): the measurement is the layout, never a pass thrown away."""
    width, height = frame_size(document, paper, density, design, fonts)
    with rlshim.dated(None):  # a scratch canvas to measure on: its date is never written
        canvas = rl_canvas.Canvas(io.BytesIO())
    builder, story = story_of(document, second, density, width, design, fonts, height)
    used = measure(story, width, height, canvas)
    _measured(fonts)[(document, second, design, paper, density)] = (builder, story)
    return used / (design.page_limit * height)


def _forget_column_lines(flowables: list, in_columns: bool = False) -> None:
    """Clear the lines measured for text in balanced columns: :func:`measure` lays a column's
    text out at half the frame, but ReportLab first wraps it at the width it tries while
    balancing, and a block keeps the lines of its first wrap.  Text outside columns is
    measured at the width it is drawn at, so its lines are drawn as measured."""
    for flowable in flowables:
        if isinstance(flowable, KeepTogether):
            _forget_column_lines(flowable._content, in_columns)
        elif isinstance(flowable, HeadingWithColumns):
            _forget_column_lines([flowable.heading], in_columns)
            _forget_column_lines(flowable.columns._content, True)
        elif isinstance(flowable, BalancedColumns):
            _forget_column_lines(flowable._content, True)
        elif in_columns and isinstance(flowable, TextBlock):
            flowable._lines = None


def _measured(fonts: FontSet) -> MeasuredStories:
    """The stories :func:`fill` measured and :func:`_build` has not drawn yet, in ``fonts``."""
    return fonts.cached(MeasuredStories, "measured")()


class MeasuredStories:
    """Measured stories by (document, second, design, paper, density), each drawn at most once (a story's
    flowables are consumed by a layout), the oldest dropped beyond ``CACHE_SIZES["measured"]``."""

    def __init__(self):
        self._stories: dict = {}
        self._lock = threading.Lock()

    def __setitem__(self, key, value) -> None:
        with self._lock:
            self._stories.pop(key, None)
            self._stories[key] = value
            while len(self._stories) > CACHE_SIZES["measured"]:
                del self._stories[next(iter(self._stories))]

    def take(self, key):
        with self._lock:
            return self._stories.pop(key, None)


def choose_density(document: LocalizedDocument, design: Design = DEFAULT_DESIGN,
                   papers: tuple[str, ...] | None = None, *, fonts: FontSet | None = None,
                   second: LocalizedDocument | None = None) -> Density:
    """The most comfortable of the design's densities at which the story fits on every paper
    size (``papers``, by default all of the design's: A4 and Letter alike); the densest if
    none does.  Cached by the font set (measurements are its fonts'): a build renders the
    same document on each paper."""
    fonts = fonts or shipped_fonts()
    papers = papers if papers is not None else tuple(p.name for p in design.page.papers)
    if second is not None:
        return fonts.cached(_choose_density, "density")(document, design, papers, fonts, second)
    return fonts.cached(_choose_density, "density")(document, design, papers, fonts)


def _choose_density(document: LocalizedDocument, design: Design, papers: tuple[str, ...],
                    fonts: FontSet, second: LocalizedDocument | None = None) -> Density:
    """The first of the densities (most comfortable first) at which every paper fits, found
    from the densest up, so that few measurements are thrown away.

    The search relies on a story's fill never growing as the density tightens: each density
    is validated to be no looser than the one before in every setting (margin, leading,
    spacing, heading and title sizes), a narrower frame never breaks a paragraph into fewer
    lines (the line fill is greedy), and a larger margin leaves a shorter frame.  So the
    densities that fit a paper are the tightest ones, and the first that fits is the one
    above the loosest that does not: measured from the densest up, only the density that
    proves the choice (the next looser one, which does not fit) and the tighter ones passed
    on the way are thrown away, where measuring from the most comfortable down threw away
    every looser density.  Shipped handouts mostly fit only at the tightest settings (or at
    none: then the densest is drawn, and the one measurement per paper is the one drawn).
    """
    variant = design.variant
    densities = variant.densities
    # The paper with the smallest page first: it is the one a story overflows, so the larger
    # one is measured only at the density the smaller one chose.
    papers = tuple(sorted(papers, key=lambda name: design.page.paper(name).width * design.page.paper(name).height))
    measured = _measured(fonts)

    def fits(index: int, paper: str) -> bool:
        return fill(document, paper, densities[index], design, fonts, second) <= variant.fill_limit

    def thrown_away(index: int, paper: str) -> None:  # a measurement that will not be drawn
        measured.take((document, second, design, paper, densities[index]))

    last = len(densities) - 1
    if not fits(last, papers[0]):
        return densities[last]  # none fits the smallest paper: the densest, as measured
    chosen = last
    while chosen > 0 and fits(chosen - 1, papers[0]):
        thrown_away(chosen, papers[0])
        chosen -= 1
    if chosen > 0:
        thrown_away(chosen - 1, papers[0])
    for number, paper in enumerate(papers[1:], start=1):
        while not fits(chosen, paper):
            if chosen == last:
                return densities[last]  # drawn as measured on this paper; the smaller ones laid out then
            for smaller in papers[:number + 1]:
                thrown_away(chosen, smaller)
            chosen += 1
    return densities[chosen]


def story_of(document: LocalizedDocument, second: LocalizedDocument | None, density: Density, width: float,
             design: Design, fonts: FontSet, height: float | None = None) -> tuple[HandoutBuilder, list]:
    """The builder of ``document`` and its story; with ``second``, the bilingual story, the
    second language's builder adding to the first's structure tree (``height``: the frame's,
    for languages set on facing pages)."""
    builder = HandoutBuilder(document, density, width, design, fonts)
    other = None
    if second is not None:
        other = HandoutBuilder(second, density, width, design, fonts)
        other.tags = builder.tags  # one tree, in reading order
    return builder, builder.story(other, height)


def _build(document: LocalizedDocument, target, paper: str, density: Density, design: Design, invariant: bool,
           fonts: FontSet,
           tagging: list | None = None, drawn: dict | None = None, second: LocalizedDocument | None = None,
           measuring: bool = False) -> int:
    """Lay the handout out at one density into ``target`` (untagged); append to
    ``tagging`` what :func:`finish` needs to add the structure tree, and fill
    ``drawn`` with the pages of each place (see :func:`render_handout`).  ``measuring``:
    only count the pages (:func:`handout_pages`), drawing and writing nothing."""
    sheet = design.page.paper(paper)
    margin = density.margin
    width = sheet.width - 2 * margin
    bottom = footer_height(footer_rows(document, sheet.width, margin, design, fonts), margin, design)
    measured = _measured(fonts).take((document, second, design, paper, density))
    if measured is not None:
        builder, story = measured
        _forget_column_lines(story)
    else:
        builder, story = story_of(document, second, density, width, design, fonts, sheet.height - margin - bottom)
    initial = builder.base_font
    doc = BaseDocTemplate(
        target, pagesize=(sheet.width, sheet.height), leftMargin=margin, rightMargin=margin, topMargin=margin,
        bottomMargin=bottom, title=document.title, subject=document.subject,
        author=document.author, creator="leaflets", producer="leaflets (ReportLab)", lang=document.locale,
        displayDocTitle=True, initialFontName=initial, initialFontSize=design.type.handout.body,
        invariant=1 if invariant else 0, keywords=[document.topic_id, document.locale],
    )
    frame = Frame(margin, bottom, width, sheet.height - margin - bottom,
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0, id="body")
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame])])
    doc.build(story, canvasmaker=_canvas_class(document, builder.ts, sheet.width, margin, design, builder.tags,
                                               builder.footer_tags, measuring))
    if tagging is not None:
        tagging += [builder.tags, Metadata(
            title=document.title, lang=document.locale, author=document.author, subject=document.subject,
            keywords=f"{document.topic_id}, {document.locale}", rtl=document.direction == "rtl")]
    if drawn is not None:
        drawn.update(pages_of_parts(builder))
    return doc.page


def pages_of_parts(builder: HandoutBuilder) -> dict[Place, tuple[int, ...]]:
    """The pages (from 1) each place's structure elements have content on, once laid out.

    The tagged structure already records, for every piece of marked content,
    the page it was drawn on (a paragraph split across pages has marks on both)."""
    number = {id(record): index for index, record in enumerate(builder.tags.pages, start=1)}
    pages = tuple(range(1, len(builder.tags.pages) + 1))

    def marks(node) -> set[int]:
        found = set()
        for kid in node.kids:
            found |= {number[id(kid.page)]} if isinstance(kid, Mark) else marks(kid)
        return found

    drawn = {place: tuple(sorted(set().union(*(marks(node) for node in nodes))))
             for place, nodes in builder.parts.items()}
    drawn[Place(HANDOUT, "footer")] = pages  # the running footer (an artifact) is on every page
    return drawn
