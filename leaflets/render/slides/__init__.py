"""The deck's slides, one module per kind of slide.

Each kind module has ``write(ctx, spec)``, which adds the slide for one
document slide (and the slides it continues on), and ``SINGLE``: whether it
always takes exactly one slide (its text shrinks to fit, or stops the build).
They share :mod:`~leaflets.render.slides.context` (the deck's context, passed
explicitly, and its text model) and :mod:`~leaflets.render.slides.chrome`
(title, band, footers and notes, which every slide has).
"""

from __future__ import annotations

from types import ModuleType

from leaflets.document import Slide
from leaflets.render.slides import bullets, chart, chrome, closing, diagram, references, section, table, title
from leaflets.render.slides.context import DeckContext

KINDS: dict[str, ModuleType] = {
    "title": title, "section": section, "bullets": bullets, "disclosure": bullets, "references": references,
    "closing": closing, "chart": chart, "table": table, "diagram": diagram,
}
GRAPHICS = ("chart", "table", "diagram")  # kinds that are bullets when the slide has no such data


def kind_of(spec: Slide) -> ModuleType:
    """The module that writes ``spec``: its kind's, or bullets for an unknown kind, or for a
    chart, table or diagram slide without its data."""
    if spec.kind in GRAPHICS and getattr(spec, spec.kind) is None:
        return bullets
    return KINDS.get(spec.kind, bullets)


def write_slide(ctx: DeckContext, spec: Slide) -> None:
    """Write the slide(s) of ``spec``; where it took more than one, each says which part it is in
    its title ("Topical therapy (2/3)", the deck's ``continued`` pattern in the language) and has
    its own share of the speaker notes, not all of them again."""
    start = len(ctx.titles)
    kind_of(spec).write(ctx, spec)
    parts = len(ctx.titles) - start
    if parts > 1:
        chrome.mark_parts(ctx, spec, start, parts)


def is_single(spec: Slide) -> bool:
    """Whether ``spec`` always takes exactly one slide (it never continues on another)."""
    return kind_of(spec).SINGLE
