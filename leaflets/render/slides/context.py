"""What every slide kind needs, passed explicitly: the deck's context and its text model.

A :class:`DeckContext` holds the presentation and the template's layouts, the
locale's text data (language tag, direction, the typefaces its script needs,
the msgid of every text) and the measurer that fits text to boxes, and where
the deck has got to (the slides so far and their titles).  Slide kinds take
it as an argument; the slide being written is an :class:`OpenSlide`, handed
from function to function, so nothing is remembered between calls but what
the context says.

Text is written as paragraphs of :class:`TextPiece` runs, in DrawingML built
by :mod:`leaflets.render.deck_oxml` and sized by :mod:`leaflets.render.deck_fit`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pptx.opc.constants import RELATIONSHIP_TYPE as RT

from leaflets.design import DEFAULT_DESIGN, Design, TypeSize
from leaflets.document import Inline, LocalizedDocument, plain
from leaflets.render import deck_design
from leaflets.render import deck_oxml as ox
from leaflets.render.contract import LayoutOverflow
from leaflets.render.deck_fit import Frame, Measurer, Piece, fit_size
from leaflets.render.deck_template import DeckTemplate, inherited_size, inherited_spacing
from leaflets.render.fonts import script_fonts
from leaflets.render.fontset import FontSet, shipped_fonts
from leaflets.render.textlayout import is_neutral, paragraph_rtl


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
    return [TextPiece(s.text, s.bold, s.italic or bool(s.lang), office_lang(s.lang) if s.lang else None)
            for s in inline]


def office_lang(lang: str) -> str:
    return "en-US" if lang == "en" else lang


def measured(paras: list[Para]) -> list[list[Piece]]:
    """Paragraphs as the fitter measures them."""
    return [[Piece(p.text, p.bold, p.italic) for p in para] for para in paras]


def font_overrides(locale: str, theme: dict[str, str]) -> dict[str, str]:
    """Typeface slots a run must name because the theme's font for the slot is not the
    one the locale's script needs (by script, from the table the handout uses:
    Persian and Urdu get the Arabic font, Marathi and Nepali the Devanagari one).

    The theme's per-script list (``<a:font script="Deva">``) is what PowerPoint uses
    for a run tagged ``hi-IN``, but LibreOffice reads only the slot's own typeface
    (Arabic, for ``cs``), so a Hindi run names its font; an Arabic one does not.  A
    Latin-script locale takes the theme's Latin font, which is a presenter's to choose.
    """
    fonts = script_fonts(locale)
    if fonts.slot == "latin":
        return {}
    wanted = fonts.stack[0].name
    return {} if theme.get(fonts.slot, "") == wanted else {fonts.slot: wanted}


@dataclass(frozen=True)
class OpenSlide:
    """A slide being written: the python-pptx slide, the layout it asked for by its canonical
    name ("Title", "Section"...), the layout the template gave instead if it has none of
    that name (``substitute_for``), and its number in the full deck."""

    slide: object
    layout: str
    substitute_for: str | None
    number: int


class DeckContext:
    """One deck on one template, as every slide kind sees it."""

    def __init__(self, document: LocalizedDocument, template: Path | None = None, design: Design = DEFAULT_DESIGN,
                 *, partial: bool = False, fonts: FontSet | None = None):
        self.doc = document
        self.design = design
        self.sizes = design.type.deck  # every size and floor the slides fit text to
        self.font_set = fonts or shipped_fonts()  # measures the text (self.fonts: the deck's typefaces)
        self.lang = document.office_lang
        self.rtl = document.direction == "rtl"
        self.template = DeckTemplate(template, design)
        self.prs = self.template.prs
        self.fonts = font_overrides(document.locale, self.template.theme_fonts())
        self.measurer = Measurer(document.locale, self.rtl, self.font_set)
        script = script_fonts(document.locale)
        self.slot = script.slot if script.slot != "latin" else None  # the slot the script's letters use
        self.stack = script.stack
        self.sx = self.prs.slide_width / deck_design.SLIDE_WIDTH  # the renderer's own boxes scale with the slide
        self.msgids = {text: msgid for msgid, text in reversed(document.texts)}
        self.titles: list[str] = []
        self.number = 0  # slides of the full deck so far (also those a partial deck leaves out)
        self.partial = partial  # a deck of some of the slides (build --only): numbers are written as text

    def new_slide(self, layout: str, title: Inline | None) -> OpenSlide:
        """Add a slide on the template's layout for ``layout`` (a canonical name)."""
        resolved = self.template.layout(layout)
        slide = self.prs.slides.add_slide(resolved.layout)
        self.number += 1
        self.titles.append(plain(title) if title else "")
        return OpenSlide(slide, layout, resolved.substitute_for, self.number)

    def skip(self, slides: int) -> None:
        """Count ``slides`` of the full deck that a partial deck leaves out."""
        self.number += slides

    def overflow(self, what: str, text: str, floor: float) -> SlideOverflow:
        """The error for ``text`` that does not fit on the current slide even at ``floor``."""
        return SlideOverflow(self.doc.locale, self.number, what, self.msgids.get(text, text), floor)

    # ------------------------------------------------------------ text
    def paragraph(self, para: Para, *, size: float | None = None, bullet: bool | None = None,
                  margin: int | None = None, indent: int | None = None, color: str | None = None,
                  align: str | None = None, slide=None, theme_font: bool = False) -> object:
        """One ``a:p``: direction and language from its own text, runs in schema order.
        A link becomes a relationship of ``slide`` (no link without it)."""
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
            family = self.font_set.family_covering(self.stack, ch)
            if is_neutral(ch) and previous is not None and self.font_set.family_covering((previous,), ch):
                family = previous
            family = family or self.stack[0]
            previous = family
            face = None if family == self.stack[0] or ch.isspace() and not out else family.name
            if out and out[-1][1] == face:
                out[-1][0] += ch
            else:
                out.append([ch, face])
        return [(t, f) for t, f in out]

    def fill(self, shape, paras: list[Para], slide: OpenSlide, *, size: float | None = None, **kwargs) -> None:
        """Replace the text of ``shape`` (on ``slide``) with ``paras``."""
        ox.set_body(ox.text_body(shape.text_frame), [self.paragraph(p, size=size, slide=slide.slide, **kwargs)
                                                    for p in paras])

    def fit(self, what: str, paras: list[Para], frame: Frame, spec: TypeSize, *, shape=None,
            space_after: float = 0) -> float | None:
        """The size to write on the text's runs: the largest that fits ``frame``, from the size the
        placeholder inherits down to the design's floor, or None where that is the inherited size
        (nothing to write).  Raises :class:`SlideOverflow` where even the floor does not fit."""
        inherited = (inherited_size(shape) if shape is not None else None) or spec.size
        line, space_after = self.spacing(shape, spec, space_after)
        size = fit_size(self.measurer, measured(paras), frame, max(inherited, spec.floor), spec.floor, line=line,
                        space_after=space_after)
        if size is None:
            longest = max(paras, key=lambda para: len("".join(p.text for p in para)))
            raise self.overflow(what, "".join(p.text for p in longest), spec.floor)
        return None if abs(size - inherited) < 1e-6 else size

    @staticmethod
    def spacing(shape, spec: TypeSize, space_after: float) -> tuple[float, float]:
        """Line spacing and the space between paragraphs the text will get: the template's where
        it says, else the design's."""
        if shape is None:
            return spec.line, space_after
        inherited = inherited_spacing(shape)
        line = inherited.line if inherited.line is not None else spec.line
        if inherited.before is not None or inherited.after is not None:
            space_after = (inherited.before or 0) + (inherited.after or 0)
        return line, space_after
