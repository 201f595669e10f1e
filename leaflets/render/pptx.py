"""Render the clinician deck of a localized document to PPTX.

The deck is built on a template (the project's, made by
``tools/templates/make_template.py``, or the presenter's own): each slide
kind uses a layout found by name (see :mod:`leaflets.render.deck_template`)
and fills its placeholders by type.  Slides carry no position, font, size or
colour of their own: the theme and the master's text styles do that.  The
exceptions are deliberate and few:

- a size, where text had to shrink to fit (never below the design's floor);
- a typeface slot, where the locale's script needs a font the theme lacks;
- direction and alignment of a paragraph whose script runs the other way;
- the shapes the renderer draws itself (diagrams, the sources line, the
  draft notice), which no placeholder type exists for.

Every text box is measured with the project's text engine before it is
written (:mod:`leaflets.render.deck_fit`).  Where text does not fit, the
layout's rule applies: titles wrap and shrink, bullets and references
continue on a second slide, tables and diagrams shrink to their floor.  If
nothing fits, :class:`SlideOverflow` names locale, slide and msgid.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from pathlib import Path

from pptx.chart.data import CategoryChartData
from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION
from pptx.enum.dml import MSO_THEME_COLOR
from pptx.enum.shapes import MSO_SHAPE, PP_PLACEHOLDER
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.oxml.ns import qn
from pptx.util import Emu, Pt

from leaflets.document import Inline, LocalizedDocument, Slide, plain
from leaflets.render import deck_design as design
from leaflets.render import deck_oxml as ox
from leaflets.render.contract import LayoutOverflow
from leaflets.render.deck_fit import Frame, Measurer, Piece, fit_size, split_to_fit
from leaflets.render.deck_package import finish_package, set_core_properties
from leaflets.render.deck_template import DeckTemplate, inherited_size, inherited_spacing
from leaflets.render.fonts import family_covering, office_slots, stack_for
from leaflets.render.textlayout import is_neutral, paragraph_rtl

TITLE_TYPES = (PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE)
CONTENT_TYPES = (PP_PLACEHOLDER.OBJECT, PP_PLACEHOLDER.BODY)
SCRIPT_OF_LANGUAGE = {"zh": "Hans", "ko": "Hang", "ar": "Arab", "hi": "Deva"}
SLOT_OF_SCRIPT = {"Hans": "ea", "Hang": "ea", "Arab": "cs", "Deva": "cs"}
BULLET_INDENT = 342900  # the master's level-1 bullet indent (marL)
GAP = design.inches(0.08)
# Narrow table columns leave an application's own spacing (LibreOffice widens the gap between
# CJK and Latin text) no room: cells are measured this much narrower than they are.
TABLE_WIDTH_SLACK = 0.9
DIAGRAM_SPACE = 4  # points between the steps in one diagram box
LINK = re.compile(r"(doi:10\.\S+?|https?://\S+?)(?=[.,;]?(?:\s|$))")  # a DOI or URL in a reference
PRESENTER_FOOTER_FLOOR = 9  # footers on a presenter's template may shrink this far


class SlideOverflow(LayoutOverflow):
    """Text that no layout rule can fit: names the locale, slide and msgid."""

    def __init__(self, locale: str, slide: int, what: str, msgid: str, floor: float):
        super().__init__(f"{locale}: slide {slide} ({what}): {msgid!r} does not fit its box even at "
                         f"{floor:g} pt; shorten the translation")
        self.locale, self.slide, self.msgid = locale, slide, msgid


@dataclass(frozen=True)
class TextPiece:
    """A run to write: text, style, language (None: the deck's) and link target."""

    text: str
    bold: bool = False
    italic: bool = False
    lang: str | None = None
    link: str | None = None


Para = list[TextPiece]


def pieces_of(inline: Inline) -> Para:
    """Document spans as runs; an untranslated stand-in keeps its own language, in italics."""
    return [TextPiece(s.text, s.bold, s.italic or bool(s.lang), _office_lang(s.lang) if s.lang else None)
            for s in inline]


def _office_lang(lang: str) -> str:
    return "en-US" if lang == "en" else lang


def font_overrides(locale: str, theme: dict[str, str]) -> dict[str, str]:
    """Typeface slots a run must name because the theme's font for the slot is not the
    one the locale's script needs.

    The theme's per-script list (``<a:font script="Deva">``) is what PowerPoint uses
    for a run tagged ``hi-IN``, but LibreOffice reads only the slot's own typeface
    (Arabic, for ``cs``), so a Hindi run names its font; an Arabic one does not.
    """
    script = SCRIPT_OF_LANGUAGE.get(locale.split("-")[0])
    if script is None:
        return {}
    slot = SLOT_OF_SCRIPT[script]
    wanted = office_slots(locale)[slot]
    return {} if theme.get(slot, "") == wanted else {slot: wanted}


class DeckWriter:
    """Writes one deck on one template."""

    def __init__(self, document: LocalizedDocument, template: Path | None = None):
        self.doc = document
        self.lang = document.office_lang
        self.rtl = document.direction == "rtl"
        self.template = DeckTemplate(template)
        self.prs = self.template.prs
        self.fonts = font_overrides(document.locale, self.template.theme_fonts())
        self.measurer = Measurer(document.locale, self.rtl)
        script = SCRIPT_OF_LANGUAGE.get(document.locale.split("-")[0])
        self.slot = SLOT_OF_SCRIPT[script] if script else None  # the slot the script's letters use
        self.stack = stack_for(document.locale)
        self.sx = self.prs.slide_width / design.SLIDE_WIDTH  # the renderer's own boxes scale with the slide
        self._slide = None  # the slide being written (hyperlinks are its relationships)
        self.msgids = {text: msgid for msgid, text in reversed(document.texts)}
        self.titles: list[str] = []
        self.number = 0  # slides of the full deck so far (also those a partial deck leaves out)
        self.partial = False  # a deck of some of the slides (build --only): numbers are written as text

    # ------------------------------------------------------------ text
    def msgid(self, text: str) -> str:
        return self.msgids.get(text, text)

    def overflow(self, what: str, text: str, floor: float) -> SlideOverflow:
        return SlideOverflow(self.doc.locale, self.number, what, self.msgid(text), floor)

    def paragraph(self, para: Para, *, size: float | None = None, bullet: bool | None = None,
                  margin: int | None = None, indent: int | None = None, color: str | None = None,
                  align: str | None = None, slide=None, theme_font: bool = False) -> object:
        """One ``a:p``: direction and language from its own text, runs in schema order."""
        text = "".join(p.text for p in para)
        langs = {p.lang for p in para if p.text.strip()}
        own_rtl = paragraph_rtl(text, self.rtl and not (langs and None not in langs))
        rtl = None
        if self.rtl or own_rtl:
            rtl = own_rtl
            align = align or ("r" if own_rtl else "l")
        p = ox.a("p")
        ppr = ox.paragraph_properties(rtl=rtl, align=align, bullet=bullet, margin=margin, indent=indent)
        if ppr is not None:
            p.append(ppr)
        for piece in para:
            if not piece.text:
                continue
            link = None
            if piece.link and slide is not None:
                link = slide.part.relate_to(piece.link, RT.HYPERLINK, is_external=True)
            # footer placeholders name the theme's font: LibreOffice ignores their style otherwise
            base = {"latin": "+mn-lt", **self.fonts} if theme_font else self.fonts
            for text, fallback in self.segments(piece.text):
                fonts = {**base, self.slot: fallback} if fallback else base
                rpr = ox.run_properties(lang=piece.lang or self.lang, size=size, bold=piece.bold or None,
                                        italic=piece.italic or None, color=color, fonts=fonts, link_rid=link)
                p.append(ox.text_run(text, rpr))
        p.append(ox.run_properties("endParaRPr", lang=self.lang, size=size, fonts=self.fonts))
        return p

    def segments(self, text: str) -> list[tuple[str, str | None]]:
        """Cut text where the script font lacks a glyph (Noto Sans Arabic has no parentheses,
        ``%`` or ``×``): such stretches name the family that has them in the script's slot, as
        the text engine draws them, instead of leaving the application to guess a fallback."""
        if self.slot is None:
            return [(text, None)]
        out: list[list] = []
        previous = None
        for ch in text:
            family = family_covering(self.stack, ch)
            if is_neutral(ch) and previous is not None and family_covering((previous,), ch):
                family = previous
            family = family or self.stack[0]
            previous = family
            face = None if family == self.stack[0] or ch.isspace() and not out else family.name
            if out and out[-1][1] == face:
                out[-1][0] += ch
            else:
                out.append([ch, face])
        return [(t, f) for t, f in out]

    def fill(self, shape, paras: list[Para], *, size: float | None = None, slide=None, **kwargs) -> None:
        body = shape.text_frame._txBody  # noqa: SLF001 (python-pptx's element for the text body)
        ox.set_body(body, [self.paragraph(p, size=size, slide=slide or self._slide, **kwargs) for p in paras])

    def fit(self, what: str, paras: list[Para], frame: Frame, spec: design.TypeSize, *, shape=None,
            space_after: float = 0) -> float:
        """The size the text gets, starting from the size the placeholder inherits (never under
        the design's floor); :meth:`sz` then says whether it must be written.  Raises
        :class:`SlideOverflow` where even the floor does not fit."""
        self.inherited = (inherited_size(shape) if shape is not None else None) or spec.size
        line, space_after = self.spacing(shape, spec, space_after)
        measured = [[Piece(p.text, p.bold, p.italic) for p in para] for para in paras]
        size = fit_size(self.measurer, measured, frame, max(self.inherited, spec.floor), spec.floor, line=line,
                        space_after=space_after)
        if size is None:
            longest = max(paras, key=lambda para: len("".join(p.text for p in para)))
            raise self.overflow(what, "".join(p.text for p in longest), spec.floor)
        return size

    def spacing(self, shape, spec: design.TypeSize, space_after: float) -> tuple[float, float]:
        """Line spacing and the space between paragraphs the text will get: the template's where
        it says, else the design's."""
        if shape is None:
            return spec.line, space_after
        inherited = inherited_spacing(shape)
        line = inherited.line if inherited.line is not None else spec.line
        if inherited.before is not None or inherited.after is not None:
            space_after = (inherited.before or 0) + (inherited.after or 0)
        return line, space_after

    def sz(self, size: float) -> float | None:
        """The size to write on runs: none where it is the one the template gives."""
        return None if abs(size - self.inherited) < 1e-6 else size

    # -------------------------------------------------------- slides
    def new_slide(self, canonical: str, title: Inline | None):
        resolved = self.template.layout(canonical)
        self._slide = slide = self.prs.slides.add_slide(resolved.layout)
        self.number += 1
        self.substitute = resolved.substitute_for
        self.canonical = canonical
        self.titles.append(plain(title) if title else "")
        return slide

    def placeholder(self, slide, *types, index: int = 0):
        found = [ph for ph in slide.placeholders if ph.placeholder_format.type in types]
        return found[index] if len(found) > index else None

    def content_placeholders(self, slide):
        return [ph for ph in slide.placeholders if ph.placeholder_format.type in CONTENT_TYPES]

    def write_title(self, slide, title: Inline, spec: design.TypeSize = design.TITLE) -> None:
        shape = self.placeholder(slide, *TITLE_TYPES)
        if shape is None:
            return
        paras = [pieces_of(title)]
        size = self.fit("title", paras, Frame.of(shape.width, shape.height), spec, shape=shape)
        self.fill(shape, paras, size=self.sz(size))

    def band_top(self, slide, spec: Slide) -> int:
        """Top of the band under the content (tag, sources, notice), stacked up from the footers;
        draws the band and returns where content must end."""
        footers = [ph for ph in slide.slide_layout.placeholders
                   if ph.placeholder_format.type in (PP_PLACEHOLDER.DATE, PP_PLACEHOLDER.FOOTER,
                                                     PP_PLACEHOLDER.SLIDE_NUMBER)]
        bottom = min((ph.top for ph in footers), default=round(self.prs.slide_height * 0.9))
        left = round(design.MARGIN * self.sx)
        width = self.prs.slide_width - 2 * left
        footer = self.doc.footer
        if footer.notice:
            # one paragraph per language, so each takes its own direction and language tag
            langs = footer.notice_langs or ("",) * len(footer.notice)
            groups: dict[str, list[str]] = {}
            for text, lang in zip(footer.notice, langs):
                groups.setdefault(lang, []).append(text)
            paras = [[TextPiece(" ".join(texts), lang=_office_lang(lang) if lang else None)]
                     for lang, texts in groups.items()]
            frame = Frame.of(width, 10 ** 9, inset_x=0, inset_y=0)
            measured = [[Piece(p.text) for p in para] for para in paras]
            if self.measurer.height(measured, design.NOTICE.size, frame.width) > 3 * design.NOTICE.size * 2.2:
                raise self.overflow("draft notice", footer.notice[0], design.NOTICE.size)
            height = round(self.measurer.height(measured, design.NOTICE.size, frame.width) * design.EMU_PER_PT) + 1
            bottom -= height + GAP
            on_dark = self.canonical == "Section"  # a dark background: the notice in the background colour
            color = "bg1" if on_dark else ("accent4" if footer.notice_is_warning else "accent3")
            box = self.textbox(slide, "Translation notice", left, bottom, width, height, paras,
                               design.NOTICE.size, color=color)
            ox.set_alt_text(box._element, " / ".join(footer.notice))  # noqa: SLF001
        if spec.sources or spec.investigational:
            x = left
            line = round(design.SOURCES.size * self.measurer.leading([Piece(spec.sources + spec.investigational)])
                         * design.EMU_PER_PT) + 1
            bottom -= line + GAP
            if spec.investigational:
                tag_width = round((self.measurer.width([Piece(spec.investigational, bold=True)], design.TAG.floor)
                                   + 12) * design.EMU_PER_PT)
                self.tag(slide, x, bottom, tag_width, line, spec.investigational)
                x += tag_width + GAP
            if spec.sources:
                paras = [[TextPiece(spec.sources)]]
                available = x - left
                frame = Frame.of(width - available, line, inset_x=0, inset_y=0)
                if self.measurer.line_count([Piece(spec.sources)], design.SOURCES.size, frame.width) > 1:
                    raise self.overflow("sources", spec.sources, design.SOURCES.size)
                self.textbox(slide, "Sources", x, bottom, width - available, line, paras, design.SOURCES.size,
                             color="bg1" if self.canonical == "Section" else "accent3")
        return bottom - GAP

    def textbox(self, slide, name: str, x: int, y: int, cx: int, cy: int, paras: list[Para], size: float,
                color: str | None = None, anchor: str = "t"):
        box = slide.shapes.add_textbox(Emu(x), Emu(y), Emu(cx), Emu(cy))
        box.name = name
        body_pr = box.text_frame._txBody.find(qn("a:bodyPr"))  # noqa: SLF001
        for key in ("lIns", "tIns", "rIns", "bIns"):
            body_pr.set(key, "0")
        body_pr.set("anchor", anchor)
        body_pr.set("wrap", "square")
        for child in list(body_pr):  # measured to fit: no autofit for an application to redo
            body_pr.remove(child)
        self.fill(box, paras, size=size, color=color, slide=slide)
        return box

    def tag(self, slide, x, y, cx, cy, text: str) -> None:
        """The 'investigational' tag: a filled label on every slide about the investigational therapy."""
        shape = slide.shapes.add_shape(MSO_SHAPE.ROUNDED_RECTANGLE, Emu(x), Emu(y), Emu(cx), Emu(cy))
        shape.name = "Investigational tag"
        shape.fill.solid()
        shape.fill.fore_color.theme_color = MSO_THEME_COLOR.ACCENT_4
        shape.line.fill.background()
        self._shape_text(shape, [[TextPiece(text, bold=True)]], design.TAG.floor, "bg1", "ctr", inset=0)

    def _shape_text(self, shape, paras: list[Para], size: float, color: str, anchor: str = "ctr",
                    inset: int = design.INSET_X, align: str | None = "ctr") -> None:
        body_pr = shape.text_frame._txBody.find(qn("a:bodyPr"))  # noqa: SLF001
        body_pr.set("wrap", "square")
        for key in ("lIns", "rIns"):
            body_pr.set(key, str(inset))
        for key in ("tIns", "bIns"):
            body_pr.set(key, "0" if inset == 0 else str(design.INSET_Y))
        body_pr.set("anchor", anchor)
        self.fill(shape, paras, size=size, color=color, align=align, bullet=False, margin=0, indent=0)

    def footers(self, slide) -> None:
        """Date, footer and slide number in the layout's placeholders; the number is a field."""
        footer = self.doc.footer
        texts = {PP_PLACEHOLDER.DATE: footer.number(footer.reviewed),
                 PP_PLACEHOLDER.FOOTER: footer.number(footer.content_version)}
        widths = {ph.placeholder_format.type: ph.width for ph in slide.slide_layout.placeholders}
        if widths.get(PP_PLACEHOLDER.FOOTER, 0) > widths.get(PP_PLACEHOLDER.DATE, 0) and len(
                texts[PP_PLACEHOLDER.DATE]) > len(texts[PP_PLACEHOLDER.FOOTER]):
            # a template whose footer box is the wide one (Office's): the longer text goes there
            texts = {PP_PLACEHOLDER.DATE: texts[PP_PLACEHOLDER.FOOTER], PP_PLACEHOLDER.FOOTER: texts[
                PP_PLACEHOLDER.DATE]}
        tree = slide.shapes._spTree  # noqa: SLF001
        for layout_ph in slide.slide_layout.placeholders:
            kind = layout_ph.placeholder_format.type
            if kind not in (PP_PLACEHOLDER.DATE, PP_PLACEHOLDER.FOOTER, PP_PLACEHOLDER.SLIDE_NUMBER):
                continue
            sp = _clone_placeholder(layout_ph, tree)
            frame = Frame.of(layout_ph.width, layout_ph.height)
            if kind == PP_PLACEHOLDER.SLIDE_NUMBER:
                text = footer.number(self.number)
                p = ox.a("p")
                ppr = ox.paragraph_properties(rtl=self.rtl or None)
                if ppr is not None:
                    p.append(ppr)
                rpr = ox.run_properties(lang=self.lang, fonts={"latin": "+mn-lt", **self.fonts})
                # a partial deck shows the slide's number in the full deck, which a field would not
                p.append(ox.text_run(text, rpr) if self.partial else ox.field("slidenum", text, rpr, self.number))
                p.append(ox.run_properties("endParaRPr", lang=self.lang, fonts=self.fonts))
                ox.set_body(sp.find(qn("p:txBody")), [p])
                continue
            paras = [[TextPiece(texts[kind])]]
            try:
                size = self.fit("footer", paras, frame, design.FOOTER, shape=layout_ph)
            except SlideOverflow:
                if self.template.is_default:
                    raise
                # a presenter's footer boxes may be small (Office's date box is 2 in wide)
                size = self.fit("footer", paras, frame, design.TypeSize(design.FOOTER.size, PRESENTER_FOOTER_FLOOR),
                                shape=layout_ph)
            paragraph = self.paragraph(paras[0], size=self.sz(size),
                                       align=None, theme_font=True)
            ox.set_body(sp.find(qn("p:txBody")), [paragraph])

    def notes(self, slide, notes: tuple[str, ...]) -> None:
        frame = slide.notes_slide.notes_text_frame
        ox.set_body(frame._txBody, [self.paragraph([TextPiece(n)]) for n in notes])  # noqa: SLF001

    # ------------------------------------------------------ slide kinds
    @staticmethod
    def single(spec: Slide) -> bool:
        """Whether ``spec`` always takes exactly one slide: a kind :meth:`add` never continues
        on another slide (text that does not fit shrinks, or stops the build)."""
        return spec.kind in ("title", "section") or (spec.kind == "chart" and spec.chart is not None) or (
            spec.kind == "diagram" and spec.diagram is not None)

    def add(self, spec: Slide) -> None:
        kind = spec.kind
        if kind == "title":
            self.title_slide(spec)
        elif kind == "section":
            self.section_slide(spec)
        elif kind in ("bullets", "disclosure"):
            self.bullet_slides(spec, "Title and Content", [pieces_of(b) for b in spec.bullets])
        elif kind == "references":
            self.bullet_slides(spec, "References", self.reference_paragraphs(spec.bullets), design.REFERENCES,
                               design.REFERENCES_SPACE_AFTER)
        elif kind == "closing":
            self.closing_slide(spec)
        elif kind == "chart" and spec.chart is not None:
            self.chart_slide(spec)
        elif kind == "table" and spec.table is not None:
            self.table_slide(spec)
        elif kind == "diagram" and spec.diagram is not None:
            self.diagram_slide(spec)
        else:
            self.bullet_slides(spec, "Title and Content", [pieces_of(b) for b in spec.bullets])

    def finish(self, slide, spec: Slide) -> None:
        self.footers(slide)
        self.notes(slide, spec.notes)

    def title_slide(self, spec: Slide) -> None:
        slide = self.new_slide("Title", spec.title)
        self.write_title(slide, spec.title, design.DECK_TITLE)
        sub = self.placeholder(slide, PP_PLACEHOLDER.SUBTITLE, *CONTENT_TYPES)
        if sub is not None:
            deck = self.doc.deck
            paras = [pieces_of(spec.subtitle), [TextPiece(deck.audience)], [TextPiece(deck.kind_label)]]
            paras = [p for p in paras if "".join(x.text for x in p)]
            bottom = self.band_top(slide, spec)
            frame = Frame.of(sub.width, min(sub.height, bottom - sub.top))
            try:
                size = self.fit("subtitle", paras, frame, design.SUBTITLE, shape=sub, space_after=6)
            except SlideOverflow:  # a small subtitle box (a presenter's template): the kind label goes
                paras = paras[:2]
                size = self.fit("subtitle", paras, frame, design.SUBTITLE, shape=sub, space_after=6)
            self.fill(sub, paras, size=self.sz(size), bullet=False
                      if self.substitute else None)
        else:
            self.band_top(slide, spec)
        self.finish(slide, spec)

    def section_slide(self, spec: Slide) -> None:
        slide = self.new_slide("Section", spec.title)
        self.write_title(slide, spec.title, design.DECK_TITLE)
        body = self.placeholder(slide, *CONTENT_TYPES)
        self.band_top(slide, spec)
        if body is not None:
            if spec.subtitle:
                paras = [pieces_of(spec.subtitle)]
                size = self.fit("section text", paras, Frame.of(body.width, body.height), design.SUBTITLE,
                                shape=body)
                self.fill(body, paras, size=self.sz(size))
            else:
                ox.remove(body._element)  # noqa: SLF001
        self.finish(slide, spec)

    def bullet_slides(self, spec: Slide, canonical: str, paras: list[Para], sizes: design.TypeSize = design.BODY,
                      space_after: float = design.BODY_SPACE_AFTER) -> None:
        """Bullets (or references) in the content placeholder; continued on more slides if needed."""
        remaining = paras
        while True:
            slide = self.new_slide(canonical, spec.title)
            self.write_title(slide, spec.title)
            body = self.placeholder(slide, *CONTENT_TYPES)
            bottom = self.band_top(slide, spec)
            bulleted = canonical != "References" and spec.kind != "disclosure"
            plain_paras = not bulleted and (self.substitute or spec.kind == "disclosure")
            indent = BULLET_INDENT if bulleted else 0
            frame = Frame.of(body.width, min(body.height, bottom - body.top), indent=indent)
            measured = [[Piece(p.text, p.bold, p.italic) for p in para] for para in remaining]
            part = remaining
            try:
                size = self.fit("body", remaining, frame, sizes, shape=body, space_after=space_after)
            except SlideOverflow:
                line, gap = self.spacing(body, sizes, space_after)
                cuts = split_to_fit(self.measurer, measured, frame, sizes.floor, line=line, space_after=gap)
                if not cuts:
                    raise
                part = remaining[:cuts[0]]
                size = self.fit("body", part, frame, sizes, shape=body, space_after=space_after)
            self.fill(body, part, size=self.sz(size),
                      **({"bullet": False, "margin": 0, "indent": 0} if plain_paras else {}))
            self.finish(slide, spec)
            remaining = remaining[len(part):]
            if not remaining:
                return

    def reference_paragraphs(self, entries: tuple[Inline, ...]) -> list[Para]:
        """Numbered references in their own language and direction; DOIs and URLs become links.

        An entry is the localizer's number span and the reference's text, which keeps the
        language it was published in; the number takes that language too.
        """
        paras = []
        for entry in entries:
            lang = next((_office_lang(s.lang) for s in entry if s.lang), None)
            para: Para = []
            for span in entry:
                for index, part in enumerate(LINK.split(span.text)):
                    if not part:
                        continue
                    link = None
                    if index % 2:  # a DOI or URL
                        link = f"https://doi.org/{part[4:]}" if part.startswith("doi:") else part
                    para.append(TextPiece(part, span.bold, span.italic, lang, link))
            paras.append(para)
        return paras

    def closing_slide(self, spec: Slide, paras: list[Para] | None = None) -> None:
        """Key messages and the questions prompt; messages that do not fit continue on another
        closing slide, and the prompt goes on the last."""
        slide = self.new_slide("Closing", spec.title)
        self.write_title(slide, spec.title)
        bottom = self.band_top(slide, spec)
        body = self.placeholder(slide, PP_PLACEHOLDER.OBJECT) or self.placeholder(slide, *CONTENT_TYPES)
        others = [ph for ph in self.content_placeholders(slide) if ph.shape_id != body.shape_id]
        prompt = others[0] if others else None  # the layout's box for the questions prompt
        paras = [pieces_of(b) for b in spec.bullets] if paras is None else paras
        question = [TextPiece(p.text, bold=True) for p in pieces_of(spec.subtitle)]
        inline_prompt = prompt is None and spec.subtitle  # no box for it: the last paragraph
        frame = Frame.of(body.width, min(body.height, bottom - body.top), indent=BULLET_INDENT)
        rest: list[Para] = []
        try:
            size = self.fit("key messages", paras + ([question] if inline_prompt else []), frame, design.BODY,
                            shape=body, space_after=design.BODY_SPACE_AFTER)
        except SlideOverflow:
            line, gap = self.spacing(body, design.BODY, design.BODY_SPACE_AFTER)
            measured = [[Piece(p.text, p.bold, p.italic) for p in para] for para in paras]
            cuts = split_to_fit(self.measurer, measured, frame, design.BODY.floor, line=line, space_after=gap)
            if not cuts:
                raise
            paras, rest = paras[:cuts[0]], paras[cuts[0]:]
            size = self.fit("key messages", paras, frame, design.BODY, shape=body,
                            space_after=design.BODY_SPACE_AFTER)
        self.fill(body, paras, size=self.sz(size))
        if inline_prompt and not rest:
            body.text_frame._txBody.append(self.paragraph(question, size=self.sz(size), bullet=False))  # noqa: SLF001
        if prompt is not None:
            if spec.subtitle and not rest:
                pframe = Frame.of(prompt.width, min(prompt.height, bottom - prompt.top))
                size = self.fit("questions prompt", [pieces_of(spec.subtitle)], pframe, design.QUESTIONS,
                                shape=prompt)
                self.fill(prompt, [pieces_of(spec.subtitle)], size=self.sz(size), align="ctr")
            else:
                ox.remove(prompt._element)  # noqa: SLF001
        self.finish(slide, spec)
        if rest:
            self.closing_slide(spec, rest)

    def content_area(self, slide, bottom: int, *types):
        """The placeholder that holds a chart, table or diagram (by type, else the content placeholder),
        removed from the slide when the graphic is added as a plain shape; returns (placeholder, box)."""
        ph = self.placeholder(slide, *types) if types else None
        if ph is None:
            ph = self.placeholder(slide, *CONTENT_TYPES)
        box = design.Box(ph.left, ph.top, ph.width, max(0, min(ph.height, bottom - ph.top)))
        return ph, box

    def chart_slide(self, spec: Slide) -> None:
        chart_spec = spec.chart
        slide = self.new_slide("Chart", spec.title)
        self.write_title(slide, spec.title)
        bottom = self.band_top(slide, spec)
        ph, box = self.content_area(slide, bottom, PP_PLACEHOLDER.CHART)
        number_format = chart_spec.number_format or _percent_format(chart_spec.values)
        data = CategoryChartData(number_format=number_format)
        data.categories = list(chart_spec.categories)
        scale = 100 if _scales_by_100(number_format) else 1
        data.add_series(chart_spec.series_name, [v / scale for v in chart_spec.values])
        if ph.placeholder_format.type == PP_PLACEHOLDER.CHART:
            frame = ph.insert_chart(XL_CHART_TYPE.COLUMN_CLUSTERED, data)
            frame.height = Emu(box.cy)
        else:
            ox.remove(ph._element)  # noqa: SLF001
            frame = slide.shapes.add_chart(XL_CHART_TYPE.COLUMN_CLUSTERED, Emu(box.x), Emu(box.y), Emu(box.cx),
                                           Emu(box.cy), data)
        chart = frame.chart
        chart.has_legend = False
        shown_title = chart_spec.title and chart_spec.title != plain(spec.title)
        chart.has_title = bool(shown_title)
        if shown_title:
            ox.set_body(chart.chart_title.text_frame._txBody, [self.paragraph(  # noqa: SLF001
                [TextPiece(chart_spec.title, bold=True)], size=design.CHART.size, align="ctr")])
        else:
            chart._chartSpace.chart.get_or_add_autoTitleDeleted().set("val", "1")  # noqa: SLF001
        chart.font.size = Pt(design.CHART.size)
        value_axis = chart.value_axis
        value_axis.visible = False  # every bar carries its value: an axis would repeat it
        value_axis.has_major_gridlines = False
        value_axis.minimum_scale = 0.0
        value_axis.maximum_scale = max(1.0, max(chart_spec.values) / 100 * 1.2) if max(
            chart_spec.values) > 80 else None
        category_axis = chart.category_axis
        category_axis.tick_labels.font.size = Pt(design.CHART.size)
        category_axis.has_major_gridlines = False
        if self.rtl:
            category_axis.reverse_order = True
        plot = chart.plots[0]
        plot.gap_width = 80
        plot.has_data_labels = True
        labels = plot.data_labels
        labels.number_format = number_format
        labels.number_format_is_linked = True
        labels.show_value = True
        labels.position = XL_LABEL_POSITION.OUTSIDE_END
        labels.font.size = Pt(design.CHART.size)
        labels.font.bold = True
        series = plot.series[0]
        series.format.fill.solid()
        series.format.fill.fore_color.theme_color = MSO_THEME_COLOR.ACCENT_1
        space = chart._chartSpace  # noqa: SLF001
        ox.fix_chart_axis_ids(space)
        for rpr in space.iter(qn("a:defRPr"), qn("a:rPr"), qn("a:endParaRPr")):
            rpr.set("lang", self.lang)
            for slot, face in self.fonts.items():
                ox.insert_ordered(rpr, ox.a(slot, typeface=face), ox.RPR_ORDER)
        alt = chart_spec.alt or _chart_alt(plain(spec.title), chart_spec)
        ox.set_alt_text(frame._element, alt, title=chart_spec.title or None)  # noqa: SLF001
        self.finish(slide, spec)

    def _row_heights(self, cell_rows, widths, size: float) -> list[int]:
        """Each row's height (EMU) at ``size``: its tallest cell plus the cell margins."""
        heights = []
        for r, row in enumerate(cell_rows):
            need = 0.0
            for c, inline in enumerate(row):
                pieces = [Piece(s.text, s.bold or r == 0 or c == 0, s.italic) for s in inline]
                column = (widths[c] - 2 * 91440) / design.EMU_PER_PT * TABLE_WIDTH_SLACK
                need = max(need, self.measurer.height([pieces], size, column, metrics=True))
            heights.append(round(need * design.EMU_PER_PT) + 2 * 45720 + 1)
        return heights

    def table_slide(self, spec: Slide, rows_done: int = 0) -> None:
        """A native table; rows that do not fit at the floor size continue on another slide
        under the same header."""
        table_spec = spec.table
        slide = self.new_slide("Table", spec.title)
        self.write_title(slide, spec.title)
        bottom = self.band_top(slide, spec)
        ph, box = self.content_area(slide, bottom, PP_PLACEHOLDER.TABLE)
        cols = len(table_spec.header)
        widths = _column_widths(box.cx, cols)
        body_rows = [list(r) for r in table_spec.rows[rows_done:]]
        cell_rows = [list(table_spec.header)] + body_rows
        size, heights = None, []
        candidate = design.TABLE.size
        while candidate >= design.TABLE.floor:
            heights = self._row_heights(cell_rows, widths, candidate)
            if sum(heights) <= box.cy:
                size = candidate
                break
            candidate -= 1
        more = 0
        if size is None:
            size = design.TABLE.floor
            heights = self._row_heights(cell_rows, widths, size)
            used, keep = heights[0], 1
            while keep < len(heights) and used + heights[keep] <= box.cy:
                used += heights[keep]
                keep += 1
            if keep == 1:
                longest = max((plain(c) for row in cell_rows for c in row), key=len)
                raise self.overflow("table", longest, design.TABLE.floor)
            more = len(cell_rows) - keep
            cell_rows, heights = cell_rows[:keep], heights[:keep]
        rows = len(cell_rows)
        if ph.placeholder_format.type == PP_PLACEHOLDER.TABLE:
            frame = ph.insert_table(rows, cols)
        else:
            ox.remove(ph._element)  # noqa: SLF001
            frame = slide.shapes.add_table(rows, cols, Emu(box.x), Emu(box.y), Emu(box.cx), Emu(box.cy))
        frame.height = Emu(sum(heights))
        table = frame.table
        tbl = frame._element.graphic.graphicData.tbl  # noqa: SLF001
        tbl_pr = tbl.tblPr
        tbl_pr.set("firstRow", "1")
        tbl_pr.set("bandRow", "1")
        if self.rtl:
            tbl_pr.set("rtl", "1")
        for c, width in enumerate(widths):
            table.columns[c].width = Emu(width)
        for r, row in enumerate(cell_rows):
            table.rows[r].height = Emu(heights[r])
            for c, inline in enumerate(row):
                cell = table.cell(r, c)
                color = "bg1" if r == 0 else "tx1"
                paras = [[TextPiece(p.text, p.bold or r == 0 or c == 0, p.italic, p.lang) for p in pieces_of(inline)]]
                ox.set_body(cell._tc.get_or_add_txBody(), [  # noqa: SLF001
                    self.paragraph(paras[0], size=size, color=color, slide=slide)])
                tc_pr = cell._tc.get_or_add_tcPr()  # noqa: SLF001
                tc_pr.set("anchor", "ctr")
                fill = "accent1" if r == 0 else ("lt2" if r % 2 else "bg1")
                ox.insert_ordered(tc_pr, ox.scheme_fill(fill), ox.TCPR_ORDER)
        header = " | ".join(plain(h) for h in table_spec.header)
        ox.set_alt_text(frame._element, f"{plain(spec.title)}: {header}",  # noqa: SLF001
                        title=plain(spec.title))
        self.finish(slide, spec)
        if more:
            self.table_slide(spec, rows_done + rows - 1)

    def diagram_slide(self, spec: Slide) -> None:
        diagram = spec.diagram
        slide = self.new_slide("Diagram", spec.title)
        self.write_title(slide, spec.title)
        bottom = self.band_top(slide, spec)
        ph, box = self.content_area(slide, bottom, PP_PLACEHOLDER.ORG_CHART)
        ox.remove(ph._element)  # noqa: SLF001
        if spec.bullets:  # a caption under the diagram
            paras = [pieces_of(b) for b in spec.bullets]
            measured = [[Piece(p.text, p.bold, p.italic) for p in para] for para in paras]
            size = design.BODY.floor  # body text: readable from the back of the room
            height = self.measurer.height(measured, size, box.cx / design.EMU_PER_PT)
            cy = round(height * design.EMU_PER_PT) + 1
            if cy > box.cy // 3:
                raise self.overflow("diagram caption", "".join(p.text for para in paras for p in para), size)
            self.textbox(slide, "Diagram caption", box.x, box.bottom - cy, box.cx, cy, paras, size)
            box = design.Box(box.x, box.y, box.cx, box.cy - cy - GAP)
        group = slide.shapes.add_group_shape()
        group.name = "Diagram"
        if diagram.kind == "ladder":
            self._ladder(group, diagram, box)
        else:
            self._lanes(group, diagram, box)
        ox.set_alt_text(group._element, diagram.alt or _diagram_alt(diagram), title=plain(spec.title))  # noqa: SLF001
        self.finish(slide, spec)

    def _box(self, group, name: str, x, y, cx, cy, paras: list[Para], size: float, emphasis: bool,
             header: bool, align: str | None = "ctr") -> None:
        shape = group.shapes.add_shape(MSO_SHAPE.ROUNDED_RECTANGLE, Emu(x), Emu(y), Emu(cx), Emu(cy))
        shape.name = name
        shape.fill.solid()
        fill = (MSO_THEME_COLOR.ACCENT_2 if emphasis else MSO_THEME_COLOR.ACCENT_1) if header else (
            MSO_THEME_COLOR.ACCENT_6 if emphasis else MSO_THEME_COLOR.BACKGROUND_2)
        shape.fill.fore_color.theme_color = fill
        shape.line.fill.background()
        self._shape_text(shape, paras, size, "bg1" if header else "tx1", align=align)
        if len(paras) > 1:  # steps in one box: a little space between them
            for p in shape.text_frame._txBody.findall(qn("a:p"))[:-1]:  # noqa: SLF001
                ppr = p.find(qn("a:pPr"))
                if ppr is None:
                    ppr = ox.a("pPr")
                    p.insert(0, ppr)
                spacing = ox.a("spcAft")
                spacing.append(ox.a("spcPts", val=round(DIAGRAM_SPACE * 100)))
                ox.insert_ordered(ppr, spacing, ox.PPR_ORDER)

    def _need(self, paras: list[Para], width: int, size: float) -> int:
        """Height (EMU) a diagram box of ``width`` needs for ``paras`` at ``size``, insets included."""
        measured = [[Piece(p.text, p.bold, p.italic) for p in para] for para in paras]
        frame = Frame.of(width, 0)
        height = self.measurer.height(measured, size, frame.width, space_after=DIAGRAM_SPACE)
        return round(height * design.EMU_PER_PT) + 2 * design.INSET_Y + 1

    def _diagram_overflow(self, texts: list[list[Para]]) -> SlideOverflow:
        longest = max(("".join(p.text for p in para) for paras in texts for para in paras), key=len)
        return self.overflow("diagram", longest, design.DIAGRAM.floor)

    def _lanes(self, group, diagram, box: design.Box) -> None:
        """Columns side by side (trial designs), one header each; step *i* of every column sits
        in the same row, so the columns compare line by line (arms, dose, control, follow-up)."""
        lanes = list(diagram.lanes)
        order = lanes[::-1] if self.rtl else lanes
        n = len(lanes)
        gap = design.inches(0.2)
        row_gap = design.inches(0.06)
        width = (box.cx - gap * (n - 1)) // n
        rows = max((len(lane.steps) for lane in lanes), default=0)
        headers = [[[TextPiece(s.text, True, s.italic) for s in lane.title]] for lane in lanes]
        steps = [[[pieces_of(lane.steps[r])] if r < len(lane.steps) else [] for lane in lanes] for r in range(rows)]
        size = design.DIAGRAM.size
        while True:
            header_h = max(self._need(h, width, size) for h in headers)
            row_h = [max(self._need(cell, width, size) for cell in row if cell) for row in steps]
            total = header_h + sum(row_h) + row_gap * rows
            if total <= box.cy:
                break
            size -= 1
            if size < design.DIAGRAM.floor:
                raise self._diagram_overflow(headers + [c for row in steps for c in row])
        extra = (box.cy - total) // (rows + 1) if rows else 0  # the rest of the area, shared out
        header_h += extra
        row_h = [h + extra for h in row_h]
        for column, lane in enumerate(order):
            index = lanes.index(lane)
            x = box.x + column * (width + gap)
            self._box(group, f"Lane {index + 1}", x, box.y, width, header_h, headers[index], size,
                      lane.emphasis, True)
            y = box.y + header_h + row_gap
            for r in range(rows):
                if steps[r][index]:
                    self._box(group, f"Lane {index + 1} step {r + 1}", x, y, width, row_h[r], steps[r][index], size,
                              lane.emphasis, False)
                y += row_h[r] + row_gap

    def _ladder(self, group, diagram, box: design.Box) -> None:
        """Rungs from the bottom up (a treatment ladder): each a row of a filled title box and a
        box of its steps, shifted right as the ladder climbs."""
        rungs = list(diagram.lanes)
        n = len(rungs)
        gap = design.inches(0.08)
        shift = design.inches(0.3)
        titles = [[[TextPiece(s.text, True, s.italic) for s in rung.title]] for rung in rungs]
        steps = [[pieces_of(step) for step in rung.steps] for rung in rungs]
        width = box.cx - shift * (n - 1)
        title_w = round(width * 0.3)
        steps_w = width - title_w - gap
        size = design.DIAGRAM.size
        while True:
            row_h = [max(self._need(t, title_w, size), self._need(st, steps_w, size) if st else 0)
                     for t, st in zip(titles, steps)]
            total = sum(row_h) + gap * (n - 1)
            if total <= box.cy:
                break
            size -= 1
            if size < design.DIAGRAM.floor:
                raise self._diagram_overflow(titles + steps)
        extra = (box.cy - total) // n
        y = box.bottom
        for index, rung in enumerate(rungs):
            height = row_h[index] + extra
            y -= height
            offset = index * shift
            x = box.x + (box.cx - width - offset if self.rtl else offset)
            title_x, steps_x = (x + steps_w + gap, x) if self.rtl else (x, x + title_w + gap)
            self._box(group, f"Step {index + 1}", title_x, y, title_w, height, titles[index], size, rung.emphasis,
                      True)
            if steps[index]:
                self._box(group, f"Step {index + 1} detail", steps_x, y, steps_w, height, steps[index], size,
                          rung.emphasis, False, align=None)
            y -= gap

    # ----------------------------------------------------------- output
    def write(self, target, created: dt.datetime, only: Collection[int] | None = None,
              counts: Mapping[int, int] | None = None, numbers: dict[int, tuple[int, ...]] | None = None) -> int:
        """Write the deck; see :func:`render_deck`."""
        self.partial = only is not None
        dropped: list[int] = []  # positions of slides laid out only to be counted
        for index, spec in enumerate(self.doc.deck.slides):
            first = self.number
            if only is None or index in only:
                self.add(spec)
            elif index in (counts or {}) or self.single(spec):
                self.number += (counts or {}).get(index, 1)
            else:  # how many slides it takes: lay it out as the full deck would, then leave it out
                start = len(self.titles)
                self.add(spec)
                dropped += range(start, len(self.titles))
            if numbers is not None:
                numbers[index] = tuple(range(first + 1, self.number + 1))
        if dropped:
            self._drop(dropped)
        notes = sum(1 for s in self.prs.slides if s.has_notes_slide)
        master = self.prs.slide_masters[0]
        theme = _theme_name(master)
        finish_package(self.prs, self.titles, notes, theme, [layout.name for layout in self.template.layouts()])
        set_core_properties(self.prs, title=self.doc.deck.title, subject=self.doc.deck.subtitle,
                            author=self.doc.author, language=self.lang,
                            keywords=f"{self.doc.topic_id}; {self.doc.locale}", created=created)
        self.prs.save(target)
        return len(self.prs.slides)

    def _drop(self, positions: list[int]) -> None:
        """Remove the slides at ``positions`` (and their notes and charts, which nothing else uses)."""
        ids = self.prs.slides._sldIdLst  # noqa: SLF001 (python-pptx has no public API for this)
        for position in sorted(positions, reverse=True):
            entry = ids[position]
            ids.remove(entry)
            self.prs.part.drop_rel(entry.rId)
            del self.titles[position]
        self.prs.part.rename_slide_parts([entry.rId for entry in ids])


def _clone_placeholder(layout_ph, tree):
    """A slide placeholder that inherits everything from ``layout_ph`` (same type and index)."""
    from copy import deepcopy
    from lxml import etree

    sp = etree.SubElement(tree, qn("p:sp"))
    nv = deepcopy(layout_ph._element.find(qn("p:nvSpPr")))  # noqa: SLF001
    ids = [int(e.get("id")) for e in tree.iter(qn("p:cNvPr"))]
    nv.find(qn("p:cNvPr")).set("id", str(max(ids, default=1) + 1))
    sp.append(nv)
    etree.SubElement(sp, qn("p:spPr"))
    body = etree.SubElement(sp, qn("p:txBody"))
    body.append(ox.a("bodyPr"))
    body.append(ox.a("lstStyle"))
    return sp


def _theme_name(master) -> str:
    from lxml import etree
    try:
        return etree.fromstring(master.part.part_related_by(RT.THEME).blob).get("name", "Theme")
    except (KeyError, etree.XMLSyntaxError):
        return "Theme"


def _percent_format(values) -> str:
    decimals = max((len(f"{v:g}".partition(".")[2]) for v in values), default=0)
    return "0%" if decimals == 0 else "0." + "0" * decimals + "%"


def _scales_by_100(number_format: str) -> bool:
    """Whether a spreadsheet format has a percent sign outside quotes (which multiplies by 100).

    >>> _scales_by_100('0%'), _scales_by_100('[$-2000401]0"٪"')
    (True, False)
    """
    quoted = False
    for ch in number_format:
        if ch == '"':
            quoted = not quoted
        elif ch == "%" and not quoted:
            return True
    return False


def _column_widths(total: int, cols: int) -> list[int]:
    if cols == 1:
        return [total]
    first = round(total * (0.3 if cols == 2 else 0.22))
    rest = (total - first) // (cols - 1)
    return [first] + [rest] * (cols - 2) + [total - first - rest * (cols - 2)]


def _chart_alt(title: str, chart) -> str:
    pairs = "; ".join(f"{c}: {v}" for c, v in zip(chart.categories, chart.value_labels))
    return f"{chart.title or title}. {chart.series_name}: {pairs}"


def _diagram_alt(diagram) -> str:
    parts = []
    for lane in diagram.lanes:
        steps = ", ".join(plain(s) for s in lane.steps)
        parts.append(plain(lane.title) + (f": {steps}" if steps else ""))
    return "; ".join(parts)


def render_deck(document: LocalizedDocument, target, *, template: Path | None = None,
                created: dt.datetime | None = None, only: Collection[int] | None = None,
                counts: Mapping[int, int] | None = None, numbers: dict[int, tuple[int, ...]] | None = None) -> int:
    """Write the clinician deck to ``target``; return its slide count.

    ``only`` (indices into the document's slides) writes a partial deck of those
    slides, each as in the full deck: same layout, all its continuation slides,
    and the slide numbers of the full deck.  Numbering needs to know how many
    slides each left-out slide takes: ``counts`` gives what is known (from an
    earlier layout of the same slide); any other is laid out and dropped.
    ``numbers``, if given, is filled with the full deck's slide numbers of
    every document slide.
    """
    writer = DeckWriter(document, template)
    return writer.write(target, created or dt.datetime.now(dt.timezone.utc).replace(microsecond=0, tzinfo=None),
                        only, counts, numbers)
