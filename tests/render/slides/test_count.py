"""``check`` counts a deck's slides and finds its fit errors without making a slide (issue 21): the
count and the error the writer gives, in every shipped locale, on templates no one here wrote,
and on text that does not fit."""

from __future__ import annotations

import datetime as dt
import io
import os
from dataclasses import replace

import pytest

from leaflets import Engine, Project
from leaflets.document import Span, Table
from leaflets.render import pptx as pptx_module
from leaflets.render.contract import LayoutOverflow
from leaflets.render.slides.context import DeckContext
from tests.render.test_deck_templates import ONE_LOCALE_PER_SCRIPT, _document, foreign_templates  # noqa: F401

CREATED = dt.datetime(2026, 1, 1)
TEMPLATES = ("python-pptx", "libreoffice-Vivid", "libreoffice-Focus", "renamed-and-missing")
TAGS = ONE_LOCALE_PER_SCRIPT if os.environ.get("LEAFLETS_PROBE_ALL") else ("en", "ar", "en-XA")


def _written(document, template=None) -> int | str:
    """The writer's slide count, or its error."""
    try:
        return pptx_module.render_deck(document, io.BytesIO(), template=template, created=CREATED)
    except LayoutOverflow as error:
        return f"{type(error).__name__}: {error}"


def _counted(document, template=None) -> int | str:
    try:
        return pptx_module.deck_slides(document, template=template)
    except LayoutOverflow as error:
        return f"{type(error).__name__}: {error}"


def _with_slide(document, index: int, **changes):
    slides = list(document.deck.slides)
    slides[index] = replace(slides[index], **changes)
    return replace(document, deck=replace(document.deck, slides=tuple(slides)))


def _index(document, kind: str, nth: int = 0) -> int:
    return [i for i, s in enumerate(document.deck.slides) if s.kind == kind][nth]


def test_counts_the_slides_the_writer_writes_in_every_shipped_locale(monkeypatch):
    engine = Engine(Project())
    topic = engine.topics()[0]
    made = []
    new_slide = DeckContext.new_slide
    monkeypatch.setattr(DeckContext, "new_slide", lambda self, *a, **k: made.append(1) or new_slide(self, *a, **k))
    for tag in engine.locales():
        document = engine.localize(topic, tag)
        made.clear()
        counted = pptx_module.deck_slides(document)
        assert made == [], tag  # no slide made
        assert counted == _written(document), tag


@pytest.mark.parametrize("name", TEMPLATES)
@pytest.mark.parametrize("tag", TAGS)
def test_counts_and_errors_as_the_writer_on_foreign_templates(foreign_templates, loaded, project, name, tag):
    """(The pseudo-locale's long text grows titles, continues bullets and references, and stops some
    decks on the small boxes of a 4:3 template: the error names the same slide and box.)"""
    document = _document(loaded, project, tag)
    assert _counted(document, foreign_templates[name]) == _written(document, foreign_templates[name])


def _long_title(document):
    return _with_slide(document, 2, title=(Span("An impossibly long title " * 30),))


def _many_bullets(document):
    bullets = tuple((Span(f"Point {n}: a bullet long enough to need most of a line on the slide"),) for n in range(30))
    return _with_slide(document, 2, bullets=bullets)


def _endless_bullet(document):
    return _with_slide(document, 2, bullets=((Span("A bullet with no end " * 80),),))


def _long_closing(document):
    index = _index(document, "closing")
    messages = tuple((Span(f"Message {n}: what the audience should remember, said in a whole line"),)
                     for n in range(14))
    return _with_slide(document, index, bullets=messages)


def _long_table(document):
    index = _index(document, "table")
    table = document.deck.slides[index].table
    rows = tuple(table.rows[n % len(table.rows)] for n in range(40))
    return _with_slide(document, index, table=Table(table.header, rows))


def _endless_cell(document):
    index = _index(document, "table")
    table = document.deck.slides[index].table
    rows = (((Span("An endless cell " * 200),),) + tuple(table.rows[0][1:]),) + tuple(table.rows[1:])
    return _with_slide(document, index, table=Table(table.header, rows))


def _long_section_text(document):
    return _with_slide(document, _index(document, "section"), subtitle=(Span("A section that says too much " * 60),))


def _long_sources(document):
    return _with_slide(document, _index(document, "chart"), sources="Sources: " + "a trial, " * 60)


def _long_references(document):
    index = _index(document, "references")
    entries = document.deck.slides[index].bullets
    return _with_slide(document, index, bullets=entries * 3)


def _crowded_lanes(document):
    index = next(i for i, s in enumerate(document.deck.slides) if s.diagram and s.diagram.kind == "lanes")
    diagram = document.deck.slides[index].diagram
    lanes = tuple(replace(lane, steps=lane.steps * 6) for lane in diagram.lanes)
    return _with_slide(document, index, diagram=replace(diagram, lanes=lanes))


def _error_after_continued_slides(document):
    """(The error's slide number counts the continuation slides before it.)"""
    return _endless_cell(_long_references(_many_bullets(document)))


CHANGES = (_error_after_continued_slides, _long_title, _many_bullets, _endless_bullet, _long_closing, _long_table, _endless_cell,
           _long_section_text, _long_sources, _long_references, _crowded_lanes)


@pytest.mark.parametrize("change", CHANGES, ids=lambda change: change.__name__.strip("_"))
def test_counts_and_errors_as_the_writer_where_text_is_long(loaded, project, change):
    english = _document(loaded, project, "en")
    document = change(english)
    counted = _counted(document)
    assert counted == _written(document)
    assert counted != _counted(english)  # more slides, or an error: each case asks something of the count


def test_names_the_box_of_a_template_too_small_as_the_writer_does(tiny_boxes_template, loaded, project):
    """The error on a presenter's template names the slide's placeholder (python-pptx's name for it
    on a slide, not the layout's) and its size."""
    path = tiny_boxes_template
    document = _document(loaded, project, "en")
    counted = _counted(document, path)
    assert counted == _written(document, path)
    assert isinstance(counted, str) and "placeholder '" in counted and " cm)" in counted
