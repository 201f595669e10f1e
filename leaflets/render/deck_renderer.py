"""Format ``pptx``: the clinician deck, on the project's template or a presenter's (:mod:`leaflets.render.pptx`)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from leaflets.document import DECK, LocalizedDocument, Place
from leaflets.render.contract import Excerpt, Memo, Rendered, standard_file_name

if TYPE_CHECKING:
    from leaflets.design import Design


class DeckRenderer:
    """The deck as an editable PowerPoint file (see :class:`~leaflets.render.contract.Renderer`)."""

    format = "pptx"
    media_type = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
    output = DECK
    options = ("template", "build_in")

    def file_name(self, target) -> str:
        return standard_file_name(target, "slides", "pptx")

    def prepare(self, locales: set[str], fonts) -> None:
        """Import python-pptx (the text is measured with the fonts the handout registers)."""
        from leaflets.render import pptx  # noqa: F401

    def render(self, document, target, options, fonts) -> Rendered:
        data, slides = self._deck(document, target, options, fonts)
        return Rendered(data, slides, "slide")

    def measure(self, document, target, options, fonts) -> int:
        """The slide count, every slide's text fitted as :meth:`render` fits it, the package
        neither finished nor written (``check``)."""
        from leaflets.render.pptx import deck_slides
        return deck_slides(document, template=options.template, design=options.design_for(target), fonts=fonts,
                           build_in=bool(options.build_in))

    def excerpt(self, document, target, places: Sequence[Place], options, memo: Memo, fonts) -> Excerpt:
        """Only the slides that show ``places``, each with all its continuation slides and its
        number in the full deck.  Numbering needs how many slides every other document slide
        takes: ``memo`` remembers it from earlier previews (see :func:`slide_keys`); any slide it
        does not know is laid out and left out."""
        slides = document.deck.slides
        wanted = (set(range(len(slides))) if Place(DECK, "footer") in places
                  else {p.index for p in places if p.part == "slide"})
        keys = slide_keys(memo, document, options.template, options.design_for(target))
        numbers: dict[int, tuple[int, ...]] = {}
        data, _ = self._deck(document, target, options, fonts, only=wanted, counts=memo.known(keys), numbers=numbers)
        memo.learn(keys, {index: len(numbers[index]) for index in numbers})
        total = max((n for ns in numbers.values() for n in ns), default=0)
        return Excerpt(data, "slide", tuple(n for i in wanted for n in numbers[i]), total)

    @staticmethod
    def _deck(document, target, options, fonts, **partial) -> tuple[bytes, int]:
        """The deck and its slide count (``partial``: see :func:`~leaflets.render.pptx.render_deck`);
        with ``SOURCE_DATE_EPOCH`` its dates and zip times are that date."""
        from leaflets.render.pptx import render_deck
        from leaflets.render.reproducible import normalize_zip
        buffer = io.BytesIO()
        created = options.created or dt.datetime.now(dt.timezone.utc)
        slides = render_deck(document, buffer, template=options.template, design=options.design_for(target),
                             created=created.replace(tzinfo=None), fonts=fonts, build_in=bool(options.build_in),
                             **partial)
        data = buffer.getvalue()
        if options.created is not None:
            data = normalize_zip(data, options.created)
        return data, slides


def slide_keys(memo: Memo, document: LocalizedDocument, template: Path | None, design: Design) -> list[str]:
    """A key for each document slide: a digest of what decides how many slides it takes.

    A slide continues on more slides when its text does not fit; that depends on the
    slide itself, the deck-wide text around it (footer, notices), the locale, the
    template and the design (its sizes and floors; and the fonts and generator, which
    the memo adds), and on every other slide: the deck has one body and one table size,
    the smallest any slide's text fits at (:func:`~leaflets.render.pptx.render_deck`)."""
    around = {"template": memo.file_digest(template) if template else None, "design": design.digest(),
              "locale": document.locale,
              "office_lang": document.office_lang, "direction": document.direction,
              "footer": dataclasses.asdict(document.footer),
              "deck": {f: getattr(document.deck, f) for f in ("title", "subtitle", "audience", "kind_label")},
              "slides": [dataclasses.asdict(slide) for slide in document.deck.slides]}
    return memo.keys("slide layout", around, [dataclasses.asdict(slide) for slide in document.deck.slides])
