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

from pydantic import BaseModel, ConfigDict, Discriminator, Field, StringConstraints, Tag

Identifier = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$")]
Slug = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9-]*$")]
NonEmpty = Annotated[str, StringConstraints(min_length=1)]


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
    value: float = Field(ge=0, le=100, allow_inf_nan=False)
    decimals: int | None = Field(default=None, ge=0, le=3)


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


Fact = Annotated[
    Union[CountFact, PercentFact, LargeCountFact, CellDoseFact, DurationFact, YearFact, DateFact],
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
    title: NonEmpty
    journal: NonEmpty
    year: int = Field(ge=1800, le=2100)
    volume: str | None = None
    pages: str | None = None
    doi: Annotated[str, StringConstraints(pattern=r"^10\.\d{4,9}/\S+$")]


class WebReference(Strict):
    kind: Literal["web"]
    authors: list[NonEmpty] = Field(min_length=1, description="people or the publishing body")
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
    bullets: list[Text] = Field(min_length=1)
    intro: Text | None = None


class CalloutBlock(Strict):
    """A boxed message; ``important`` is for safety and regulatory statements."""

    callout: Text
    tone: Literal["info", "important"] = "info"


BLOCK_KINDS = {"paragraph": ParagraphBlock, "bullets": BulletsBlock, "callout": CalloutBlock}


def _block_kind(value: object) -> str | None:
    keys = value.keys() if isinstance(value, dict) else type(value).model_fields.keys()
    for kind in BLOCK_KINDS:
        if kind in keys:
            return kind
    return None


Block = Annotated[
    Union[tuple(Annotated[model, Tag(kind)] for kind, model in BLOCK_KINDS.items())],
    Discriminator(_block_kind, custom_error_type="block_kind",
                  custom_error_message="expected a block with one of the keys: paragraph, bullets, callout"),
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


class Slide(Strict):
    title: Text
    bullets: list[Text] = Field(default_factory=list)
    table: TableSpec | None = None
    chart: ChartSpec | None = None
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


class Handout(Strict):
    key_message: Text
    closing: list[Block] = Field(min_length=1, description="'talk to your doctor' guidance")
    closing_title: Text


class Deck(Strict):
    disclosure: Slide
    objectives: Slide
    summary: Slide
    title_notes: list[Text] = Field(min_length=1)
    references_notes: list[Text] = Field(min_length=1)


class Topic(Strict):
    topic: Meta
    references: dict[Identifier, Reference] = Field(min_length=1)
    facts: dict[Identifier, Fact] = Field(min_length=1)
    lists: dict[Identifier, TextList] = Field(default_factory=dict)
    sections: list[Section] = Field(min_length=1)
    handout: Handout
    deck: Deck
    reviewer_notes: list[ReviewerNote] = Field(default_factory=list)
