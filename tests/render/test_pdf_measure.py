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
