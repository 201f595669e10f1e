"""Every translatable string of a topic, with where and for whom it appears.

This one walk over the model feeds three consumers: validation (placeholders
and markup are checked where they stand), catalog extraction (translator
comments say where a string appears, for which audience, which facts it may
use and its length budget) and tests.  The localizer translates the same
strings through :func:`leaflets.localize` and the labels in
:mod:`leaflets.i18n.labels`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from leaflets.content import inline
from leaflets.content.model import (
    BoxBlock, BulletsBlock, CalloutBlock, ParagraphBlock, PluralText, Slide, Topic,
)

# Characters a string should stay within so that it fits its box in the
# layouts (checked for every locale by the translation QA).
TITLE_BUDGET = 70
SLIDE_TITLE_BUDGET = 60
ASSERTION_BUDGET = 90  # two lines of the title box at its floor size
BULLET_BUDGET = 160
CELL_BUDGET = 90
LABEL_BUDGET = 30


@dataclass(frozen=True)
class SourceText:
    """One translatable string of the content model."""

    path: tuple
    text: str | PluralText
    where: str
    audience: str
    budget: int | None = None

    @property
    def msgid(self) -> str:
        return self.text.one if isinstance(self.text, PluralText) else self.text

    @property
    def msgid_plural(self) -> str | None:
        return self.text.other if isinstance(self.text, PluralText) else None

    @property
    def forms(self) -> tuple[str, ...]:
        if isinstance(self.text, PluralText):
            return (self.text.one, self.text.other)
        return (self.text,)

    def placeholders(self) -> list[str]:
        names: list[str] = []
        for form in self.forms:
            for name in inline.placeholders(form):
                if name not in names:
                    names.append(name)
        return names


def iter_texts(topic: Topic) -> Iterator[SourceText]:
    """Yield every translatable string in document order."""
    meta = topic.topic
    yield SourceText(("topic", "title"), meta.title, "handout title, deck title slide, PDF title", "both", TITLE_BUDGET)
    yield SourceText(("topic", "subtitle"), meta.subtitle, "handout subtitle, deck title slide", "both", 110)
    yield SourceText(("topic", "audience_patient"), meta.audience_patient, "handout header line", "patient", 60)
    yield SourceText(("topic", "audience_clinician"), meta.audience_clinician, "deck title slide", "clinician", 60)
    for key, lst in topic.lists.items():
        for i, item in enumerate(lst.items):
            yield SourceText(("lists", key, "items", i), item, f"list item of {{{key}}}", "both", LABEL_BUDGET)
    yield SourceText(("handout", "key_message"), topic.handout.key_message, "handout key-message box", "patient")
    for index, section in enumerate(topic.sections):
        base = ("sections", index)
        if section.patient:  # a section with no patient text has no handout heading
            yield SourceText(base + ("title",), section.title, f"handout heading of section '{section.id}'", "patient",
                             TITLE_BUDGET)
        for b, block in enumerate(section.patient):
            yield from _iter_block(base + ("patient", b), block, f"handout section '{section.id}'")
        for s, slide in enumerate(section.clinician):
            yield from _iter_slide(base + ("clinician", s), slide, f"slide in section '{section.id}'")
    yield SourceText(("handout", "closing_title"), topic.handout.closing_title, "handout heading of the closing guidance", "patient", TITLE_BUDGET)
    for b, block in enumerate(topic.handout.closing):
        yield from _iter_block(("handout", "closing", b), block, "handout closing guidance")
    calls = topic.handout.whom_to_call
    if calls is not None:
        for i, line in enumerate(calls.without_clinic):
            yield SourceText(("handout", "whom_to_call", "without_clinic", i), line,
                             "end of the 'get help' warning box: whom to call, on a handout without a clinic",
                             "patient", BULLET_BUDGET)
        for i, line in enumerate(calls.with_clinic):
            yield SourceText(("handout", "whom_to_call", "with_clinic", i), line,
                             "end of the 'get help' warning box: whom to call, on a clinic's own handout "
                             "(the clinic's name and numbers fill the placeholders)", "patient", BULLET_BUDGET)
    deck = topic.deck
    yield SourceText(("deck", "investigational_label"), deck.investigational_label,
                     "short tag on every slide about an investigational (unapproved) therapy", "clinician", LABEL_BUDGET)
    for i, note in enumerate(deck.title_notes):
        yield SourceText(("deck", "title_notes", i), note, "speaker notes of the title slide", "clinician")
    for name in ("disclosure", "objectives", "summary"):
        yield from _iter_slide(("deck", name), getattr(deck, name), f"{name} slide")
    for i, note in enumerate(deck.references_notes):
        yield SourceText(("deck", "references_notes", i), note, "speaker notes of the references slide", "clinician")


def _iter_block(path: tuple, block, where: str) -> Iterator[SourceText]:
    if isinstance(block, ParagraphBlock):
        yield SourceText(path + ("paragraph",), block.paragraph, f"{where}: paragraph", "patient")
    elif isinstance(block, CalloutBlock):
        yield SourceText(path + ("callout",), block.callout, f"{where}: boxed {block.tone} message", "patient")
    elif isinstance(block, BoxBlock):
        kind = {"every_day": "daily self-care box", "get_help": "'get help the same day' warning box"}[block.box]
        yield SourceText(path + ("title",), block.title, f"{where}: heading of the {kind}", "patient", TITLE_BUDGET)
        if block.intro is not None:
            yield SourceText(path + ("intro",), block.intro, f"{where}: sentence before the list in the {kind}", "patient")
        for i, item in enumerate(block.bullets):
            yield SourceText(path + ("bullets", i), item, f"{where}: list item in the {kind}", "patient", BULLET_BUDGET)
    elif isinstance(block, BulletsBlock):
        if block.intro is not None:
            yield SourceText(path + ("intro",), block.intro, f"{where}: sentence before a list", "patient")
        for i, item in enumerate(block.bullets):
            yield SourceText(path + ("bullets", i), item, f"{where}: list item", "patient", BULLET_BUDGET)


def _iter_slide(path: tuple, slide: Slide, where: str) -> Iterator[SourceText]:
    if slide.assertion is not None:
        yield SourceText(path + ("assertion",), slide.assertion,
                         f"{where}: slide title stating the slide's finding (a full statement, as a headline: "
                         f"keep it as cautious as the English)", "clinician", ASSERTION_BUDGET)
        yield SourceText(path + ("title",), slide.title,
                         f"{where}: the slide's topic (its name for screen readers and in the list of slides)",
                         "clinician", SLIDE_TITLE_BUDGET)
    else:
        yield SourceText(path + ("title",), slide.title, f"{where}: slide title", "clinician", SLIDE_TITLE_BUDGET)
    if slide.subtitle is not None:
        role = "questions prompt" if slide.kind == "closing" else "subtitle"
        yield SourceText(path + ("subtitle",), slide.subtitle, f"{where}: {role}", "clinician", BULLET_BUDGET)
    for i, item in enumerate(slide.bullets):
        yield SourceText(path + ("bullets", i), item, f"{where}: bullet", "clinician", BULLET_BUDGET)
    for i, entry in enumerate(slide.fields):
        yield SourceText(path + ("fields", i, "label"), entry.label,
                         f"{where}: label of a disclosure field (the presenter fills in the value)", "clinician",
                         BULLET_BUDGET)
        if entry.value is not None:
            yield SourceText(path + ("fields", i, "value"), entry.value, f"{where}: value of a disclosure field",
                             "clinician", BULLET_BUDGET)
    if slide.diagram is not None:
        diagram = slide.diagram
        for i, lane in enumerate(diagram.lanes):
            part = "rung of the treatment ladder" if diagram.kind == "ladder" else "column"
            yield SourceText(path + ("diagram", "lanes", i, "title"), lane.title, f"{where}: diagram {part} title",
                             "clinician", LABEL_BUDGET)
            for j, step in enumerate(lane.steps):
                yield SourceText(path + ("diagram", "lanes", i, "steps", j), step, f"{where}: diagram {part} step",
                                 "clinician", CELL_BUDGET)
        yield SourceText(path + ("diagram", "alt"), diagram.alt, f"{where}: diagram description for screen readers",
                         "clinician")
    if slide.table is not None:
        for i, cell in enumerate(slide.table.header):
            yield SourceText(path + ("table", "header", i), cell, f"{where}: table header", "clinician", LABEL_BUDGET)
        for r, row in enumerate(slide.table.rows):
            for c, cell in enumerate(row):
                yield SourceText(path + ("table", "rows", r, c), cell, f"{where}: table cell", "clinician", CELL_BUDGET)
    if slide.chart is not None:
        chart = slide.chart
        yield SourceText(path + ("chart", "title"), chart.title, f"{where}: chart title", "clinician", SLIDE_TITLE_BUDGET)
        yield SourceText(path + ("chart", "series_name"), chart.series_name, f"{where}: chart legend", "clinician", LABEL_BUDGET)
        for i, cat in enumerate(chart.categories):
            yield SourceText(path + ("chart", "categories", i), cat, f"{where}: chart category label", "clinician", LABEL_BUDGET)
    for i, note in enumerate(slide.notes):
        yield SourceText(path + ("notes", i), note, f"{where}: speaker notes", "clinician")
