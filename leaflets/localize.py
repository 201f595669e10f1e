"""Translate and format a topic once, for one locale.

This is the only stage that calls gettext catalogs and Babel.  Its output,
a :class:`~leaflets.document.LocalizedDocument`, is format-neutral: it knows
nothing of pages or slides' geometry, only of headings, paragraphs, lists,
tables, charts and notes.
"""

from __future__ import annotations

import dataclasses
import re
from contextlib import contextmanager
from dataclasses import dataclass, field

from babel import Locale

from leaflets.content import inline
from leaflets.content.load import LoadedTopic
from leaflets.content.messages import SourceText, iter_texts
from leaflets.content.model import (
    CONTACT_PLACEHOLDERS,
    FREQUENCY_PARTS, ArticleReference, BoxBlock, BulletsBlock, CalloutBlock, CellDoseFact, CountFact, DateFact,
    DecimalFact, DurationFact, LargeCountFact, MonthFact, NaturalFrequencyFact, ParagraphBlock, PercentFact, PluralText, Slide,
    WebReference, YearFact,
)
from leaflets.document import (
    ClinicHeader, Image, PatientLine, Tagline,
    DECK, HANDOUT, Box, BulletList, Callout, Chart, Deck, Diagram, DiagramLane, Footer, Handout, Heading,
    LocalizedDocument, Paragraph, Place, ReferenceEntry, Slide as SlideDoc, Span, Table, plain,
)
from leaflets.clinic import ClinicProfile, opening_hours
from leaflets.presenter import PresenterProfile
from leaflets.patient import PatientNote
from leaflets.errors import Diagnostic, LeafletsError
from leaflets.i18n import formatting as fmt
from leaflets.i18n.catalog import SourceTranslations, Translations, topic_msgids
from leaflets.i18n.labels import LABELS, RUNTIME_PLACEHOLDERS
from leaflets.i18n.locales import SOURCE_LOCALE, catalog_candidates, parse_tag, region_tag, tag_of
from leaflets.i18n.pseudo import PSEUDO_LOCALES, PseudoTranslations
from leaflets.i18n.review import Review

# Numbering system per language where the project does not follow CLDR's default for the
# locale.  Arabic is written with Arabic-Indic digits (CLDR's 'arab' system: ١٠٫٧٪) in every
# region, as in most Arabic patient materials from the Middle East, although CLDR's default
# for plain 'ar' and the Maghreb is Latin; see README "Numbers never change meaning".
NUMBERING: dict[str, str] = {"ar": "arab"}


def numbering_for(locale: Locale) -> str:
    """The CLDR numbering system a locale's numbers are written in: :data:`NUMBERING`, else
    CLDR's default for the locale (Persian ``arabext``: ۱۰٫۷٪; Marathi ``deva``; most ``latn``).

    >>> numbering_for(Locale.parse("fa")), numbering_for(Locale.parse("ar")), numbering_for(Locale.parse("hi"))
    ('arabext', 'arab', 'latn')
    """
    return NUMBERING.get(locale.language) or locale.default_numbering_system


def fact_values(fid: str, fact, locale: Locale, numbering: str = "latn") -> dict[str, str]:
    """The placeholder values of one fact: ``{fid}``, or the parts of a
    natural frequency (``{fid.numerator}``, ``{fid.denominator}``)."""
    if isinstance(fact, NaturalFrequencyFact):
        parts = fmt.format_natural_frequency(fact.numerator, fact.denominator, locale, numbering)
        return {f"{fid}.{part}": parts[part] for part in FREQUENCY_PARTS}
    return {fid: format_fact(fact, locale, numbering)}


def placeholder_example(topic, name: str) -> str:
    """What ``{name}`` stands for, with its English value, for translator comments."""
    fid, _, part = name.partition(".")
    fact = topic.facts.get(fid)
    if fact is None:
        return CONTACT_PLACEHOLDERS.get(name, "a list of words")
    if isinstance(fact, NaturalFrequencyFact):
        value = fact_values(fid, fact, Locale.parse("en"))[name]
        return (f"{value}, the {part} of the natural frequency '{fact.numerator} in {fact.denominator}' "
                "(word it as your language says 'about 1 in 10'; a plural form follows the numerator)")
    return format_fact(fact, Locale.parse("en"))


def format_fact(fact, locale: Locale, numbering: str = "latn") -> str:
    """The text of one fact in ``locale``."""
    if isinstance(fact, CountFact):
        return fmt.format_count(fact.value, locale, numbering)
    if isinstance(fact, PercentFact):
        return fmt.format_percent_value(fact.value, fact.decimals, locale, numbering)
    if isinstance(fact, DecimalFact):
        return fmt.format_number(fact.value, fact.decimals, locale, numbering)
    if isinstance(fact, LargeCountFact):
        return fmt.format_large_count(fact.value, fact.decimals, locale, numbering)
    if isinstance(fact, CellDoseFact):
        return fmt.format_cell_dose(fact.mantissa, fact.exponent, fact.decimals, locale, numbering)
    if isinstance(fact, DurationFact):
        return fmt.format_duration(fact.value, fact.unit, locale, numbering)
    if isinstance(fact, YearFact):
        return fmt.format_year(fact.value, locale, numbering)
    if isinstance(fact, DateFact):
        return fmt.format_long_date(fact.value, locale, numbering)
    if isinstance(fact, MonthFact):
        return fmt.format_month_year(fact.year, fact.month, locale, numbering)
    raise TypeError(f"unknown fact type {type(fact).__name__}")


@dataclass
class _Localizer:
    loaded: LoadedTopic
    locale: Locale
    translations: Translations
    numbering: str = "latn"
    problems: list[Diagnostic] = field(default_factory=list)  # never papered over
    missing: list[Diagnostic] = field(default_factory=list)  # English may stand in (--allow-incomplete)
    fallbacks: list[str] = field(default_factory=list)
    values: dict[str, str] = field(default_factory=dict)
    ref_numbers: dict[str, int] = field(default_factory=dict)
    shown: list[tuple[str, str]] = field(default_factory=list)
    # msgid -> the places that show it; strings translated while ``places`` is set are recorded there
    uses: dict[str, list[Place]] = field(default_factory=dict)
    places: tuple[Place, ...] = ()
    whom_to_call: list = field(default_factory=list)  # the lines closing the "get help" box
    presenter: PresenterProfile | None = None  # fills the deck's title and disclosure slides
    list_msgids: dict[str, list[str]] = field(default_factory=dict)  # list id -> the msgids of its items

    def __post_init__(self):
        topic = self.loaded.topic
        self.ref_numbers = {rid: n for n, rid in enumerate(topic.references, start=1)}
        self.values = {}
        for fid, fact in topic.facts.items():
            self.values.update(fact_values(fid, fact, self.locale, self.numbering))
        self._first_use: dict[str, SourceText] = {}
        for source in iter_texts(topic):
            self._first_use.setdefault(source.msgid, source)
        for lid, lst in topic.lists.items():
            items = [plain(self.inline(item)[0]) for item in lst.items]
            self.values[lid] = fmt.format_text_list(items, lst.style, self.locale)
            self.list_msgids[lid] = [item.one if isinstance(item, PluralText) else item for item in lst.items]

    # ------------------------------------------------------------ places
    @contextmanager
    def at(self, *places: Place):
        """Record every string translated inside as shown at ``places``."""
        outer, self.places = self.places, places
        try:
            yield
        finally:
            self.places = outer

    def _use(self, msgid: str) -> None:
        if self.places:
            used = self.uses.setdefault(msgid, [])
            used += [place for place in self.places if place not in used]

    # ----------------------------------------------------------- strings
    def _where(self, msgid: str) -> str:
        source = self._first_use.get(msgid)
        if source is None:
            return "an interface label"
        return f"{self.loaded.source.file}:{self.loaded.line_of(source.path)}"

    def translate(self, text) -> tuple[str, str | None]:
        """Pick the translated string; returns (string, lang-if-fallback)."""
        self._use(text.one if isinstance(text, PluralText) else text)
        if isinstance(text, PluralText):
            count = self.loaded.topic.facts[text.count].value
            if isinstance(self.translations, SourceTranslations):
                return (text.one if count == 1 else text.other), None
            found = self.translations.lookup(text.one, count, plural=text.other)
            source = text.one if count == 1 else text.other
        else:
            found = self.translations.lookup(text)
            source = text
        if found is None:
            msgid = text.one if isinstance(text, PluralText) else text
            if msgid not in self.fallbacks:
                self.fallbacks.append(msgid)
                self.missing.append(self._gap(msgid))
            return source, SOURCE_LOCALE
        return found, None

    def inline(self, text) -> tuple[tuple[Span, ...], tuple[int, ...]]:
        """Translate, parse the inline markup and fill placeholders."""
        string, lang = self.translate(text)
        msgid = text.one if isinstance(text, PluralText) else text
        try:
            tokens = inline.tokenize(string)
        except inline.InlineError as exc:
            self._bad(msgid, str(exc))
            tokens = inline.tokenize(msgid)  # validated when the content was loaded
            lang = SOURCE_LOCALE
        spans: list[Span] = []
        cited: list[int] = []
        bold = italic = False
        for kind, value in tokens:
            if kind == "open":
                bold, italic = bold or value == "b", italic or value == "i"
            elif kind == "close":
                bold, italic = (False, italic) if value == "b" else (bold, False)
            else:
                if kind == "placeholder":
                    if value not in self.values:
                        self._bad(msgid, f"unknown placeholder {{{value}}}")
                        continue
                    for item in self.list_msgids.get(value, ()):  # a list's items show where it is used
                        self._use(item)
                    fact = self.loaded.topic.facts.get(value.split(".")[0])
                    if fact is not None and self.ref_numbers.get(fact.ref) not in cited:
                        cited.append(self.ref_numbers[fact.ref])
                    value = self.values[value]
                _append(spans, Span(value, bold, italic, lang, fallback=lang is not None))
        if lang is None and self.locale.language != SOURCE_LOCALE:
            spans = kept_english(spans, msgid)
        self.shown.append((msgid, plain(tuple(spans))))
        return tuple(spans), tuple(sorted(cited))

    def _gap(self, msgid: str) -> Diagnostic:
        """Why ``msgid`` has no usable translation, at its PO line: fuzzy, empty or absent."""
        t, short = self.translations, msgid if len(msgid) <= 60 else msgid[:57] + "..."
        used = f"(used at {self._where(msgid)})"
        file, _ = t.location(msgid)
        if msgid in t.fuzzy:
            return Diagnostic(file, t.fuzzy[msgid], 1,
                              f"fuzzy translation of {short!r} {used}: the English changed since it was "
                              "translated; update it and clear the fuzzy flag")
        if msgid in t.untranslated:
            return Diagnostic(file, t.untranslated[msgid], 1, f"untranslated: {short!r} {used}")
        return Diagnostic(t.file, 0, 0, f"not in the catalog: {short!r} {used}; run "
                                        "`python generate.py locales update` to add it")

    def _bad(self, msgid: str, what: str) -> None:
        file, line = self.translations.location(msgid)
        self.problems.append(Diagnostic(file, line, 1, f"translation of {msgid!r}: {what}"))

    def text(self, text) -> str:
        return plain(self.inline(text)[0])

    def label(self, key: str, *, shown: bool = True, **values: str) -> str:
        """The interface string ``key`` with ``values`` filled in; ``shown`` false for one no
        page shows (what a screen reader says), which has no place in the document."""
        english = LABELS[key][0]
        string, _ = self.translate(english)
        for name in RUNTIME_PLACEHOLDERS:
            values.setdefault(name, "{" + name + "}")
        try:
            result = string.format(**values)
        except (KeyError, IndexError, ValueError) as exc:
            self._bad(english, f"placeholder error ({exc})")
            result = english.format(**values)
        if shown:
            self.shown.append((english, result))
        return result


def _append(spans: list[Span], span: Span) -> None:
    if spans and (spans[-1].bold, spans[-1].italic, spans[-1].lang, spans[-1].fallback) == (
            span.bold, span.italic, span.lang, span.fallback):
        spans[-1] = Span(spans[-1].text + span.text, span.bold, span.italic, span.lang, span.fallback)
    else:
        spans.append(span)


QUOTED = re.compile(r'"([^"]*[A-Za-z][^"]*)"')


def kept_english(spans: list[Span], msgid: str) -> list[Span]:
    """``spans`` of a translation with the phrases the English source quotes (search terms
    such as "atopic dermatitis"), where the translation keeps them word for word, as spans
    in English (``lang`` en): a screen reader switches voice for them, and a tagged PDF
    marks their language.

    >>> [(s.text, s.lang) for s in kept_english([Span('busque «atopic dermatitis».')], 'search "atopic dermatitis".')]
    [('busque «', None), ('atopic dermatitis', 'en'), ('».', None)]
    """
    phrases = sorted({phrase for phrase in QUOTED.findall(msgid)}, key=len, reverse=True)
    if not phrases:
        return spans
    pattern = re.compile("|".join(re.escape(phrase) for phrase in phrases))
    out: list[Span] = []
    for span in spans:
        position = 0
        for match in pattern.finditer(span.text) if span.lang is None else ():
            if match.start() > position:
                out.append(dataclasses.replace(span, text=span.text[position:match.start()]))
            out.append(dataclasses.replace(span, text=match.group(0), lang=SOURCE_LOCALE))
            position = match.end()
        out.append(dataclasses.replace(span, text=span.text[position:]) if position else span)
    return [span for span in out if span.text]


def localize(loaded: LoadedTopic, tag: str, translations: Translations | None = None,
             *, allow_incomplete: bool = False, clinic: ClinicProfile | None = None,
             presenter: PresenterProfile | None = None, taglines: dict[str, Translations] | None = None,
             patient: PatientNote | None = None) -> LocalizedDocument:
    """Build the localized document for ``tag``; raise :class:`LeafletsError` on gaps.

    ``translations`` are the locale's (:meth:`leaflets.engine.Engine.translations`);
    only the source language may go without (see :func:`translations_for`).
    Missing translations and entries that fail a check are errors, unless
    ``allow_incomplete``: then English stands in, tagged as English and
    announced by a notice on every page and slide.

    ``clinic`` makes a clinic's edition: its numbers and opening hours (formatted
    for the locale) fill the ``whom_to_call`` lines of the "get help" box, and the
    handout gets the clinic's header (:class:`~leaflets.document.ClinicHeader`) and the
    deck its logo.  ``presenter`` fills the deck's title and disclosure slides.

    ``taglines`` are the translations of each language of the clinic's
    language-assistance notice (:attr:`ClinicProfile.taglines`); each tagline is the
    ``language_help`` label from its own language's catalog.  ``patient`` (one
    patient's copy) adds the "For:", "Follow-up:" and "Note:" lines.
    """
    locale = parse_tag(PSEUDO_LOCALES.get(tag, tag))
    translations = translations_for(loaded, tag, translations)
    lz = _Localizer(loaded, locale, translations, numbering_for(locale))
    if clinic is not None:
        lz.values.update(contact_values(clinic, locale, lz.numbering))
    lz.whom_to_call = _whom_to_call_lines(loaded.topic, clinic is not None, lz.values)
    lz.presenter = presenter
    topic = loaded.topic
    meta = topic.topic

    blocks = []
    for section in topic.sections:
        if section.patient:
            with lz.at(Place(HANDOUT, "block", len(blocks))):
                blocks.append(Heading(lz.inline(section.title)[0]))
            blocks += _blocks(lz, section.patient, len(blocks))
    with lz.at(Place(HANDOUT, "block", len(blocks))):
        blocks.append(Heading(lz.inline(topic.handout.closing_title)[0]))
    blocks += _blocks(lz, topic.handout.closing, len(blocks))
    with lz.at(Place(HANDOUT, "key_message")):
        key_spans, key_cites = lz.inline(topic.handout.key_message)

    references = tuple(_reference(n, ref) for n, ref in enumerate(topic.references.values(), start=1))
    short_refs = tuple(_reference(n, ref, HANDOUT_AUTHORS, titles=False)
                       for n, ref in enumerate(topic.references.values(), start=1))
    key_message, blocks, handout_refs = _cited_only(Callout(key_spans, "important", key_cites), blocks, short_refs)
    def at(part: str):
        return lz.at(Place(HANDOUT, part))

    with at("title"):
        title = lz.text(meta.title)
    with at("subtitle"):
        subtitle = lz.text(meta.subtitle)
    with at("audience"):
        audience = lz.text(meta.audience_patient)
    with at("not_advice"):
        not_advice = lz.label("not_advice")
    with at("references"):
        references_title = lz.label("references")
    citation_label = lz.label("sources", shown=False, numbers="{numbers}")  # a screen reader's name for a citation
    header = None
    if clinic is not None:
        with at("clinic"):
            header = _clinic_header(lz, clinic)
    notice = ()
    if clinic is not None and clinic.taglines:
        with at("taglines"):
            notice = _taglines(lz, clinic, taglines or {})
    personal = ()
    if patient is not None:
        with at("patient"):
            personal = _patient_lines(lz, patient)
    handout = Handout(title=title, subtitle=subtitle, audience=audience, key_message=key_message,
                      blocks=tuple(blocks), not_advice=not_advice, references_title=references_title,
                      references=handout_refs, clinic=header, taglines=notice, patient=personal,
                      citation_label=citation_label)

    with lz.at(Place(DECK, "slide", 0)):  # the title slide shows the deck's own fields too
        slides = [SlideDoc("title", lz.inline(meta.title)[0], subtitle=lz.inline(meta.subtitle)[0],
                           notes=tuple(lz.text(n) for n in topic.deck.title_notes))]
    for spec in [topic.deck.disclosure, topic.deck.objectives, *(s for section in topic.sections
                                                                 for s in section.clinician), topic.deck.summary]:
        with lz.at(Place(DECK, "slide", len(slides))):
            slides.append(_slide(lz, spec))
    with lz.at(Place(DECK, "slide", len(slides))):
        slides.append(SlideDoc("references", (Span(lz.label("references")),),
                               bullets=tuple((Span(fmt.native(f"{r.number}. ", lz.numbering)),
                                              Span(r.text, lang=r.lang)) for r in references),
                               notes=tuple(lz.text(n) for n in topic.deck.references_notes)))
    with lz.at(Place(DECK, "slide", 0)):
        talk = presenter.presenter if presenter is not None else None
        logo = clinic.logo if clinic is not None else None
        deck = Deck(title=lz.text(meta.title), subtitle=lz.text(meta.subtitle),
                    audience=lz.text(meta.audience_clinician), kind_label=lz.label("title_slide_kind"),
                    slides=tuple(slides), presenter=presenter.line if presenter is not None else "",
                    date=fmt.format_long_date(talk.date, locale, lz.numbering) if talk and talk.date else "",
                    logo=Image(logo.data, logo.kind, logo.width, logo.height, logo.alt, logo.digest) if logo else None)
    with lz.at(Place(DECK, "footer")):  # any slide may continue
        deck = dataclasses.replace(deck, continued=lz.label("continued"))

    msgids = topic_msgids(topic)
    both = (Place(HANDOUT, "footer"), Place(DECK, "footer"))  # every page and every slide
    with lz.at(*both):
        notice, warning = _review_notice(lz, translations.review_of(meta.id, msgids), tag)
        if lz.fallbacks:
            notice = _both(lz, "fallback_notice", tag) + notice
            warning = True
        content_version = lz.label("content_version", version=fmt.native(meta.content_version, lz.numbering))
        reviewed = lz.label("reviewed", date=fmt.format_long_date(meta.last_reviewed, locale, lz.numbering))
    with lz.at(Place(HANDOUT, "footer")):  # the deck's footers show neither
        language = lz.label("language", language=locale.display_name)
        page_template = lz.label("page")
    footer = Footer(
        content_version=content_version, reviewed=reviewed, language=language, page_template=page_template,
        digits=fmt.digits(locale, lz.numbering), notice=tuple(text for text, _ in notice),
        notice_langs=tuple(lang for _, lang in notice), notice_is_warning=warning)

    if lz.problems:
        raise LeafletsError(lz.problems)  # a malformed label etc.: never papered over
    # An entry that failed a check is missing too; its finding says more than "missing".
    findings = translations.findings_for(msgids)
    failing = {f.msgid for f in findings}
    missing = [d for msgid, d in zip(lz.fallbacks, lz.missing) if msgid not in failing]
    if (findings or missing) and not allow_incomplete:
        raise LeafletsError([f.diagnostic() for f in findings] + _summarize(missing, translations.file)
                            + [Diagnostic(translations.file, 0, 0,
                                          f"the {tag} {meta.id} documents were not built; to preview them "
                                          "with English standing in for what is missing, build with "
                                          f"`python generate.py build --locale {tag} --allow-incomplete`")])
    return LocalizedDocument(
        topic_id=meta.id, locale=tag if tag in PSEUDO_LOCALES else tag_of(locale),
        office_lang=tag if tag in PSEUDO_LOCALES else region_tag(locale),
        language_name=locale.display_name, direction=locale.text_direction or "ltr",
        title=handout.title, subject=handout.subtitle, author=meta.author,
        handout=handout, deck=deck, footer=footer,
        warnings=tuple(f"untranslated, shown in English: {m!r}" for m in lz.fallbacks),
        stand_ins=tuple(lz.fallbacks),
        texts=tuple(lz.shown) + tuple((f"reference {r.number}", r.text) for r in references),
        uses=tuple((msgid, tuple(places)) for msgid, places in lz.uses.items()))


def _presenter_value(profile: PresenterProfile, what: str) -> str:
    """A disclosure field's value from the presenter's profile (data, printed as written)."""
    if what == "name":
        return profile.line
    disclosures = profile.presenter.disclosures
    return getattr(disclosures, what) if disclosures is not None else ""


def contact_values(clinic: ClinicProfile, locale: Locale, numbering: str) -> dict[str, str]:
    """The values of the contact placeholders (:data:`CONTACT_PLACEHOLDERS`) a clinic gives:
    names and numbers as the clinic writes them (phone numbers stay in Latin digits, as
    dialled), opening hours formatted for the locale by CLDR."""
    contacts = clinic.contacts
    values = {"clinic_name": clinic.name, "clinic_phone": contacts.phone, "emergency_number": contacts.emergency_number,
              "clinic_hours": opening_hours(contacts, locale, numbering)}
    if contacts.out_of_hours_phone:
        values["clinic_out_of_hours_phone"] = contacts.out_of_hours_phone
    return values


def _whom_to_call_lines(topic, with_clinic: bool, values: dict[str, str]) -> list:
    """The ``whom_to_call`` lines a handout shows: a clinic's, each only if the clinic gives
    every value it names (no out-of-hours number, no out-of-hours line); else the generic ones."""
    calls = topic.handout.whom_to_call
    if calls is None:
        return []
    if not with_clinic:
        return list(calls.without_clinic)
    return [line for line in calls.with_clinic
            if all(name in values for form in ((line.one, line.other) if isinstance(line, PluralText) else (line,))
                   for name in inline.placeholders(form))]


def _clinic_header(lz: _Localizer, clinic: ClinicProfile) -> ClinicHeader:
    """The header of a clinic's edition: name, address, phone, web address and QR code."""
    url = clinic.leaflet_url
    # phone first: a line that starts in the document's script keeps its direction, and the
    # address (Latin, often starting with a number) is read after a Latin web address
    lines = [lz.label("clinic_phone", phone=clinic.contacts.phone)]
    if clinic.home:
        lines.append(clinic.home.removeprefix("https://").rstrip("/"))
    lines += clinic.contacts.address
    logo = clinic.logo
    return ClinicHeader(
        name=clinic.name, lines=tuple(lines),
        logo=Image(logo.data, logo.kind, logo.width, logo.height, logo.alt, logo.digest) if logo else None,
        qr_url=url, qr_alt=lz.label("qr_alt", url=url) if url else "", offer=lz.label("large_print_offer"))


def _taglines(lz: _Localizer, clinic: ClinicProfile, catalogs: dict[str, Translations]) -> tuple[Tagline, ...]:
    """The language-assistance notice: the ``language_help`` label in each language the clinic
    lists, each from that language's own catalog (the engine reads them), with the clinic's
    number.  A language without a catalog, or whose tagline is missing or fails a check, is a
    problem at its line: the notice is a legal statement, so English never stands in."""
    english = LABELS["language_help"][0]
    lz._use(english)
    out = []
    for tag in clinic.taglines:
        file, line = clinic.language_place(tag)
        translations = catalogs.get(tag)
        if translations is None:
            lz.problems.append(Diagnostic(file, line, 1, f"language {tag!r} is listed for the language-assistance "
                                                         "notice but has no catalog to take its tagline from"))
            continue
        text = translations.lookup(english)
        where = translations.location(english)
        failing = [f for f in translations.findings_for({english})]
        if text is None or failing:
            why = "; ".join(f.message for f in failing) if failing else "untranslated or not in the catalog"
            lz.problems.append(Diagnostic(where[0], where[1], 1, (
                f"the language-assistance tagline ({english!r}) for {tag} (listed at {file}:{line}): {why}; "
                "translate it (`locales update` adds it)")))
            continue
        try:
            text = text.format(phone=clinic.language_help_phone)
        except (KeyError, IndexError, ValueError) as exc:
            lz.problems.append(Diagnostic(where[0], where[1], 1, f"translation of {english!r}: placeholder error "
                                                                 f"({exc})"))
            continue
        locale = parse_tag(tag)
        # not in lz.shown: that is checked against the document's fonts; taglines have their own
        out.append(Tagline(text, tag_of(locale), locale.text_direction or "ltr"))
    return tuple(out)


def _patient_lines(lz: _Localizer, patient: PatientNote) -> tuple[PatientLine, ...]:
    """One patient's lines: labels from the catalog, the follow-up date in the locale's long
    format (Babel, here: the renderer never formats)."""
    lines = []
    for key, name, value in (("patient_name", "name", patient.name),
                             ("patient_follow_up", "date", fmt.format_long_date(patient.follow_up, lz.locale,
                                                                                lz.numbering)
                              if patient.follow_up else None),
                             ("patient_note", "note", patient.note)):
        if value is None:
            continue
        marker = "\x00"  # the value is never formatted as a template: only the label is
        full = lz.label(key, **{name: marker})
        label, _, rest = full.partition(marker)
        lz.shown[-1] = (lz.shown[-1][0], label + value + rest)
        lines.append(PatientLine(label=label, text=label + value + rest))
    return tuple(lines)


def translations_for(loaded: LoadedTopic, tag: str, translations: Translations | None) -> Translations:
    """``translations`` if they can localize ``tag``, else a :class:`LeafletsError`; without
    any, the source text for English (``en``, ``en-IN``).

    Failing closed: English printed under a Spanish label ("Language: español", and no
    draft notice, since the source needs no review) is a document that lies.  So a
    translated locale needs its translations, the source's are for English only,
    generated pseudo-translations for pseudo-locales only, and a catalog of another
    language (``fr.po`` for ``es``) is refused.
    """
    english = tag not in PSEUDO_LOCALES and tag.split("-")[0].lower() == SOURCE_LOCALE
    topic_id = loaded.topic.topic.id
    problem = None
    if translations is None:
        if english:
            return SourceTranslations()
        problem = (f"no translations given to localize {topic_id} in {tag}: without its catalog the "
                   "documents would be English labelled as another language; read them with "
                   "leaflets.Engine.translations (or leaflets.build.load_translations) and pass them")
    elif isinstance(translations, SourceTranslations) and not english:
        problem = f"the English source cannot stand in for the {tag} translations of {topic_id}"
    elif isinstance(translations, PseudoTranslations) != (tag in PSEUDO_LOCALES):
        problem = (f"pseudo-translations are for the pseudo-locales ({', '.join(PSEUDO_LOCALES)}) only, and "
                   f"those are generated: {tag} cannot use {translations.file}")
    elif translations.tag is not None and translations.tag not in catalog_candidates(tag):
        problem = f"{translations.file} holds {translations.tag} translations; it cannot localize {tag}"
    if problem is not None:
        raise LeafletsError(Diagnostic(loaded.source.file, 0, 0, problem))
    return translations


def _both(lz: _Localizer, key: str, tag: str, **values: str) -> tuple[tuple[str, str], ...]:
    """A label in the document's language and, if that is not English, in English too.

    Each part comes with its language tag ("" for the document's own), so
    renderers can tag and orient the English half on its own.
    """
    own = lz.label(key, **values)
    english = LABELS[key][0].format(**values) if values else LABELS[key][0]
    return ((own, ""),) if own == english or tag == SOURCE_LOCALE else ((own, ""), (english, SOURCE_LOCALE))


def _review_notice(lz: _Localizer, review: Review, tag: str) -> tuple[tuple[tuple[str, str], ...], bool]:
    """The footer line that says whether a translation has been reviewed."""
    if review.state == "source":
        return (), False
    if review.state == "reviewed":
        return ((lz.label("reviewed_by", reviewer=review.reviewer,
                          date=fmt.format_long_date(review.date, lz.locale, lz.numbering)), ""),), False
    return _both(lz, "draft_notice", tag), True


MAX_LISTED_MISSING = 10


def _summarize(missing: list[Diagnostic], file: str) -> list[Diagnostic]:
    """The missing-translation diagnostics, at most a few of them and a count."""
    if len(missing) <= MAX_LISTED_MISSING:
        return missing
    rest = len(missing) - MAX_LISTED_MISSING
    return missing[:MAX_LISTED_MISSING] + [Diagnostic(
        file, 0, 0, f"... and {rest} more missing translations ({len(missing)} in all); "
                    "`python generate.py locales status` lists the catalog's state")]


def _cited_only(key_message: Callout, blocks: list, references: tuple[ReferenceEntry, ...]):
    """The handout lists only the references it cites, numbered in order of
    first citation (Vancouver style); the deck keeps the full list."""
    order: dict[int, int] = {}
    for block in [key_message, *blocks]:
        for number in getattr(block, "citations", ()):
            order.setdefault(number, len(order) + 1)

    def renumber(block):
        cites = getattr(block, "citations", ())
        return dataclasses.replace(block, citations=tuple(sorted(order[n] for n in cites))) if cites else block

    by_number = {ref.number: ref for ref in references}
    cited = tuple(dataclasses.replace(by_number[old], number=new) for old, new in order.items())
    return renumber(key_message), [renumber(b) for b in blocks], cited


def _blocks(lz: _Localizer, blocks, start: int) -> list:
    """The document blocks of content blocks; the first is block ``start`` of the handout."""
    out = []

    def here():  # strings translated inside are shown by the next block appended
        return lz.at(Place(HANDOUT, "block", start + len(out)))

    for block in blocks:
        if isinstance(block, BoxBlock):
            with here():
                items = [lz.inline(item) for item in block.bullets]
                intro = lz.inline(block.intro)[0] if block.intro is not None else ()
                title = lz.inline(block.title)[0]
                contacts = tuple(lz.inline(line)[0] for line in lz.whom_to_call) if block.box == "get_help" else ()
            cites = tuple(sorted({c for _, cs in items for c in cs}))
            out.append(Box(block.box, title, tuple(spans for spans, _ in items), intro, cites, contacts))
            continue
        if isinstance(block, ParagraphBlock):
            with here():
                spans, cites = lz.inline(block.paragraph)
            cites = tuple(sorted(set(cites) | {lz.ref_numbers[r] for r in block.cite}))
            out.append(Paragraph(spans, cites))
        elif isinstance(block, CalloutBlock):
            with here():
                spans, cites = lz.inline(block.callout)
            cites = tuple(sorted(set(cites) | {lz.ref_numbers[r] for r in block.cite}))
            out.append(Callout(spans, block.tone, cites))
        elif isinstance(block, BulletsBlock):
            if block.intro is not None:
                with here():
                    out.append(Paragraph(lz.inline(block.intro)[0]))
            with here():
                items = [lz.inline(item) for item in block.bullets]
            cites = tuple(sorted({c for _, cs in items for c in cs} | {lz.ref_numbers[r] for r in block.cite}))
            out.append(BulletList(tuple(spans for spans, _ in items), cites,
                                  "checkbox" if block.checklist else "bullet"))
    return out


def _slide(lz: _Localizer, slide: Slide) -> SlideDoc:
    topic = lz.loaded.topic
    cited: set[str] = set(slide.cite)
    ids = {n: rid for rid, n in lz.ref_numbers.items()}

    def run(text):
        spans, cites = lz.inline(text)
        cited.update(ids[c] for c in cites)
        return spans

    title = run(slide.title)
    subtitle = run(slide.subtitle) if slide.subtitle is not None else ()
    bullets = tuple(run(b) for b in slide.bullets)
    for entry in slide.fields:  # "Label:" stays visible even when the presenter gives no value
        value = run(entry.value) if entry.value is not None else ()
        if entry.presenter is not None and lz.presenter is not None and _presenter_value(lz.presenter, entry.presenter):
            value = (Span(_presenter_value(lz.presenter, entry.presenter)),)
        bullets += (run(entry.label) + ((Span(" "),) + value if value else ()),)
    table = chart = diagram = None
    kind = slide.kind
    if slide.table is not None:
        kind = "table" if kind == "bullets" else kind
        table = Table(tuple(run(h) for h in slide.table.header),
                      tuple(tuple(run(c) for c in row) for row in slide.table.rows))
    if slide.chart is not None:
        kind = "chart" if kind == "bullets" else kind
        spec = slide.chart
        facts = [topic.facts[v] for v in spec.values]
        cited.update(f.ref for f in facts)
        categories = tuple(plain(run(c)) for c in spec.categories)
        labels = tuple(lz.values[v] for v in spec.values)
        chart_title = plain(run(spec.title))
        alt = f"{chart_title}: " + fmt.format_text_list([f"{c} {v}" for c, v in zip(categories, labels)],
                                                        "unit", lz.locale)
        chart = Chart(title=chart_title, series_name=plain(run(spec.series_name)), categories=categories,
                      values=tuple(float(f.value) for f in facts), value_labels=labels, alt=alt,
                      number_format=chart_number_format(
                          lz.locale, lz.numbering, max((getattr(f, "decimals", 0) or 0) for f in facts)),
                      highlight=tuple(i for i, v in enumerate(spec.values) if v in spec.highlight))
    if slide.diagram is not None:
        spec = slide.diagram
        diagram = Diagram(spec.kind, tuple(DiagramLane(run(lane.title), tuple(run(step) for step in lane.steps),
                                                       lane.emphasis) for lane in spec.lanes),
                          alt=plain(run(spec.alt)))
    notes = tuple(plain(run(n)) for n in slide.notes)
    sources = ""
    if cited:
        names = [_short_citation(topic.references[rid], lz) for rid in sorted(cited, key=lz.ref_numbers.get)]
        sources = lz.label("sources", numbers=fmt.format_text_list(list(dict.fromkeys(names)), "standard", lz.locale))
    investigational = lz.text(topic.deck.investigational_label) if slide.investigational else ""
    return SlideDoc(kind, title, bullets=bullets, subtitle=subtitle, table=table, chart=chart, diagram=diagram,
                    notes=notes, sources=sources, investigational=investigational)


# A spreadsheet format's prefix asking Office for native digits, per numbering system:
# ``[$-SSCCLLLL]``, numeral shape SS, calendar CC, LCID LLLL.  Shapes 02 Arabic-Indic (٦٧٪,
# with Arabic 0x0401), 03 Extended Arabic-Indic (۶۷٪, with Persian 0x0429), 04 Devanagari (with
# Hindi 0x0439), the pairs LibreOffice also reads (svl zformat.cxx, aNumeralIDtoLanguage).
# A numbering system without an entry is drawn in Latin digits on the chart (the chart's
# labels and the text beside it then differ); none of the scripts with a shipped font needs one.
NATIVE_DIGITS = {"arab": "[$-2000401]", "arabext": "[$-3000429]", "deva": "[$-4000439]"}


def chart_number_format(locale: Locale, numbering: str, decimals: int) -> str:
    """The spreadsheet number format of a chart's percentages, from the locale's CLDR pattern.

    Where the locale's percent sign is ``%``, the format multiplies by 100 (values are
    fractions); otherwise the sign is quoted and values are percent units (the renderer
    reads which from the format).

    >>> chart_number_format(Locale.parse("de"), "latn", 0)
    '0"\xa0"%'
    >>> chart_number_format(Locale.parse("ar"), "arab", 1)
    '[$-2000401]0.0"٪\u061c"'
    >>> chart_number_format(Locale.parse("fa"), "arabext", 0)
    '[$-3000429]0"٪"'
    """
    import re

    pattern = locale.percent_formats[None].pattern
    match = re.search(r"[#0,.]+", pattern)
    prefix, suffix = pattern[:match.start()], pattern[match.end():]
    sign = locale.number_symbols.get(numbering, locale.number_symbols.get("latn", {})).get("percentSign", "%")
    sign = sign.replace("\u200e", "").replace("\u200f", "")

    def literal(text: str) -> str:
        out = ""
        for piece in re.split("(%)", text):
            if piece == "%":
                out += "%" if sign == "%" else f'"{sign}"'
            elif piece:
                out += f'"{piece}"'
        return out

    number = "0" + ("." + "0" * decimals if decimals else "")
    return NATIVE_DIGITS.get(numbering, "") + literal(prefix) + number + literal(suffix)


def _short_citation(ref, lz: _Localizer) -> str:
    """Author and year for on-slide citations: 'Kim 2017', 'FDA 2024'."""
    name = ref.short
    if name is None:
        first = ref.authors[0]
        name = first.split()[0] if isinstance(ref, ArticleReference) else first
    if ref.year is None:
        return name
    return f"{name} {fmt.format_year(ref.year, lz.locale, lz.numbering)}"


# The handout lists at most this many authors, then "et al.", and no article
# titles (the short journal form): two pages leave no room for more, and the
# DOI leads to the paper.  The deck's reference slide gives the full entries.
HANDOUT_AUTHORS = 3


def _reference(number: int, ref, max_authors: int | None = None, titles: bool = True) -> ReferenceEntry:
    """Vancouver-style reference text; titles stay in their published language."""
    names = [a for a in ref.authors if a != "et al."]
    if max_authors is not None and len(names) > max_authors:
        names = names[:max_authors] + ["et al."]
    elif "et al." in ref.authors:
        names.append("et al.")
    authors = ", ".join(names).rstrip(".")
    if isinstance(ref, ArticleReference):
        where = f"{ref.journal}. {ref.year}"
        if ref.volume:
            where += f";{ref.volume}"
        if ref.pages:
            where += f":{ref.pages}"
        title = f" {ref.title}." if titles else ""
        doi = f" doi:{ref.doi}" if ref.doi else ""
        return ReferenceEntry(number, f"{authors}.{title} {where}.{doi}", doi=ref.doi)
    assert isinstance(ref, WebReference)
    year = f" {ref.year}." if ref.year else ""
    return ReferenceEntry(number, f"{authors}. {ref.title}. {ref.publisher}.{year}", url=ref.url)
