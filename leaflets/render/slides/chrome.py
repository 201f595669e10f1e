"""What every slide has, whatever its kind: placeholders found by type, the title, the band
under the content (draft notice, sources, the investigational tag), the footers and the
speaker notes; and the renderer's own text boxes and labels."""

from __future__ import annotations

from pptx.enum.dml import MSO_THEME_COLOR
from pptx.enum.shapes import MSO_SHAPE, PP_PLACEHOLDER
from pptx.util import Emu

from leaflets.design import TypeSize
from leaflets.document import Inline, Slide
from leaflets.render import deck_design
from leaflets.render import deck_oxml as ox
from leaflets.render.deck_fit import Frame, Piece
from leaflets.render.deck_template import TemplateError
from leaflets.render.slides.context import (
    DeckContext, OpenSlide, Para, SlideOverflow, TextPiece, measured, office_lang, pieces_of,
)

TITLE_TYPES = (PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE)
CONTENT_TYPES = (PP_PLACEHOLDER.OBJECT, PP_PLACEHOLDER.BODY)
FOOTER_TYPES = (PP_PLACEHOLDER.DATE, PP_PLACEHOLDER.FOOTER, PP_PLACEHOLDER.SLIDE_NUMBER)
BULLET_INDENT = 342900  # the master's level-1 bullet indent (marL)
GAP = deck_design.inches(0.08)


# ------------------------------------------------------------ placeholders
def placeholder(page: OpenSlide, *types, index: int = 0):
    found = [ph for ph in page.slide.placeholders if ph.placeholder_format.type in types]
    return found[index] if len(found) > index else None


def content_placeholders(page: OpenSlide) -> list:
    return [ph for ph in page.slide.placeholders if ph.placeholder_format.type in CONTENT_TYPES]


def content_area(page: OpenSlide, bottom: int, *types):
    """The placeholder that holds a chart, table or diagram (by type, else the content placeholder),
    removed from the slide when the graphic is added as a plain shape; returns (placeholder, box)."""
    ph = placeholder(page, *types) if types else None
    if ph is None:
        ph = placeholder(page, *CONTENT_TYPES)
    box = deck_design.Box(ph.left, ph.top, ph.width, max(0, min(ph.height, bottom - ph.top)))
    return ph, box


def write_title(ctx: DeckContext, page: OpenSlide, title: Inline, spec: TypeSize | None = None) -> None:
    """The slide's title, fitted to its placeholder at ``spec`` (default: the design's title size)."""
    shape = placeholder(page, *TITLE_TYPES)
    if shape is None:
        return
    paras = [pieces_of(title)]
    size = ctx.fit("title", paras, Frame.of(shape.width, shape.height), spec or ctx.sizes.title, shape=shape)
    ctx.fill(shape, paras, page, size=size)


# ---------------------------------------------------------------- the band
def band_top(ctx: DeckContext, page: OpenSlide, spec: Slide) -> int:
    """Top of the band under the content (tag, sources, notice), stacked up from the footers;
    draws the band and returns where content must end."""
    slide = page.slide
    footers = [ph for ph in slide.slide_layout.placeholders if ph.placeholder_format.type in FOOTER_TYPES]
    bottom = min((ph.top for ph in footers), default=round(ctx.prs.slide_height * 0.9))
    left = round(deck_design.MARGIN * ctx.sx)
    width = ctx.prs.slide_width - 2 * left
    on_dark = page.layout == "Section"  # a dark background: the band's text in the background colour
    footer = ctx.doc.footer
    if footer.notice:
        # one paragraph per language, so each takes its own direction and language tag
        langs = footer.notice_langs or ("",) * len(footer.notice)
        groups: dict[str, list[str]] = {}
        for text, lang in zip(footer.notice, langs):
            groups.setdefault(lang, []).append(text)
        paras = [[TextPiece(" ".join(texts), lang=office_lang(lang) if lang else None)]
                 for lang, texts in groups.items()]
        frame = Frame.of(width, 10 ** 9, inset_x=0, inset_y=0)
        needed = ctx.measurer.height(measured(paras), ctx.sizes.notice.size, frame.width)
        if needed > 3 * ctx.sizes.notice.size * 2.2:
            raise ctx.overflow("draft notice", footer.notice[0], ctx.sizes.notice.size)
        height = round(needed * deck_design.EMU_PER_PT) + 1
        bottom -= height + GAP
        color = "bg1" if on_dark else ("accent4" if footer.notice_is_warning else "accent3")
        box = textbox(ctx, page, "Translation notice", left, bottom, width, height, paras, ctx.sizes.notice.size,
                      color=color)
        ox.set_alt_text(box, " / ".join(footer.notice))
    if spec.sources or spec.investigational:
        x = left
        line = round(ctx.sizes.sources.size * ctx.measurer.leading([Piece(spec.sources + spec.investigational)])
                     * deck_design.EMU_PER_PT) + 1
        bottom -= line + GAP
        if spec.investigational:
            tag_width = round((ctx.measurer.width([Piece(spec.investigational, bold=True)], ctx.sizes.tag.floor)
                               + 12) * deck_design.EMU_PER_PT)
            tag(ctx, page, x, bottom, tag_width, line, spec.investigational)
            x += tag_width + GAP
        if spec.sources:
            paras = [[TextPiece(spec.sources)]]
            available = x - left
            frame = Frame.of(width - available, line, inset_x=0, inset_y=0)
            if ctx.measurer.line_count([Piece(spec.sources)], ctx.sizes.sources.size, frame.width) > 1:
                raise ctx.overflow("sources", spec.sources, ctx.sizes.sources.size)
            textbox(ctx, page, "Sources", x, bottom, width - available, line, paras, ctx.sizes.sources.size,
                    color="bg1" if on_dark else "accent3")
    return bottom - GAP


def textbox(ctx: DeckContext, page: OpenSlide, name: str, x: int, y: int, cx: int, cy: int, paras: list[Para],
            size: float, color: str | None = None, anchor: str = "t"):
    """A text box of the renderer's own, measured to fit (no autofit for an application to redo)."""
    box = page.slide.shapes.add_textbox(Emu(x), Emu(y), Emu(cx), Emu(cy))
    box.name = name
    ox.set_body_properties(box.text_frame, lIns=0, tIns=0, rIns=0, bIns=0, anchor=anchor, wrap="square", clear=True)
    ctx.fill(box, paras, page, size=size, color=color)
    return box


def tag(ctx: DeckContext, page: OpenSlide, x, y, cx, cy, text: str) -> None:
    """The 'investigational' tag: a filled label on every slide about the investigational therapy."""
    shape = page.slide.shapes.add_shape(MSO_SHAPE.ROUNDED_RECTANGLE, Emu(x), Emu(y), Emu(cx), Emu(cy))
    shape.name = "Investigational tag"
    shape.fill.solid()
    shape.fill.fore_color.theme_color = MSO_THEME_COLOR.ACCENT_4
    shape.line.fill.background()
    shape_text(ctx, page, shape, [[TextPiece(text, bold=True)]], ctx.sizes.tag.floor, "bg1", "ctr", inset=0)


def shape_text(ctx: DeckContext, page: OpenSlide, shape, paras: list[Para], size: float, color: str,
               anchor: str = "ctr", inset: int = deck_design.INSET_X, align: str | None = "ctr") -> None:
    """Text in a drawn shape (a label, a diagram box): no bullets, wrapped, ``inset`` from its sides."""
    inset_y = 0 if inset == 0 else deck_design.INSET_Y
    ox.set_body_properties(shape.text_frame, wrap="square", lIns=inset, rIns=inset, tIns=inset_y, bIns=inset_y,
                           anchor=anchor)
    ctx.fill(shape, paras, page, size=size, color=color, align=align, bullet=False, margin=0, indent=0)


# ------------------------------------------------------- footers and notes
def finish(ctx: DeckContext, page: OpenSlide, spec: Slide) -> None:
    """The footers and the speaker notes: the last of every slide."""
    footers(ctx, page)
    notes(ctx, page, spec.notes)


def footers(ctx: DeckContext, page: OpenSlide) -> None:
    """Date, footer and slide number in the layout's placeholders; the number is a field."""
    slide = page.slide
    footer = ctx.doc.footer
    texts = {PP_PLACEHOLDER.DATE: footer.number(footer.reviewed),
             PP_PLACEHOLDER.FOOTER: footer.number(footer.content_version)}
    widths = {ph.placeholder_format.type: ph.width for ph in slide.slide_layout.placeholders}
    if widths.get(PP_PLACEHOLDER.FOOTER, 0) > widths.get(PP_PLACEHOLDER.DATE, 0) and len(
            texts[PP_PLACEHOLDER.DATE]) > len(texts[PP_PLACEHOLDER.FOOTER]):
        # a template whose footer box is the wide one (Office's): the longer text goes there
        texts = {PP_PLACEHOLDER.DATE: texts[PP_PLACEHOLDER.FOOTER], PP_PLACEHOLDER.FOOTER: texts[
            PP_PLACEHOLDER.DATE]}
    for layout_ph in slide.slide_layout.placeholders:
        kind = layout_ph.placeholder_format.type
        if kind not in FOOTER_TYPES:
            continue
        body = ox.clone_placeholder(layout_ph, slide)
        frame = Frame.of(layout_ph.width, layout_ph.height)
        if kind == PP_PLACEHOLDER.SLIDE_NUMBER:
            text = footer.number(page.number)
            p = ox.a("p")
            ppr = ox.paragraph_properties(rtl=ctx.rtl or None)
            if ppr is not None:
                p.append(ppr)
            rpr = ox.run_properties(lang=ctx.lang, fonts={"latin": "+mn-lt", **ctx.fonts})
            # a partial deck shows the slide's number in the full deck, which a field would not
            p.append(ox.text_run(text, rpr) if ctx.partial else ox.field("slidenum", text, rpr, page.number))
            p.append(ox.run_properties("endParaRPr", lang=ctx.lang, fonts=ctx.fonts))
            ox.set_body(body, [p])
            continue
        paras = [[TextPiece(texts[kind])]]
        try:
            size = ctx.fit("footer", paras, frame, ctx.sizes.footer, shape=layout_ph)
        except SlideOverflow:
            if ctx.template.is_default:
                raise
            # a presenter's footer boxes may be small (Office's date box is 2 in wide)
            floor = ctx.sizes.presenter_footer_floor
            try:
                size = ctx.fit("footer", paras, frame, ctx.sizes.footer.model_copy(update={"floor": floor}),
                               shape=layout_ph)
            except SlideOverflow:  # the template's box, not the translation, is the problem
                raise TemplateError(ctx.template.path, f"layout {page.slide.slide_layout.name!r}: its "
                                    f"{layout_ph.name!r} placeholder ({layout_ph.width / 914400:.2f} in wide) "
                                    f"cannot hold {texts[kind]!r} even at {floor:g} pt; widen it") from None
        ox.set_body(body, [ctx.paragraph(paras[0], size=size, align=None, theme_font=True)])


def notes(ctx: DeckContext, page: OpenSlide, texts: tuple[str, ...]) -> None:
    ox.set_body(ox.text_body(page.slide.notes_slide.notes_text_frame), [ctx.paragraph([TextPiece(n)]) for n in texts])

