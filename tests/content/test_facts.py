"""Every fact cites a reference that exists, and every fact reaches a reader."""

from __future__ import annotations

import re

import pytest

from leaflets.build import load_translations
from leaflets.content.model import NaturalFrequencyFact
from leaflets.localize import fact_values, localize
from tests.conftest import ROOT

# Facts added with content 2.0 (issue 8): each must be shown in the handout or the deck.
# (child_prevalence_freq, 'about 1 in 10 children', left with content 2.1: the handout
# no longer gives the US prevalence; the deck keeps child_prevalence.)
NEW_FACTS_2_0 = {
    "persistence_studies", "persistence_people", "persistence_remitted_8y",
    "persistence_remitted_8y_freq", "persistence_years_short", "persistence_years_long", "persistence_20y_below",
    "trial_arms", "phase3_participants", "phase3_centres", "phase3_dose", "phase3_followup", "phase3_easi50_cells",
    "phase3_easi50_placebo", "phase3_easi50_cells_freq", "phase3_easi50_placebo_freq", "phase3_year",
    "seo_phase2_participants", "seo_dose", "seo_infusions", "seo_followup", "seo_year", "tralokinumab_approval",
    "jak_approval", "lebrikizumab_approval", "nemolizumab_approval", "remestemcel_approval",
}
# Facts added with content 2.1 (issue 17): facts 16-19 of verified-sources.md, Seo's P value,
# and the length of a ClinicalTrials.gov number for patients.
NEW_FACTS_2_1 = {
    "seo_easi50_p", "sidbury_year",
    "roflumilast_strength", "roflumilast_approval", "roflumilast_min_age", "roflumilast_child_strength",
    "roflumilast_child_approval", "roflumilast_child_age_from", "roflumilast_child_age_to",
    "tapinarof_strength", "tapinarof_approval", "tapinarof_min_age",
    "ruxolitinib_strength", "ruxolitinib_approval", "ruxolitinib_min_age", "ruxolitinib_child_approval",
    "ruxolitinib_child_age_from", "ruxolitinib_child_age_to", "ruxolitinib_child_iga_cream",
    "ruxolitinib_child_iga_vehicle", "ruxolitinib_child_followup",
    "tci_warning_year", "tci_min_age", "fda_warning_date", "nct_digits",
}
NEW_FACTS = NEW_FACTS_2_0 | NEW_FACTS_2_1

# The source each fact of 2.1 must cite: the verified-sources.md fact it comes from.
SOURCES_2_1 = {
    "seo_easi50_p": "seo2024",  # fact 13
    "sidbury_year": "sidbury2023",  # fact 14
    "roflumilast_strength": "roflumilast_labels", "roflumilast_approval": "roflumilast_labels",  # fact 16
    "roflumilast_min_age": "roflumilast_labels", "roflumilast_child_strength": "roflumilast_labels",
    "roflumilast_child_approval": "roflumilast_labels", "roflumilast_child_age_from": "nct04845620",
    "roflumilast_child_age_to": "nct04845620",
    "tapinarof_strength": "tapinarof_labels", "tapinarof_approval": "tapinarof_labels",
    "tapinarof_min_age": "tapinarof_labels",
    "ruxolitinib_strength": "ruxolitinib_label", "ruxolitinib_approval": "ruxolitinib_label",  # fact 17
    "ruxolitinib_min_age": "ruxolitinib_label", "ruxolitinib_child_approval": "ruxolitinib_label",
    "ruxolitinib_child_age_from": "ruxolitinib_label", "ruxolitinib_child_age_to": "ruxolitinib_label",
    "ruxolitinib_child_iga_cream": "nct04921969", "ruxolitinib_child_iga_vehicle": "nct04921969",
    "ruxolitinib_child_followup": "nct04921969",
    "tci_warning_year": "tci_labels", "tci_min_age": "tci_labels",  # fact 18
    "fda_warning_date": "fda2021_regenerative",  # fact 19
    "nct_digits": "ctgov_nct",
}


def test_every_fact_cites_a_reference_that_exists(loaded):
    topic = loaded.topic
    missing = {fid: fact.ref for fid, fact in topic.facts.items() if fact.ref not in topic.references}
    assert missing == {}


def test_the_new_facts_are_in_the_topic(loaded):
    assert NEW_FACTS <= set(loaded.topic.facts)
    assert "child_prevalence_freq" not in loaded.topic.facts


def test_every_new_fact_cites_its_verified_source(loaded):
    """Issue 17: each new fact cites the reference of the verified-sources.md fact it comes from."""
    topic = loaded.topic
    assert set(SOURCES_2_1) == NEW_FACTS_2_1
    assert {fid: topic.facts[fid].ref for fid in NEW_FACTS_2_1} == SOURCES_2_1


def test_the_fda_warning_is_the_consumer_warning_of_fact_19(loaded):
    ref = loaded.topic.references["fda2021_regenerative"]
    assert ref.title == "Important Patient and Consumer Information About Regenerative Medicine Therapies"
    assert ref.url == ("https://www.fda.gov/vaccines-blood-biologics/consumers-biologics/"
                       "important-patient-and-consumer-information-about-regenerative-medicine-therapies")
    assert ref.year == 2021 and str(loaded.topic.facts["fda_warning_date"].value) == "2021-06-03"
    # the trial records of facts 16 and 17 point at their ClinicalTrials.gov pages
    for rid in ("nct04845620", "nct04921969"):
        assert loaded.topic.references[rid].url == f"https://clinicaltrials.gov/study/{rid.upper()}"


def test_every_new_fact_has_a_reviewer_note(loaded):
    """Every decision behind a 2.1 fact is recorded for reviewers (P value, labels, warnings)."""
    noted = {fid for note in loaded.topic.reviewer_notes for fid in note.about}
    assert NEW_FACTS_2_1 - {"sidbury_year"} <= noted, NEW_FACTS_2_1 - noted


@pytest.fixture(scope="module")
def shown(project, loaded) -> str:
    """Everything the English handout and deck show, notes and alt text included."""
    document = localize(loaded, "en", load_translations(project, "en"))
    texts = [text for _, text in document.texts]
    for slide in document.deck.slides:
        if slide.chart is not None:
            texts += list(slide.chart.value_labels)
    return "\n".join(texts)


@pytest.mark.parametrize("fid", sorted(NEW_FACTS))
def test_every_new_fact_appears_in_an_artifact(loaded, shown, fid):
    """A fact appears if the text of some string that names it, filled in, is shown."""
    from leaflets.content.messages import iter_texts
    from babel import Locale
    fact = loaded.topic.facts[fid]
    values = fact_values(fid, fact, Locale.parse("en"))
    users = [t for t in iter_texts(loaded.topic) if any(n.split(".")[0] == fid for n in t.placeholders())]
    assert users, f"no string names {{{fid}}}"
    assert all(value in shown for value in values.values()), (fid, values)


def test_no_fact_is_unused(loaded):
    """Old facts too: a fact no string names would be data nobody reads."""
    from leaflets.content.messages import iter_texts
    used = {n.split(".")[0] for t in iter_texts(loaded.topic) for n in t.placeholders()}
    used |= {t.text.count for t in iter_texts(loaded.topic) if hasattr(t.text, "count")}
    used |= {v for s in loaded.topic.sections for slide in s.clinician if slide.chart for v in slide.chart.values}
    assert set(loaded.topic.facts) - used == set()


def test_natural_frequencies_round_their_percentages(loaded):
    for fid, fact in loaded.topic.facts.items():
        if isinstance(fact, NaturalFrequencyFact):
            assert fact.restates is not None, fid
            share = 100 * fact.numerator / fact.denominator
            assert abs(share - loaded.topic.facts[fact.restates].value) <= 0.15 * share + 1, fid


@pytest.mark.parametrize("case, expected", [
    ("natural_frequency_drift", "does not round 'share'"),
    ("natural_frequency_bare", "placeholder {share_freq} names no fact or list"),
])
def test_bad_natural_frequencies_are_reported_with_their_line(tmp_path, case, expected):
    from leaflets.content.load import load_topic
    from leaflets.errors import LeafletsError
    path = ROOT / "tests" / "content" / "bad" / f"{case}.yaml"
    with pytest.raises(LeafletsError) as caught:
        load_topic(path)
    messages = [str(d) for d in caught.value.diagnostics]
    assert any(expected in m and re.search(r"\.yaml:\d+:\d+:", m) for m in messages), messages
