"""The leaflets engine: load, check, localize and render, with explicit inputs.

An :class:`Engine` is what a program embeds (a web service, a notebook, a
build script): it reads one :class:`~leaflets.project.Project` and draws with
one :class:`~leaflets.render.fontset.FontSet`, and everything else is an
argument.  It returns data (documents, :class:`Artifact` bytes with their
metadata and fingerprint) and raises :class:`~leaflets.errors.LeafletsError`
for bad input, naming file, line and column where there is one.

What it never does: change the process environment, tune the garbage
collector, install signal handlers, start processes or threads, print, or
write files.  Those belong to the command line (:mod:`leaflets.cli`), whose
build (:func:`leaflets.build.build`) is made of the engine's calls.

One engine may serve many threads at once: the project is read-only, the
font set serializes what it must (see :mod:`leaflets.render.fontset`), and
every document and artifact is made fresh for its caller.

>>> engine = Engine()                                  # the topics shipped with leaflets
>>> topic = engine.topic("atopic-dermatitis")
>>> engine.localize(topic, "es").footer.language
'Idioma: español'
"""

from __future__ import annotations

import datetime as dt
import threading
import weakref
from collections import OrderedDict
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from typing import TYPE_CHECKING

from leaflets.document import LocalizedDocument, Place
from leaflets.errors import Diagnostic, LeafletsError, display_path
from leaflets.layoutmemo import LayoutMemo, layout_key
from leaflets.i18n.locales import (
    PSEUDO_LOCALES, SOURCE_LOCALE, canonical_tag, catalog_chain, catalog_for, catalog_path,
)
from leaflets.plan import (
    ASSETS_DIR, PAPERS, VARIANTS, BuildOptions, FileDigests, Target, digest_of, document_digest, fingerprint,
    generator_id,
)
from leaflets.project import Project
from leaflets.render.contract import PAPER, Excerpt, LayoutOverflow, Memo, Rendered
from leaflets.render.fontset import FontSet, shipped_fonts
from leaflets.render.preflight import MissingGlyphs, missing_glyphs
from leaflets.render.registry import renderer_for, renderers

if TYPE_CHECKING:  # imported where used: a build that is up to date loads no topic, catalog or profile
    from leaflets.clinic import ClinicProfile
    from leaflets.content.load import LoadedTopic
    from leaflets.i18n.catalog import Translations
    from leaflets.i18n.rules import Rule
    from leaflets.patient import PatientNote
    from leaflets.presenter import PresenterProfile

__all__ = ["Artifact", "BadRequest", "DoesNotFit", "Edition", "Engine", "MissingGlyphs"]

MAX_DATE = dt.datetime(9999, 12, 31, 23, 59, 59, tzinfo=dt.timezone.utc)  # the last second a PDF or ZIP can hold
# File digests an engine remembers (the engine files, deck templates): a service given a new
# template file per request would otherwise remember every one.  Past this, it starts afresh.
MAX_FILE_DIGESTS = 4096
# Documents whose digest an engine remembers, by identity (a LocalizedDocument is immutable): a
# server renders the same document in several formats and papers, each needing its fingerprint.
MAX_DOCUMENT_DIGESTS = 64


class BadRequest(LeafletsError):
    """A render asked for something the engine does not do: an unknown paper, an option its
    format does not take, a date it cannot write.  Refused, never ignored."""

    def __init__(self, what: str, message: str):
        super().__init__(Diagnostic(what, 0, 0, message))


class DoesNotFit(LeafletsError):
    """Text that no layout rule fits (a handout longer than its pages, a slide that cannot
    shrink or continue); ``overflow`` is the renderer's :class:`LayoutOverflow` (msgid, slide, pages)."""

    def __init__(self, source: str, overflow: LayoutOverflow):
        super().__init__(Diagnostic(source, 0, 0, str(overflow)))
        self.overflow = overflow


@dataclass(frozen=True)
class Artifact:
    """One rendered file: its bytes and what a caller needs to serve or store them."""

    target: Target
    data: bytes
    media_type: str  # "application/pdf", or PowerPoint's
    count: int  # pages or slides
    unit: str  # "page" or "slide"
    fingerprint: str  # a digest of everything that decides ``data`` (see leaflets.plan)
    warnings: tuple[str, ...] = ()

    @property
    def file_name(self) -> str:
        """The file's path in a build's output folder, with ``/``: ``es/atopic-dermatitis-handout-a4.pdf``."""
        return self.target.name

    @property
    def summary(self) -> str:
        """``2 pages``, ``28 slides``."""
        return f"{self.count} {self.unit}{'' if self.count == 1 else 's'}"


@dataclass(frozen=True)
class Edition:
    """One edition of a handout a clinic can ask for: how it reaches a :class:`~leaflets.plan.Target`
    (its ``variant``) and whether it needs a second language (a bilingual edition).

    Front ends (the web app's form, the catalogue) list :meth:`Engine.editions` and pass the
    choice through, so a new edition is a new entry here, not a change to them.
    """

    id: str  # what a URL or a form names: "standard"
    label: str  # English, for people: "Standard"
    variant: str | None = None  # the Target's variant (None: the standard layout)
    second_locale: bool = False  # a bilingual edition names a second language


# The editions this engine renders (a front end offers these).  A bilingual edition is rendered
# from two documents: Engine.render(document, "pdf", variant="bilingual", second=...).
EDITIONS = (Edition("standard", "Standard"),
            Edition("large-print", "Large print", variant="large-print"),
            Edition("bilingual", "Bilingual", variant="bilingual", second_locale=True))


class Engine:
    """Load, check, localize and render the topics of ``project`` (default: the topics shipped
    with leaflets), drawing with ``fonts`` (default: the shipped fonts, shared by every
    engine in the process so they are parsed once)."""

    def __init__(self, project: Project | None = None, *, fonts: FontSet | None = None):
        if project is not None and not isinstance(project, Project):
            raise TypeError(f"an Engine reads a leaflets.Project, not {type(project).__name__}; "
                            "Project.in_folder(path) makes one from a folder")
        self.project = project if project is not None else Project()
        self._fonts = fonts
        self.digests = FileDigests()  # file digests for fingerprints, hashed again when a file's status changes
        self.layouts = LayoutMemo()  # layout choices (a handout's density) by input fingerprint: leaflets.layoutmemo
        self._document_shas: OrderedDict[int, tuple[weakref.ref, str]] = OrderedDict()
        self._document_lock = threading.Lock()

    def __repr__(self) -> str:
        return f"Engine({self.project!r})"

    @property
    def fonts(self) -> FontSet:
        """The font set text is measured and drawn with (made on first use: a process that
        never renders never parses a font)."""
        return self._fonts if self._fonts is not None else shipped_fonts()

    # ---------------------------------------------------------------- load
    def topics(self) -> list[LoadedTopic]:
        """Every topic of the project, loaded and validated; one :class:`LeafletsError` with
        the errors of every file that fails."""
        topics, failures = self.load_topics()
        if failures:
            raise LeafletsError([d for diagnostics in failures.values() for d in diagnostics])
        return topics

    def load_topics(self) -> tuple[list[LoadedTopic], dict[str, list[Diagnostic]]]:
        """Every topic that loads, and the errors of each file that does not (by file): a
        build goes on with the others.

        Two files with the same topic id would write the same artifacts: both
        are refused, each error naming the other file.
        """
        from leaflets.content.load import load_topic
        topics, failures = [], {}
        for path in self.project.topic_files():
            try:
                topics.append(load_topic(path))
            except LeafletsError as exc:
                failures[display_path(path)] = exc.diagnostics
        by_id: dict[str, list[LoadedTopic]] = {}
        for loaded in topics:
            by_id.setdefault(loaded.topic.topic.id, []).append(loaded)
        for topic_id, same in by_id.items():
            if len(same) < 2:
                continue
            for loaded in same:
                others = ", ".join(o.source.file for o in same if o is not loaded)
                failures[loaded.source.file] = [loaded.source.diagnostic(
                    ("topic", "id"), f"duplicate topic id '{topic_id}' (also in {others}); each topic needs its own id",
                    value=True)]
        return [t for t in topics if t.source.file not in failures], failures

    def topic(self, topic_id: str) -> LoadedTopic:
        """The topic whose ``topic.id`` is ``topic_id``, loaded and validated (only its file is read)."""
        from leaflets.project import UnknownTopic
        try:
            project = self.project.with_topics([topic_id])
        except UnknownTopic as exc:
            raise LeafletsError(Diagnostic(display_path(self.project.content_dir), 0, 0, str(exc))) from None
        return Engine(project, fonts=self._fonts).topics()[0]

    def locales(self) -> list[str]:
        """The locales the project ships: the source, then ``locales/LINGUAS`` (else every catalog)."""
        return self.project.locales()

    def editions(self) -> tuple[Edition, ...]:
        """The editions :meth:`render` makes, the standard one first (see :class:`Edition`)."""
        return EDITIONS

    def edition(self, edition_id: str) -> Edition:
        """The edition named ``edition_id``; an unknown one is a :class:`BadRequest` listing the others."""
        for edition in EDITIONS:
            if edition.id == edition_id:
                return edition
        raise BadRequest("edition", f"no edition {edition_id!r}; editions: {', '.join(e.id for e in EDITIONS)}")

    def brands(self) -> tuple[str, ...]:
        """Brands :meth:`render` knows by id alone: none.  A clinic's edition takes the clinic's
        validated profile (:meth:`clinic`, from its brand file), as ``leaflets build --brand`` and
        ``leaflets serve --brand`` do; an id says nothing about its colours or contacts."""
        return ()

    def can_localize(self, locale: str) -> bool:
        """Whether ``locale`` has what it needs: the source language in any region, a
        pseudo-locale, or a catalog of its own or of its language (``es-US`` reads ``es.po``)."""
        return (locale in PSEUDO_LOCALES or locale.split("-")[0] == SOURCE_LOCALE
                or catalog_for(self.project.locales_dir, locale) is not None)

    def translations(self, locale: str, topics: Sequence[LoadedTopic] | None = None) -> Translations:
        """The checked translations ``locale`` is localized from: the source, a generated
        pseudo-locale, or the project's PO catalogs.

        A regional locale reads its own catalog over its language's (``es-US.po``
        over ``es.po``), or only its language's; the locale still picks the
        formats.  Entries are checked against the rules of ``topics`` (length
        budgets...; default: every topic of the project, so no rule is skipped).
        A missing or broken catalog is a :class:`LeafletsError` at its line.
        """
        from leaflets.i18n.rules import rules_for
        locale = self._locale(locale)
        return self._translations(locale, None if topics is None else rules_for(list(topics)))

    def _translations(self, locale: str, rules: dict[str, Rule] | None) -> Translations:
        from leaflets.i18n.catalog import SourceTranslations, overlay, read_catalog
        from leaflets.i18n.pseudo import PseudoTranslations
        from leaflets.i18n.rules import rules_for
        if locale in PSEUDO_LOCALES:
            return PseudoTranslations()
        locales_dir = self.project.locales_dir
        chain = catalog_chain(locales_dir, locale)
        if locale == SOURCE_LOCALE or (not chain and locale.split("-")[0] == SOURCE_LOCALE):
            return SourceTranslations()  # en, or a regional English such as en-IN: the source, in its formats
        if rules is None:
            rules = rules_for(self.load_topics()[0])
        if not chain:
            return read_catalog(catalog_path(locales_dir, locale), locale, rules)  # "catalog not found"
        layers = [read_catalog(path, tag, rules) for tag, path in chain]
        translations = layers[-1]
        for regional in reversed(layers[:-1]):
            translations = overlay(regional, translations)
        return translations

    @staticmethod
    def _locale(locale: str) -> str:
        """A locale tag in canonical case (``pt-br`` is ``pt-BR``); a pseudo-locale as it is."""
        for pseudo in PSEUDO_LOCALES:
            if isinstance(locale, str) and locale.lower() == pseudo.lower():
                return pseudo
        try:
            return canonical_tag(locale)
        except ValueError as exc:
            raise LeafletsError(Diagnostic("locale", 0, 0, str(exc))) from None

    # ------------------------------------------------------------ localize
    def clinic(self, path: Path | str | None = None) -> ClinicProfile | None:
        """A clinic's profile (:mod:`leaflets.clinic`): the brand file at ``path``, else the
        project folder's ``_brand.yml`` if it has one (else None).  A bad file is a
        :class:`LeafletsError` naming its lines."""
        from leaflets.project import find_profile
        if path is None:
            path = find_profile(self.project.folder)
            if path is None:
                return None
        from leaflets.clinic import load_profile
        return load_profile(path)

    def localize(self, topic: LoadedTopic | str, locale: str, *, translations: Translations | None = None,
                 allow_incomplete: bool = False, clinic: ClinicProfile | None = None,
                 presenter: PresenterProfile | None = None, patient: PatientNote | None = None
                 ) -> LocalizedDocument:
        """``topic`` (a loaded topic, or its id) translated and formatted for ``locale``: the
        document every format renders.

        ``translations`` default to :meth:`translations`.  A missing or failing
        translation is an error unless ``allow_incomplete`` (then English stands
        in, marked as such on every page and slide); so is a character no font of
        the locale draws (:class:`MissingGlyphs`).  Each error is a
        :class:`LeafletsError` naming the catalog or topic line.  ``clinic`` (a
        profile, :meth:`clinic`) makes the clinic's edition of the document; ``presenter``
        (:func:`leaflets.presenter.load_presenter`) fills the deck's title and disclosure slides.

        A clinic that asks for the language-assistance notice gets a tagline in each of its
        languages, read from that language's catalog here (a listed language without one is
        an error at its line of the brand file).  ``patient`` (:class:`leaflets.patient.PatientNote`)
        makes one patient's copy: its lines are drawn above the title.  Such a document is
        personal data: render it with :meth:`render` and never store it (a build never does).
        """
        from leaflets.localize import localize
        loaded = self.topic(topic) if isinstance(topic, str) else topic
        locale = self._locale(locale)
        if translations is None:
            translations = self._translations(locale, None)  # every topic's rules, as a build checks them
        taglines = self.tagline_translations(clinic) if clinic is not None else {}
        document = localize(loaded, locale, translations, allow_incomplete=allow_incomplete, clinic=clinic,
                            presenter=presenter, taglines=taglines, patient=patient)
        problems = missing_glyphs(document, loaded, translations, self.fonts)
        if problems:
            raise MissingGlyphs(problems)
        return document

    def tagline_translations(self, clinic: ClinicProfile) -> dict[str, Translations]:
        """The catalog of each language of ``clinic``'s language-assistance notice; a listed
        language the project has no catalog for is a :class:`LeafletsError` at its line."""
        out, errors = {}, []
        for tag in clinic.taglines:
            file, line = clinic.language_place(tag)
            try:
                canonical = canonical_tag(tag)
            except ValueError as exc:
                errors.append(Diagnostic(file, line, 1, f"languages: {exc}"))
                continue
            if canonical in PSEUDO_LOCALES or not self.can_localize(canonical):
                errors.append(Diagnostic(file, line, 1, (
                    f"languages: {tag!r} is listed for the language-assistance notice, but the project has no "
                    f"catalog for it ({display_path(self.project.locales_dir / (canonical + '.po'))}); add the "
                    "language (`locales init`) or remove it from the list")))
                continue
            out[tag] = self._tagline_catalog(canonical)
        if errors:
            raise LeafletsError(errors)
        return out

    def _tagline_catalog(self, locale: str) -> Translations:
        """``locale``'s translations for its tagline, read once per engine while its catalog files
        are unchanged (a clinic's every localization needs the same few), and checked by the
        catalog checks that apply to labels (no topic's length rules: labels have none)."""
        chain = catalog_chain(self.project.locales_dir, locale)
        stamp = tuple((str(path), path.stat().st_mtime_ns, path.stat().st_size) for _, path in chain)
        memo = self.__dict__.setdefault("_tagline_memo", {})
        key = (locale, stamp)
        if key not in memo:
            if len(memo) > 64:
                memo.clear()
            memo[key] = self._translations(locale, {})
        return memo[key]

    # --------------------------------------------------------------- check
    def check(self, locales: Sequence[str] | None = None, *, fitted: Collection[Target] = ()) -> list[Diagnostic]:
        """What ``leaflets check`` reports: catalogs named for no language, ``LINGUAS``
        problems, and for every topic in every locale (default: the shipped ones) whatever
        would stop its documents: translation errors, missing glyphs, handouts and slides
        that do not fit.  Layouts are measured (:meth:`measured`), never drawn or written;
        an empty list means every document builds.  Topics that cannot be loaded raise
        :class:`LeafletsError` (nothing else can be checked without them).

        ``fitted``: targets the caller knows localize and fit, because a build wrote them
        from the inputs there are now (the command line asks its build's manifest:
        :func:`leaflets.build.built_targets`); they are not measured again, and a locale
        whose targets all are is not even read."""
        from leaflets.fit import fit_problems
        from leaflets.i18n.locales import linguas_problems, unknown_catalogs
        topics = self.topics()
        locales = [self._locale(tag) for tag in locales] if locales is not None else self.locales()
        problems = [Diagnostic(display_path(path), 0, 0, problem)
                    for path, problem in unknown_catalogs(self.project.locales_dir)]
        problems += linguas_problems(self.project.locales_dir)
        problems += fit_problems(self, topics, locales, localization_errors=True, built=frozenset(fitted))
        return problems

    # -------------------------------------------------------------- render
    def render(self, document: LocalizedDocument, format: str, *, paper: str | None = None,
               template: Path | str | None = None, created: dt.datetime | None = None,
               variant: str | None = None, clinic: ClinicProfile | None = None,
               second: LocalizedDocument | None = None, build_in: bool = False) -> Artifact:
        """One file of ``document``: ``format`` ``"pdf"`` (the handout; ``paper`` ``"a4"`` or
        ``"letter"``; ``variant`` ``"large-print"`` or ``"bilingual"`` for those editions) or
        ``"pptx"`` (the deck; optionally on a ``template`` .pptx, and with ``build_in``: bullets
        appear one click at a time).  A clinic's edition needs the document localized with the
        ``clinic`` and the same ``clinic`` here (its colours and logo).

        The bilingual edition takes its second language explicitly: ``second`` is the same
        topic localized (:meth:`localize`, with the same clinic) for the second locale; each
        section of ``document`` is followed by the same section of ``second``.  A deck has
        one language (a bilingual deck is refused).

        ``created`` (a timezone-aware datetime) dates the file and makes it
        reproducible: the same document, options and date give the same bytes;
        None dates it now.  An option the format does not take is refused
        (:class:`BadRequest`), text that cannot fit is :class:`DoesNotFit`.
        """
        if template is not None and "template" not in renderer_for(format).options:
            raise BadRequest("template", f"format {format!r} takes no template")
        if build_in and "build_in" not in renderer_for(format).options:
            raise BadRequest("build_in", f"format {format!r} has no bullets to build in")
        variant = None if variant in (None, "standard") else variant
        second_locale = second.locale if isinstance(second, LocalizedDocument) else None
        options = BuildOptions(created=created, template=Path(template) if template is not None else None,
                               clinic=clinic, build_in=True if build_in else None, second_locale=second_locale)
        target = Target(document.topic_id, document.locale, format, paper, variant, clinic.id if clinic else None,
                        second_locale if variant == "bilingual" else None)
        return self.render_target(document, target, options, second=second)

    def render_target(self, document: LocalizedDocument, target: Target, options: BuildOptions | None = None,
                      *, fingerprint: str | None = None, second: LocalizedDocument | None = None) -> Artifact:
        """:meth:`render` for a planned :class:`~leaflets.plan.Target` (a build's).  ``options`` are
        a build's, for every format: each renderer uses the ones it names (a deck template is
        not a handout's).  ``fingerprint``, if the caller already computed it, is not
        computed again.  ``second``: a bilingual target's second document."""
        options = options or BuildOptions()
        renderer = self._request(document, target, options, second)
        key = None
        if getattr(renderer, "remembers_layout", False) or fingerprint is None:
            digests = self._own_digests()
            common, sha = self.common(digests), self._document_sha(document, second)
            if getattr(renderer, "remembers_layout", False):
                key = self.layout_key(document, target, options, digests, document_sha=sha, common=common)
            if fingerprint is None:
                fingerprint = self.fingerprint(document, target, options, digests, document_sha=sha,
                                               second_sha="" if second is not None else None, common=common)
        try:
            rendered = self.rendered(document, target, options, second=second, layout=self.layouts.get(key))
        except LayoutOverflow as exc:
            raise DoesNotFit(f"{target.name}", exc) from None
        self.layouts.put(key, rendered.layout)
        return Artifact(target, rendered.data, renderer.media_type, rendered.count, rendered.unit,
                        fingerprint, rendered.warnings)

    def rendered(self, document: LocalizedDocument, target: Target, options: BuildOptions, *,
                 second: LocalizedDocument | None = None, layout: str | None = None) -> Rendered:
        """The renderer's result for ``target``, its options checked first; raises the renderer's
        :class:`LayoutOverflow` as it is (a build reports it against the catalog).  ``layout``: the
        layout choice a render of the same inputs made (:meth:`layout_key`; a handout's density),
        for a renderer that ``remembers_layout``: drawn without measuring.  The result's ``layout``
        is the choice this render made."""
        renderer = self._request(document, target, options, second)
        extra = {"second": second} if second is not None else {}
        if getattr(renderer, "remembers_layout", False):
            extra["layout"] = layout
        return renderer.render(document, target, options, self.fonts, **extra)

    def measured(self, document: LocalizedDocument, target: Target, options: BuildOptions, *,
                 second: LocalizedDocument | None = None) -> int:
        """The page or slide count :meth:`rendered` would give ``target``, from the same layout but
        nothing drawn or written (the renderer's ``measure``; a renderer without one renders to
        memory); raises the renderer's :class:`LayoutOverflow` as :meth:`rendered` does.  A layout
        choice this engine remembers for the same inputs (:attr:`layouts`) is used, and the one
        made is remembered."""
        renderer = self._request(document, target, options, second)
        measure = getattr(renderer, "measure", None)
        if measure is None:
            return self.rendered(document, target, options, second=second).count
        extra = {"second": second} if second is not None else {}
        key = None
        if getattr(renderer, "remembers_layout", False):
            key = self.layout_key(document, target, options, second=second)
            extra["layout"] = chosen = {"density": self.layouts.get(key)}
        count = measure(document, target, options, self.fonts, **extra)
        if key is not None:
            self.layouts.put(key, chosen["density"])
        return count

    def layout_key(self, document: LocalizedDocument, target: Target, options: BuildOptions | None = None,
                   digests: FileDigests | None = None, *, document_sha: str | None = None,
                   second: LocalizedDocument | None = None, common: dict | None = None) -> str:
        """What a layout choice of ``target`` (a handout's density) is remembered under
        (:func:`leaflets.layoutmemo.layout_key`): its fingerprint's parts but the date, which no
        measurement reads.  ``document_sha`` as in :meth:`fingerprint` (with a bilingual
        target's second document folded in, as :meth:`fingerprint` folds it)."""
        digests = digests or self._own_digests()
        options = options or BuildOptions()
        sha = document_sha or self._document_sha(document, second)
        return layout_key(common or self.common(digests), options.for_target(target, digests), sha)

    def remember_layouts(self, choices: Iterable[tuple[str, str]]) -> None:
        """Layout choices (key, choice) made by an earlier render of this engine's inputs, as
        :attr:`Rendered.layout <leaflets.render.contract.Rendered.layout>` reported them (a build
        reads them back from its manifest, sealed: :mod:`leaflets.layoutmemo`).  A choice is only
        ever used under its own key: a stale one is never looked up."""
        for key, choice in choices:
            self.layouts.put(key, choice)

    def excerpt(self, document: LocalizedDocument, target: Target, places: Sequence[Place],
                options: BuildOptions, memo: Memo, *, second: LocalizedDocument | None = None) -> Excerpt:
        """Only the pages or slides of ``target`` that show ``places`` (``build --only``), each as in
        the full file (see :meth:`Renderer.excerpt <leaflets.render.contract.Renderer.excerpt>`)."""
        renderer = self._request(document, target, options, second)
        if second is not None:
            return renderer.excerpt(document, target, places, options, memo, self.fonts, second=second)
        return renderer.excerpt(document, target, places, options, memo, self.fonts)

    def prepare(self, locales: set[str], formats: Sequence[str] | None = None) -> None:
        """Import the renderers of ``formats`` (every registered one if None) and load the fonts
        that renders of ``locales`` share; a build calls it before forking workers, so they
        inherit both instead of each parsing the font files."""
        for renderer in renderers(formats):
            renderer.prepare(locales, self.fonts)

    def _request(self, document: LocalizedDocument, target: Target, options: BuildOptions,
                 second: LocalizedDocument | None = None):
        """The renderer of ``target``, once every option of the request is one it honours."""
        renderer = renderer_for(target.format)  # an unknown format is a LeafletsError naming the formats
        if not isinstance(document, LocalizedDocument):
            raise TypeError(f"render takes a LocalizedDocument (Engine.localize makes one), not "
                            f"{type(document).__name__}")
        if (target.topic, target.locale) != (document.topic_id, document.locale):
            raise BadRequest("target", f"{target.name} is not a file of the {document.locale} "
                                       f"{document.topic_id} document")
        takes_paper = PAPER in renderer.options
        if takes_paper and target.paper not in PAPERS:
            raise BadRequest("paper", f"format {target.format!r} needs a paper size: {', '.join(PAPERS)}"
                                      + (f" (not {target.paper!r})" if target.paper is not None else ""))
        if not takes_paper and target.paper is not None:
            raise BadRequest("paper", f"format {target.format!r} has no paper size (got {target.paper!r})")
        if target.variant is not None:
            if not takes_paper:
                raise BadRequest("variant", f"format {target.format!r} has one edition (got variant "
                                            f"{target.variant!r}); variants are handout editions")
            if target.variant not in VARIANTS:
                raise BadRequest("variant", f"unknown variant {target.variant!r}; variants: {', '.join(VARIANTS)}")
        self._check_second(document, target, second)
        clinic = options.clinic
        if (target.brand is None) != (clinic is None) or (clinic is not None and target.brand != clinic.id):
            raise BadRequest("brand", f"{target.name} is for brand {target.brand!r} but the options carry "
                                      f"{clinic.id if clinic else None!r}: pass the clinic profile the document "
                                      "was localized with")
        header = document.handout.clinic
        if (header is None) != (clinic is None) or (clinic is not None and header.name != clinic.name):
            raise BadRequest("brand", f"the {document.locale} {document.topic_id} document was localized "
                                      + (f"for {header.name!r}" if header else "without a clinic")
                                      + f", not for {clinic.name if clinic else 'no clinic'!r}: localize it "
                                        "with the same clinic profile")
        created = options.created
        if created is not None:
            if not isinstance(created, dt.datetime) or created.tzinfo is None or created.utcoffset() is None:
                raise BadRequest("created", f"created must be a timezone-aware datetime, e.g. "
                                            f"datetime(2026, 1, 1, tzinfo=timezone.utc), not {created!r}")
            if not dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc) <= created <= MAX_DATE:
                raise BadRequest("created", f"created {created.isoformat()} is outside 1970-01-01 to 9999-12-31")
        return renderer

    @staticmethod
    def _check_second(document: LocalizedDocument, target: Target, second: LocalizedDocument | None) -> None:
        """A bilingual target has its second document (the same topic, in the target's second
        locale, localized with the same clinic); no other target takes one."""
        if target.variant != "bilingual":
            if second is not None or target.second_locale is not None:
                raise BadRequest("second", f"{target.name}: only the bilingual edition (variant 'bilingual') "
                                           "takes a second language")
            return
        if not isinstance(second, LocalizedDocument):
            raise BadRequest("second", f"the bilingual edition needs its second language: pass second=, the "
                                       f"{document.topic_id} document localized for the second locale "
                                       "(Engine.localize)")
        if second.topic_id != document.topic_id:
            raise BadRequest("second", f"the second document is of topic {second.topic_id!r}, "
                                       f"not {document.topic_id!r}")
        if second.locale == document.locale:
            raise BadRequest("second", f"the second language of a bilingual edition must differ from the first "
                                       f"({document.locale})")
        if target.second_locale != second.locale:
            raise BadRequest("second", f"{target.name} is for second locale {target.second_locale!r}, but the "
                                       f"second document is {second.locale!r}")
        own, other = document.handout.clinic, second.handout.clinic
        if (own is None) != (other is None) or (own is not None and own.name != other.name):
            raise BadRequest("second", "localize the second language with the same clinic profile as the first")

    # --------------------------------------------------------- fingerprint
    def fingerprint(self, document: LocalizedDocument, target: Target, options: BuildOptions | None = None,
                    digests: FileDigests | None = None, *, document_sha: str | None = None,
                    second: LocalizedDocument | None = None, second_sha: str | None = None,
                    common: dict | None = None) -> str:
        """A digest of everything that decides ``target``'s bytes: the document, the renderer's
        options, the fonts and other engine files, and the generator (leaflets' code and the
        versions of the libraries that write the bytes).  Equal fingerprints, equal bytes.
        ``digests`` caches file digests (a build passes its own); ``document_sha``
        is the document's digest if the caller has it (one document, several targets).  A
        bilingual target's fingerprint includes its ``second`` document (or ``second_sha``; ``""``:
        ``document_sha`` already includes it, as :meth:`_document_sha` gives it).  A document's
        digest is computed once while the engine remembers it (by identity: documents are
        immutable), ``common`` (:meth:`common`) if the caller has it."""
        digests = digests or self._own_digests()
        options = options or BuildOptions()
        sha = document_sha or self._document_sha(document)
        if second_sha != "" and (second is not None or second_sha is not None):
            sha = digest_of("bilingual", sha, second_sha or self._document_sha(second))
        return fingerprint(target, sha, common or self.common(digests), options.for_target(target, digests))

    def _document_sha(self, document: LocalizedDocument, second: LocalizedDocument | None = None) -> str:
        """``document``'s digest (:func:`~leaflets.plan.document_digest`), with ``second``'s folded in
        as :meth:`fingerprint` folds a bilingual edition's; each document's digest computed once
        while this engine remembers it (the last :data:`MAX_DOCUMENT_DIGESTS`, by identity).  A
        document is referred to weakly, never kept alive by the engine (a patient's copy is
        personal data, dropped once rendered); an entry whose document is gone never matches."""
        with self._document_lock:
            memo = self._document_shas.get(id(document))
            if memo is not None and memo[0]() is document:
                self._document_shas.move_to_end(id(document))
                sha = memo[1]
            else:
                sha = None
        if sha is None:
            sha = document_digest(document)
            with self._document_lock:
                self._document_shas[id(document)] = (weakref.ref(document), sha)
                while len(self._document_shas) > MAX_DOCUMENT_DIGESTS:
                    self._document_shas.popitem(last=False)
        if second is not None:
            return digest_of("bilingual", sha, self._document_sha(second))
        return sha

    def common(self, digests: FileDigests | None = None) -> dict:
        """What every fingerprint of this engine shares: the generator and the engine files."""
        digests = digests or self._own_digests()
        common = {"generator": generator_id(), "assets": digests.folder(ASSETS_DIR)}
        fonts = self.fonts.folder.resolve()
        if not fonts.is_relative_to(ASSETS_DIR):
            common["fonts"] = digests.folder(fonts)
        return common

    def _own_digests(self) -> FileDigests:
        """This engine's file digests, emptied once they hold :data:`MAX_FILE_DIGESTS` files."""
        if len(self.digests.cache) >= MAX_FILE_DIGESTS:
            self.digests.cache.clear()
        return self.digests
