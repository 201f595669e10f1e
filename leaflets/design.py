"""The look of the handouts and decks as validated data: one :class:`Design`.

Colours, type sizes and their floors, paper sizes and page geometry, and the
policy that fits a handout to its page limit are data, validated as strictly
as a topic file (unknown keys, wrong types and inconsistent values are
errors).  Both renderers and the deck template generator read the design
they are given, and nothing else, so a clinic brand or a large-print variant
(later issues) is a second :class:`Design`, not a fork of the code:

- the handout (:mod:`leaflets.render.pdf`) takes its colours, text styles,
  papers, footer and box geometry, densities and page limit from it;
- the deck (:mod:`leaflets.render.pptx`) takes its type sizes and floors from
  it, and on the project's own template its theme colours and text styles,
  since that template is written from the design
  (:mod:`leaflets.render.deck_template_writer`);
- the build puts :meth:`Design.digest` into every file's fingerprint, so a
  changed colour rebuilds everything.

:data:`DEFAULT_DESIGN` is the project's look.  Deck geometry that only a deck
has (boxes in EMU on a 16:9 slide) stays in :mod:`leaflets.render.deck_design`.

Lengths are in points (1/72 inch); :data:`MM` and :data:`INCH` convert, with
ReportLab's own definitions, so a length written ``16 * MM`` here is the
same float the handout used when it was a constant.
"""

from __future__ import annotations

import hashlib
import json
import re
from functools import lru_cache
from typing import Annotated, Any, ClassVar, TypeVar

from pydantic import AfterValidator, BeforeValidator, Field, model_validator

from leaflets.content.model import Strict

INCH = 72.0
CM = INCH / 2.54
MM = CM * 0.1

HEX_COLOUR = re.compile(r"#[0-9A-Fa-f]{6}")
WCAG_TEXT_CONTRAST = 4.5  # WCAG 2.x success criterion 1.4.3 (AA), normal-size text


def _hex_colour(value: str) -> str:
    if not HEX_COLOUR.fullmatch(value):
        raise ValueError(f"{value!r} is not a colour: write it as #RRGGBB, six hexadecimal digits (e.g. #0B5D6B)")
    return value.upper()


def _tuple(value: Any) -> Any:
    """Lists (as YAML and JSON give them) are accepted for tuples: a design stays hashable."""
    return tuple(value) if isinstance(value, list) else value


Colour = Annotated[str, AfterValidator(_hex_colour)]
Points = Annotated[float, Field(gt=0, allow_inf_nan=False)]
Spacing = Annotated[float, Field(ge=0, allow_inf_nan=False)]
T = TypeVar("T")
Items = Annotated[tuple[T, ...], BeforeValidator(_tuple)]


def rgb(colour: str) -> str:
    """A palette colour as DrawingML writes it (``srgbClr val``): ``1F2933``."""
    return colour[1:]


def relative_luminance(colour: str) -> float:
    """WCAG 2.x relative luminance of an sRGB ``#RRGGBB`` colour."""
    channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(foreground: str, background: str) -> float:
    """WCAG 2.x contrast ratio of two colours, 1 to 21."""
    light, dark = sorted((relative_luminance(foreground), relative_luminance(background)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


# ------------------------------------------------------------------ colour
class Palette(Strict):
    """The named colours, each with one role in the handout and the deck.

    The deck's theme colour scheme is made from these
    (:func:`leaflets.render.deck_design.theme_colors`), so a slide and a
    handout page of one design use the same colours.  Every colour that is
    text on the paper is checked for WCAG AA contrast (4.5:1), as are the
    headings of the tinted boxes on their tints.
    """

    ink: Colour = Field("#1F2933", description="body text, footers; the deck's dk1")
    paper: Colour = Field("#FFFFFF", description="page and slide background; the deck's lt1")
    accent: Colour = Field("#0B5D6B", description="titles, headings, bullets, rules; the deck's dk2 and accent1")
    accent_tint: Colour = Field("#E8F3F5", description="info callouts and the daily-care box; the deck's lt2 "
                                                       "(table bands, diagram boxes)")
    accent_secondary: Colour = Field("#3E8E9B", description="the deck's accent5 (for a presenter's charts)")
    muted: Colour = Field("#52606D", description="secondary text: the deck's sources line and notice (accent3)")
    fallback_ink: Colour = Field("#6B7280", description="English stand-ins for untranslated text in the handout")
    warning: Colour = Field("#B45309", description="the draft-translation notice; the deck's accent4 "
                                                   "(the investigational tag)")
    caution: Colour = Field("#C77700", description="the rule of 'important' callouts; the deck's accent2 "
                                                   "(emphasised diagram headers)")
    caution_tint: Colour = Field("#FFF4E0", description="the background of 'important' callouts; the deck's accent6")
    danger: Colour = Field("#B42318", description="frame and heading of the 'get help the same day' box")
    danger_tint: Colour = Field("#FDECEA", description="background of the 'get help the same day' box")
    link: Colour = Field("#0B5D6B", description="hyperlinks in the deck (hlink)")
    visited_link: Colour = Field("#52606D", description="followed hyperlinks in the deck (folHlink)")

    @model_validator(mode="after")
    def _readable(self) -> Palette:
        pairs = [(role, "paper") for role in ("ink", "accent", "muted", "fallback_ink", "warning", "danger", "link")]
        pairs += [("ink", "accent_tint"), ("ink", "caution_tint"), ("ink", "danger_tint"),
                  ("accent", "accent_tint"), ("danger", "danger_tint")]
        for text, background in pairs:
            ratio = contrast(getattr(self, text), getattr(self, background))
            if ratio < WCAG_TEXT_CONTRAST:
                raise ValueError(
                    f"{text} {getattr(self, text)} on {background} {getattr(self, background)} has a contrast of "
                    f"{ratio:.2f}:1; text needs at least {WCAG_TEXT_CONTRAST}:1 (WCAG 2 AA)")
        return self


# -------------------------------------------------------------------- type
class TypeSize(Strict):
    """A text size and the smallest it may shrink to when fitting (points)."""

    size: Points
    floor: Points
    line: Points = Field(1.15, description="line height as a multiple of the size")

    @model_validator(mode="after")
    def _floor_below_size(self) -> TypeSize:
        if self.floor > self.size:
            raise ValueError(f"the floor {self.floor:g} pt is larger than the size {self.size:g} pt")
        return self


class LineSpec(Strict):
    """A size and its leading (baseline to baseline), in points."""

    size: Points
    leading: Points

    @model_validator(mode="after")
    def _lines_do_not_overlap(self) -> LineSpec:
        if self.leading < self.size:
            raise ValueError(f"the leading {self.leading:g} pt is less than the size {self.size:g} pt: lines "
                             "would overlap")
        return self


class TextSpec(LineSpec):
    """A handout text style set at one size, with the space around its paragraphs."""

    space_before: Spacing = 0
    space_after: Spacing = 0


class HandoutType(Strict):
    """The handout's text styles.  Body text never shrinks (its leading and spacing come
    from the density, :class:`Density`); headings and the title take the size their
    density gives, between their size and floor."""

    body: Points = Field(12, description="body text; a variant's min_body_size is the least it may be")
    item_space_after: Spacing = Field(1.5, description="between list items")
    heading: TypeSize = TypeSize(size=15, floor=12.5, line=1.2)
    heading_space_after: Spacing = 2
    title: TypeSize = TypeSize(size=22, floor=17, line=1.2)
    title_space_after: Spacing = 2
    subtitle: TextSpec = TextSpec(size=13, leading=16.5, space_after=2)
    audience: TextSpec = TextSpec(size=12, leading=15, space_after=6)
    small: TextSpec = Field(TextSpec(size=10, leading=12.5, space_before=4),
                            description="the line saying the handout is not medical advice")
    reference: TextSpec = TextSpec(size=8, leading=9.6, space_after=1.5)
    references_heading: LineSpec = Field(LineSpec(size=11, leading=13.5),
                                         description="spaced as the other headings")
    footer: Points = Field(9, description="the footer: content version, review date, language, page number")
    notice: TypeSize = Field(TypeSize(size=9, floor=9),
                             description="the translation notice in the footer; footer rows that do not fit the "
                                         "width shrink to its floor, then wrap")
    bullet_indent: Points = Field(14, description="room for a bullet or tick box before a list item")
    reference_indent: Points = Field(14, description="hanging indent: the number hangs, the entry's lines align")

    def sizes(self) -> dict[str, float]:
        """Every size and floor the handout can set text at, by name (for minimum-size checks)."""
        out = {"body": self.body, "footer": self.footer}
        for name in ("heading", "title", "notice"):
            spec: TypeSize = getattr(self, name)
            out[f"{name}.floor"] = spec.floor
        for name in ("subtitle", "audience", "small", "reference", "references_heading"):
            out[name] = getattr(self, name).size
        return out


TAG_MINIMUM = 18.0  # points: the deck's investigational tag, on a 13.33 x 7.5 in slide


class DeckType(Strict):
    """The deck's sizes, each with the floor fitting may shrink it to.  The project's
    template carries the sizes in its master and layouts; the renderer fits text down
    to the floors, on any template."""

    title: TypeSize = TypeSize(size=32, floor=24, line=1.0)
    deck_title: TypeSize = TypeSize(size=40, floor=28, line=1.0)
    subtitle: TypeSize = TypeSize(size=24, floor=20)
    body: TypeSize = TypeSize(size=24, floor=20)
    table: TypeSize = TypeSize(size=18, floor=16, line=1.0)
    references: TypeSize = TypeSize(size=14, floor=12)
    sources: TypeSize = TypeSize(size=12, floor=12)
    notice: TypeSize = TypeSize(size=12, floor=12)
    footer: TypeSize = TypeSize(size=12, floor=12, line=1.0)
    chart: TypeSize = TypeSize(size=18, floor=16, line=1.0)
    diagram: TypeSize = TypeSize(size=20, floor=16, line=1.0)
    questions: TypeSize = TypeSize(size=32, floor=24, line=1.0)
    tag: TypeSize = TypeSize(size=18, floor=18, line=1.0)  # beside the title, read from the back of a room
    notes: TypeSize = TypeSize(size=14, floor=12)
    body_space_after: Spacing = Field(10, description="points after each body paragraph (the master's style)")
    references_space_after: Spacing = 6

    @model_validator(mode="after")
    def _tag_readable_from_the_back(self) -> DeckType:
        # the "Investigational" tag is a warning the whole room must read (issue 20)
        if self.tag.size < TAG_MINIMUM:
            raise ValueError(f"the investigational tag's size {self.tag.size:g} pt is smaller than "
                             f"{TAG_MINIMUM:g} pt (it must read from the back of a room)")
        return self

    @model_validator(mode="after")
    def _footers_as_large_as_the_notice(self) -> DeckType:
        # a footer box too small for its text moves the text to the title and closing slides
        # rather than shrink it: so no footer is ever smaller than the notice's minimum
        if self.footer.floor < self.notice.floor:
            raise ValueError(f"the footer floor {self.footer.floor:g} pt is smaller than the notice floor "
                             f"{self.notice.floor:g} pt")
        return self


class TypeScale(Strict):
    """Type sizes and floors of the handout and of the deck."""

    handout: HandoutType = HandoutType()
    deck: DeckType = DeckType()


# -------------------------------------------------------------------- page
class Paper(Strict):
    """A paper size the handout is made for: its name in file names and ``--paper``, and
    its size in points, portrait."""

    name: Annotated[str, Field(pattern=r"^[a-z][a-z0-9-]*$")]
    width: Points
    height: Points


A4 = Paper(name="a4", width=210 * MM, height=297 * MM)
LETTER = Paper(name="letter", width=8.5 * INCH, height=11 * INCH)


class FooterSpec(Strict):
    """The running footer: rows of small text under a rule, clear of the paper's edges."""

    row_pitch: Points = Field(4 * MM, description="baseline to baseline of footer rows")
    edge: Points = Field(10 * MM, description="footer text never comes closer than this to any paper edge")
    gap: Points = Field(3 * MM, description="between the footer rule and the text frame")
    baseline_drop: Spacing = Field(2 * MM, description="the lowest footer row's baseline sits this far below the "
                                                       "margin (unless that is closer to the edge than edge)")
    rule_width: Points = 0.6
    rule_above: Points = Field(9, description="from the top row's baseline up to the rule")
    page_label_gap: Points = Field(4 * MM, description="between the footer text and 'page X of Y'")


class FrameSpec(Strict):
    """Callouts and action boxes: tinted frames around text."""

    padding_x: Spacing = 9
    padding_y: Spacing = 5
    callout_rule: Points = Field(3, description="the rule on a callout's start side")
    box_rule: Points = Field(0.8, description="the frame of the daily-care box")
    alert_rule: Points = Field(1.5, description="the frame of the 'get help the same day' box")
    space_before: Spacing = 3
    space_after: Spacing = 5


class PageSpec(Strict):
    """Papers, page geometry common to every density, and the page limit."""

    papers: Items[Paper] = Field((A4, LETTER), min_length=1)
    column_gap: Points = Field(5 * MM, description="between two columns (references, short lists)")
    footer: FooterSpec = FooterSpec()
    frames: FrameSpec = FrameSpec()
    page_limit: int = Field(2, ge=1, description="pages a handout may take: one sheet, printed on both sides")

    @model_validator(mode="after")
    def _papers_named_once(self) -> PageSpec:
        names = [paper.name for paper in self.papers]
        twice = sorted({name for name in names if names.count(name) > 1})
        if twice:
            raise ValueError(f"paper {', '.join(twice)} is listed more than once")
        return self

    def paper(self, name: str) -> Paper:
        """The paper called ``name``; a KeyError naming the design's papers if none is."""
        for paper in self.papers:
            if paper.name == name:
                return paper
        raise KeyError(f"no paper {name!r} in this design (its papers: "
                       f"{', '.join(p.name for p in self.papers)})")


# ----------------------------------------------------------------- variant
class Density(Strict):
    """How tightly the handout is set: one step of a variant's fit policy."""

    name: Annotated[str, Field(pattern=r"^[a-z][a-z0-9-]*$")]
    margin: Points
    leading: Points = Field(description="body text, baseline to baseline")
    space_after: Spacing = Field(description="after each body paragraph")
    heading_size: Points
    heading_before: Spacing
    title_size: Points

    TIGHTENS: ClassVar[tuple[str, ...]] = ("margin", "leading", "space_after", "heading_size", "heading_before",
                                           "title_size")


class Variant(Strict):
    """The fit policy: which densities are tried, in order, until the handout fits its page
    limit, and the sizes nothing may go below.  The standard variant keeps the body at
    12 pt and tightens spacing; a large-print variant (later) raises the minimum sizes
    and lifts the page limit."""

    name: Annotated[str, Field(pattern=r"^[a-z][a-z0-9-]*$")] = "standard"
    densities: Items[Density] = Field(min_length=1, description="most comfortable first; each no looser "
                                                                "than the one before")
    fill_limit: float = Field(0.97, gt=0, le=1, description="a density is chosen when the measured story fills "
                                                            "at most this share of the pages")
    page_limit: int | None = Field(None, ge=1, description="replaces the page spec's limit (None: keep it)")
    min_body_size: Points = Field(12, description="body text is never smaller: readability for patients")
    min_text_size: Points = Field(6.5, description="no handout text is ever smaller")
    min_notice_size: Points = Field(9, description="the footer's review date and translation notice (content, "
                                                   "in the language and in English) are never smaller")
    two_column_item: int = Field(42, ge=0, description="a list whose items are all this short (in columns, "
                                                       "wide characters counting twice) is set in two columns")
    min_line_spacing: float = Field(1.0, ge=1, le=3, description="body leading and footer row pitch, as a "
                                                                 "multiple of their size, are at least this")
    italics: bool = Field(True, description="False: no text is set in italics (large print; emphasis is bold)")
    reference_columns: int = Field(2, ge=1, le=2, description="columns of the reference list")
    offers_editions: bool = Field(True, description="a clinic's edition offers large print and other languages")

    @model_validator(mode="after")
    def _ordered(self) -> Variant:
        names = [d.name for d in self.densities]
        if len(set(names)) != len(names):
            raise ValueError(f"density names must differ: {', '.join(names)}")
        for looser, tighter in zip(self.densities, self.densities[1:]):
            grown = [f for f in Density.TIGHTENS if getattr(tighter, f) > getattr(looser, f)]
            if grown:
                raise ValueError(f"density {tighter.name!r} is looser than {looser.name!r} before it "
                                 f"({', '.join(grown)}): densities go from the most comfortable to the tightest")
        return self


STANDARD = Variant(densities=(
    Density(name="comfortable", margin=16 * MM, leading=15.6, space_after=5, heading_size=15, heading_before=7,
            title_size=22),
    Density(name="compact", margin=14 * MM, leading=14.8, space_after=3.5, heading_size=14, heading_before=5,
            title_size=20),
    Density(name="tight", margin=12 * MM, leading=14.2, space_after=2.5, heading_size=13.5, heading_before=3.5,
            title_size=19),
    Density(name="tightest", margin=10 * MM, leading=13.8, space_after=2, heading_size=13, heading_before=3,
            title_size=18),
    Density(name="densest", margin=9 * MM, leading=13.3, space_after=1.5, heading_size=12.5, heading_before=2.5,
            title_size=17),
))


# ------------------------------------------------------------------ design
class Design(Strict):
    """Everything about how handouts and decks look, checked as a whole."""

    name: Annotated[str, Field(pattern=r"^[a-z][a-z0-9-]*$")] = "leaflets"
    palette: Palette = Palette()
    type: TypeScale = TypeScale()
    page: PageSpec = PageSpec()
    variant: Variant = STANDARD

    @model_validator(mode="after")
    def _consistent(self) -> Design:
        handout, variant = self.type.handout, self.variant
        if handout.body < variant.min_body_size:
            raise ValueError(f"the body size {handout.body:g} pt is below the {variant.name} variant's minimum "
                             f"body size, {variant.min_body_size:g} pt")
        small = {name: size for name, size in handout.sizes().items() if size < variant.min_text_size}
        if small:
            raise ValueError(f"handout text below the {variant.name} variant's minimum size "
                             f"({variant.min_text_size:g} pt): "
                             + ", ".join(f"{name} {size:g} pt" for name, size in small.items()))
        notices = {"footer": handout.footer, "notice.floor": handout.notice.floor}
        small = {name: size for name, size in notices.items() if size < variant.min_notice_size}
        if small:
            raise ValueError(f"the footer's review date and translation notice below the {variant.name} variant's "
                             f"minimum notice size ({variant.min_notice_size:g} pt): "
                             + ", ".join(f"{name} {size:g} pt" for name, size in small.items()))
        narrowest = min(paper.width for paper in self.page.papers)
        spaced = max(handout.footer, handout.notice.size) * variant.min_line_spacing
        if self.page.footer.row_pitch < spaced - 1e-9:
            raise ValueError(f"footer rows {self.page.footer.row_pitch:g} pt apart are closer than the "
                             f"{variant.name} variant's line spacing ({spaced:g} pt)")
        for density in variant.densities:
            where = f"density {density.name!r}"
            if not handout.heading.floor <= density.heading_size <= handout.heading.size:
                raise ValueError(f"{where}: heading size {density.heading_size:g} pt is outside the type scale's "
                                 f"{handout.heading.floor:g} to {handout.heading.size:g} pt")
            if not handout.title.floor <= density.title_size <= handout.title.size:
                raise ValueError(f"{where}: title size {density.title_size:g} pt is outside the type scale's "
                                 f"{handout.title.floor:g} to {handout.title.size:g} pt")
            if density.leading < handout.body:
                raise ValueError(f"{where}: leading {density.leading:g} pt is less than the body size "
                                 f"{handout.body:g} pt: lines would overlap")
            if density.leading < variant.min_line_spacing * handout.body - 1e-9:
                raise ValueError(f"{where}: leading {density.leading:g} pt is less than {variant.min_line_spacing:g} "
                                 f"times the body size {handout.body:g} pt (the {variant.name} variant's line "
                                 "spacing)")
            if 2 * density.margin >= narrowest / 2:
                raise ValueError(f"{where}: margins of {density.margin:g} pt leave less than half of the "
                                 f"narrowest paper ({narrowest:g} pt) for text")
        return self

    @property
    def page_limit(self) -> int:
        """The most pages a handout may take: the variant's limit, else the page spec's."""
        return self.variant.page_limit or self.page.page_limit

    def digest(self) -> str:
        """A digest of every value of the design: part of every output's fingerprint."""
        return design_digest(self)

    def updated(self, changes: dict[str, Any]) -> Design:
        """This design with ``changes`` (nested mappings, as a brand file would give them: a
        mapping replaces only the keys it names, any other value replaces the whole value),
        validated as a whole: a change that breaks a rule is a ValidationError, never a
        design that renders wrong.

        >>> DEFAULT_DESIGN.updated({"type": {"handout": {"body": 13}}}).type.handout.body
        13.0
        """
        return Design.model_validate(_merged(self.model_dump(), changes))


def _merged(base: Any, changes: Any) -> Any:
    if isinstance(base, dict) and isinstance(changes, dict):
        return {**base, **{key: _merged(base.get(key), value) for key, value in changes.items()}}
    return changes


@lru_cache(maxsize=16)
def design_digest(design: Design) -> str:
    """``sha256:`` of the design's canonical JSON (cached: a design is immutable)."""
    data = json.dumps(design.model_dump(mode="json"), sort_keys=True, ensure_ascii=True, separators=(",", ":"))
    return "sha256:" + hashlib.sha256(data.encode()).hexdigest()


DEFAULT_DESIGN = Design()


# --------------------------------------------------------------- editions
LARGE_PRINT_VARIANT = Variant(
    name="large-print", min_body_size=18, min_text_size=16, min_line_spacing=1.5, italics=False,
    page_limit=12, fill_limit=0.97, two_column_item=0, reference_columns=1, offers_editions=False,
    densities=(
        Density(name="large", margin=15 * MM, leading=27, space_after=9, heading_size=24, heading_before=12,
                title_size=30),
        Density(name="large-compact", margin=12 * MM, leading=27, space_after=6, heading_size=22,
                heading_before=9, title_size=28),
    ))


def large_print(base: Design = DEFAULT_DESIGN) -> Design:
    """``base`` as a large-print edition: body 18 pt, headings 22 pt and more, nothing under 16 pt
    (footer, references and notices included), lines 1.5 apart, no italics, the page limit
    lifted.  Text is reflowed at these sizes, never scaled.  Colours stay the base's.

    Sizes follow the large-print guidance of the UK Association for Accessible Formats
    and RNIB (16 pt at least, 18 pt preferred for body text) and the 1.5 line spacing of
    WCAG 2 success criterion 1.4.12.
    """
    large = {
        "name": f"{base.name}-large-print",
        "type": {"handout": {
            "body": 18, "item_space_after": 4, "heading": {"size": 24, "floor": 22, "line": 1.25},
            "heading_space_after": 4, "title": {"size": 30, "floor": 28, "line": 1.2}, "title_space_after": 4,
            "subtitle": {"size": 20, "leading": 30, "space_after": 4},
            "audience": {"size": 18, "leading": 27, "space_after": 8},
            "small": {"size": 16, "leading": 24, "space_before": 6},
            "reference": {"size": 16, "leading": 24, "space_after": 4},
            "references_heading": {"size": 22, "leading": 27.5},
            "footer": 16, "notice": {"size": 16, "floor": 16},
            "bullet_indent": 22, "reference_indent": 26}},
        "page": {"footer": {"row_pitch": 24, "rule_above": 18}},
        "variant": LARGE_PRINT_VARIANT.model_dump(),
    }
    return base.updated(large)


def bilingual(base: Design = DEFAULT_DESIGN) -> Design:
    """``base`` as a bilingual edition: the same type and colours (each language is read at the
    standard sizes), the page limit lifted to 8 pages (four sheets: two languages of a 2-page
    handout, and room for a longer language and for languages of opposite directions, which
    are set on facing pages and leave the rest of a page empty; see leaflets.render.pdf)."""
    return base.updated({"name": f"{base.name}-bilingual",
                         "variant": {**base.variant.model_dump(), "name": "bilingual", "page_limit": 8}})


VARIANTS = ("standard", "large-print", "bilingual")  # the handout editions (``--variant``; leaflets.plan.VARIANTS too)


def design_for_variant(base: Design, variant: str | None) -> Design:
    """``base`` as the edition ``variant`` (None or ``standard``: ``base`` itself)."""
    if variant in (None, "standard"):
        return base
    if variant == "large-print":
        return large_print(base)
    if variant == "bilingual":
        return bilingual(base)
    raise ValueError(f"unknown variant {variant!r}; variants: {', '.join(VARIANTS)}")
