"""Handouts: the story measured to choose the density is the story drawn (issue 21)."""

from __future__ import annotations

import datetime as dt
import io

import pytest

from leaflets.build import load_translations
from leaflets.design import DEFAULT_DESIGN
from leaflets.localize import localize
from leaflets.render import pdf
from leaflets.render.fontset import FontSet
from leaflets.resources import resources

CREATED = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)


@pytest.fixture
def fonts():
    own = FontSet(resources().fonts_dir)
    yield own
    own.close()


@pytest.mark.parametrize("locale", ["en", "ar", "vi"])  # vi: references balanced in columns
def test_no_layout_pass_is_thrown_away(project, loaded, fonts, monkeypatch, locale):
    """Choosing the density measures each paper once per density tried; drawing A4 and
    Letter then lays out no story again, and the bytes are those of a fresh layout."""
    document = localize(loaded, locale, load_translations(project, locale))
    stories = []
    original = pdf.HandoutBuilder.story
    monkeypatch.setattr(pdf.HandoutBuilder, "story", lambda self, *args, **kwargs: stories.append(self) or original(self, *args, **kwargs))
    fills = []
    original_fill = pdf.fill
    monkeypatch.setattr(pdf, "fill", lambda *args: fills.append(args[1:3]) or original_fill(*args))
    measured = {}
    for paper in ("a4", "letter"):
        buffer = io.BytesIO()
        pdf.render_handout(document, buffer, paper, created=CREATED, fonts=fonts)
        measured[paper] = buffer.getvalue()
    chosen = pdf.choose_density(document, fonts=fonts)
    drawn = {(paper, chosen) for paper in measured}
    if chosen is not DEFAULT_DESIGN.variant.densities[-1]:  # (the densest is drawn when none fits: maybe unmeasured)
        assert drawn <= set(fills)  # both papers measured at the density drawn
    assert len(fills) == len(set(fills))
    assert len(stories) == len(set(fills) | drawn)  # each paper and density laid out once: drawn as measured
    fonts.clear_caches()  # no density, no measured story: laid out afresh
    for paper, data in measured.items():
        buffer = io.BytesIO()
        pdf.render_handout(document, buffer, paper, created=CREATED, fonts=fonts)
        assert buffer.getvalue() == data
    assert len(stories) == 2 * len(set(fills) | drawn)  # measured again, and again laid out once each


def test_measured_stories_are_bounded_and_drawn_once(project, loaded, fonts):
    document = localize(loaded, "en", load_translations(project, "en"))
    store = pdf._measured(fonts)
    density = DEFAULT_DESIGN.variant.densities[0]
    for index in range(10):
        store[("doc", index)] = ("builder", index)
    assert len(store._stories) == fonts.cache_sizes()["measured"][1] == pdf.CACHE_SIZES["measured"]
    pdf.fill(document, "a4", density, DEFAULT_DESIGN, fonts)
    key = (document, None, DEFAULT_DESIGN, "a4", density)
    assert store.take(key) is not None and store.take(key) is None


def _top_down(document, fonts) -> str:
    """The density the linear search from the most comfortable chose (the rule the
    search from the densest up must agree with)."""
    variant = DEFAULT_DESIGN.variant
    for density in variant.densities:
        if all(pdf.fill(document, paper, density, DEFAULT_DESIGN, fonts) <= variant.fill_limit
               for paper in ("letter", "a4")):
            return density.name
    return variant.densities[-1].name


@pytest.mark.parametrize("locale, thrown", [
    ("de", 0),  # fits no density by measurement: the densest, measured once per paper and drawn as measured
    ("en", 1),  # fits at the densest only: the tightest is measured to prove it, and thrown away
])
def test_density_search_throws_away_only_the_proof(project, loaded, fonts, monkeypatch, locale, thrown):
    """Issue 21: the search from the most comfortable density down laid out every looser density
    and threw it away (4 of 6 passes for both German papers); from the densest up, only the
    looser density that proves the choice is laid out and not drawn.  The choice is the one the
    search from the top makes (measured afresh in another font set)."""
    document = localize(loaded, locale, load_translations(project, locale))
    laid_out, drawn = [], []
    story, build = pdf.HandoutBuilder.story, pdf._build
    monkeypatch.setattr(pdf.HandoutBuilder, "story",
                        lambda self, *args, **kwargs: laid_out.append(1) or story(self, *args, **kwargs))
    monkeypatch.setattr(pdf, "_build", lambda *args: drawn.append(args[3].name) or build(*args))
    for paper in ("a4", "letter"):
        pdf.render_handout(document, io.BytesIO(), paper, created=CREATED, fonts=fonts)
    assert len(drawn) == 2 and len(laid_out) - len(drawn) == thrown
    monkeypatch.setattr(pdf.HandoutBuilder, "story", story)
    monkeypatch.setattr(pdf, "_build", build)
    reference = FontSet(resources().fonts_dir)
    try:
        assert drawn == [_top_down(document, reference)] * 2
    finally:
        reference.close()
