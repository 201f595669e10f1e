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

Each kind of slide is written by its own module of :mod:`leaflets.render.slides`,
given the deck's context (:class:`~leaflets.render.slides.context.DeckContext`);
this module puts the slides together into a deck, whole or partial.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping
from pathlib import Path

from leaflets.design import DEFAULT_DESIGN, Design
from leaflets.document import LocalizedDocument
from leaflets.render.contract import LayoutOverflow
from leaflets.render.deck_package import (
    drop_slides, finish_package, set_core_properties, set_sections, theme_name,
)
from leaflets.render.fontset import FontSet
from leaflets.render.slides import is_single, write_slide
from leaflets.render.slides.context import DeckContext, SlideOverflow, font_overrides
from leaflets.render.slides.count import count_slides
from leaflets.render.slides.probe import probe_sizes

__all__ = ["SlideOverflow", "font_overrides", "render_deck"]


def deck_slides(document: LocalizedDocument, *, template: Path | None = None, design: Design = DEFAULT_DESIGN,
                fonts: FontSet | None = None, build_in: bool = False) -> int:
    """The slide count :func:`render_deck` gives, or the :class:`~leaflets.render.contract.LayoutOverflow`
    it raises, from the same measurements (a slide's text is fitted to the geometry of its layout's
    placeholders) without making a slide (:mod:`~leaflets.render.slides.count`): what ``check``
    needs to know."""
    ctx = DeckContext(document, template, design, partial=False, fonts=fonts)
    ctx.build_in = build_in
    return count_slides(ctx)


def render_deck(document: LocalizedDocument, target, *, template: Path | None = None,
                design: Design = DEFAULT_DESIGN, created: dt.datetime | None = None,
                only: Collection[int] | None = None, counts: Mapping[int, int] | None = None,
                numbers: dict[int, tuple[int, ...]] | None = None, fonts: FontSet | None = None,
                build_in: bool = False) -> int:
    """Write the clinician deck to ``target``; return its slide count.

    Type sizes and floors are the ``design``'s.  Without a ``template`` the deck is
    built on the project's template written from the design (its theme colours and
    text styles); a presenter's ``template`` keeps its own theme and styles, and the
    design's floors and the sizes of the renderer's own text boxes apply.

    ``only`` (indices into the document's slides) writes a partial deck of those
    slides, each as in the full deck: same layout, all its continuation slides,
    and the slide numbers of the full deck.  Numbering needs to know how many
    slides each left-out slide takes: ``counts`` gives what is known (from an
    earlier layout of the same slide); any other is laid out and dropped.
    ``numbers``, if given, is filled with the full deck's slide numbers of
    every document slide.  Text is measured with ``fonts`` (by default the shipped fonts' set).
    ``build_in``: the bullets of content slides appear one click at a time when presenting.

    The deck has one body size and one table size: the largest at which every slide's text
    of that kind fits whole (the smallest any slide needs, never below the floor); a slide
    that continues on more slides even at the floor is split at that size.
    """
    # One body and one table size for the whole deck: every slide's text is fitted (no slide made)
    # to learn the size each kind fits at whole, then the deck is written once at the smallest
    # of each kind.  Where some text does not fit, the deck is laid out to name it, as before.
    ctx = DeckContext(document, template, design, partial=only is not None, fonts=fonts)
    ctx.build_in = build_in
    try:
        uniform = probe_sizes(ctx)
    except LayoutOverflow:
        uniform = _laid_out_sizes(document, template, design, fonts, build_in)
    ctx.reset_sizes(uniform)
    dropped = _write(ctx, document, only, counts, numbers)
    prs, titles = ctx.prs, ctx.titles
    sections = ctx.sections
    if dropped:
        drop_slides(prs, dropped)
        left_out = set(dropped)
        titles = [title for position, title in enumerate(titles) if position not in left_out]
        sections = [(position - sum(1 for d in dropped if d < position), name) for position, name in sections
                    if position not in left_out]
    set_sections(prs, sections)
    notes = sum(1 for s in prs.slides if s.has_notes_slide)
    finish_package(prs, titles, notes, theme_name(prs), [layout.name for layout in ctx.template.layouts()])
    set_core_properties(prs, title=document.deck.title, subject=document.deck.subtitle, author=document.author,
                        language=ctx.lang, keywords=f"{document.topic_id}; {document.locale}",
                        created=created or dt.datetime.now(dt.timezone.utc).replace(microsecond=0, tzinfo=None))
    prs.save(target)
    return len(prs.slides)


def _laid_out_sizes(document: LocalizedDocument, template: Path | None, design: Design, fonts: FontSet | None,
                    build_in: bool) -> dict[str, float]:
    """The deck's sizes (:meth:`DeckContext.uniform_sizes`) from a whole layout of the deck, which
    raises the error naming the slide where text does not fit."""
    ctx = DeckContext(document, template, design, fonts=fonts)
    ctx.build_in = build_in
    _write(ctx, document)
    return ctx.uniform_sizes()


def _write(ctx: DeckContext, document: LocalizedDocument, only: Collection[int] | None = None,
           counts: Mapping[int, int] | None = None, numbers: dict[int, tuple[int, ...]] | None = None) -> list[int]:
    """Write the document's slides into ``ctx`` (see :func:`render_deck` for ``only``, ``counts``
    and ``numbers``); return the positions of slides laid out only to be counted."""
    dropped: list[int] = []
    for index, spec in enumerate(document.deck.slides):
        first = ctx.number
        if only is None or index in only:
            write_slide(ctx, spec)
        elif index in (counts or {}) or is_single(spec):
            ctx.skip((counts or {}).get(index, 1))
        else:  # how many slides it takes: lay it out as the full deck would, then leave it out
            start = len(ctx.titles)
            write_slide(ctx, spec)
            dropped += range(start, len(ctx.titles))
        if numbers is not None:
            numbers[index] = tuple(range(first + 1, ctx.number + 1))
    return dropped

