"""Slide kinds: one module each, chosen by the document slide's kind."""

from __future__ import annotations

from leaflets.document import SLIDE_KINDS, Slide, Span
from leaflets.i18n.catalog import SourceTranslations
from leaflets.localize import localize
from leaflets.render import slides
from leaflets.render.slides import bullets, is_single, kind_of


def test_every_document_slide_kind_has_a_module():
    assert set(slides.KINDS) == set(SLIDE_KINDS)
    for module in slides.KINDS.values():
        assert callable(module.write) and isinstance(module.SINGLE, bool), module.__name__


def test_a_graphic_without_its_data_or_an_unknown_kind_is_bullets():
    title = (Span("Title"),)
    for kind in ("chart", "table", "diagram", "no such kind"):
        assert kind_of(Slide(kind, title)) is bullets, kind


def test_which_kinds_always_take_one_slide(loaded):
    document = localize(loaded, "en", SourceTranslations())
    single = {spec.kind for spec in document.deck.slides if is_single(spec)}
    multiple = {spec.kind for spec in document.deck.slides if not is_single(spec)}
    assert single == {"title", "section", "chart"}
    # a lanes diagram too large for a small template becomes a table, which continues
    assert multiple == {"bullets", "table", "references", "closing", "disclosure", "diagram"}
