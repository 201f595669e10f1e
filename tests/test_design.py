"""The design as validated data: defaults, rules and their messages, digest."""

from __future__ import annotations

import pytest
from pydantic import ValidationError
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.units import mm

from leaflets.design import DEFAULT_DESIGN, Design, Palette, TypeSize, contrast


def _error(changes: dict) -> str:
    with pytest.raises(ValidationError) as caught:
        DEFAULT_DESIGN.updated(changes)
    return str(caught.value)


def test_the_default_is_the_handout_and_deck_look():
    design = DEFAULT_DESIGN
    assert [(p.name, (p.width, p.height)) for p in design.page.papers] == [("a4", A4), ("letter", LETTER)]
    assert design.page_limit == 2 and design.type.handout.body == 12
    assert [(d.name, d.margin) for d in design.variant.densities] == [
        ("comfortable", 16 * mm), ("compact", 14 * mm), ("tight", 12 * mm), ("tightest", 10 * mm), ("densest", 9 * mm)]
    assert (design.palette.ink, design.palette.accent) == ("#1F2933", "#0B5D6B")
    assert (design.type.deck.body.size, design.type.deck.body.floor) == (24, 20)


def test_colours_are_hex_and_normalised():
    assert Palette(ink="#1f2933").ink == "#1F2933"
    for bad in ("red", "1F2933", "#1F29", "#GGGGGG"):
        assert "write it as #RRGGBB" in _error({"palette": {"ink": bad}}), bad


def test_text_colours_must_be_readable():
    message = _error({"palette": {"fallback_ink": "#A0A0A0"}})
    assert "fallback_ink #A0A0A0 on paper #FFFFFF has a contrast of 2.6" in message and "4.5:1" in message
    message = _error({"palette": {"danger": "#D04030"}})
    assert "danger #D04030 on danger_tint #FDECEA has a contrast of 4.12:1" in message
    assert contrast("#000000", "#FFFFFF") == pytest.approx(21)


def test_sizes_are_positive_and_floors_below_sizes():
    assert "greater than 0" in _error({"type": {"handout": {"footer": 0}}})
    assert "the floor 26 pt is larger than the size 24 pt" in _error({"type": {"deck": {"body": {"size": 24,
                                                                                                  "floor": 26}}}})
    with pytest.raises(ValidationError, match="floor 9 pt is larger than the size 8 pt"):
        TypeSize(size=8, floor=9)
    assert "leading 9 pt is less than the size 10 pt" in _error({"type": {"handout": {"small": {"size": 10,
                                                                                               "leading": 9}}}})
    assert "the footer floor 10 pt is smaller than the notice floor 12 pt" in _error(
        {"type": {"deck": {"footer": {"size": 12, "floor": 10}}}})


def test_variant_minimums_and_density_ranges():
    assert "body size 11 pt is below the standard variant's minimum body size, 12 pt" in _error(
        {"type": {"handout": {"body": 11}}})
    assert "below the standard variant's minimum size (9 pt): reference 8 pt" in _error(
        {"variant": {"min_text_size": 9}})
    # the review date and the translation notice: content a reader needs (they were 8.5 and 6.5 pt)
    assert "notice below the standard variant's minimum notice size (9 pt): footer 8.5 pt, notice.floor 6.5 pt" \
        in _error({"type": {"handout": {"footer": 8.5, "notice": {"size": 8, "floor": 6.5}}}})
    assert "density 'comfortable': heading size 15 pt is outside the type scale's 12.5 to 14 pt" in _error(
        {"type": {"handout": {"heading": {"size": 14, "floor": 12.5, "line": 1.2}}}})
    # a larger body needs leading to match: the tighter settings' 13.8 pt would overlap 14 pt lines
    assert "density 'tightest': leading 13.8 pt is less than the body size 14 pt" in _error(
        {"type": {"handout": {"body": 14}}})


def test_densities_go_from_comfortable_to_tight():
    densities = [d.model_dump() for d in DEFAULT_DESIGN.variant.densities]
    assert "density 'compact' is looser than 'tight' before it (margin, leading" in _error(
        {"variant": {"densities": [densities[0], densities[2], densities[1]]}})
    assert "density names must differ" in _error({"variant": {"densities": [densities[0], densities[0]]}})
    assert "at least 1 item" in _error({"variant": {"densities": []}})


def test_pages():
    a4 = DEFAULT_DESIGN.page.papers[0].model_dump()
    assert "paper a4 is listed more than once" in _error({"page": {"papers": [a4, a4]}})
    assert "greater than or equal to 1" in _error({"page": {"page_limit": 0}})
    assert DEFAULT_DESIGN.updated({"variant": {"page_limit": 4}}).page_limit == 4  # a variant lifts the limit
    with pytest.raises(KeyError, match="no paper 'a5' in this design"):
        DEFAULT_DESIGN.page.paper("a5")


def test_unknown_keys_and_wrong_types_are_errors():
    assert "Extra inputs are not permitted" in _error({"palette": {"inc": "#000000"}})
    assert "Input should be a valid number" in _error({"type": {"handout": {"body": "12"}}})


def test_designs_are_values_with_a_digest_of_every_value():
    """Equal designs hash and digest alike (they key caches and fingerprints); any change
    changes the digest; the JSON form (a brand file's) reads back to the same design."""
    again = Design.model_validate_json(DEFAULT_DESIGN.model_dump_json())
    assert again == DEFAULT_DESIGN and hash(again) == hash(DEFAULT_DESIGN)
    assert again.digest() == DEFAULT_DESIGN.digest()
    digests = {DEFAULT_DESIGN.digest()}
    for changes in ({"palette": {"accent": "#0B5D6C"}}, {"type": {"deck": {"notes": {"size": 15, "floor": 12}}}},
                    {"page": {"footer": {"edge": 11 * mm}}}, {"variant": {"fill_limit": 0.96}}):
        digests.add(DEFAULT_DESIGN.updated(changes).digest())
    assert len(digests) == 5
    with pytest.raises(ValidationError, match="frozen"):
        DEFAULT_DESIGN.palette.ink = "#000000"


def test_the_deck_geometry_is_checked_as_a_whole():
    """The template's boxes (deck-only, in EMU) are validated like the design: on the slide,
    footers in the title-safe area, content under the title."""
    from leaflets.render.deck_design import GEOMETRY, SLIDE_WIDTH, Box, DeckGeometry
    boxes = dict(GEOMETRY)
    with pytest.raises(ValidationError, match=r"the footer box Box\(.*\) is not on the 12192000 x 6858000 EMU"):
        DeckGeometry(**{**boxes, "footer": Box(SLIDE_WIDTH - 1000, GEOMETRY.footer.y, 2000, GEOMETRY.footer.cy)})
    with pytest.raises(ValidationError, match="the date box ends below the title-safe area"):
        DeckGeometry(**{**boxes, "date": Box(GEOMETRY.date.x, 6600000, GEOMETRY.date.cx, 200000)})
    with pytest.raises(ValidationError, match="the body box starts above the end of the title box"):
        DeckGeometry(**{**boxes, "body": Box(GEOMETRY.body.x, GEOMETRY.title.y, GEOMETRY.body.cx, GEOMETRY.body.cy)})
