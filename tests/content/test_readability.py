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
    assert names[0] == "Key message" and "What you can do every day" in names and "Get help the same day if:" in names
    assert all(f["grade"] <= f["limit"] for f in figures)
    key = figures[0]
    assert key["limit"] == 6 and key["grade"] <= 6
    assert max(f["longest_sentence"] for f in figures) <= 20


def _section(*sentences, name="Test"):
    return readability.Section(name, [readability.as_sentences(s) for s in sentences])


def test_grade_gate_fails_on_hard_text(terms):
    hard = _section("Multidisciplinary considerations necessitate comprehensive individualised management "
                    "of everyone's dermatological presentation.")
    _, findings = readability.check([hard], terms)
    assert any("Flesch-Kincaid grade" in f.message for f in findings)


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
    assert not readability.check([explained], terms)[1]


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
