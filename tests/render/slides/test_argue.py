"""Slides that argue: the chart's message in the title and its bars, continued slides that say
which part they are and have their own notes."""

from __future__ import annotations

from pptx import Presentation

from leaflets.build import load_translations
from leaflets.document import plain
from leaflets.localize import localize
from leaflets.render.slides.chrome import part_notes

NS = {"a": "http://schemas.openxmlformats.org/drawingml/2006/main",
      "c": "http://schemas.openxmlformats.org/drawingml/2006/chart",
      "p": "http://schemas.openxmlformats.org/presentationml/2006/main"}
DECK = "atopic-dermatitis-slides.pptx"


def test_the_chart_slide_states_its_finding_and_highlights_its_bars(built, project, loaded):
    for tag in ("en", "ar"):
        prs = Presentation(str(built / tag / DECK))
        slide = next(s for s in prs.slides if any(sh.has_chart for sh in s.shapes))
        catalog = load_translations(project, tag)
        assert slide.shapes.title.text_frame.text == catalog.lookup("Moderate or severe disease in one child in three")
        space = next(sh for sh in slide.shapes if sh.has_chart).chart._chartSpace
        points = {int(dpt.find("c:idx", NS).get("val")): dpt for dpt in space.iter(f"{{{NS['c']}}}dPt")}
        # mild (not the message) is muted; moderate and severe keep the series' accent colour
        assert set(points) == {0}
        assert points[0].find(".//a:schemeClr", NS).get("val") == "tx1"
        series = space.find(".//c:ser/c:spPr//a:schemeClr", NS)
        assert series.get("val") == "accent1"


def test_continued_slides_say_which_part_and_have_their_own_notes(built, project, loaded):
    for tag in ("en", "de", "ar", "zh-Hans"):
        document = localize(loaded, tag, load_translations(project, tag))
        prs = Presentation(str(built / tag / DECK))
        titles = [s.shapes.title.text_frame.text if s.shapes.title is not None else "" for s in prs.slides]
        notes = [s.notes_slide.notes_text_frame.text for s in prs.slides]
        continued = 0
        digits = document.footer.number

        def titled(base: str, k: int, n: int) -> str:
            return (document.deck.continued.replace("{title}", base).replace("{part}", digits(k))
                    .replace("{parts}", digits(n)))

        for spec in document.deck.slides:
            base = plain(spec.title)
            n = next((n for n in range(2, 8) if titled(base, 1, n) in titles), 0)
            if not n:
                assert base in titles or spec.kind == "title", (tag, base)  # one slide: its own title
                continue
            continued += 1
            first = titles.index(titled(base, 1, n))
            parts = list(range(first, first + n))
            assert [titles[i] for i in parts] == [titled(base, k + 1, n) for k in range(n)], (tag, base)
            shares = [notes[i] for i in parts]
            assert all(share.strip() for share in shares), (tag, base)
            assert len(set(shares)) > 1, (tag, base)  # not the same notes word for word on every part
            whole = " ".join(spec.notes)
            assert all(piece in whole for share in shares for piece in share.split("\n")), (tag, base)
        # the references continue in every locale; since the tables carry about 40 words
        # (issue 20) and the first column is measured, no table of the shipped deck continues
        assert continued >= 1, tag


def test_notes_are_shared_out_by_paragraph_then_sentence():
    assert part_notes(("A.", "B.", "C.", "D."), 2) == [("A.", "B."), ("C.", "D.")]
    assert part_notes(("One. Two. Three.",), 3) == [("One.",), ("Two.",), ("Three.",)]
    assert part_notes(("一句。二句。",), 2) == [("一句。",), ("二句。",)]
    assert part_notes(("Only one.",), 2) == [("Only one.",), ("Only one.",)]


def test_bullets_can_build_in_one_click_at_a_time(loaded, project):
    """--build-in: each bulleted body's paragraphs appear one click at a time, in order; the
    slides stay schema-valid; without it no slide has a timing."""
    import io
    import zipfile

    from lxml import etree

    from leaflets.render.pptx import render_deck
    from tests.render.test_pptx import SCHEMAS

    document = localize(loaded, "en", load_translations(project, "en"))
    plain_deck, built_in = io.BytesIO(), io.BytesIO()
    render_deck(document, plain_deck)
    render_deck(document, built_in, build_in=True)
    assert not any(s._element.find("p:timing", NS) is not None for s in Presentation(plain_deck).slides)
    pml = etree.XMLSchema(etree.parse(str(SCHEMAS / "pml.xsd")))
    timed = 0
    for slide in Presentation(built_in).slides:
        timing = slide._element.find("p:timing", NS)
        if timing is None:
            continue
        timed += 1
        assert pml.validate(slide._element), pml.error_log
        spid = timing.find(".//p:bldP", NS).get("spid")
        body = next(s for s in slide.placeholders if str(s.shape_id) == spid)
        ranges = [int(r.get("st")) for r in timing.iter(f"{{{NS['p']}}}pRg")]
        assert ranges == list(range(len(body.text_frame.paragraphs)))
        assert slide.slide_layout.name in ("Title and Content",)
    assert timed >= 5
    with zipfile.ZipFile(built_in) as package:
        assert all(pml.validate(etree.fromstring(package.read(n))) for n in package.namelist()
                   if n.startswith("ppt/slides/slide") and n.endswith(".xml"))
