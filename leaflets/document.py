"""The localized document: what renderers consume, in any output format.

Everything here is already translated and every number already formatted
for the locale.  Blocks are explicit types (heading, paragraph, list,
callout, table, chart) rather than markup strings, so renderers stay thin
and a future tagged-PDF renderer can map each block to a structure element.

:func:`to_json` gives the stable text form used by the golden-file tests.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field
from typing import Union


@dataclass(frozen=True)
class Span:
    """A run of text with one style.  ``lang`` is set only where it differs
    from the document language: an untranslated stand-in (``fallback``), or
    English a translation keeps as it is (the search terms it quotes)."""

    text: str
    bold: bool = False
    italic: bool = False
    lang: str | None = None
    fallback: bool = False  # English standing in for a missing translation


Inline = tuple[Span, ...]


def plain(inline: Inline) -> str:
    """The text of an inline without styles."""
    return "".join(span.text for span in inline)


@dataclass(frozen=True)
class Heading:
    text: Inline
    level: int = 2


@dataclass(frozen=True)
class Paragraph:
    text: Inline
    citations: tuple[int, ...] = ()


@dataclass(frozen=True)
class BulletList:
    """A list; ``marker`` is ``bullet`` or ``checkbox`` (a checklist the reader can tick)."""

    items: tuple[Inline, ...]
    citations: tuple[int, ...] = ()
    marker: str = "bullet"


@dataclass(frozen=True)
class Callout:
    text: Inline
    tone: str = "info"
    citations: tuple[int, ...] = ()


@dataclass(frozen=True)
class Box:
    """A visually distinct box of things to do, with its own heading.

    ``tone`` is ``every_day`` (the daily self-care routine) or ``get_help``
    (signs that need care the same day: a safety message, set most
    prominently).  ``intro`` is an optional sentence before ``items``.
    """

    tone: str
    title: Inline
    items: tuple[Inline, ...]
    intro: Inline = ()
    citations: tuple[int, ...] = ()
    # ``get_help``: whom to call and when to go now (the clinic's numbers, or "your doctor,
    # nurse or pharmacist" and "your local emergency number"), set after the list.
    contacts: tuple[Inline, ...] = ()


BOX_TONES = ("every_day", "get_help")

Block = Union[Heading, Paragraph, BulletList, Callout, Box]


@dataclass(frozen=True)
class Table:
    header: tuple[Inline, ...]
    rows: tuple[tuple[Inline, ...], ...]


@dataclass(frozen=True)
class Chart:
    """A bar chart: values in percent, labels already formatted for the locale.

    ``alt`` says what the chart shows (for screen readers); ``number_format``
    is the spreadsheet number format of the values in the locale (e.g.
    ``0.0%``), computed by the localizer so renderers need no Babel.
    """

    title: str
    series_name: str
    categories: tuple[str, ...]
    values: tuple[float, ...]
    value_labels: tuple[str, ...]
    alt: str = ""
    number_format: str = ""
    highlight: tuple[int, ...] = ()  # indices of the bars that carry the slide's message


@dataclass(frozen=True)
class DiagramLane:
    """One column (``lanes``) or one rung (``ladder``) of a diagram."""

    title: Inline
    steps: tuple[Inline, ...] = ()
    emphasis: bool = False  # e.g. the placebo arm, or the rung a slide is about


@dataclass(frozen=True)
class Diagram:
    """A native shape diagram, localized like any other text.

    ``kind`` is ``lanes`` (parallel columns read top to bottom: trial arms,
    trial designs side by side) or ``ladder`` (rungs from the bottom up:
    a treatment ladder).  ``alt`` says what it shows, for screen readers.
    """

    kind: str
    lanes: tuple[DiagramLane, ...]
    alt: str = ""


@dataclass(frozen=True)
class ReferenceEntry:
    """A reference; its text stays in the language it was published in."""

    number: int
    text: str
    doi: str | None = None
    url: str | None = None
    lang: str = "en"


SLIDE_KINDS = ("title", "section", "bullets", "table", "chart", "diagram", "disclosure", "references", "closing")


@dataclass(frozen=True)
class Slide:
    """One slide.  ``kind`` picks the layout (see :data:`SLIDE_KINDS`):

    - ``section``: a section divider, ``title`` and optional ``subtitle``;
    - ``disclosure``: ``bullets`` are "label: value" fields (values may be
      empty but the labels stay visible);
    - ``closing``: key messages in ``bullets``, a questions prompt in ``subtitle``;
    - ``diagram``: ``diagram`` holds the shapes, ``bullets`` may add a caption.

    ``investigational`` is a short localized tag ("Investigational") shown on
    every slide about an investigational therapy; ``sources`` the short
    on-slide citation ("Sources: Kim 2017; Seo 2024").

    ``title`` is what the slide's title shows: on a content slide with an
    assertion, the finding it states; ``topic`` is then what the slide is
    about ("Topical therapy"), its name for screen readers and lists of
    slides (empty where the title is the topic).
    """

    kind: str
    title: Inline
    topic: str = ""
    bullets: tuple[Inline, ...] = ()
    subtitle: Inline = ()
    table: Table | None = None
    chart: Chart | None = None
    diagram: Diagram | None = None
    notes: tuple[str, ...] = ()
    sources: str = ""
    investigational: str = ""


@dataclass(frozen=True)
class Footer:
    """Footer text; ``page_template`` keeps {page} and {pages} for the renderer."""

    content_version: str
    reviewed: str
    language: str
    page_template: str
    digits: str = "0123456789"
    notice: tuple[str, ...] = ()  # review state: draft warning (own language, English) or reviewer credit
    notice_is_warning: bool = False
    # BCP 47 tag of each notice part, parallel to ``notice`` (the English half
    # of a translated draft notice is "en"); empty means the document's language.
    notice_langs: tuple[str, ...] = ()

    def number(self, value: int | str) -> str:
        """ASCII digits written in the document's digits (page and reference numbers)."""
        return str(value).translate(str.maketrans("0123456789", self.digits))

    def page_label(self, page: int, pages: int) -> str:
        return self.page_template.replace("{page}", self.number(page)).replace("{pages}", self.number(pages))


@dataclass(frozen=True)
class Image:
    """An image to place (a clinic's logo): its bytes, kind (``png``/``jpeg``), size in pixels,
    alt text and digest (the golden form keeps the digest, not the bytes)."""

    data: bytes = field(repr=False)
    kind: str = "png"
    width: int = 1
    height: int = 1
    alt: str = ""
    digest: str = ""


@dataclass(frozen=True)
class ClinicHeader:
    """A clinic edition's header: the clinic's name and logo, its contact lines (address,
    phone, web address), the QR code's target and alt text, and the offer of other editions."""

    name: str
    lines: tuple[str, ...]
    logo: Image | None = None
    qr_url: str | None = None
    qr_alt: str = ""
    offer: str = ""


@dataclass(frozen=True)
class Tagline:
    """One line of the language-assistance notice, in its own language: the text (from that
    language's catalog), its BCP 47 tag and its direction, so the renderer sets it in that
    script's fonts, direction and /Lang whatever the document's language."""

    text: str
    lang: str
    direction: str = "ltr"


@dataclass(frozen=True)
class PatientLine:
    """One line of the per-patient block ("For: Ana", "Follow-up: 3 March 2027"): the whole
    line as the reader sees it (label translated, date formatted by the localizer) and the
    label part, which the renderer sets in bold."""

    label: str
    text: str


@dataclass(frozen=True)
class Handout:
    title: str
    subtitle: str
    audience: str
    key_message: Callout
    blocks: tuple[Block, ...]
    not_advice: str
    references_title: str
    references: tuple[ReferenceEntry, ...]
    clinic: ClinicHeader | None = None  # a clinic's edition (leaflets.clinic); None: a generic handout
    taglines: tuple[Tagline, ...] = ()  # the language-assistance notice (a clinic's, if it asks for one)
    patient: tuple[PatientLine, ...] = ()  # one patient's download (leaflets.patient); never cached
    # a citation as a screen reader announces it ("Sources: {numbers}"; {numbers} for the renderer)
    citation_label: str = ""

    def citation_alt(self, numbers: list[str]) -> str:
        """What a citation of ``numbers`` (formatted) says to a screen reader."""
        joined = ", ".join(numbers)
        return self.citation_label.replace("{numbers}", joined) if self.citation_label else joined


@dataclass(frozen=True)
class Deck:
    title: str
    subtitle: str
    audience: str
    kind_label: str
    slides: tuple[Slide, ...]
    presenter: str = ""  # "name, role, institution" from a presenter profile, for the title slide
    date: str = ""  # the talk's date, formatted for the locale
    logo: Image | None = None  # a clinic's logo, on the title and closing slides
    # the title of a slide that continues: {title}, {part} and {parts} are the renderer's to fill
    continued: str = "{title} ({part}/{parts})"


HANDOUT, DECK = "handout", "deck"


@dataclass(frozen=True, order=True)
class Place:
    """Where a document shows a string, in the document's own structure (never
    pages or slide geometry: a renderer says where a place ends up).

    ``output`` is ``handout`` or ``deck``.  ``part`` is, in the handout,
    ``title``, ``subtitle``, ``audience``, ``key_message``, ``block`` (the
    ``index``-th of :attr:`Handout.blocks`), ``not_advice``, ``references``
    (the references heading) or ``footer`` (every page); in the deck,
    ``slide`` (the ``index``-th of :attr:`Deck.slides`, whatever number of
    slides it takes when rendered) or ``footer`` (every slide).
    """

    output: str
    part: str
    index: int = -1

    def __str__(self) -> str:
        return f"{self.output} {self.part}" + (f" {self.index}" if self.index >= 0 else "")


@dataclass(frozen=True)
class LocalizedDocument:
    topic_id: str
    locale: str  # BCP 47, e.g. "es", "zh-Hans"
    office_lang: str  # with region, e.g. "es-ES", for OOXML lang attributes
    language_name: str
    direction: str  # "ltr" | "rtl"
    title: str
    subject: str
    author: str
    handout: Handout
    deck: Deck
    footer: Footer
    warnings: tuple[str, ...] = field(default=())
    # the msgids English stands in for (a preview built with --allow-incomplete): such a
    # document is no print edition, so its handout may run past the page limit, with a warning
    stand_ins: tuple[str, ...] = ()
    # (msgid, text) for every string shown, so checks such as the glyph
    # preflight can name the source of a problem; not part of the golden form.
    texts: tuple[tuple[str, str], ...] = field(default=(), compare=False, repr=False)
    # (msgid, places) for every string shown: which parts of the handout and which
    # slides of the deck use it (``build --only``); not part of the golden form.
    uses: tuple[tuple[str, tuple[Place, ...]], ...] = field(default=(), compare=False, repr=False)

    def places(self, msgid: str) -> tuple[Place, ...]:
        """Every place that shows ``msgid`` (empty if the document does not use it)."""
        for used, places in self.uses:
            if used == msgid:
                return places
        return ()


def to_json(document: LocalizedDocument) -> str:
    """Stable, readable JSON of the whole document (golden files diff as text)."""
    return json.dumps(_plain(document), ensure_ascii=False, indent=1, sort_keys=False) + "\n"


def _plain(value):
    if dataclasses.is_dataclass(value):
        data = {"type": type(value).__name__}
        for f in dataclasses.fields(value):
            if f.name in ("texts", "uses") or isinstance(getattr(value, f.name), bytes):
                continue  # image bytes are in the golden form as their digest
            item = getattr(value, f.name)
            if item in (None, (), "") or (isinstance(value, Span) and item is False):
                continue
            data[f.name] = _plain(item)
        return data
    if isinstance(value, (tuple, list)):
        return [_plain(v) for v in value]
    return value
