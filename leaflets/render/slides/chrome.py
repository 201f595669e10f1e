"""What every slide has, whatever its kind: placeholders found by type, the title, the band
under the content (draft notice, sources), the investigational tag under the title, the footers and the
speaker notes; and the renderer's own text boxes and labels."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from pptx.enum.dml import MSO_THEME_COLOR
from pptx.enum.shapes import MSO_SHAPE, PP_PLACEHOLDER
from pptx.util import Emu

from leaflets.design import TypeSize, contrast
from leaflets.document import Inline, Slide, Span
from leaflets.render import deck_design
from leaflets.render import deck_oxml as ox
from leaflets.render.deck_fit import Frame, Piece
from leaflets.render.deck_template import inherited_alignment, inherited_bold, layout_placeholders
from leaflets.render.slides.context import (
    DeckContext, OpenSlide, Para, SlideOverflow, TextPiece, box, measured, office_lang, pieces_of, place, styled,
)

TITLE_TYPES = (PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE)
CONTENT_TYPES = (PP_PLACEHOLDER.OBJECT, PP_PLACEHOLDER.BODY)
FOOTER_TYPES = (PP_PLACEHOLDER.DATE, PP_PLACEHOLDER.FOOTER, PP_PLACEHOLDER.SLIDE_NUMBER)
BULLET_INDENT = 342900  # the master's level-1 bullet indent (marL)
GAP = deck_design.inches(0.08)


# ------------------------------------------------------------ placeholders
def placeholders(page: OpenSlide) -> tuple:
    """(type, placeholder) of the slide's placeholders: as the deck made it (each keeping its box),
    else as python-pptx finds them."""
    return page.placeholders or tuple((ph.placeholder_format.type, ph) for ph in page.slide.placeholders)


def placeholder(page: OpenSlide, *types, index: int = 0):
    found = [ph for kind, ph in placeholders(page) if kind in types]
    return found[index] if len(found) > index else None


def content_placeholders(page: OpenSlide) -> list:
    return [ph for kind, ph in placeholders(page) if kind in CONTENT_TYPES]


def content_area(page: OpenSlide, bottom: int, *types):
    """The placeholder that holds a chart, table or diagram (by type, else the content placeholder),
    removed from the slide when the graphic is added as a plain shape; returns (placeholder, box)."""
    ph = placeholder(page, *types) if types else None
    if ph is None:
        ph = placeholder(page, *CONTENT_TYPES)
    at = box(ph)
    return ph, deck_design.Box(at.left, at.top, at.width, max(0, min(at.height, bottom - at.top)))


def write_title(ctx: DeckContext, page: OpenSlide, title: Inline, spec: TypeSize | None = None, *,
                tag: str = "", parts: bool = False) -> None:
    """The slide's title, fitted to its placeholder at ``spec`` (default: the design's title size);
    with ``tag`` (the "Investigational" label) the tag under it (:func:`title_tag`).

    Text is measured as the template draws it (bold where its title style is bold).  With
    ``parts`` (a slide that may continue on more) it is fitted with room for the part mark
    ("(2/3)", :func:`part_title`), so the retitled parts fit too.  An assertion title too long
    for the box even at the floor grows the box downwards, up to the middle of the slide; the
    content boxes below start lower by as much (a title states the slide's finding and may
    take two or three lines: it is never cut, nor the deck stopped for it)."""
    shape = placeholder(page, *TITLE_TYPES)
    if shape is None:
        if tag:  # no title box: the tag in the top margin, at the start side
            margin, width = round(deck_design.MARGIN * ctx.sx), _tag_width(ctx, tag)
            _tag_beside(ctx, page, tag, ctx.prs.slide_width - margin - width if ctx.rtl else margin, margin, width,
                        "t")
        return
    paras = [pieces_of(title)]
    at = box(shape)
    size, grown = title_size(ctx, shape, at, title, spec, parts=parts)
    if grown is not None:  # the box grows downwards; the content moves down
        place(shape, at.left, at.top, at.width, grown)
        push_content(page, at.top + grown + GAP, at.top)
    ctx.fill(shape, paras, page, size=size)
    if tag:
        title_tag(ctx, page, shape, tag)


def title_size(ctx: DeckContext, shape, box, title: Inline, spec: TypeSize | None = None, *,
               parts: bool = False) -> tuple[float | None, int | None]:
    """The size :func:`write_title` writes on ``title`` in the title placeholder ``shape`` (whose
    styles it inherits) of geometry ``box`` (and name, as an error names it), and the height its box grows to where the title does
    not fit even at the floor (None: it keeps its height).  Measured only: what the deck's fit-only
    pass (:mod:`~leaflets.render.slides.probe`) and the writer both ask."""
    spec = spec or ctx.sizes.title
    paras = [pieces_of(title)]
    measured_as = [pieces_of(part_title(ctx, title, 8, 8))] if parts else paras
    if inherited_bold(styled(shape)):
        measured_as = [[replace(p, bold=True) for p in para] for para in measured_as]
    try:
        return ctx.fit("title", measured_as, Frame.of(box.width, box.height), spec, shape=shape, named=box), None
    except SlideOverflow:
        return spec.floor, _grown_title(ctx, shape, box, measured_as, spec)


def _grown_title(ctx: DeckContext, shape, box, paras: list[Para], spec: TypeSize) -> int:
    """The height of the title's box (``box``) grown downwards to hold ``paras`` at the floor."""
    line, _ = ctx.spacing(shape, spec, 0)
    frame = Frame.of(box.width, 10 ** 9)
    need = ctx.measurer.height(measured(paras), spec.floor, frame.width, line=line)
    height = round(need * deck_design.EMU_PER_PT) + 2 * deck_design.INSET_Y + 1
    if height <= box.height or box.top + height > ctx.prs.slide_height // 2:
        raise ctx.overflow("title", "".join(p.text for p in paras[0]), spec.floor,
                           ctx.box_of(box, box.width, box.height) if not ctx.template.is_default else None)
    return height


def push_content(page: OpenSlide, below: int, top: int) -> None:
    """Start the slide's content boxes that reach above ``below`` (and end below ``top``) at
    ``below``, their bottoms where they were (boxes on the slide: a placeholder inherits its
    layout's until it is given one)."""
    for kind, ph in placeholders(page):
        at = box(ph)
        moved = pushed(kind, at.top, at.height, below, top)
        if moved is not None:
            place(ph, at.left, moved[0], at.width, moved[1])


def pushed(kind, box_top: int, box_height: int, below: int, top: int) -> tuple[int, int] | None:
    """The (top, height) a placeholder of type ``kind`` at ``box_top`` gets from :func:`push_content`,
    or None where it stays."""
    if kind in TITLE_TYPES or kind in FOOTER_TYPES or box_top >= below or box_top + box_height <= top:
        return None
    return below, max(0, box_top + box_height - below)


# ---------------------------------------------------------------- colours
MIN_CONTRAST = 4.5  # WCAG 2.x AA for normal text


def readable(ctx: DeckContext, page: OpenSlide, preferred: str, background: str | None = None) -> str:
    """``preferred`` (a theme colour) if it reads at :data:`MIN_CONTRAST` on the slide's background
    (or on ``background``, a theme colour or ``#RRGGBB``), else the theme's text or background
    colour that does, else black or white, whichever reads better.

    A presenter's theme decides its accents (python-pptx's default makes accent3 a light
    green, 2.18:1 on white): the sources line, the notice and the tag stay readable on it.
    A picture background cannot be measured: the preferred colour stays."""
    colors = ctx.template.theme_colors(page.template_layout)
    back = colors.get(background, background) if background else ctx.template.background(page.template_layout)
    if back is None:
        return preferred
    for candidate in (preferred, "tx1", "bg1"):
        value = colors.get(candidate)
        if value and contrast(value, back) >= MIN_CONTRAST:
            return candidate
    return max(("#000000", "#FFFFFF"), key=lambda c: contrast(c, back))


# ---------------------------------------------------------------- the band
def band_top(ctx: DeckContext, page: OpenSlide, spec: Slide) -> int:
    """Top of the band under the content (sources, notice), stacked up from the footers;
    draws the band and returns where content must end.  On the title and closing slides the
    band also carries the footer texts no footer box of the template could hold
    (:func:`moved_footers`)."""
    top, parts = band(ctx, page.template_layout, page.layout, spec)
    for part in parts:
        plate = _decorated(ctx, page, part.x, part.y, part.cx, part.cy)
        color = readable(ctx, page, part.color, "bg1" if plate else None)
        box = textbox(ctx, page, part.name, part.x, part.y, part.cx, part.cy, part.paras, part.size, color=color,
                      plate=plate)
        if part.alt is not None:
            ox.set_alt_text(box, part.alt)
    return top


@dataclass(frozen=True)
class BandPart:
    """A text box of the band: its name, box (EMU), paragraphs, size, preferred colour (a theme
    colour, :func:`readable` where it does not read) and alt text."""

    name: str
    x: int
    y: int
    cx: int
    cy: int
    paras: list
    size: float
    color: str
    alt: str | None = None


def band(ctx: DeckContext, layout, canonical: str, spec: Slide) -> tuple[int, list[BandPart]]:
    """The band of a slide of ``spec`` on ``layout`` (asked for as ``canonical``), measured: where
    content must end, and the boxes :func:`band_top` draws, bottom up.  Raises
    :class:`SlideOverflow` where the notice or the sources do not fit."""
    bottom = _footers_top(ctx, layout)
    left = round(deck_design.MARGIN * ctx.sx)
    width = ctx.prs.slide_width - 2 * left
    footer = ctx.doc.footer
    frame = Frame.of(width, 10 ** 9, inset_x=0, inset_y=0)
    parts: list[BandPart] = []
    moved = moved_footers(ctx) if canonical in ("Title", "Closing") else []
    if moved:
        paras = [[TextPiece(" · ".join(moved))]]
        needed = ctx.measurer.height(measured(paras), ctx.sizes.notice.size, frame.width)
        height = round(needed * deck_design.EMU_PER_PT) + 1
        bottom -= height + GAP
        parts.append(BandPart("Footer text", left, bottom, width, height, paras, ctx.sizes.notice.size, "tx1",
                              " · ".join(moved)))
    if footer.notice:
        # one paragraph per language, so each takes its own direction and language tag
        langs = footer.notice_langs or ("",) * len(footer.notice)
        groups: dict[str, list[str]] = {}
        for text, lang in zip(footer.notice, langs):
            groups.setdefault(lang, []).append(text)
        paras = [[TextPiece(" ".join(texts), lang=office_lang(lang) if lang else None)]
                 for lang, texts in groups.items()]
        needed = ctx.measurer.height(measured(paras), ctx.sizes.notice.size, frame.width)
        if needed > 3 * ctx.sizes.notice.size * 2.2:
            raise ctx.overflow("draft notice", footer.notice[0], ctx.sizes.notice.size)
        height = round(needed * deck_design.EMU_PER_PT) + 1
        bottom -= height + GAP
        parts.append(BandPart("Translation notice", left, bottom, width, height, paras, ctx.sizes.notice.size,
                              "accent4" if footer.notice_is_warning else "accent3", " / ".join(footer.notice)))
    if spec.sources:  # (the investigational tag is under the title: :func:`title_tag`)
        x = left
        line = round(ctx.sizes.sources.size * ctx.measurer.leading([Piece(spec.sources)])
                     * deck_design.EMU_PER_PT) + 1
        bottom -= line + GAP
        if spec.sources:
            paras = [[TextPiece(spec.sources)]]
            taken = x - left
            frame = Frame.of(width - taken, line, inset_x=0, inset_y=0)
            if ctx.measurer.line_count([Piece(spec.sources)], ctx.sizes.sources.size, frame.width) > 1:
                raise ctx.overflow("sources", spec.sources, ctx.sizes.sources.size)
            parts.append(BandPart("Sources", left if ctx.rtl else x, bottom, width - taken, line, paras,
                                  ctx.sizes.sources.size, "accent3"))
    return bottom - GAP, parts


def _footers_top(ctx: DeckContext, layout) -> int:
    """Where the layout's footer boxes start (the band stacks up from there), read once per layout."""
    key = ("footers top", layout.part.partname)
    top = ctx.by_layout.get(key)
    if top is None:
        footers = [ph for kind, ph in layout_placeholders(layout) if kind in FOOTER_TYPES]
        top = ctx.by_layout[key] = min((ph.top for ph in footers), default=round(ctx.prs.slide_height * 0.9))
    return top


def _decorated(ctx: DeckContext, page: OpenSlide, x: int, y: int, cx: int, cy: int) -> bool:
    """Whether the template draws something (not a placeholder) under this part of the band."""
    return ctx.template.decorated(page.template_layout, x, y, cx, cy)


def textbox(ctx: DeckContext, page: OpenSlide, name: str, x: int, y: int, cx: int, cy: int, paras: list[Para],
            size: float, color: str | None = None, anchor: str = "t", plate: bool = False):
    """A text box of the renderer's own, measured to fit (no autofit for an application to redo);
    ``plate``: filled with the background colour, over a template's drawing."""
    box = page.slide.shapes.add_textbox(Emu(x), Emu(y), Emu(cx), Emu(cy))
    box.name = name
    if plate:
        box.fill.solid()
        box.fill.fore_color.theme_color = MSO_THEME_COLOR.BACKGROUND_1
    ox.set_body_properties(box.text_frame, lIns=0, tIns=0, rIns=0, bIns=0, anchor=anchor, wrap="square", clear=True)
    ctx.fill(box, paras, page, size=size, color=color)
    return box


def title_tag(ctx: DeckContext, page: OpenSlide, title, text: str) -> None:
    """The 'Investigational' tag right under the title's box, at its start side, under the
    title's first words (left; right in a right-to-left deck), at the tag size (the design's is
    18 pt, readable from the back of a room; it scales with the slide as every size does).  The
    slide's content boxes that would reach into it start lower by as much, so the tag never
    covers text and the content is fitted to the room left."""
    width = _tag_width(ctx, text)
    title = box(title)
    top = title.top + title.height + GAP
    x = title.left + title.width - width if ctx.rtl else title.left
    height = _tag_beside(ctx, page, text, x, top, width, "t", inset=0)
    push_content(page, top + height + GAP, top)


# The tag is one word or two: measured in Noto, it is given this much more room, so that it stays
# on one line in a fallback font (DejaVu Sans Bold is some 12 % wider than Noto Sans Bold).
TAG_SLACK = 1.2


def _tag_width(ctx: DeckContext, text: str) -> int:
    size = ctx.sizes.tag.size
    return round((ctx.measurer.width([Piece(text, bold=True)], size) * TAG_SLACK + size) * deck_design.EMU_PER_PT)


def tag_height(ctx: DeckContext, text: str) -> int:
    """The height of the tag saying ``text`` (EMU)."""
    size = ctx.sizes.tag.size
    return round((ctx.measurer.leading([Piece(text, bold=True)]) + 0.3) * size * deck_design.EMU_PER_PT)


def _tag_beside(ctx: DeckContext, page: OpenSlide, text: str, x: int, y: int, width: int, anchor: str, *,
                box_height: int = 0, inset: int = deck_design.INSET_Y) -> int:
    """The tag ``width`` wide at ``x``, level with text anchored ``anchor`` in a box from ``y``
    ``box_height`` tall; returns its height."""
    width = min(width, _tag_width(ctx, text))
    height = tag_height(ctx, text)
    if anchor == "b":
        y += box_height - inset - height
    elif anchor == "ctr":
        y += (box_height - height) // 2
    else:
        y += inset
    tag(ctx, page, x, y, width, height, text)
    return height


def tag(ctx: DeckContext, page: OpenSlide, x, y, cx, cy, text: str) -> None:
    """The 'investigational' tag: a filled label on every slide about the investigational therapy."""
    shape = page.slide.shapes.add_shape(MSO_SHAPE.ROUNDED_RECTANGLE, Emu(x), Emu(y), Emu(cx), Emu(cy))
    shape.name = "Investigational tag"
    shape.fill.solid()
    shape.fill.fore_color.theme_color = MSO_THEME_COLOR.ACCENT_4
    shape.line.fill.background()
    shape_text(ctx, page, shape, [[TextPiece(text, bold=True)]], ctx.sizes.tag.size,
               readable(ctx, page, "bg1", background="accent4"), "ctr", inset=0)
    ox.set_body_properties(shape.text_frame, wrap="none")  # a label: never broken inside a word
    ox.set_alt_text(shape, text)


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


def footer_texts(ctx: DeckContext, layout) -> dict:
    """The review date and the content version, by the footer placeholder type that shows them."""
    key = ("footer texts", layout.part.partname)
    found = ctx.by_layout.get(key)
    if found is not None:
        return found
    footer = ctx.doc.footer
    texts = {PP_PLACEHOLDER.DATE: footer.number(footer.reviewed),
             PP_PLACEHOLDER.FOOTER: footer.number(footer.content_version)}
    widths = {kind: ph.width for kind, ph in layout_placeholders(layout)}
    if widths.get(PP_PLACEHOLDER.FOOTER, 0) > widths.get(PP_PLACEHOLDER.DATE, 0) and len(
            texts[PP_PLACEHOLDER.DATE]) > len(texts[PP_PLACEHOLDER.FOOTER]):
        # a template whose footer box is the wide one (Office's): the longer text goes there
        texts = {PP_PLACEHOLDER.DATE: texts[PP_PLACEHOLDER.FOOTER], PP_PLACEHOLDER.FOOTER: texts[
            PP_PLACEHOLDER.DATE]}
    ctx.by_layout[key] = texts
    return texts


def _footer_size(ctx: DeckContext, layout_ph, text: str) -> float | None:
    """The size ``text`` takes in the footer box ``layout_ph`` (wrapped where the box is tall
    enough; None: the inherited size); raises :class:`SlideOverflow` below the footer floor."""
    return ctx.fit("footer", [[TextPiece(text)]], Frame.of(layout_ph.width, layout_ph.height), ctx.sizes.footer,
                   shape=layout_ph)


def moved_footers(ctx: DeckContext) -> list[str]:
    """The footer texts (review date, content version) that some layout of the deck has no box
    for, or a box too small for even at the footer floor (which is the notice's).  They are
    left out of every slide's footers and shown on the title and closing slides instead
    (:func:`band_top`), so a template's small footer boxes never fail a locale nor shrink a
    footer below the notice's size.  Decided once per deck, so every slide agrees."""
    if ctx.moved is None:
        footer = ctx.doc.footer
        order = [footer.number(footer.reviewed), footer.number(footer.content_version)]
        # alike for every deck of these texts in this locale on this template and design (the
        # template's facts: kept with it, measured with the same font set)
        key = ("moved footers", ctx.doc.locale, ctx.rtl, *order)
        known = ctx.template.facts.get(key)
        if known is not None:
            ctx.moved = list(known)
            return ctx.moved
        moved: set[str] = set()
        for layout in ctx.template.usable_layouts():
            texts = footer_texts(ctx, layout)
            shown = {kind: ph for kind, ph in layout_placeholders(layout) if kind in texts}
            for kind, text in texts.items():
                if kind not in shown:
                    moved.add(text)
                    continue
                try:
                    _footer_size(ctx, shown[kind], text)
                except SlideOverflow:
                    moved.add(text)
        ctx.moved = [text for text in order if text in moved]
        ctx.template.facts.keep(key, tuple(ctx.moved))
    return ctx.moved


def footers(ctx: DeckContext, page: OpenSlide) -> None:
    """Date, footer and slide number in the layout's placeholders; the number is a field.
    A text :func:`moved_footers` moved leaves its box empty.  In a right-to-left deck each
    box sits at the mirror image of its layout's place (the date right, the number left)."""
    slide = page.slide
    footer = ctx.doc.footer
    for kind, layout_ph, text, size, position, align in _footer_plan(ctx, page.template_layout):
        body = ox.clone_placeholder(layout_ph, slide)
        if position is not None:
            ox.set_position(body.getparent(), *position)
        if kind == PP_PLACEHOLDER.SLIDE_NUMBER:
            text = footer.number(page.number)
            p = ox.a("p")
            ppr = ox.paragraph_properties(rtl=ctx.rtl or None, align=align)
            if ppr is not None:
                p.append(ppr)
            rpr = ox.run_properties(lang=ctx.lang, fonts={"latin": "+mn-lt", **ctx.fonts})
            # a partial deck shows the slide's number in the full deck, which a field would not
            p.append(ox.text_run(text, rpr) if ctx.partial else ox.field("slidenum", text, rpr, page.number))
            p.append(ox.run_properties("endParaRPr", lang=ctx.lang, fonts=ctx.fonts))
            ox.set_body(body, [p])
            continue
        ox.set_body(body, [ctx.paragraph([TextPiece(text)], size=size, align=align, theme_font=True)])


def _footer_plan(ctx: DeckContext, layout) -> list[tuple]:
    """(type, layout placeholder, text, size, box or None, alignment) of each footer box
    :func:`footers` fills on a slide on ``layout``: alike on every slide of the layout, so
    measured once (a right-to-left deck's box at the mirror image of the layout's place)."""
    key = ("footers", layout.part.partname)
    plan = ctx.by_layout.get(key)
    if plan is None:
        texts = footer_texts(ctx, layout)
        moved = moved_footers(ctx)
        plan = []
        for kind, layout_ph in layout_placeholders(layout):
            if kind not in FOOTER_TYPES or texts.get(kind) in moved:
                continue
            position = align = None
            if ctx.rtl:
                position = (ctx.prs.slide_width - layout_ph.left - layout_ph.width, layout_ph.top, layout_ph.width,
                            layout_ph.height)
                align = {"l": "r", "r": "l"}.get(inherited_alignment(layout_ph) or "l")
            text = size = None
            if kind != PP_PLACEHOLDER.SLIDE_NUMBER:
                text = texts[kind]
                size = _footer_size(ctx, layout_ph, text)
            plan.append((kind, layout_ph, text, size, position, align))
        ctx.by_layout[key] = plan
    return plan


def notes(ctx: DeckContext, page: OpenSlide, texts: tuple[str, ...]) -> None:
    ox.set_body(notes_body(ctx, page.slide), [ctx.paragraph([TextPiece(n)]) for n in texts])


def notes_body(ctx: DeckContext, slide):
    """The ``txBody`` of ``slide``'s speaker notes, its notes slide made on first asking: the deck's
    first by python-pptx, the others from its XML (:func:`~leaflets.render.deck_oxml.add_notes_slide`)."""
    body = ctx.notes_bodies.get(slide.part)
    if body is None:
        if ctx.notes_xml is None:
            ctx.notes_xml, body = ox.notes_slide_xml(slide)
            ctx.notes_names = ox.NotesNames(slide.part.package)
        else:
            body = ox.add_notes_slide(slide, ctx.notes_xml, ctx.notes_names)
        ctx.notes_bodies[slide.part] = body
    return body



# ------------------------------------------------------- continued slides
SENTENCE_END = re.compile(r"(?<=[.!?।])\s+|(?<=[。！？])")


def part_title(ctx: DeckContext, title: Inline, part: int, parts: int) -> Inline:
    """The title of part ``part`` of ``parts``, by the deck's ``continued`` pattern, its numbers in
    the document's digits."""
    pattern = ctx.doc.deck.continued
    before, _, after = pattern.partition("{title}")
    number = ctx.doc.footer.number

    def filled(text: str) -> str:
        return text.replace("{part}", number(part)).replace("{parts}", number(parts))

    out = ([Span(filled(before))] if before else []) + list(title) + ([Span(filled(after))] if after else [])
    return tuple(out)


def part_notes(notes: tuple[str, ...], parts: int) -> list[tuple[str, ...]]:
    """The speaker notes shared out over ``parts`` slides in order: whole paragraphs where there
    are enough, else sentences; a part left with nothing repeats the last sentence."""
    units = list(notes)
    if len(units) < parts:
        units = [s for note in notes for s in SENTENCE_END.split(note) if s.strip()]
    shares = []
    for index in range(parts):
        share = tuple(units[round(index * len(units) / parts):round((index + 1) * len(units) / parts)])
        shares.append(share or (units[-1],) if units else ())
    return shares


def mark_parts(ctx: DeckContext, spec: Slide, start: int, parts: int) -> None:
    """Retitle the ``parts`` slides from position ``start`` (one document slide that continued)
    and give each its share of the notes."""
    shares = part_notes(spec.notes, parts)
    for index in range(parts):
        slide = ctx.prs.slides[start + index]
        page = OpenSlide(slide, "", None, ctx.number - parts + 1 + index)
        title = part_title(ctx, spec.title, index + 1, parts)
        write_title(ctx, page, title)
        ctx.titles[start + index] = "".join(s.text for s in title)
        notes(ctx, page, shares[index])
