"""The typed content model of one health topic.

A topic file is validated into these pydantic models, strictly: unknown keys,
missing keys and wrong types are errors.  English source text lives here;
translations live in PO catalogs keyed by that text.

A translatable string is either plain text or a plural group (``count``
names the fact that chooses the form, ``one``/``other`` are the English
forms).  Facts are typed data so that no number is ever typed into a
translation: text reaches them through ``{fact_id}`` placeholders.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal, Union

from pydantic import AfterValidator, BaseModel, ConfigDict, Discriminator, Field, StringConstraints, Tag

from leaflets.content.yamlsource import MAX_ID_LENGTH

# Ids name files (a topic id is in every output's name) and keys: short enough for any file system.
Identifier = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$", max_length=MAX_ID_LENGTH)]
Slug = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9-]*$", max_length=MAX_ID_LENGTH)]
NonEmpty = Annotated[str, StringConstraints(min_length=1)]


def _without_negative_zero(value: float) -> float:
    """``-0.0`` is 0: one value, whoever writes it (Babel wrote "0" in the handout, the deck's
    chart cache "-0.0")."""
    return value + 0.0


Real = Annotated[float, AfterValidator(_without_negative_zero)]


class Strict(BaseModel):
    """Base model: no unknown keys, no type coercion, immutable."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class PluralText(Strict):
    """A sentence whose wording depends on a count fact (CLDR plural rules)."""

    count: Identifier
    one: NonEmpty
    other: NonEmpty


def _text_kind(value: object) -> str:
    return "plural" if isinstance(value, (dict, PluralText)) else "text"


Text = Annotated[
    Union[Annotated[NonEmpty, Tag("text")], Annotated[PluralText, Tag("plural")]],
    Discriminator(_text_kind, custom_error_type="text_type",
                  custom_error_message="expected text, or a plural group with count, one and other"),
]


# ----------------------------------------------------------------- facts
class _Fact(Strict):
    ref: Identifier = Field(description="id of the reference this fact comes from")
    note: str | None = None


class CountFact(_Fact):
    """A whole number shown with the locale's grouping: 34, 1 234."""

    kind: Literal["count"]
    value: int = Field(ge=0, le=10**12)


class PercentFact(_Fact):
    """A percentage; ``value`` is in percent (10.7 means 10.7 %)."""

    kind: Literal["percent"]
    value: Real = Field(ge=0, le=100, allow_inf_nan=False)
    decimals: int | None = Field(default=None, ge=0, le=3)


class DecimalFact(_Fact):
    """A plain decimal number with a fixed number of decimals, such as a P value: 0.038, 0,038."""

    kind: Literal["decimal"]
    value: Real = Field(allow_inf_nan=False)
    decimals: int = Field(ge=0, le=6)


class LargeCountFact(_Fact):
    """A large count shown compactly: 17.8 million, 1780万."""

    kind: Literal["large_count"]
    value: int = Field(ge=0, le=10**15)
    decimals: int = Field(default=1, ge=0, le=2)


class CellDoseFact(_Fact):
    """A cell dose in scientific notation: 2.5 × 10⁷ (mantissa × 10^exponent)."""

    kind: Literal["cell_dose"]
    mantissa: float = Field(ge=1, lt=10, allow_inf_nan=False, description="1 <= mantissa < 10")
    exponent: int = Field(ge=-30, le=30)
    decimals: int = Field(default=1, ge=0, le=3)


class DurationFact(_Fact):
    """A duration with a unit, worded by CLDR unit patterns: 12 weeks."""

    kind: Literal["duration"]
    value: int = Field(ge=0, le=10_000)
    unit: Literal["day", "week", "month", "year"]


class YearFact(_Fact):
    """A calendar year, never grouped: 2017."""

    kind: Literal["year"]
    value: int = Field(ge=1000, le=9999)


class DateFact(_Fact):
    """A calendar date shown in the locale's long date format."""

    kind: Literal["date"]
    value: dt.date


class MonthFact(_Fact):
    """A month of a year, where the source gives no day: 'December 2021'."""

    kind: Literal["month"]
    year: int = Field(ge=1000, le=9999)
    month: int = Field(ge=1, le=12)


class NaturalFrequencyFact(_Fact):
    """A share said as a natural frequency, "about 1 in 10", for patients.

    Text uses ``{id.numerator}`` and ``{id.denominator}``, each formatted by
    Babel in the locale's digits; a plural group may count on the fact (its
    numerator: "1 in 10 children *has*", "3 in 10 children *have*").
    ``restates`` names the percent fact it rounds, so the two cannot drift
    apart (checked when the topic loads).
    """

    kind: Literal["natural_frequency"]
    numerator: int = Field(ge=1)
    denominator: int = Field(ge=2, le=1000)
    restates: Identifier | None = Field(default=None, description="id of the percent fact this rounds")

    @property
    def value(self) -> int:
        """The count that chooses plural forms: the numerator."""
        return self.numerator


FREQUENCY_PARTS = ("numerator", "denominator")

Fact = Annotated[
    Union[CountFact, PercentFact, LargeCountFact, CellDoseFact, DurationFact, YearFact, DateFact,
          MonthFact, NaturalFrequencyFact, DecimalFact],
    Field(discriminator="kind"),
]


class TextList(Strict):
    """A list of translatable items joined by the locale's list pattern.

    ``style`` is a :func:`babel.lists.format_list` style: ``standard`` (and),
    ``or``, or ``unit``.
    """

    items: list[NonEmpty] = Field(min_length=1)
    style: Literal["standard", "or", "unit"] = "standard"


# ------------------------------------------------------------ references
class ArticleReference(Strict):
    kind: Literal["article"]
    authors: list[NonEmpty] = Field(min_length=1)
    short: NonEmpty | None = Field(default=None, description="name in short citations; default: first author's surname")
    title: NonEmpty
    journal: NonEmpty
    year: int = Field(ge=1800, le=2100)
    volume: str | None = None
    pages: str | None = None
    doi: Annotated[str, StringConstraints(pattern=r"^10\.\d{4,9}/\S+$")] | None = Field(
        default=None, description="only a DOI checked against the publisher; leave it out rather than guess")


class WebReference(Strict):
    kind: Literal["web"]
    authors: list[NonEmpty] = Field(min_length=1, description="people or the publishing body")
    short: NonEmpty | None = Field(default=None, description="name in short citations, e.g. FDA")
    title: NonEmpty
    publisher: NonEmpty
    year: int | None = Field(default=None, ge=1800, le=2100)
    url: Annotated[str, StringConstraints(pattern=r"^https://\S+$")] | None = None


Reference = Annotated[Union[ArticleReference, WebReference], Field(discriminator="kind")]


# ---------------------------------------------------------------- blocks
class ParagraphBlock(Strict):
    paragraph: Text
    cite: list[Identifier] = Field(default_factory=list, description="references for claims with no fact")


class BulletsBlock(Strict):
    """A list; a ``checklist`` is a tool to take along (questions to ask), set with tick boxes."""

    bullets: list[Text] = Field(min_length=1)
    intro: Text | None = None
    checklist: bool = False
    cite: list[Identifier] = Field(default_factory=list, description="references for claims with no fact")


class CalloutBlock(Strict):
    """A boxed message; ``important`` is for safety and regulatory statements."""

    callout: Text
    tone: Literal["info", "important"] = "info"
    cite: list[Identifier] = Field(default_factory=list, description="references for claims with no fact")


class BoxBlock(Strict):
    """A visually distinct box of things to do, with its own heading.

    ``every_day`` is the daily self-care routine; ``get_help`` lists the signs
    that need care the same day (safety: rendered most prominently).
    """

    box: Literal["every_day", "get_help"]
    title: Text
    intro: Text | None = None
    bullets: list[Text] = Field(min_length=1)


# Checked in this order: a box also has bullets, so its key comes first.
BLOCK_KINDS = {"box": BoxBlock, "paragraph": ParagraphBlock, "bullets": BulletsBlock, "callout": CalloutBlock}


def _block_kind(value: object) -> str | None:
    keys = value.keys() if isinstance(value, dict) else type(value).model_fields.keys()
    for kind in BLOCK_KINDS:
        if kind in keys:
            return kind
    return None


Block = Annotated[
    Union[tuple(Annotated[model, Tag(kind)] for kind, model in BLOCK_KINDS.items())],
    Discriminator(_block_kind, custom_error_type="block_kind",
                  custom_error_message="expected a block with one of the keys: paragraph, bullets, callout, box"),
]


class TableSpec(Strict):
    header: list[Text] = Field(min_length=2)
    rows: list[list[Text]] = Field(min_length=1)


class ChartSpec(Strict):
    """A bar chart of percent facts; categories and titles are translatable."""

    kind: Literal["bar"] = "bar"
    title: Text
    series_name: Text
    categories: list[Text] = Field(min_length=1)
    values: list[Identifier] = Field(min_length=1, description="ids of percent facts, one per category")
    highlight: list[Identifier] = Field(default_factory=list, description="the values (fact ids) that carry the "
                                        "slide's message: their bars are drawn in the accent colour, the rest muted")


class DiagramLaneSpec(Strict):
    """One column (trial arm, study) or one rung (treatment step) of a diagram."""

    title: Text
    steps: list[Text] = Field(default_factory=list)
    emphasis: bool = False


class DiagramSpec(Strict):
    """A native shape diagram: ``lanes`` side by side or a ``ladder`` from the bottom up."""

    kind: Literal["lanes", "ladder"]
    alt: Text = Field(description="what the diagram shows, for screen readers")
    lanes: list[DiagramLaneSpec] = Field(min_length=2)


class DisclosureField(Strict):
    """A 'label: value' line of the disclosure slide; an empty value stays visible as a blank."""

    label: Text
    value: Text | None = None
    presenter: Literal["name", "financial", "support"] | None = Field(
        None, description="filled from a presenter profile (leaflets.presenter): the presenter's name, role "
                          "and institution, or their financial relationships or support")


SLIDE_KINDS = ("bullets", "section", "diagram", "closing", "disclosure")


class Slide(Strict):
    """A clinician slide.  ``kind`` defaults to bullets (or table/chart when
    those are given); ``section`` is a divider with an optional subtitle,
    ``closing`` puts a questions prompt in ``subtitle``, ``disclosure`` lists
    ``fields``.  ``investigational`` tags a slide about an unapproved therapy.
    """

    kind: Literal[SLIDE_KINDS] = "bullets"  # type: ignore[valid-type]
    title: Text
    assertion: Text | None = Field(
        None, description="a content slide's finding, shown as its title (assertion-evidence): 'Twice-weekly "
                          "maintenance reduces flares', not 'Topical therapy'; ``title`` then names the slide's "
                          "topic (its name in alt text and the deck's list of slides)")
    subtitle: Text | None = None
    bullets: list[Text] = Field(default_factory=list)
    fields: list[DisclosureField] = Field(default_factory=list)
    table: TableSpec | None = None
    chart: ChartSpec | None = None
    diagram: DiagramSpec | None = None
    investigational: bool = False
    notes: list[Text] = Field(min_length=1, description="speaker notes, one paragraph per item")
    cite: list[Identifier] = Field(default_factory=list, description="references for claims with no fact")


class Section(Strict):
    id: Identifier
    title: Text
    patient: list[Block] = Field(default_factory=list)
    clinician: list[Slide] = Field(default_factory=list)


class ReviewerNote(Strict):
    """Where the source article and the primary literature disagree."""

    about: list[Identifier] = Field(min_length=1, description="fact ids concerned")
    article_says: NonEmpty
    primary_source_says: NonEmpty
    decision: NonEmpty


class Meta(Strict):
    id: Slug
    title: Text
    subtitle: Text
    audience_patient: Text
    audience_clinician: Text
    content_version: Annotated[str, StringConstraints(pattern=r"^\d+\.\d+(\.\d+)?$")]
    last_reviewed: dt.date
    next_review: dt.date
    author: NonEmpty
    source_locale: Literal["en"] = "en"


# Placeholders a clinic profile fills (leaflets.clinic), with what each stands for in
# translator comments.  They may be used only in ``handout.whom_to_call.with_clinic``:
# the values are the clinic's data (names, phone numbers, opening hours formatted for
# the locale), so no translation ever holds a phone number.
CONTACT_PLACEHOLDERS: dict[str, str] = {
    "clinic_name": "the clinic's name, e.g. Riverside Skin Clinic",
    "clinic_phone": "the clinic's phone number, e.g. 555-0100",
    "clinic_hours": "the clinic's opening hours, written for your language, e.g. Mon-Fri 8:00 AM-6:00 PM",
    "clinic_out_of_hours_phone": "a phone number for evenings, nights and weekends, e.g. 555-0199",
    "emergency_number": "the local emergency number, e.g. 911 or 112",
}


class WhomToCall(Strict):
    """Who to call and when to go now, closing the ``get_help`` box.

    ``without_clinic`` is printed on a generic handout (no clinic profile);
    ``with_clinic`` on a clinic's edition, each line only if the profile has
    every value its ``{placeholders}`` name (see :data:`CONTACT_PLACEHOLDERS`).
    """

    without_clinic: list[Text] = Field(min_length=1)
    with_clinic: list[Text] = Field(min_length=1)


class Handout(Strict):
    key_message: Text
    closing: list[Block] = Field(min_length=1, description="'talk to your doctor' guidance")
    closing_title: Text
    whom_to_call: WhomToCall | None = Field(None, description="lines closing the 'get help' box")


class Deck(Strict):
    investigational_label: Text = Field(default="Investigational", description="short tag on every slide about an investigational therapy")
    disclosure: Slide
    objectives: Slide
    summary: Slide
    title_notes: list[Text] = Field(min_length=1)
    references_notes: list[Text] = Field(min_length=1)


class TranslationRules(Strict):
    """Rules for translators that belong to the content, not to anyone's catalog.

    They reach every catalog through the template (``locales extract``) and
    the checks read them from here, so a tool that drops a PO flag cannot
    drop a rule.  Length budgets come from the layout
    (:mod:`leaflets.content.messages`).
    """

    same_as_source: list[NonEmpty] = Field(
        default_factory=list,
        description="English strings of this topic that are right when a translation leaves them as they are "
                    "(names, acronyms); the 'same' check lets them through")


class Topic(Strict):
    topic: Meta
    references: dict[Identifier, Reference] = Field(min_length=1)
    facts: dict[Identifier, Fact] = Field(min_length=1)
    lists: dict[Identifier, TextList] = Field(default_factory=dict)
    sections: list[Section] = Field(min_length=1)
    handout: Handout
    deck: Deck
    reviewer_notes: list[ReviewerNote] = Field(default_factory=list)
    translation: TranslationRules = Field(default_factory=TranslationRules)
