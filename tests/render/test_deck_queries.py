"""Decks: a layout's placeholders are read once per deck, not by an XPath query at every slide (issue 21)."""

from __future__ import annotations

import datetime as dt


from leaflets import Engine, Project
from leaflets.render.deck_template import layout_placeholder, layout_placeholders

CREATED = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)


def test_layout_placeholders_are_read_once_per_deck(monkeypatch, xpath_queries):
    """python-pptx finds a placeholder's index and type by an XPath query each time it is asked;
    the deck asked each layout again for every slide and every inherited style (363 queries per
    slide of the English deck), then kept each layout's table (194), and now also each
    placeholder's inherited styles, a new slide's XML per layout and the notes slide's per deck
    (146), and now each slide's placeholders found in its shape tree with their boxes
    (slides.boxes), their styles read from the layout's, and each layout's footers (52).  The deck is written once (its sizes fitted without slides: slides.probe)."""
    engine = Engine(Project())
    document = engine.localize(engine.topics()[0], "en")
    queries = xpath_queries
    import leaflets.render.pptx as pptx_module
    contexts = []
    made = pptx_module.DeckContext

    def context(*args, **kwargs):
        contexts.append(made(*args, **kwargs))
        return contexts[-1]

    monkeypatch.setattr(pptx_module, "DeckContext", context)
    deck = engine.render(document, "pptx", created=CREATED)
    assert len(contexts) == 1
    assert queries[0] / deck.count < 60, (queries[0], deck.count)


def test_a_layout_placeholder_is_the_same_object_each_time():
    from pptx import Presentation
    prs = Presentation()
    layout = prs.slide_layouts[1]
    slide = prs.slides.add_slide(layout)
    body = slide.placeholders[1]
    assert layout_placeholder(body) is layout_placeholder(body) is layout_placeholders(layout)[1][1]
    assert [ph.placeholder_format.idx for _, ph in layout_placeholders(layout)] == \
        [ph.placeholder_format.idx for ph in layout.placeholders]


def test_notes_slides_are_named_without_walking_the_package(monkeypatch):
    """python-pptx names a new part by walking every part of the package (``next_partname``): once
    per notes slide, some 6% of a deck's CPU.  The deck's first notes slide is python-pptx's; the
    names of the others follow from the parts it saw, as python-pptx would give them."""
    import io

    from pptx import Presentation
    from pptx.opc.package import OpcPackage

    engine = Engine(Project())
    document = engine.localize(engine.topics()[0], "en")
    named = []
    next_partname = OpcPackage.next_partname
    monkeypatch.setattr(OpcPackage, "next_partname",
                        lambda self, tmpl: named.append(tmpl) or next_partname(self, tmpl))
    deck = engine.render(document, "pptx", created=CREATED)
    assert named.count("/ppt/notesSlides/notesSlide%d.xml") == 1
    assert len(named) <= 4  # the first notes slide, the chart, its workbook
    notes = [slide.notes_slide.part.partname for slide in Presentation(io.BytesIO(deck.data)).slides]
    assert notes == [f"/ppt/notesSlides/notesSlide{n}.xml" for n in range(1, deck.count + 1)]
