"""Decks: a run's text is cut by font once per text and font stack for the decks a font set
measures, not character by character at every run written (issue 21)."""

from __future__ import annotations

import datetime as dt
import io

from leaflets import Engine, Project
from leaflets.render.fontset import FontSet
from leaflets.render.pptx import render_deck
from leaflets.render.reproducible import normalize_zip
from leaflets.render.slides.context import DeckContext
from leaflets.resources import resources


def test_runs_are_cut_by_font_once_per_font_set(monkeypatch):
    engine = Engine(Project())
    document = engine.localize(engine.topics()[0], "ar")  # Noto Sans Arabic lacks ( ) % ×: runs are cut
    cuts = []
    cut = DeckContext._segments
    monkeypatch.setattr(DeckContext, "_segments", lambda self, text: cuts.append(text) or cut(self, text))
    fonts = FontSet(resources().fonts_dir)
    first = io.BytesIO()
    render_deck(document, first, fonts=fonts, created=dt.datetime(2026, 1, 1))
    cold, cuts[:] = len(cuts), []
    assert cold > 100
    second = io.BytesIO()
    render_deck(document, second, fonts=fonts, created=dt.datetime(2026, 1, 1))
    assert cuts == []
    when = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)  # the zips' times as a build sets them
    assert normalize_zip(second.getvalue(), when) == normalize_zip(first.getvalue(), when)
