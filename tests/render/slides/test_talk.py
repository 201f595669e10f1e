"""A deck that reads like a good conference talk (issue 20, item 5): every content slide's title
states its finding, content slides carry about 40 words (the rest is said in the notes), one
body size and one table size per deck, the key messages on one slide, and the
"Investigational" tag beside the title, large enough to read from the back of a room.

Every check runs over the deck of every shipped locale (the session's build)."""

from __future__ import annotations

import re

import pytest
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE, PP_PLACEHOLDER

from leaflets.build import load_translations
from leaflets.content.topicchecks import CONTENT_KINDS
from leaflets.document import plain
from leaflets.localize import localize

DECK = "atopic-dermatitis-slides.pptx"
CHROME = {"Sources", "Translation notice", "Footer text", "Investigational tag"}  # the renderer's own lines
FOOTERS = (PP_PLACEHOLDER.DATE, PP_PLACEHOLDER.FOOTER, PP_PLACEHOLDER.SLIDE_NUMBER)
WORDS = 40  # "about 40 words or fewer" per content slide: in English at most 42 ...
ABOUT = {"en": 1.05}
# ... and in a translation, counted in its own words and scaled by how many of them the language
# needs for the deck's notes (the same text in every language), at most 56: the same slide
# varies by up to a third between languages (Korean joins what English says in several words,
# Chinese headings are denser than its running text)
TRANSLATED = 1.4
HAN = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def words(text: str) -> int:
    """Words as a reader counts them: units between spaces that hold a letter or digit, and in
    Chinese (written without spaces) each character."""
    count = 0
    for token in text.split():
        count += len(HAN.findall(token)) + sum(1 for rest in HAN.sub(" ", token).split() if re.search(r"\w", rest))
    return count


def _document(project, loaded, tag):
    return localize(loaded, tag, load_translations(project, tag))


def _slides_of(prs, document):
    """Each document slide with the deck slides it took (its continuation slides too), in order."""
    slides = list(prs.slides)
    shown = [s.shapes.title.text_frame.text if s.shapes.title is not None else "" for s in slides]
    digits = document.footer.number

    def titled(base: str, k: int, n: int) -> str:
        return (document.deck.continued.replace("{title}", base).replace("{part}", digits(k))
                .replace("{parts}", digits(n)))

    out, position = [], 0
    for spec in document.deck.slides:
        title = plain(spec.title)
        parts = 1 if shown[position] == title else next(
            n for n in range(2, 9) if shown[position] == titled(title, 1, n))
        out.append((spec, slides[position:position + parts]))
        position += parts
    assert position == len(slides), "every slide of the deck belongs to a document slide"
    return out


def _shapes(shapes):
    """Every shape, those inside a group (a diagram's boxes) too."""
    for shape in shapes:
        if shape.shape_type == MSO_SHAPE_TYPE.GROUP:
            yield from _shapes(shape.shapes)
        else:
            yield shape


def _on_slide(slide) -> str:
    """The text a slide shows, but for the renderer's chrome (footers, sources, notice, tag):
    its title, text boxes, a diagram's boxes, table cells and chart labels."""
    texts = []
    for shape in _shapes(slide.shapes):
        if shape.is_placeholder and shape.placeholder_format.type in FOOTERS or shape.name in CHROME:
            continue
        if shape.has_text_frame:
            texts.append(shape.text_frame.text)
        if getattr(shape, "has_table", False) and shape.has_table:
            texts += [cell.text for row in shape.table.rows for cell in row.cells]
        if getattr(shape, "has_chart", False) and shape.has_chart:
            chart = shape.chart
            texts += list(chart.plots[0].categories) + ([chart.chart_title.text_frame.text] if chart.has_title else [])
    return " ".join(texts)


# ------------------------------------------------------------------------- assertion titles
def test_every_content_slide_of_the_shipped_topic_has_an_assertion(loaded):
    content = [slide for section in loaded.topic.sections for slide in section.clinician if slide.kind in CONTENT_KINDS]
    assert len(content) >= 16
    assert all(slide.assertion for slide in content), [s.title for s in content if not s.assertion]
    assert len({slide.assertion for slide in content}) == len(content)


def test_content_slides_are_titled_by_their_finding_in_every_locale(built, project, loaded, shipped):
    """The slide's title is the catalog's assertion; the topic names the slide where machines
    read it (a table's alt text), not on the slide."""
    source = [(slide.title, slide.assertion) for section in loaded.topic.sections for slide in section.clinician
              if slide.assertion]
    for tag in shipped:
        catalog = load_translations(project, tag)
        document = _document(project, loaded, tag)
        prs = Presentation(str(built / tag / DECK))
        argued = {spec.topic: plain(spec.title) for spec in document.deck.slides if spec.topic}
        assert len(argued) == len(source), tag
        by_title = {slide.shapes.title.text_frame.text: slide for slide in prs.slides if slide.shapes.title is not None}
        for title, assertion in source:
            topic = catalog.lookup(title)
            shown = argued[topic]
            if "{" not in assertion:
                assert shown == catalog.lookup(assertion), (tag, assertion)
            slide = by_title.get(shown) or next(s for t, s in by_title.items() if t.startswith(shown))
            assert topic not in slide.shapes.title.text_frame.text or topic in shown, (tag, topic)
            for shape in slide.shapes:
                if getattr(shape, "has_table", False) and shape.has_table:
                    props = shape._element.find(".//{http://schemas.openxmlformats.org/presentationml/2006/main}cNvPr")
                    assert props.get("title") == topic, (tag, props.get("title"), topic)


def test_assertion_numbers_are_the_documents_formatted_facts(built, project, loaded):
    """No digit typed into an assertion: the phase III title's figures are Babel's, in Arabic's digits."""
    for tag, cells, placebo in (("en", "31.8%", "27.2%"), ("de", "31,8\u00a0%", "27,2\u00a0%"),
                                ("ar", "٣١٫٨٪", "٢٧٫٢٪")):
        document = _document(project, loaded, tag)
        titles = [plain(s.title) for s in document.deck.slides if s.topic]
        title = next((t for t in titles if cells in t), None)
        assert title is not None and placebo in title, (tag, titles)
    source = next(s.assertion for section in loaded.topic.sections for s in section.clinician
                  if s.assertion and "phase3_easi50_cells" in s.assertion)
    assert not re.search(r"\d", re.sub(r"\{[^}]*\}|EASI-50", "", source))


# ------------------------------------------------------------------------------ 40 words
def test_content_slides_carry_about_40_words_and_the_notes_the_rest(built, project, loaded, shipped):
    """Every content slide (bullets, chart, table, diagram; each part of one that continues) and
    the key messages: at most about 40 words in English, and in every other language about as
    many of its own words, counted against the deck's notes (the same text in every language:
    Spanish needs 1.24 words for an English one, Chinese 1.76 characters).  A table's cells
    and a diagram's boxes count like bullets (issue 20: the trial tables carried 60 to 93)."""
    english = Presentation(str(built / "en" / DECK))
    english_notes = sum(words(s.notes_slide.notes_text_frame.text) for s in english.slides)
    over = []
    for tag in shipped:
        prs = Presentation(str(built / tag / DECK))
        ratio = sum(words(s.notes_slide.notes_text_frame.text) for s in prs.slides) / english_notes
        document = _document(project, loaded, tag)
        for spec, slides in _slides_of(prs, document):
            if not (spec.topic and spec.kind in ("bullets", "chart", "table", "diagram")) and spec.kind != "closing":
                continue
            for slide in slides:
                count, budget = words(_on_slide(slide)), WORDS * ABOUT.get(tag, TRANSLATED) * ratio
                if count > budget:
                    over.append(f"{tag}: {plain(spec.title)!r}: {count} words (budget {budget:.0f})")
                notes = slide.notes_slide.notes_text_frame.text
                assert words(notes) > 0, (tag, plain(spec.title))
    assert not over, "\n".join(over)


def test_moved_bullets_are_said_in_the_notes(built):
    """What left the slides is still said: the notes of the epidemiology slide carry the figures."""
    prs = Presentation(str(built / "en" / DECK))
    slide = next(s for s in prs.slides if s.shapes.title is not None
                 and s.shapes.title.text_frame.text.startswith("Most childhood atopic dermatitis remits"))
    notes = slide.notes_slide.notes_text_frame.text
    for figure in ("17.8 million", "10.7%", "65%", "later onset"):
        assert figure in notes
    assert "17.8 million" not in _on_slide(slide)


# ------------------------------------------------------------------- one size per deck
def _body_sizes(slide) -> set:
    """The sizes of the slide's body text (on a closing slide, the key messages' box, not the prompt)."""
    sizes = set()
    boxes = [shape for shape in slide.placeholders
             if shape.placeholder_format.type in (PP_PLACEHOLDER.OBJECT, PP_PLACEHOLDER.BODY)]
    for shape in boxes[:1]:
        for paragraph in shape.text_frame.paragraphs:
            sizes |= {run.font.size for run in paragraph.runs}
    return sizes


def _table_sizes(slide) -> set:
    return {run.font.size for shape in slide.shapes if getattr(shape, "has_table", False) and shape.has_table
            for row in shape.table.rows for cell in row.cells for p in cell.text_frame.paragraphs for run in p.runs}


def test_one_body_size_and_one_table_size_per_deck(built, project, loaded, shipped):
    for tag in shipped:
        prs = Presentation(str(built / tag / DECK))
        document = _document(project, loaded, tag)
        body, table = set(), set()
        for spec, slides in _slides_of(prs, document):
            for slide in slides:
                if spec.kind in ("bullets", "disclosure", "closing"):
                    body |= _body_sizes(slide)
                if spec.kind == "table":
                    table |= _table_sizes(slide)
        assert len(body) == 1, (tag, body)
        assert len(table) == 1, (tag, table)
        size = next(iter(body))
        assert size is None or 20 <= size.pt <= 24, (tag, size)  # None: the template's 24 pt


def test_key_messages_fit_one_slide_in_every_locale(built, project, loaded, shipped):
    for tag in shipped:
        document = _document(project, loaded, tag)
        prs = Presentation(str(built / tag / DECK))
        closing = next(s for s in document.deck.slides if s.kind == "closing")
        titles = [s.shapes.title.text_frame.text for s in prs.slides if s.shapes.title is not None]
        assert titles.count(plain(closing.title)) == 1, (tag, [t for t in titles if plain(closing.title) in t])


# ------------------------------------------------------------------------ the tag
@pytest.mark.parametrize("rtl_tag", ["ar"])
def test_investigational_tag_under_the_title_at_18_pt(built, project, loaded, shipped, rtl_tag):
    """Every slide about the investigational therapy has the tag right under its title, at the
    title's start side (the right in Arabic), at 18 pt or more, and nowhere else."""
    assert rtl_tag in shipped
    for tag in shipped:
        document = _document(project, loaded, tag)
        prs = Presentation(str(built / tag / DECK))
        rtl = document.direction == "rtl"
        for spec, slides in _slides_of(prs, document):
            for slide in slides:
                tags = [sh for sh in slide.shapes if sh.name == "Investigational tag"]
                assert len(tags) == (1 if spec.investigational else 0), (tag, plain(spec.title))
                if not tags:
                    continue
                shape, title = tags[0], slide.shapes.title
                runs = [r for p in shape.text_frame.paragraphs for r in p.runs]
                assert "".join(r.text for r in runs) == spec.investigational
                assert all(r.font.size is not None and r.font.size.pt >= 18 for r in runs), (tag, runs[0].font.size)
                bottom = title.top + title.height
                assert bottom <= shape.top <= bottom + 0.25 * 914400, (tag, plain(spec.title))  # within 1/4 in
                if rtl:
                    assert abs((shape.left + shape.width) - (title.left + title.width)) < 12700, tag
                else:
                    assert abs(shape.left - title.left) < 12700, tag
                # nothing under it: the content starts below the tag
                for other in slide.placeholders:
                    if other.placeholder_format.type in (PP_PLACEHOLDER.OBJECT, PP_PLACEHOLDER.BODY,
                                                         PP_PLACEHOLDER.TABLE, PP_PLACEHOLDER.CHART):
                        assert other.top >= shape.top + shape.height, (tag, plain(spec.title))
