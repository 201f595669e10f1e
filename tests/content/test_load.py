"""Loading and validating topic files: the shipped topic, and broken ones."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from leaflets.content.load import load_topic
from leaflets.content.messages import iter_texts
from leaflets.content.model import CellDoseFact, CountFact, PercentFact
from leaflets.errors import LeafletsError
from tests.conftest import ROOT, run_cli

HERE = Path(__file__).parent
BAD = sorted((HERE / "bad").glob("*.yaml"))


def test_shipped_topic_has_the_required_parts(loaded):
    topic = loaded.topic
    assert [s.id for s in topic.sections] == ["overview", "symptoms", "causes", "treatments", "stem_cells"]
    assert all(s.clinician for s in topic.sections)
    # causes are told to patients in the overview (two pages leave no room for a section of two lines)
    assert all(s.patient for s in topic.sections if s.id != "causes")
    assert isinstance(topic.facts["child_prevalence"], PercentFact)
    assert isinstance(topic.facts["trial_participants"], CountFact)
    assert topic.facts["trial_participants"].value == 34  # primary source, not the article's 37
    dose = topic.facts["trial_low_dose"]
    assert isinstance(dose, CellDoseFact) and (dose.mantissa, dose.exponent) == (2.5, 7)
    assert {"kim2017", "hanifin2007", "shaw2011"} <= set(topic.references)
    assert all(f.ref in topic.references for f in topic.facts.values())


def test_investigational_status_is_stated_plainly(loaded):
    texts = " ".join(t.msgid for t in iter_texts(loaded.topic))
    assert "no approved stem cell treatment for eczema" in texts
    assert "Only get it in a registered trial (a research study)." in texts
    assert "investigational" in texts
    # Content 1.0 said MSC therapy is "only available in clinical trials": false,
    # clinics sell it; the handout must warn about them instead.
    assert "only available in clinical trials" not in texts
    assert "clinics" in texts


def test_phase_iii_result_is_never_left_out(loaded):
    """The uncontrolled 55 % must not stand alone: wherever the first trial's
    result is shown, the placebo-controlled phase III is shown too."""
    placeholders = [set(t.placeholders()) for t in iter_texts(loaded.topic)]
    assert any({"phase3_easi50_cells", "phase3_easi50_placebo"} <= p for p in placeholders)
    assert any({"phase3_easi50_cells_freq.numerator", "phase3_easi50_placebo_freq.numerator"} <= p
               for p in placeholders)
    texts = " ".join(t.msgid for t in iter_texts(loaded.topic))
    assert "Sponsor-reported" in texts and "paid for this study and announced the result" in texts


def test_reviewer_notes_cover_every_disagreement(loaded):
    about = {fid for note in loaded.topic.reviewer_notes for fid in note.about}
    assert {"trial_participants", "trial_low_dose", "trial_followup", "easi50_high_dose", "onset_by_age",
            "trial_arms", "persistence_remitted_8y", "phase3_easi50_cells", "seo_phase2_participants",
            "tralokinumab_approval", "remestemcel_approval"} <= about


def test_source_text_has_no_digits_outside_names(loaded):
    """Numbers are data: the only digits in English text belong to names (IL-4, EASI-50, NCT03269773,
    the trial TRuE-AD3, a phase 2 or phase 3 trial)."""
    allowed = re.compile(r"Th1/Th2|IL-4Rα|IL-4|IL-13|IL-31|JAK1|PDE-4|EASI-50|NCT\d{8}|TRuE-AD3|type 2|Phase 2|phase [23]")
    for text in iter_texts(loaded.topic):
        for form in text.forms:
            bare = re.sub(r"\{[a-z0-9_.]+\}", "", allowed.sub("", form))
            assert not re.search(r"\d", bare), (text.path, form)


def test_no_sentence_of_the_source_article_is_copied(loaded):
    article = (ROOT.parent / "shared" / "seed" / "source-article.txt")
    if not article.exists():
        pytest.skip("seed article not beside the repository")
    ours = " ".join(form for t in iter_texts(loaded.topic) for form in t.forms).lower()
    ours = re.sub(r"\s+", " ", ours)
    words = re.sub(r"[^\w\s]", " ", ours).split()
    shingles = {" ".join(words[i:i + 8]) for i in range(len(words) - 7)}
    for sentence in re.split(r"(?<=[.!?])\s+", article.read_text(encoding="utf-8")):
        sentence = re.sub(r"\s+", " ", sentence.strip()).lower()
        if len(sentence.split()) >= 5:
            assert sentence not in ours, sentence
        plain = re.sub(r"[^\w\s]", " ", sentence).split()
        for i in range(len(plain) - 7):
            assert " ".join(plain[i:i + 8]) not in shingles, sentence


@pytest.mark.parametrize("path", BAD, ids=[p.stem for p in BAD])
def test_broken_topic_gives_file_line_message(path):
    expected = path.read_text(encoding="utf-8").splitlines()[0].removeprefix("# expect: ")
    with pytest.raises(LeafletsError) as caught:
        load_topic(path)
    messages = [str(d) for d in caught.value.diagnostics]
    assert any(expected in m for m in messages), messages
    assert all(m.startswith(str(path.relative_to(Path.cwd())) if path.is_relative_to(Path.cwd()) else str(path))
               for m in messages)


def test_there_are_at_least_ten_broken_files():
    assert len(BAD) >= 10


@pytest.mark.parametrize("name", ["duplicate_key", "unknown_key", "syntax_error"])
def test_cli_exits_1_without_traceback_or_output(tmp_path, name):
    content = tmp_path / "content"
    content.mkdir()
    (content / f"{name}.yaml").write_text((HERE / "bad" / f"{name}.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    result = run_cli("--content-dir", str(content), "build", "--out", str(tmp_path / "out"), cwd=tmp_path)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    expected = (HERE / "bad" / f"{name}.yaml").read_text(encoding="utf-8").splitlines()[0].removeprefix("# expect: ")
    assert f"content/{name}.yaml:{expected}" in result.stderr
    assert not (tmp_path / "out").exists()
