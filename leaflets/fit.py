"""Layout QA: does every handout and slide of a locale fit and print, as a build would lay it out?

``check`` and ``locales status --strict`` call this so a translator learns
of an overflow before a build fails, with the locale, the paper or slide,
and the msgid and PO line to shorten, and of a character no font draws.  It
measures layouts (nothing is drawn or written) and skips files a build
already wrote from the same inputs.  Findings are structured
(:class:`LayoutFinding`), so ``status --format json`` can report them as
data and ``check`` as ``file:line`` diagnostics.
"""

from __future__ import annotations

from dataclasses import dataclass

from leaflets.errors import Diagnostic, LeafletsError
from leaflets.i18n.locales import SOURCE_LOCALE
from leaflets.i18n.pseudo import PSEUDO_LOCALES

SUSPECTS = 3  # how many of the most lengthened strings an overflow names


@dataclass(frozen=True)
class LayoutFinding:
    """One reason a locale's documents would not build: an overflow, a missing glyph, a gap."""

    locale: str
    topic: str | None
    kind: str  # "handout", "deck", "glyphs" or "localize"
    file: str
    line: int
    message: str
    paper: str | None = None
    slide: int | None = None
    msgid: str | None = None
    pages: int | None = None

    def diagnostic(self) -> Diagnostic:
        return Diagnostic(self.file, self.line, 1 if self.line else 0, self.message)

    def as_json(self) -> dict:
        return {"locale": self.locale, "topic": self.topic, "kind": self.kind, "file": self.file,
                "line": self.line, "paper": self.paper, "slide": self.slide, "msgid": self.msgid,
                "pages": self.pages, "message": self.message}


def fit_problems(engine, topics, locales: list[str], *, localization_errors: bool = False,
                 built=frozenset()) -> list[Diagnostic]:
    """:func:`fit_findings` as diagnostics."""
    return [f.diagnostic() for f in fit_findings(engine, topics, locales, localization_errors=localization_errors,
                                                 built=built)]


def check_targets(topic_ids: list[str], locales: list[str]) -> list:
    """The files the layout check covers: every registered format (and paper) of every topic in
    ``locales``, standard editions (pseudo-locales are not checked)."""
    from leaflets.plan import PAPERS, Target, papers_for
    from leaflets.render.registry import renderers
    return [Target(topic_id, locale, renderer.format, paper)
            for locale in locales if locale not in PSEUDO_LOCALES for topic_id in topic_ids
            for renderer in renderers() for paper in papers_for(renderer.format, PAPERS)]


def fit_findings(engine, topics, locales: list[str], *, localization_errors: bool = False,
                 built=frozenset()) -> list[LayoutFinding]:
    """Every layout overflow and missing glyph of ``locales``, in one localizing pass of
    ``engine`` (an :class:`~leaflets.engine.Engine`: its translations, documents and layouts,
    measured: :meth:`~leaflets.engine.Engine.measured`).

    A catalog or document that cannot be localized is skipped, its errors
    reported only with ``localization_errors`` (``check`` wants them; ``locales
    status`` reports catalog findings itself).  ``built``: targets a build wrote
    from today's inputs (:func:`leaflets.build.built_targets`), which localized and
    fit then: not measured again, and a locale or topic whose targets all are is not
    localized."""
    from leaflets.plan import BuildOptions
    from leaflets.render.contract import LayoutOverflow
    from leaflets.render.preflight import MissingGlyphs
    from leaflets.render.registry import renderer_for

    findings: list[LayoutFinding] = []
    wanted: dict[tuple[str, str], list] = {}
    for target in check_targets([loaded.topic.topic.id for loaded in topics], locales):
        if target not in built:
            wanted.setdefault((target.locale, target.topic), []).append(target)
    for locale in locales:
        if locale in PSEUDO_LOCALES or not any(key[0] == locale for key in wanted):
            continue
        try:
            translations = engine.translations(locale, topics)
        except LeafletsError as exc:
            if localization_errors:
                findings += [_wrapped(locale, None, "localize", d) for d in exc.diagnostics]
            continue
        for loaded in topics:
            topic_id = loaded.topic.topic.id
            if (locale, topic_id) not in wanted:
                continue
            try:
                document = engine.localize(loaded, locale, translations=translations)
            except MissingGlyphs as exc:  # a string no font draws would be tofu: layout would be meaningless
                findings += [_wrapped(locale, topic_id, "glyphs", d) for d in exc.diagnostics]
                continue
            except LeafletsError as exc:
                if localization_errors:
                    findings += [_wrapped(locale, topic_id, "localize", d) for d in exc.diagnostics]
                continue
            for target in wanted[(locale, topic_id)]:
                renderer, paper = renderer_for(target.format), target.paper
                try:
                    engine.measured(document, target, BuildOptions())
                except LayoutOverflow as exc:
                    if exc.msgid is None:  # the document as a whole: name the strings that grew most
                        findings += _document_overflow(loaded, translations, document, renderer.output, paper,
                                                       exc, locale)
                    else:
                        findings.append(_string_overflow(loaded, translations, renderer.output, exc, locale))
    return findings


def _wrapped(locale: str, topic: str | None, kind: str, diagnostic: Diagnostic) -> LayoutFinding:
    return LayoutFinding(locale, topic, kind, diagnostic.file, diagnostic.line, diagnostic.message)


def _where(loaded, translations, locale: str, msgid: str) -> tuple[str, int]:
    if locale == SOURCE_LOCALE:
        return loaded.source.file, 0
    return translations.location(msgid)


def _string_overflow(loaded, translations, output, exc, locale) -> LayoutFinding:
    """The overflowing text (of a slide), at the PO line of the string it came from."""
    file, line = _where(loaded, translations, locale, exc.msgid)
    return LayoutFinding(locale, loaded.topic.topic.id, output, file, line, f"[fit] {exc}", slide=exc.slide,
                         msgid=exc.msgid)


def _document_overflow(loaded, translations, document, output, paper, exc, locale) -> list[LayoutFinding]:
    """One finding per suspect string: the translations that grew most against the English."""
    topic_id = loaded.topic.topic.id
    head = f"[fit] the {locale} {topic_id} {output} needs {exc.pages} pages on {paper} paper (the limit is 2)"
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
        file, line = _where(loaded, translations, locale, msgid)
        out.append(LayoutFinding(locale, topic_id, output, file, line,
                                 f"{head}; shorten msgid {short!r} (+{extra} characters against the English)",
                                 paper=paper, msgid=msgid, pages=exc.pages))
    if not out:
        file = loaded.source.file if locale == SOURCE_LOCALE else translations.file
        out.append(LayoutFinding(locale, topic_id, output, file, 0, head, paper=paper, pages=exc.pages))
    return out
