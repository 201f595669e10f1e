"""The glyph preflight looks each distinct character up once (issue 21: it walked every character
of every string, 10 % of a cold build's localizing)."""

from __future__ import annotations

import unicodedata

from leaflets.build import load_translations
from leaflets.localize import localize
from leaflets.render import preflight
from leaflets.render.fontset import shipped_fonts


def test_each_distinct_character_is_looked_up_once(project, loaded, monkeypatch):
    translations = load_translations(project, "ar")
    document = localize(loaded, "ar", translations)
    fonts = shipped_fonts()
    asked = []
    original = type(fonts).family_covering
    monkeypatch.setattr(type(fonts), "family_covering",
                        lambda self, stack, ch: asked.append(ch) or original(self, stack, ch))
    assert preflight.missing_glyphs(document, loaded, translations, fonts) == []
    distinct = {ch for _, text in document.texts for ch in text
                if not ch.isspace() and unicodedata.category(ch) not in preflight.INVISIBLE}
    assert sorted(asked) == sorted(distinct)
    assert len(asked) < sum(len(text) for _, text in document.texts) / 20
