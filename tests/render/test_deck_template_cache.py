"""Decks: the template is parsed once per font set (one engine's), not for every deck (issue 21).

Each deck gets its own presentation part, core and extended properties on the parsed
masters, layouts, themes and media, which no deck changes; what is learnt about the layouts
(placeholders, boxes, inherited styles) is kept with them."""

from __future__ import annotations

import datetime as dt
import io
import shutil
from pathlib import Path

from pptx import Presentation

import leaflets.render.deck_template as deck_template
from leaflets import Engine, Project
from leaflets.render.deck_template import DeckTemplate, parsed_templates
from leaflets.render import fontset
from leaflets.render.fontset import FontSet
from leaflets.resources import resources

CREATED = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)
RENAMED = Path(__file__).parent / "templates" / "renamed-layouts.pptx"


def _count_parses(monkeypatch) -> list[int]:
    parses = [0]
    parse = deck_template.Presentation

    def counted(*args, **kwargs):
        parses[0] += 1
        return parse(*args, **kwargs)

    monkeypatch.setattr(deck_template, "Presentation", counted)
    return parses


def test_the_template_is_parsed_once_per_font_set_and_decks_do_not_change_it(monkeypatch):
    from leaflets.render.pptx import render_deck
    from leaflets.render.reproducible import normalize_zip

    parses = _count_parses(monkeypatch)
    engine = Engine(Project())
    document = engine.localize(engine.topics()[0], "en")
    fonts = FontSet(resources().fonts_dir)  # its own: no template parsed yet
    decks = []
    for _ in range(2):
        out = io.BytesIO()
        render_deck(document, out, fonts=fonts, created=CREATED.replace(tzinfo=None))
        decks.append(normalize_zip(out.getvalue(), CREATED))
    assert parses[0] == 1
    # the second deck is the first's bytes: no slide, property or section of the first is left
    # in the parts both share
    assert decks[1] == decks[0]
    out = io.BytesIO()  # another font set (another engine's) parses its own
    render_deck(document, out, fonts=FontSet(resources().fonts_dir), created=CREATED.replace(tzinfo=None))
    assert parses[0] == 2 and normalize_zip(out.getvalue(), CREATED) == decks[0]
    # the engines of a process share the shipped fonts' set, and its templates
    before = parses[0]
    first = engine.render(document, "pptx", created=CREATED)
    assert Engine(Project()).render(document, "pptx", created=CREATED).data == first.data
    assert parses[0] - before <= 1


def test_a_deck_on_the_kept_template_asks_fewer_xpath_queries(xpath_queries):
    """What a deck learns about the layouts (placeholder tables, boxes, inherited styles) is kept
    on the shared layouts: the second deck does not ask again (was 52 queries a slide each)."""
    engine = Engine(Project())
    document = engine.localize(engine.topics()[0], "en")
    queries = xpath_queries
    from leaflets.render.pptx import render_deck
    fonts = FontSet(resources().fonts_dir)  # its own: no template parsed yet
    slides = render_deck(document, io.BytesIO(), fonts=fonts, created=CREATED.replace(tzinfo=None))
    cold, queries[0] = queries[0], 0
    render_deck(document, io.BytesIO(), fonts=fonts, created=CREATED.replace(tzinfo=None))
    assert queries[0] < cold * 0.75, (cold, queries[0])
    assert queries[0] / slides < 40, (queries[0], slides)  # 32 (52 when each deck parsed the template)


def test_a_presenters_template_changed_on_disk_is_parsed_again(tmp_path, monkeypatch):
    parses = _count_parses(monkeypatch)
    fonts = FontSet(resources().fonts_dir)
    path = tmp_path / "mine.pptx"
    shutil.copyfile(RENAMED, path)
    first = DeckTemplate(path, fonts=fonts)
    again = DeckTemplate(path, fonts=fonts)
    assert parses[0] == 1
    assert again.prs is not first.prs and again.prs.part is not first.prs.part
    assert [layout.name for layout in again.layouts()] == [layout.name for layout in first.layouts()]
    Presentation().save(path)  # python-pptx's own template, under the same name
    changed = DeckTemplate(path, fonts=fonts)
    assert parses[0] == 2
    assert [layout.name for layout in changed.layouts()] != [layout.name for layout in first.layouts()]
    assert len(parsed_templates(fonts)) == 2
    assert parsed_templates(FontSet(resources().fonts_dir)) is not parsed_templates(fonts)


def test_kept_templates_are_bounded(tmp_path, monkeypatch):
    monkeypatch.setitem(fontset.CACHE_SIZES, "templates", 2)
    fonts = FontSet(resources().fonts_dir)
    for n in range(4):
        path = tmp_path / f"t{n}.pptx"
        prs = Presentation()
        prs.core_properties.title = f"template {n}"  # four files, four digests
        prs.save(path)
        DeckTemplate(path, fonts=fonts)
    assert len(parsed_templates(fonts)) == 2


def test_layout_drawings_are_read_once_per_layout(monkeypatch):
    """Whether the renderer's own text lies on a drawn shape of the layout was answered by walking
    the layout's and master's shape trees at every question (412 walks for ten decks)."""
    read = []
    walk = DeckTemplate._read_drawings
    monkeypatch.setattr(DeckTemplate, "_read_drawings",
                        staticmethod(lambda layout: read.append(layout) or walk(layout)))
    engine = Engine(Project())
    document = engine.localize(engine.topics()[0], "ar")  # right-to-left: the chrome asks most
    from leaflets.render.pptx import render_deck
    fonts = FontSet(resources().fonts_dir)
    for _ in range(2):
        render_deck(document, io.BytesIO(), fonts=fonts, created=CREATED.replace(tzinfo=None))
    assert read and len(read) == len({id(layout) for layout in read}), len(read)



def test_a_template_whose_parts_point_at_what_a_deck_changes_is_parsed_for_each_deck():
    """A package where a part other than the package relates the presentation part or the
    properties (a crafted file) cannot share its parts: each deck would reach both the copy and
    the original. Such a template is parsed for each deck, as before, and decks share nothing."""
    from pptx.opc.constants import RELATIONSHIP_TYPE as RT

    plain = deck_template._Source(lambda: Presentation(str(RENAMED)))  # noqa: SLF001
    assert plain.shared
    parses = []

    def parse():
        prs = Presentation(str(RENAMED))
        if not parses:  # the first parse: a layout relates the core properties
            prs.slide_layouts[0].part.relate_to(prs.part.package.core_properties, RT.CORE_PROPERTIES)
        parses.append(prs)
        return prs

    crafted = deck_template._Source(parse)  # noqa: SLF001
    assert not crafted.shared
    prs, resolved, colors, facts = crafted.presentation()
    assert len(parses) == 2 and prs is parses[1] and resolved == {} and colors == {}
    again, resolved_again, _, facts_again = crafted.presentation()
    assert len(parses) == 3 and again.slide_layouts[0] is not prs.slide_layouts[0] and resolved_again is not resolved
    assert facts_again is not facts


def test_which_footers_move_is_decided_once_per_template_locale_and_texts(monkeypatch):
    """Which footer texts some layout has no room for (:func:`~leaflets.render.slides.chrome.moved_footers`)
    was measured over every usable layout for each deck; it is a fact of the template, the locale and
    the two texts, kept with the template for the decks after."""
    from leaflets.render.pptx import render_deck

    asked = []
    usable = DeckTemplate.usable_layouts
    monkeypatch.setattr(DeckTemplate, "usable_layouts", lambda self: asked.append(self) or usable(self))
    engine = Engine(Project())
    fonts = FontSet(resources().fonts_dir)
    for locale in ("en", "ar", "en"):
        render_deck(engine.localize(engine.topics()[0], locale), io.BytesIO(), fonts=fonts,
                    created=CREATED.replace(tzinfo=None))
    assert len(asked) == 2  # English and Arabic once each
