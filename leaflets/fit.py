"""Layout QA: does every handout and slide of a locale fit and print, as a build would lay it out?

``check`` and ``locales status --strict`` call this so a translator learns
of an overflow before a build fails, with the locale, the paper or slide,
and the msgid and PO line to shorten, and of a character no font draws.  It renders to memory and writes
nothing.
"""

from __future__ import annotations

import datetime as dt
import io

from leaflets.errors import Diagnostic, LeafletsError
from leaflets.i18n.locales import SOURCE_LOCALE
from leaflets.i18n.pseudo import PSEUDO_LOCALES

SUSPECTS = 3  # how many of the most lengthened strings an overflow names


def fit_problems(project, topics, locales: list[str], *, localization_errors: bool = False) -> list[Diagnostic]:
    """Every layout overflow and missing glyph of ``locales``, in one localizing pass.

    A catalog or document that cannot be localized is skipped, its errors
    reported only with ``localization_errors`` (``check`` wants them; ``locales
    status`` reports catalog findings itself)."""
    from leaflets.build import PAPERS, load_translations
    from leaflets.localize import localize
    from leaflets.render.pdf import HandoutTooLong, render_handout
    from leaflets.render.pptx import SlideOverflow, render_deck
    from leaflets.render.preflight import missing_glyphs

    problems: list[Diagnostic] = []
    for locale in locales:
        if locale in PSEUDO_LOCALES:
            continue
        try:
            translations = load_translations(project, locale)
        except LeafletsError as exc:
            problems += exc.diagnostics if localization_errors else []
            continue
        for loaded in topics:
            try:
                document = localize(loaded, locale, translations)
            except LeafletsError as exc:
                problems += exc.diagnostics if localization_errors else []
                continue
            glyphs = missing_glyphs(document, loaded, translations)
            if glyphs:  # a string no font draws would be tofu: report it, layout would be meaningless
                problems += glyphs
                continue
            for paper in PAPERS:
                try:
                    render_handout(document, io.BytesIO(), paper)
                except HandoutTooLong as exc:
                    problems += _handout_overflow(loaded, translations, document, paper, exc, locale)
            try:
                render_deck(document, io.BytesIO(), created=FIXED_DATE)
            except SlideOverflow as exc:
                problems.append(_slide_overflow(loaded, translations, exc, locale))
    return problems


FIXED_DATE = dt.datetime(2000, 1, 1)  # the deck's date does not change its layout


def _slide_overflow(loaded, translations, exc, locale) -> Diagnostic:
    """The overflowing slide text, at the PO line of the string it came from."""
    file = loaded.source.file if locale == SOURCE_LOCALE else translations.file
    line = translations.line_of(exc.msgid)
    return Diagnostic(file, line, 1 if line else 0, f"[fit] {exc}")


def _handout_overflow(loaded, translations, document, paper, exc, locale) -> list[Diagnostic]:
    """One diagnostic per suspect string: the translations that grew most against the English."""
    file = loaded.source.file if locale == SOURCE_LOCALE else translations.file
    head = (f"[fit] the {locale} {loaded.topic.topic.id} handout needs {exc.pages} pages on {paper} paper "
            "(the limit is 2)")
    growth = []
    for msgid, text in document.texts:
        if msgid.startswith("reference "):
            continue
        growth.append((len(text) - len(msgid), msgid))
    growth.sort(reverse=True)
    top = growth[0][0] if growth else 0
    out = []
    for extra, msgid in [g for g in growth[:SUSPECTS] if g[0] > 0 and g[0] * 4 >= top]:
        short = msgid if len(msgid) <= 50 else msgid[:47] + "..."
        line = translations.line_of(msgid)
        out.append(Diagnostic(file, line, 1 if line else 0,
                              f"{head}; shorten msgid {short!r} (+{extra} characters against the English)"))
    return out or [Diagnostic(file, 0, 0, head)]

