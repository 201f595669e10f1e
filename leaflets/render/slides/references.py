"""References: numbered entries in their own language and direction, DOIs and URLs as links,
continued on more slides where they do not fit."""

from __future__ import annotations

import re

from leaflets.document import Inline, Slide
from leaflets.render.slides.bullets import continued
from leaflets.render.slides.context import DeckContext, Para, TextPiece, office_lang

SINGLE = False  # continues on more slides when its entries do not fit
LINK = re.compile(r"(doi:10\.\S+?|https?://\S+?)(?=[.,;]?(?:\s|$))")  # a DOI or URL in a reference


def write(ctx: DeckContext, spec: Slide) -> None:
    continued(ctx, spec, "References", reference_paragraphs(spec.bullets), bulleted=False,
              sizes=ctx.sizes.references, space_after=ctx.sizes.references_space_after)


def reference_paragraphs(entries: tuple[Inline, ...]) -> list[Para]:
    """Numbered references in their own language and direction; DOIs and URLs become links.

    An entry is the localizer's number span and the reference's text, which keeps the
    language it was published in; the number takes that language too.
    """
    paras = []
    for entry in entries:
        lang = next((office_lang(s.lang) for s in entry if s.lang), None)
        para: Para = []
        for span in entry:
            for index, part in enumerate(LINK.split(span.text)):
                if not part:
                    continue
                link = None
                if index % 2:  # a DOI or URL
                    link = f"https://doi.org/{part[4:]}" if part.startswith("doi:") else part
                para.append(TextPiece(part, span.bold, span.italic, lang, link))
        paras.append(para)
    return paras
