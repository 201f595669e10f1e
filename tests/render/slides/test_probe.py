"""The deck's one body and one table size, found by fitting only (issue 21): the same sizes a
whole layout of the deck records, on the project's template and on templates no one here wrote,
and each deck written once."""

from __future__ import annotations

import datetime as dt
import io
import os
import zipfile

import pytest

from leaflets import Engine, Project
from leaflets.render import pptx as pptx_module
from leaflets.render.contract import LayoutOverflow
from leaflets.render.slides.context import DeckContext, with_boxes
from leaflets.render.slides.probe import probe_sizes, slide_boxes
from tests.render.test_deck_templates import ONE_LOCALE_PER_SCRIPT, _document, foreign_templates  # noqa: F401

CREATED = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)


def _laid_out(document, template=None) -> dict[str, float] | None:
    """The sizes a whole layout of the deck records (the way issue 20 found them), None where it stops."""
    ctx = DeckContext(document, template)
    try:
        pptx_module._write(ctx, document)
    except LayoutOverflow:
        return None
    return ctx.uniform_sizes()


def _probed(document, template=None) -> dict[str, float] | None:
    try:
        return probe_sizes(DeckContext(document, template))
    except LayoutOverflow:
        return None


# every script on every foreign template with LEAFLETS_PROBE_ALL=1; else one left-to-right and one
# right-to-left locale and the pseudo-locale's long text (titles that grow, bullets that continue)
TAGS = ONE_LOCALE_PER_SCRIPT if os.environ.get("LEAFLETS_PROBE_ALL") else ("en", "ar", "en-XA")
TEMPLATES = ("python-pptx", "libreoffice-Vivid", "libreoffice-Focus", "renamed-and-missing")


@pytest.mark.parametrize("name", TEMPLATES)
@pytest.mark.parametrize("tag", TAGS)
def test_probe_finds_the_sizes_a_layout_records_on_foreign_templates(foreign_templates, loaded, project, name,
                                                                     tag):
    document = _document(loaded, project, tag)
    laid_out = _laid_out(document, foreign_templates[name])
    if laid_out is not None:  # (where the layout stops, the deck is laid out again to name the slide)
        assert _probed(document, foreign_templates[name]) == laid_out


def test_probe_finds_the_sizes_a_layout_records_in_shipped_locales():
    """(All ten agree too: the 30 files built before and after are byte-identical.)"""
    engine = Engine(Project())
    topic = engine.topics()[0]
    seen = set()
    for tag in ("de", "ar", "hi", "zh-Hans"):
        document = engine.localize(topic, tag)
        sizes = _probed(document)
        assert sizes is not None and sizes == _laid_out(document), tag
        seen.add(sizes["body"])
    assert len(seen) > 1  # the locales' text needs different body sizes: the probe decides something


def test_each_deck_is_written_once_in_every_locale(monkeypatch):
    """Issue 20's one body size per deck laid most decks out twice (seven locales of ten): a whole
    deck to learn the sizes, then the deck again at them.  Now the sizes are fitted without
    making a slide, and the deck is written once: as many slides made as it has."""
    engine = Engine(Project())
    topic = engine.topics()[0]
    made, contexts, laid_out = [0], [0], [0]
    new_slide, context_init, laid = DeckContext.new_slide, DeckContext.__init__, pptx_module._laid_out_sizes

    def counted_slide(self, *args, **kwargs):
        made[0] += 1
        return new_slide(self, *args, **kwargs)

    def counted_context(self, *args, **kwargs):
        contexts[0] += 1
        context_init(self, *args, **kwargs)

    def counted_layout(*args, **kwargs):
        laid_out[0] += 1
        return laid(*args, **kwargs)

    monkeypatch.setattr(DeckContext, "new_slide", counted_slide)
    monkeypatch.setattr(DeckContext, "__init__", counted_context)
    monkeypatch.setattr(pptx_module, "_laid_out_sizes", counted_layout)
    for tag in engine.locales():
        made[0] = contexts[0] = 0
        deck = engine.render(engine.localize(topic, tag), "pptx", created=CREATED)
        assert (contexts[0], laid_out[0], made[0]) == (1, 0, deck.count), tag


def test_a_deck_that_does_not_fit_is_laid_out_to_name_the_slide(loaded, project, monkeypatch):
    """Where the fit-only pass meets text that does not fit, the deck is laid out as before (which
    names the slide, its number and msgid), and then written."""
    document = _document(loaded, project, "en")

    def overflowing(ctx):
        raise pptx_module.SlideOverflow("en", 0, "body", "x", 1)

    laid = []
    original = pptx_module._laid_out_sizes
    monkeypatch.setattr(pptx_module, "probe_sizes", overflowing)
    monkeypatch.setattr(pptx_module, "_laid_out_sizes", lambda *args: laid.append(args) or original(*args))
    buffer = io.BytesIO()
    assert pptx_module.render_deck(document, buffer, created=CREATED.replace(tzinfo=None)) > 0
    assert len(laid) == 1
    expected = io.BytesIO()
    monkeypatch.undo()
    pptx_module.render_deck(document, expected, created=CREATED.replace(tzinfo=None))
    assert _parts(buffer) == _parts(expected)


def _parts(buffer: io.BytesIO) -> dict[str, bytes]:
    with zipfile.ZipFile(buffer) as archive:
        # (an embedded workbook carries the time it was written)
        return {name: archive.read(name) for name in archive.namelist() if not name.startswith("ppt/embeddings/")}


@pytest.mark.parametrize("name", (None, *TEMPLATES))
def test_slide_boxes_are_the_boxes_of_a_new_slide(foreign_templates, name):
    """A slide not made has the placeholders, in order, and the boxes a new slide has (LibreOffice's
    templates give title, subtitle and content boxes one shared index), and their names (which an
    error names)."""
    from pptx import Presentation

    from leaflets.render.deck_template import pin_geometry

    prs = Presentation(str(foreign_templates[name]) if name else None)
    for layout in prs.slide_layouts:
        slide = prs.slides.add_slide(layout)
        pin_geometry(slide)
        assert [(box.type, box.left, box.top, box.width, box.height, box.name) for box in slide_boxes(layout)] == [
            (ph.placeholder_format.type, ph.left, ph.top, ph.width, ph.height, ph.name) for ph in slide.placeholders]
        # the writer's slide placeholders, found without python-pptx's queries: the same, in its order
        assert [(kind, type(ph), ph.shape_id, ph.placeholder_format.idx) for kind, ph in with_boxes(slide, layout)] == [
            (ph.placeholder_format.type, type(ph), ph.shape_id, ph.placeholder_format.idx) for ph in slide.placeholders]
