"""Format ``pdf``: the patient handout, one file per paper size (:mod:`leaflets.render.pdf`)."""

from __future__ import annotations

import io
from collections.abc import Sequence

from leaflets.document import HANDOUT, Place
from leaflets.render.contract import PAPER, Excerpt, Rendered, standard_file_name


class HandoutRenderer:
    """The handout as a tagged PDF (see :class:`~leaflets.render.contract.Renderer`)."""

    format = "pdf"
    media_type = "application/pdf"
    output = HANDOUT
    options = (PAPER,)
    # render and measure take ``layout``: the density a render of the same inputs drew
    # (leaflets.layoutmemo), and report the one they drew in Rendered.layout
    remembers_layout = True

    def file_name(self, target) -> str:
        return standard_file_name(target, "handout", "pdf")

    def prepare(self, locales: set[str], fonts) -> None:
        """Import ReportLab, register the font families of ``locales`` and read their coverage."""
        from leaflets.render import pdf  # noqa: F401
        from leaflets.render.fonts import UnsupportedScript, stack_for
        stacks = []
        for locale in sorted(locales):
            try:
                stacks.append(stack_for(locale))
            except UnsupportedScript:
                continue  # the glyph preflight reports it for that locale alone
        for family in dict.fromkeys(f for stack in stacks for f in stack):
            fonts.pdf_family(family)
            fonts.coverage(family.regular)
            fonts.coverage(family.bold)

    def render(self, document, target, options, fonts, second=None, layout: str | None = None) -> Rendered:
        """The handout; ``second`` is a bilingual target's second document (the same topic
        localized for ``target.second_locale``), which the engine passes for those alone.
        ``layout``: the density a render of the same inputs drew (drawn without measuring);
        the density drawn is the result's ``layout``."""
        chosen = {"density": layout}
        data, pages = self._handout(document, target, options, fonts, second=second, layout=chosen)
        warnings = ()
        limit = options.design_for(target).page_limit
        if pages > limit:
            warnings = (f"the {target.locale} handout needs {pages} pages on {target.paper} paper; "
                        f"a translation this long would not fit the {limit}-page limit",)
        return Rendered(data, pages, "page", warnings, layout=chosen["density"])

    def measure(self, document, target, options, fonts, second=None, layout: dict | None = None) -> int:
        """The page count, laid out as :meth:`render` lays it out, nothing drawn or written
        (``check``); raises :class:`~leaflets.render.pdf.HandoutTooLong` as :meth:`render` does.
        ``layout`` as :func:`~leaflets.render.pdf.handout_pages` takes it (read and filled)."""
        from leaflets.i18n.pseudo import PSEUDO_LOCALES
        from leaflets.render.pdf import handout_pages
        return handout_pages(document, target.paper, design=options.design_for(target), fonts=fonts, second=second,
                             enforce_limit=target.locale not in PSEUDO_LOCALES and not document.stand_ins,
                             layout=layout)

    def excerpt(self, document, target, places: Sequence[Place], options, memo, fonts, second=None) -> Excerpt:
        """The full handout (where a block lands depends on everything before it), cut to the
        pages ``places`` were drawn on."""
        from leaflets.render.pdfcut import keep_pages
        drawn: dict[Place, tuple[int, ...]] = {}
        data, _ = self._handout(document, target, options, fonts, drawn, second=second)
        pages = sorted({page for place in places for page in drawn.get(place, ())})
        return Excerpt(keep_pages(data, pages), "page", tuple(pages), len(drawn[Place(HANDOUT, "footer")]))

    @staticmethod
    def _handout(document, target, options, fonts, drawn: dict | None = None, *, second=None,
                 layout: dict | None = None) -> tuple[bytes, int]:
        """The PDF and its page count, in the options' design; a pseudo-locale (showing overflow
        is its job) and a preview with English standing in for missing strings (no print
        edition: its footer carries two notices in two languages) may run past the page
        limit, which :meth:`render` then warns about."""
        from leaflets.i18n.pseudo import PSEUDO_LOCALES
        from leaflets.render.pdf import render_handout
        buffer = io.BytesIO()
        pages = render_handout(document, buffer, target.paper, created=options.created,
                               enforce_limit=target.locale not in PSEUDO_LOCALES and not document.stand_ins,
                               drawn=drawn,
                               design=options.design_for(target),
                               fonts=fonts, second=second, layout=layout)
        return buffer.getvalue(), pages
