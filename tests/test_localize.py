"""The localized document: golden files per locale, and what it must contain."""

from __future__ import annotations

from pathlib import Path

import pytest

from leaflets.build import load_translations
from leaflets.content.messages import iter_texts
from leaflets.i18n.labels import LABELS
from leaflets.document import SLIDE_KINDS, Box, BulletList, Callout, Heading, Paragraph, plain, to_json
from leaflets.errors import LeafletsError
from leaflets.i18n.catalog import SourceTranslations, Translations
from leaflets.i18n.pseudo import PseudoTranslations
from leaflets.localize import localize

GOLDEN = Path(__file__).parent / "golden"
GOLDEN_LOCALES = ["en", "es"]


def _document(project, loaded, tag):
    # Goldens of translated locales are taken with English standing in for
    # entries not translated yet (marked lang="en" in the golden): a catalog
    # update then shows as a golden diff, never as a broken suite.
    return localize(loaded, tag, load_translations(project, tag), allow_incomplete=tag != "en")


@pytest.mark.parametrize("tag", GOLDEN_LOCALES)
def test_golden_localized_document(project, loaded, tag, update_goldens):
    text = to_json(_document(project, loaded, tag))
    golden = GOLDEN / f"{tag}.json"
    if update_goldens:
        golden.write_text(text, encoding="utf-8")
    assert golden.exists(), f"missing {golden}; run pytest --update-goldens"
    assert text == golden.read_text(encoding="utf-8"), f"{tag} differs from {golden}; if intended, pytest --update-goldens"


def test_spanish_facts_are_formatted_by_babel(project, loaded):
    doc = _document(project, loaded, "es")
    text = " ".join(plain(b.text) for b in doc.handout.blocks if isinstance(b, (Paragraph, Callout)))
    assert "12 semanas" in text
    bullets = " ".join([*(plain(b) for s in doc.deck.slides for b in s.bullets),  # on slides or in their notes
                        *(n for s in doc.deck.slides for n in s.notes)])
    assert "10,7\u00a0%" in bullets
    assert "17,8 millones" in bullets
    assert "31,8\u00a0%" in bullets and "27,2\u00a0%" in bullets
    assert doc.footer.reviewed.endswith("10 de diciembre de 2026")
    tables = [s.table for s in doc.deck.slides if s.table is not None]
    cells = [plain(c) for table in tables for row in table.rows for c in row]
    assert "28 de marzo de 2017" in cells and "diciembre de 2021" in cells
    notes = [n for s in doc.deck.slides for n in s.notes]  # the first trial's doses: in its notes
    assert any("2,5\u00a0×\u00a010⁷" in c and "5,0\u00a0×\u00a010⁷" in c for c in cells + notes)
    assert doc.footer.page_label(1, 2) == "Página 1 de 2"


def test_english_document_structure(project, loaded):
    doc = _document(project, loaded, "en")
    headings = [plain(b.text) for b in doc.handout.blocks if isinstance(b, Heading)]
    assert headings == ["What is atopic dermatitis?", "Signs to look for", "How is it treated?",
                        "What about stem cell treatment?", "Talk to your doctor or nurse"]
    boxes = [b for b in doc.handout.blocks if isinstance(b, Box)]
    assert [b.tone for b in boxes] == ["get_help", "every_day"]  # the warning signs follow the signs (2.1)
    assert plain(boxes[0].title) == "Get help quickly"
    assert doc.handout.key_message.tone == "important"
    kinds = [s.kind for s in doc.deck.slides]
    assert kinds[0] == "title" and kinds[-1] == "references" and kinds[-2] == "closing"
    assert {"table", "chart", "section", "diagram", "disclosure"} <= set(kinds) <= set(SLIDE_KINDS)
    assert all(s.notes for s in doc.deck.slides)
    # The plural sentence picks the 'other' form for 34 participants.
    assert any("34 adults" in plain(b.text) for b in doc.handout.blocks if isinstance(b, Paragraph))


def _handout_text(doc) -> str:
    parts = [plain(doc.handout.key_message.text)]
    for block in doc.handout.blocks:
        if isinstance(block, Box):
            parts += [plain(block.title)] + [plain(i) for i in block.items]
        elif isinstance(block, BulletList):
            parts += [plain(i) for i in block.items]
        else:
            parts.append(plain(block.text))
    return " ".join(parts)


def test_patients_read_natural_frequencies_not_percentages(project, loaded):
    text = _handout_text(_document(project, loaded, "en"))
    assert "about 4 in 5 no longer have it 8 years after" in text
    assert "about 3 in 10 people with the cells" in text
    assert "%" not in text
    # survey years belong in the deck, not in the patient text
    assert not any(year in text for year in ("1998", "2003", "2007"))


def test_natural_frequency_digits_follow_the_locale(loaded):
    doc = localize(loaded, "ar", Translations(file="locales/xx.po"), allow_incomplete=True)
    text = _handout_text(doc)
    assert "٤ in ٥ no longer" in text  # English stand-in, Arabic-Indic digits from Babel
    assert "4 in 5" not in text


def test_persian_facts_come_out_in_extended_arabic_indic_digits(loaded):
    """CLDR's default numbering for Persian is 'arabext' (۰-۹), not Latin and not Arabic's ٠-٩."""
    doc = localize(loaded, "fa", Translations(file="locales/fa.po"), allow_incomplete=True)
    text = _handout_text(doc)
    assert "۴ in ۵ no longer" in text  # English stand-in, Persian digits from Babel
    bullets = " ".join([*(plain(b) for s in doc.deck.slides for b in s.bullets),  # on slides or in their notes
                        *(n for s in doc.deck.slides for n in s.notes)])
    assert "۱۰٫۷٪" in bullets and "۱۷٫۸ میلیون" in bullets
    cells = " ".join(plain(c) for s in doc.deck.slides if s.table for row in s.table.rows for c in row)
    assert "۲۸ مارس ۲۰۱۷" in cells
    # a cell dose is in one digit system: Latin throughout, as only Latin digits have superscripts
    # (the first trial's doses are in its speaker notes)
    dose = next(n for s in doc.deck.slides for n in s.notes if "10⁷" in n and "(low)" in n)
    assert "2.5\u00a0×\u00a010⁷" in dose and "۲٫۵" not in dose
    assert doc.footer.digits == "۰۱۲۳۴۵۶۷۸۹"
    chart = next(s.chart for s in doc.deck.slides if s.chart is not None)
    assert chart.number_format.startswith("[$-3000429]")
    assert all(set(label) & set("۰۱۲۳۴۵۶۷۸۹") and not set(label) & set("0123456789٠١٢٣٤٥٦٧٨٩")
               for label in chart.value_labels)


def test_handout_lists_only_what_it_cites_in_order_of_citation(project, loaded):
    doc = _document(project, loaded, "en")
    cited = [n for b in (doc.handout.key_message, *doc.handout.blocks) for n in getattr(b, "citations", ())]
    numbers = [r.number for r in doc.handout.references]
    assert numbers == list(range(1, len(numbers) + 1))
    assert set(cited) == set(numbers)
    first = list(dict.fromkeys(cited))
    assert first == sorted(first)  # Vancouver: numbered by first citation
    assert len(doc.handout.references) < len(loaded.topic.references)
    deck_refs = doc.deck.slides[-1].bullets
    assert len(deck_refs) == len(loaded.topic.references)


def test_every_msc_slide_is_tagged_investigational(project, loaded):
    doc = _document(project, loaded, "en")
    titles = [plain(s.title) for s in doc.deck.slides]
    msc = doc.deck.slides[titles.index("Cell therapy: the evidence"):titles.index("Key messages")]
    assert len(msc) >= 7
    assert all(s.investigational == "Investigational" for s in msc), [plain(s.title) for s in msc
                                                                       if not s.investigational]
    assert not any(s.investigational for s in doc.deck.slides if (s.topic or plain(s.title)) == "Topical therapy")


def test_disclosure_fields_stay_visible_when_empty(project, loaded):
    doc = _document(project, loaded, "en")
    slide = next(s for s in doc.deck.slides if s.kind == "disclosure")
    lines = [plain(b) for b in slide.bullets]
    assert lines[0] == "Presenter:"
    assert "Financial relationships with companies in this field:" in lines
    assert any(line.startswith("Investigational use discussed: mesenchymal") for line in lines)


def test_diagrams_closing_and_short_citations(project, loaded):
    doc = _document(project, loaded, "en")
    diagrams = {s.diagram.kind: s for s in doc.deck.slides if s.kind == "diagram"}
    assert set(diagrams) == {"lanes", "ladder"}
    lanes = diagrams["lanes"].diagram
    assert [plain(lane.title) for lane in lanes.lanes] == ["Phase I/IIa (2017)", "Phase III (2019)", "Phase 2 (2024)"]
    assert "No placebo arm" in [plain(step) for step in lanes.lanes[0].steps]
    assert lanes.alt.startswith("Three trials side by side. Kim 2017: 34 adults")
    assert diagrams["lanes"].sources == "Sources: Kim 2017, Korea Biomed Rev 2019, NCT03269773, and Seo 2024"
    closing = doc.deck.slides[-2]
    assert plain(closing.subtitle) == "Questions and discussion" and len(closing.bullets) == 4
    chart = next(s.chart for s in doc.deck.slides if s.chart is not None)
    assert chart.alt == "Severity in US children with eczema: Mild 67%, Moderate 26%, Severe 7%"
    table = next(s for s in doc.deck.slides if (s.topic or plain(s.title)) == "Biologics and JAK inhibitors approved for AD").table
    dates = [plain(row[-1]) for row in table.rows]
    assert dates == ["March 28, 2017", "December 2021", "January 14, 2022", "September 2024", "December 2024"]


def test_missing_translations_are_errors_not_silent_english(loaded):
    empty = Translations(file="locales/xx.po")
    with pytest.raises(LeafletsError) as caught:
        localize(loaded, "es", empty)
    messages = [d.message for d in caught.value.diagnostics]
    assert any("not in the catalog: 'umbilical cord (blood)' (used at content/atopic-dermatitis.yaml:" in m
               for m in messages)
    assert len(messages) == 12  # ten listed, one summary line, and how to preview with --allow-incomplete
    assert "--allow-incomplete" in messages[-1]
    # every content string, and every interface label but "reviewed by": a translation with no
    # catalog behind it is a draft and needs the draft notice (it never reads as the source);
    # a handout without a clinic shows neither the clinic's labels nor its whom-to-call lines
    clinic_only = {"reviewed_by", "clinic_phone", "qr_alt", "large_print_offer", "language_help", "patient_name",
                   "patient_follow_up", "patient_note"}  # the last four: a clinic with the notice, a patient
    labels = {text for key, (text, _) in LABELS.items() if key not in clinic_only}
    distinct = len({t.msgid for t in iter_texts(loaded.topic) if t.path[:3] != ("handout", "whom_to_call", "with_clinic")}
                   | labels)
    assert f"more missing translations ({distinct} in all)" in messages[-2]


def test_allow_incomplete_marks_english_fallback(loaded):
    doc = localize(loaded, "es", Translations(file="locales/xx.po"), allow_incomplete=True)
    assert doc.warnings
    assert doc.handout.key_message.text[0].lang == "en" and doc.handout.key_message.text[0].fallback


def test_speaker_notes_speak_to_the_presenter_not_about_editing(project, loaded):
    doc = _document(project, loaded, "en")
    notes = " ".join(n for s in doc.deck.slides for n in s.notes).lower()
    for remark in ("source article", "secondary sources", "this deck follows", "claimed", "healthline"):
        assert remark not in notes, remark


def test_first_trial_is_described_as_it_was_run(project, loaded):
    """Issue 8: randomised between two doses, no placebo arm, funded by the developer; EASI-50 not 'primary'."""
    doc = _document(project, loaded, "en")
    table = next(s.table for s in doc.deck.slides if (s.topic or plain(s.title)) == "First clinical trial in AD: hUCB-MSCs")
    slide = next(s for s in doc.deck.slides if (s.topic or plain(s.title)) == "First clinical trial in AD: hUCB-MSCs")
    rows = {plain(r[0]): plain(r[1]) for r in table.rows}
    assert rows["Design"] == "Randomised between two doses; no placebo arm"
    assert any("funded by the product's developer" in n for n in slide.notes)  # moved to the notes (issue 20)
    assert "Primary result" not in rows
    summary = next(s for s in doc.deck.slides if (s.topic or plain(s.title)) == "Evidence summary")
    assert [plain(h) for h in summary.table.header] == ["Study (n)", "Control", "Result", "Certainty"]
    assert [plain(r[1]) for r in summary.table.rows] == ["None", "Placebo", "Placebo"]
    assert any("no consistent benefit" in n for n in summary.notes)


# --------------------------------------------------------------- places (build --only)
def _place_texts(doc) -> dict:
    """The text each place of the document shows, read from the document itself."""
    from leaflets.document import Place

    def inline_texts(block) -> list[str]:
        if isinstance(block, (Heading, Paragraph, Callout)):
            return [plain(block.text)]
        if isinstance(block, BulletList):
            return [plain(item) for item in block.items]
        if isinstance(block, Box):
            return ([plain(block.title), plain(block.intro)] + [plain(item) for item in block.items]
                    + [plain(line) for line in block.contacts])
        raise TypeError(block)

    footer = doc.footer
    footer_texts = [footer.content_version, footer.reviewed, footer.language, footer.page_template, *footer.notice]
    deck_footer = footer_texts + [doc.deck.continued]  # any slide may continue under its pattern
    handout = doc.handout
    texts = {Place("handout", "title"): [handout.title], Place("handout", "subtitle"): [handout.subtitle],
             Place("handout", "audience"): [handout.audience],
             Place("handout", "key_message"): [plain(handout.key_message.text)],
             Place("handout", "not_advice"): [handout.not_advice],
             Place("handout", "references"): [handout.references_title],
             Place("handout", "footer"): footer_texts, Place("deck", "footer"): deck_footer}
    if handout.clinic is not None:
        clinic = handout.clinic
        texts[Place("handout", "clinic")] = [clinic.name, *clinic.lines, clinic.qr_alt, clinic.offer]
    for index, block in enumerate(handout.blocks):
        texts[Place("handout", "block", index)] = inline_texts(block)
    for index, slide in enumerate(doc.deck.slides):
        shown = [plain(slide.title), plain(slide.subtitle), *map(plain, slide.bullets), *slide.notes, slide.sources,
                 slide.investigational, slide.topic]  # the topic: the slide's name in alt text
        if slide.table:
            shown += [plain(cell) for row in (slide.table.header, *slide.table.rows) for cell in row]
        if slide.chart:
            shown += [slide.chart.title, slide.chart.series_name, slide.chart.alt, *slide.chart.categories]
        if slide.diagram:
            shown += [slide.diagram.alt] + [plain(t) for lane in slide.diagram.lanes for t in (lane.title, *lane.steps)]
        if index == 0:
            deck = doc.deck
            shown += [deck.title, deck.subtitle, deck.audience, deck.kind_label]
        texts[Place("deck", "slide", index)] = shown
    return texts


@pytest.mark.parametrize("tag", ["en", "de", "ar"])
def test_every_string_knows_the_places_that_show_it(project, loaded, tag):
    """The localizer records, for every msgid, the handout parts and deck slides that use it,
    and the translation is there, in each of them."""
    doc = _document(project, loaded, tag)
    texts = _place_texts(doc)
    shown: dict[str, list[str]] = {}
    for msgid, text in doc.texts:
        if not msgid.startswith("reference "):
            shown.setdefault(msgid, []).append(text)
    assert set(shown) == {msgid for msgid, _ in doc.uses}
    for msgid, translations in shown.items():
        places = doc.places(msgid)
        assert places, msgid
        for place in places:
            assert place in texts, (msgid, place)
            assert any(t in content for t in translations for content in texts[place]), (msgid, place)
        for text in translations:
            assert any(text in content for place in places for content in texts[place]), (msgid, text)


def test_places_of_some_strings(project, loaded):
    from leaflets.document import Place
    doc = _document(project, loaded, "en")
    assert doc.places("Signs to look for") == (Place("handout", "block", 3),)
    assert plain(doc.handout.blocks[3].text) == "Signs to look for"
    assert set(doc.places("References")) == {Place("handout", "references"),
                                              Place("deck", "slide", len(doc.deck.slides) - 1)}
    assert doc.places("Content version {version}") == (Place("handout", "footer"), Place("deck", "footer"))
    assert doc.places("Page {page} of {pages}") == (Place("handout", "footer"),)
    title = loaded.topic.topic.title
    assert set(doc.places(title)) == {Place("handout", "title"), Place("deck", "slide", 0)}
    assert doc.places("not a string of this topic") == ()
    assert to_json(doc) == to_json(localize(loaded, "en"))  # places are not part of the document's content


# ------------------------------------------------------------------ failing closed
def test_a_translated_locale_without_its_translations_is_an_error(loaded):
    """English under a Spanish label ("Idioma: español", no draft notice) must never be made."""
    with pytest.raises(LeafletsError, match="no translations given to localize atopic-dermatitis in es"):
        localize(loaded, "es")
    with pytest.raises(LeafletsError, match="the English source cannot stand in for the es translations"):
        localize(loaded, "es", SourceTranslations())
    assert localize(loaded, "en-IN").locale == "en-IN"  # the source language needs no catalog


def test_translations_of_another_language_are_refused(project, loaded):
    french = load_translations(project, "fr")
    with pytest.raises(LeafletsError, match="holds fr translations; it cannot localize es"):
        localize(loaded, "es", french)
    with pytest.raises(LeafletsError, match="pseudo-translations are for the pseudo-locales"):
        localize(loaded, "es", PseudoTranslations())
    with pytest.raises(LeafletsError, match="pseudo-translations are for the pseudo-locales"):
        localize(loaded, "en-XA", french)


def test_translations_without_a_review_state_read_as_not_reviewed(loaded):
    """Translations whose review cannot be known are a draft: the notice is printed, never dropped."""
    document = localize(loaded, "es", Translations(file="locales/es.po"), allow_incomplete=True)
    assert LABELS["draft_notice"][0] in document.footer.notice and document.footer.notice_is_warning
