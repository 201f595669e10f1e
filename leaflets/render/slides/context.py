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

from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.oxml.ns import qn
from pptx.shapes.placeholder import ChartPlaceholder, PicturePlaceholder, SlidePlaceholder, TablePlaceholder
from pptx.util import Emu

from leaflets.design import DEFAULT_DESIGN, Design, TypeSize
from leaflets.document import Inline, LocalizedDocument, plain
from leaflets.lru import Memo
from leaflets.render import deck_design
from leaflets.render import deck_oxml as ox
from leaflets.render.contract import LayoutOverflow
from leaflets.render.deck_fit import Frame, Measurer, Piece, fit_size
from leaflets.render.deck_template import DeckTemplate, inherited_size, inherited_spacing, pin_geometry
from leaflets.render.fonts import script_fonts
from leaflets.render.fontset import FontSet, shipped_fonts
from leaflets.render.slides.boxes import slide_boxes
from leaflets.render.textlayout import is_neutral, paragraph_rtl


class SlideOverflow(LayoutOverflow):
    """Text that no layout rule can fit: names the locale, slide and msgid."""

    def __init__(self, locale: str, slide: int, what: str, msgid: str, floor: float, message: str | None = None):
        super().__init__(message or f"{locale}: slide {slide} ({what}): {msgid!r} does not fit its box even at "
                                    f"{floor:g} pt; shorten the translation")
        self.locale, self.slide, self.msgid = locale, slide, msgid


@dataclass(frozen=True)
class TemplateBox:
    """A box of a presenter's template, as an error names it: layout, placeholder, size (EMU)."""

    layout: str
    placeholder: str
    cx: int
    cy: int

    def __str__(self) -> str:
        cm = 360000  # EMU per centimetre
        return (f"layout {self.layout!r}, placeholder {self.placeholder!r} "
                f"({self.cx / cm:.1f} x {self.cy / cm:.1f} cm)")


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
    slide_layout: object = None  # the template's layout it is on (python-pptx finds it through the slide's relationships)
    placeholders: tuple = ()  # (type, placeholder) of the slide's placeholders as made, each with its box (:func:`box`)

    @property
    def template_layout(self):
        return self.slide_layout if self.slide_layout is not None else self.slide.slide_layout


def with_boxes(slide, layout) -> tuple:
    """(type, placeholder) of each placeholder of ``slide``, new on ``layout``, in python-pptx's order
    (by index), each keeping the box it has (:func:`~leaflets.render.slides.boxes.slide_boxes`: the
    box python-pptx would find by asking its layout, read once per layout); () where the slide has
    other placeholders.  The placeholders are found in the slide's shape tree, in the order they
    were cloned from the layout, and made as python-pptx's ``SlidePlaceholders`` makes them (which
    asks each shape, by XPath queries, whether it is a placeholder, its index and its type)."""
    boxes = slide_boxes(layout)
    tree = slide.placeholders._element  # noqa: SLF001 (the slide's spTree)
    elements = [e for e in tree.iterchildren(_SP) if e.find(_PH) is not None]
    if len(elements) != len(boxes):
        return ()
    parent = slide.placeholders
    made = []
    for element, slide_box in zip(elements, boxes):
        ph = _PLACEHOLDER_CLASSES.get(slide_box.type, SlidePlaceholder)(element, parent)
        ph.__dict__["_leaflets_box"] = slide_box
        made.append((slide_box.idx, slide_box.type, ph))
    made.sort(key=lambda found: found[0])  # (stable, as python-pptx's sort)
    return tuple((kind, ph) for _, kind, ph in made)


_SP = qn("p:sp")
_PH = f"{qn('p:nvSpPr')}/{qn('p:nvPr')}/{qn('p:ph')}"
# the proxy python-pptx makes for a slide placeholder's p:sp, by type (pptx.shapes.shapetree._SlidePlaceholderFactory)
_PLACEHOLDER_CLASSES = {PP_PLACEHOLDER.BITMAP: PicturePlaceholder, PP_PLACEHOLDER.CHART: ChartPlaceholder,
                        PP_PLACEHOLDER.PICTURE: PicturePlaceholder, PP_PLACEHOLDER.TABLE: TablePlaceholder}


def box(shape):
    """The box (``left``, ``top``, ``width``, ``height``, EMU, and ``name``) of a slide's placeholder:
    the one kept on it where the deck made it (:func:`with_boxes`), else python-pptx's shape."""
    return shape.__dict__.get("_leaflets_box", shape)


def styled(shape):
    """What ``shape``'s text styles are read from: the layout placeholder a slide's placeholder was
    cloned from, where the deck made it (a new slide's placeholder has no list style of its own:
    it inherits that placeholder's), else ``shape`` (python-pptx finds what it inherits by XPath
    queries, for every new slide)."""
    kept = shape.__dict__.get("_leaflets_box")
    return kept.source if kept is not None else shape


def place(shape, left: int, top: int, width: int, height: int) -> None:
    """Give the placeholder ``shape`` this box (written on it, and kept: :func:`box`)."""
    shape.left, shape.top, shape.width, shape.height = Emu(left), Emu(top), Emu(width), Emu(height)
    kept = shape.__dict__.get("_leaflets_box")
    if kept is not None:
        kept.left, kept.top, kept.width, kept.height = left, top, width, height


def kept_segments(fonts: FontSet) -> Memo:
    """The texts a font set keeps cut by font (:meth:`DeckContext.segments`; ``CACHE_SIZES["segments"]``
    of them, least recently used dropped): one font set's, gone with it, never another's."""
    return fonts.memo("segments")


class DeckContext:
    """One deck on one template, as every slide kind sees it."""

    def __init__(self, document: LocalizedDocument, template: Path | None = None, design: Design = DEFAULT_DESIGN,
                 *, partial: bool = False, fonts: FontSet | None = None):
        self.doc = document
        self.design = design
        self.font_set = fonts or shipped_fonts()  # measures the text (self.fonts: the deck's typefaces)
        self.lang = document.office_lang
        self.rtl = document.direction == "rtl"
        self.template = DeckTemplate(template, design, self.font_set)
        self.prs = self.template.prs
        # every size and floor the slides fit text to, for the template's slide size
        self.sizes = deck_design.scaled_sizes(design.type.deck, deck_design.slide_scale(
            self.prs.slide_width, self.prs.slide_height))
        self.fonts = font_overrides(document.locale, self.template.theme_fonts())
        self.measurer = Measurer(document.locale, self.rtl, self.font_set)
        script = script_fonts(document.locale)
        self.slot = script.slot if script.slot != "latin" else None  # the slot the script's letters use
        self.stack = script.stack
        self.sx = self.prs.slide_width / deck_design.SLIDE_WIDTH  # the renderer's own boxes scale with the slide
        self.msgids = {text: msgid for msgid, text in reversed(document.texts)}
        self.titles: list[str] = []
        self.current_layout = ""  # the name of the layout of the slide being written
        self.build_in = False  # bullets appear one click at a time (build --build-in)
        self.sections: list[tuple[int, str]] = []  # (position, title) of each section slide: PowerPoint sections
        self.number = 0  # slides of the full deck so far (also those a partial deck leaves out)
        self.partial = partial  # a deck of some of the slides (build --only): numbers are written as text
        self.moved: list[str] | None = None  # footer texts shown on the title and closing slides instead
        self.warnings: list[str] = []
        # One body size and one table size for the whole deck (issue 20): a first layout of the
        # deck records, per kind, the size each slide's text fits at whole (``fitted``); the deck
        # is then written with the smallest of them for every slide of that kind (``uniform``),
        # slides that continue anyway split at that size.
        self.uniform: dict[str, float] = {}
        self.fitted: dict[str, list[float]] = {}
        self.split: set[str] = set()  # kinds of which some slide continued on another
        self.last_size: float | None = None  # the size the last fit chose (also where nothing is written)
        self.table_columns: dict[tuple, tuple] = {}  # (table, width, size) -> (table, column widths) (slides.table)
        self.fits_at: dict[tuple, float] = {}  # (text, frame, spacing) -> the largest size it fitted at (:meth:`fit`)
        # speaker notes: each slide's notes text body, and the XML of a new notes slide (made once)
        self.notes_bodies: dict[object, object] = {}
        self.notes_xml: bytes | None = None
        self.notes_names: ox.NotesNames | None = None  # the part names of the notes slides made, and of the next
        self.slide_xml: dict[str, bytes] = {}  # a new slide on each layout (by its part name), as made
        # what every slide on a layout has alike (the band's bottom, the footers), by the layout's part name
        self.by_layout: dict[tuple[str, str], object] = {}

    def deck_size(self, kind: str, spec: TypeSize) -> TypeSize:
        """``spec``, or where the deck has one size for ``kind`` that size, with no room to shrink
        (for text the renderer sizes itself; :meth:`fit` takes ``kind``)."""
        size = self.uniform.get(kind)
        return spec if size is None else TypeSize(size=size, floor=size, line=spec.line)

    def record(self, kind: str, size: float, *, split: bool = False) -> None:
        """Note the size a slide's ``kind`` text fitted at whole, or, where it continued on
        another slide (``split``), the floor it was split at."""
        if split:
            self.split.add(kind)
        self.fitted.setdefault(kind, []).append(size)

    def uniform_sizes(self) -> dict[str, float]:
        """The deck's size for each kind: the smallest any of its slides fitted at (the floor,
        where one continued even so)."""
        return {kind: min(sizes) for kind, sizes in self.fitted.items()}

    def reset_sizes(self, uniform: dict[str, float]) -> None:
        """Write from now on at the deck's ``uniform`` sizes, forgetting what was fitted so far
        (the fit-only pass that found them: :mod:`~leaflets.render.slides.probe`)."""
        self.uniform = dict(uniform)
        self.fitted = {}
        self.split = set()
        self.last_size = None

    def new_slide(self, layout: str, title: Inline | None) -> OpenSlide:
        """Add a slide on the template's layout for ``layout`` (a canonical name)."""
        resolved = self.template.layout(layout)
        self.current_layout = resolved.layout.name
        made = self.slide_xml.get(resolved.layout.part.partname)
        if made is None:  # the deck's first slide on this layout: python-pptx makes it
            slide = self.prs.slides.add_slide(resolved.layout)
            pin_geometry(slide)
            if self.rtl:  # the project template's accent bar runs down the start side: the right
                ox.mirror_layout_graphics(slide, ("Accent Bar",), self.prs.slide_width)
            self.slide_xml[resolved.layout.part.partname] = ox.slide_xml(slide)
        else:  # the others are copies of it (the same placeholders, boxes and mirrored bar)
            slide = ox.add_slide(self.prs, resolved.layout, made)
        self.number += 1
        self.titles.append(plain(title) if title else "")
        return OpenSlide(slide, layout, resolved.substitute_for, self.number, resolved.layout,
                         with_boxes(slide, resolved.layout))

    def skip(self, slides: int) -> None:
        """Count ``slides`` of the full deck that a partial deck leaves out."""
        self.number += slides

    def overflow(self, what: str, text: str, floor: float, box: TemplateBox | None = None) -> SlideOverflow:
        """The error for ``text`` that does not fit on the current slide even at ``floor``.

        On the project's template the text is too long for the design: the error asks for
        a shorter translation.  On a presenter's template the box is the template's: the
        error names the template, the layout, the placeholder and its size, and asks for a
        larger box, never for a shorter translation."""
        msgid = self.msgids.get(text, text)
        if self.template.is_default:
            return SlideOverflow(self.doc.locale, self.number, what, msgid, floor)
        where = str(box) if box else (f"layout {self.current_layout!r}, the space between its content and "
                                      f"footers")
        message = (f"{self.template.path.name}: {where} is too small for the {what} of slide {self.number} "
                   f"({self.doc.locale}, {msgid!r}) even at {floor:g} pt; give the template a larger box there, "
                   f"or build on the project's template")
        return SlideOverflow(self.doc.locale, self.number, what, msgid, floor, message)

    def box_of(self, shape, cx: int | None = None, cy: int | None = None) -> TemplateBox:
        """A placeholder of the current slide as :meth:`overflow` names it (``cx``, ``cy``: the part
        of it the text may use)."""
        return TemplateBox(self.current_layout, shape.name, shape.width if cx is None else cx,
                           shape.height if cy is None else cy)

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
            # a run in another language (an English reference) stays one run, so a DOI is one run
            # and one link: its letters are not the script's, and its script slot names the font
            # its first letters need
            segments = self.segments(piece.text)
            if piece.lang is not None and piece.lang != self.lang:
                segments = [(piece.text, next((f for t, f in segments if t.strip()), None))]
            for text, fallback in segments:
                fonts = {**base, self.slot: fallback} if fallback else base
                rpr = ox.run_properties(lang=piece.lang or self.lang, size=size, bold=piece.bold or None,
                                        italic=piece.italic or None, color=color, fonts=fonts, link_rid=link)
                p.append(ox.text_run(text, rpr))
        p.append(ox.run_properties("endParaRPr", lang=self.lang, size=size, fonts=self.fonts))
        return p

    def segments(self, text: str) -> list[tuple[str, str | None]]:
        """Cut text where the script font lacks a glyph (Noto Sans Arabic has no parentheses,
        ``%`` or ``×``): such stretches name the family that has them in the script's slot, as
        the text engine draws them, instead of leaving the application to guess a fallback.
        Cut once per text and font stack for the decks a font set measures (:func:`kept_segments`)."""
        if self.slot is None:
            return [(text, None)]
        kept = kept_segments(self.font_set)
        found = kept.get((self.stack, text))
        if found is None:
            found = kept.keep((self.stack, text), tuple(self._segments(text)))
        return list(found)

    def _segments(self, text: str) -> list[tuple[str, str | None]]:
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
            space_after: float = 0, kind: str | None = None, named=None) -> float | None:
        """The size to write on the text's runs: the largest that fits ``frame``, from the size the
        placeholder inherits down to the design's floor, or None where that is the inherited size
        (nothing to write).  Raises :class:`SlideOverflow` where even the floor does not fit.
        Where the deck has one size for ``kind`` (:attr:`uniform`), only that size is tried.
        ``named``: what the error names as the box, where not ``shape`` (a slide not made names
        the placeholder its slide would have, ``shape`` being the layout's it inherits from)."""
        # a template that gives no size (LibreOffice's set it on the master's sample runs, which
        # slides do not inherit) leaves it to the application: the fitted size is written
        given = inherited_size(styled(shape)) if shape is not None else None
        inherited = given or spec.size
        line, space_after = self.spacing(shape, spec, space_after)
        start = self.uniform.get(kind) if kind else None
        floor = spec.floor if start is None else start
        first = max(inherited, spec.floor) if start is None else start
        pieces = measured(paras)
        # Text that fits a frame at a size fits it at every smaller size (tests/render/test_deck_fit.py
        # checks so over every text the shipped decks fit): what fitted before, at this size or a
        # larger one (the fit-only pass, where the writer asks at the deck's one size), is not
        # measured again.
        key = (tuple(map(tuple, pieces)), frame, line, space_after)
        known = self.fits_at.get(key)
        if known is not None and first <= known:
            size = first
        else:
            size = fit_size(self.measurer, pieces, frame, first, floor, line=line, space_after=space_after)
            if size is not None and (known is None or size > known):
                self.fits_at[key] = size
        self.last_size = size
        if size is None:
            longest = max(paras, key=lambda para: len("".join(p.text for p in para)))
            box = self.box_of(named or shape, round(frame.width * deck_design.EMU_PER_PT),
                              round(frame.height * deck_design.EMU_PER_PT)) if shape is not None else None
            raise self.overflow(what, "".join(p.text for p in longest), floor, box)
        return None if given is not None and abs(size - given) < 1e-6 else size

    @staticmethod
    def spacing(shape, spec: TypeSize, space_after: float) -> tuple[float, float]:
        """Line spacing and the space between paragraphs the text will get: the template's where
        it says, else the design's."""
        if shape is None:
            return spec.line, space_after
        inherited = inherited_spacing(styled(shape))
        line = inherited.line if inherited.line is not None else spec.line
        if inherited.before is not None or inherited.after is not None:
            space_after = (inherited.before or 0) + (inherited.after or 0)
        return line, space_after
