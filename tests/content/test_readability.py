"""The plain-language gates of tools/readability.py hold for the English handout, and can fail."""

from __future__ import annotations

import importlib.util
import sys

import pytest

from tests.conftest import ROOT

spec = importlib.util.spec_from_file_location("readability", ROOT / "tools" / "readability.py")
readability = importlib.util.module_from_spec(spec)
sys.modules["readability"] = readability  # dataclasses look their module up by name
spec.loader.exec_module(readability)


@pytest.fixture(scope="module")
def english(loaded):
    from leaflets.localize import localize
    return readability.handout_sections(localize(loaded, "en"))


@pytest.fixture(scope="module")
def terms():
    return readability.load_terms()


def test_english_handout_passes_every_gate(english, terms):
    figures, findings = readability.check(english, terms)
    assert not findings, "\n".join(f"{f.section}: {f.message}" for f in findings)
    names = [f["section"] for f in figures]
    assert names[0] == "Key message" and "What you can do every day" in names and "Get help quickly" in names
    assert all(f["grade"] <= f["limit"] for f in figures)
    key = figures[0]
    assert key["limit"] == 6 and key["grade"] <= 6
    assert max(f["longest_sentence"] for f in figures) <= 20
    # issue 17: SMOG <= 8 in every section, Gunning Fog reported beside it
    assert all(f["smog_limit"] == 8 and f["smog"] <= 8 for f in figures), [(f["section"], f["smog"]) for f in figures]
    assert all(isinstance(f["fog"], float) and f["fog"] > 0 for f in figures)
    # the key message is at most three sentences (issue 17, item 3)
    assert key["sentences"] <= 3


def _section(*sentences, name="Test"):
    return readability.Section(name, [readability.as_sentences(s) for s in sentences])


def test_grade_gate_fails_on_hard_text(terms):
    hard = _section("Multidisciplinary considerations necessitate comprehensive individualised management "
                    "of everyone's dermatological presentation.")
    _, findings = readability.check([hard], terms)
    assert any("Flesch-Kincaid grade" in f.message for f in findings)


def test_smog_gate_fails_on_long_words_in_short_sentences(terms):
    """Short sentences keep Flesch-Kincaid low; SMOG still counts the long words."""
    dense = _section("Eczema needs a registered trial.", "Call the emergency department.",
                     "Use a moisturiser every day.")
    figures, findings = readability.check([dense], terms)
    assert figures[0]["smog"] > 8, figures
    assert any("SMOG grade" in f.message and "emergency" in f.message for f in findings), findings


def test_smog_and_fog_are_textstats(terms):
    import textstat
    text = "Eczema comes and goes. It often runs in families. You cannot catch it."
    section = _section(text)
    figures, _ = readability.check([section], terms)
    assert figures[0]["smog"] == round(readability.smog_grade(section.text()), 1)
    assert abs(figures[0]["smog"] - textstat.smog_index(section.text())) <= 0.05
    assert abs(figures[0]["fog"] - textstat.gunning_fog(section.text())) <= 0.05
    assert readability.long_words(section.text()) == ["Eczema", "families"]


def test_long_sentence_gate(terms):
    long = _section("This sentence has far more than twenty short words in it so that the gate on the "
                    "length of a sentence has to fail for it now.")
    _, findings = readability.check([long], terms)
    assert any("words > 20" in f.message for f in findings), findings


def test_medical_term_must_be_explained_at_first_use(terms):
    unexplained = _section("A placebo was used.", "A placebo is a dummy injection.")
    _, findings = readability.check([unexplained], terms)
    assert any("'placebo' first appears without its explanation" in f.message for f in findings)
    explained = _section("Some got a dummy injection (a placebo).", "Some got a placebo.")
    assert not [f for f in readability.check([explained], terms)[1] if "first appears" in f.message]


def test_avoided_and_unclassified_long_words_fail(terms):
    _, findings = readability.check([_section("Use an emollient.", "It is idiopathic.")], terms)
    messages = " ".join(f.message for f in findings)
    assert "'emollient' is on the list of terms to avoid" in messages
    assert "'idiopathic' has" in messages and "not classified" in messages


def test_command_line_exits_zero_and_prints_every_section():
    import subprocess
    result = subprocess.run([sys.executable, str(ROOT / "tools" / "readability.py")], capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    assert "Key message" in result.stdout and "What about stem cell treatment?" in result.stdout
    assert "SMOG" in result.stdout and "Fog" in result.stdout
