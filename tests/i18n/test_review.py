"""A review stamp means what it says: it covers the translation, per topic, and never the future."""

from __future__ import annotations

import re
import shutil

from tests.conftest import ROOT
from tests.i18n.test_workflow import TOPIC, cli, copy, pdf_text, slide_xml  # noqa: F401 - fixture

ENGLISH_DRAFT = "Draft translation: not yet checked by a qualified reviewer."
REVIEWER = "Dra. Ana Souza, dermatologista"


def review(copy, tag="es", date="2026-11-20", *extra):
    return cli(copy, "locales", "review", tag, "--reviewer", REVIEWER, "--date", date, *extra)


def test_changing_one_translation_after_review_makes_a_draft_again(copy):
    assert review(copy).returncode == 0
    built = cli(copy, "build", "--locale", "es", "--format", "pdf", "--paper", "a4", "--out", str(copy / "ok"))
    assert built.returncode == 0, built.stderr
    assert ENGLISH_DRAFT not in pdf_text(copy / "ok" / "es" / f"{TOPIC}-handout-a4.pdf")

    # tamper with the safety box: it now claims the treatment is approved
    po = copy / "locales" / "es.po"
    text = po.read_text(encoding="utf-8")
    tampered = re.sub(r'(msgid ""\n"<b>There is no approved stem cell treatment for eczema\.</b>.*?\nmsgstr ""\n)"[^"]*"',
                      r'\1"<b>El tratamiento con células madre ya está aprobado.</b> "', text, count=1, flags=re.S)
    assert tampered != text
    po.write_text(tampered, encoding="utf-8")

    status = cli(copy, "locales", "status").stdout
    assert re.search(rf"^es .*draft: changed since the review by {REVIEWER} on 2026-11-20$", status, re.M), status
    built = cli(copy, "build", "--locale", "es", "--out", str(copy / "tampered"))
    assert built.returncode == 0, built.stderr
    handout = pdf_text(copy / "tampered" / "es" / f"{TOPIC}-handout-a4.pdf")
    assert handout.count(ENGLISH_DRAFT) == 2 and "Traducción revisada" not in handout
    assert all(ENGLISH_DRAFT in xml for xml in slide_xml(copy / "tampered" / "es" / f"{TOPIC}-slides.pptx"))

    # re-stamping needs the reviewer to see what changed: a plain review is refused ...
    refused = review(copy, "es", "2026-11-21")
    assert refused.returncode == 1 and "changed since its last review: atopic-dermatitis (1 entries)" in refused.stderr
    # ... `--diff` names the entry, what the reviewer saw and what it says now ...
    shown = cli(copy, "locales", "review", "es", "--diff")
    assert shown.returncode == 0, shown.stderr
    assert "1 change(s) since:" in shown.stdout and "translation changed: msgid '<b>There is no approved" in shown.stdout
    assert "+ now:      <b>El tratamiento con células madre ya está aprobado.</b>" in shown.stdout
    assert "- reviewed: <b>No hay ningún tratamiento con células madre aprobado para el eccema.</b>" in shown.stdout
    code = re.search(r"--accept ([0-9a-f]{12})", shown.stdout).group(1)
    # ... and a wrong code is refused; the code from the diff restores the stamp
    assert review(copy, "es", "2026-11-21", "--accept", "000000000000").returncode == 1
    assert review(copy, "es", "2026-11-21", "--accept", code).returncode == 0
    assert re.search(rf"^es .*reviewed by {REVIEWER} on 2026-11-21$", cli(copy, "locales", "status").stdout, re.M)


def test_a_review_date_in_the_future_is_refused(copy):
    result = review(copy, "es", "2999-01-01")
    assert result.returncode == 1
    assert "error: date: the review date 2999-01-01 is in the future" in result.stderr
    assert "X-Reviewed" not in (copy / "locales" / "es.po").read_text(encoding="utf-8")


def test_a_future_date_written_by_hand_is_not_a_review(copy):
    assert review(copy).returncode == 0
    po = copy / "locales" / "es.po"
    po.write_text(po.read_text(encoding="utf-8").replace("| 2026-11-20 |", "| 2999-01-01 |"), encoding="utf-8")
    status = cli(copy, "locales", "status").stdout
    assert re.search(r"^es .*draft: not reviewed \(review date 2999-01-01 is in the future\)$", status, re.M), status


def add_second_topic(copy):
    shutil.copy(ROOT / "tests" / "content" / "minimal.yaml", copy / "content" / "mini.yaml")


def test_a_second_topic_leaves_the_first_topics_review_and_build_alone(copy):
    assert review(copy).returncode == 0
    add_second_topic(copy)
    assert cli(copy, "locales", "update").returncode == 0

    status = cli(copy, "locales", "status").stdout
    assert re.search(rf"^es .*{TOPIC}: reviewed by {REVIEWER} on 2026-11-20; mini: draft: not reviewed$",
                     status, re.M), status
    # a gap in the new topic does not block the first one
    built = cli(copy, "build", "--locale", "es", "--out", str(copy / "out"))
    assert (copy / "out" / "es" / f"{TOPIC}-handout-a4.pdf").exists(), built.stderr
    assert (copy / "out" / "es" / f"{TOPIC}-slides.pptx").exists()
    assert not (copy / "out" / "es" / "mini-handout-a4.pdf").exists()
    assert built.returncode == 1 and "mini" in built.stderr
    handout = pdf_text(copy / "out" / "es" / f"{TOPIC}-handout-a4.pdf")
    assert ENGLISH_DRAFT not in handout and "Ana Souza" in handout


def test_review_stamps_only_complete_topics(copy):
    add_second_topic(copy)
    assert cli(copy, "locales", "update").returncode == 0
    result = review(copy)
    assert result.returncode == 0, result.stderr
    assert f"recorded the review of {TOPIC} in" in result.stdout
    refused = review(copy, "es", "2026-11-20", "--topic", "mini")
    assert refused.returncode == 1 and "mini: see `locales status --verbose`" in refused.stderr


def test_strict_status_fails_when_a_reviewed_topic_changed(copy):
    assert review(copy).returncode == 0
    assert cli(copy, "locales", "status", "--strict", "--locale", "es").returncode == 0
    po = copy / "locales" / "es.po"
    po.write_text(po.read_text(encoding="utf-8").replace('msgstr "Dermatitis atópica (eccema)"',
                                                          'msgstr "Dermatitis atópica"', 1), encoding="utf-8")
    strict = cli(copy, "locales", "status", "--strict", "--locale", "es")
    assert strict.returncode == 1
    assert "changed since their review (see `locales review LANG --diff`): es (atopic-dermatitis)" in strict.stderr
    assert "es.po: atopic-dermatitis: 1 entries changed since the review by" in strict.stdout


def test_the_review_record_names_what_the_reviewer_saw(copy):
    assert review(copy).returncode == 0
    import json
    record = json.loads((copy / "locales" / "reviews" / "es.json").read_text(encoding="utf-8"))
    topic = record["topics"]["atopic-dermatitis"]
    assert topic["reviewer"] == REVIEWER and topic["date"] == "2026-11-20"
    assert {"msgid": "Atopic dermatitis (eczema)", "msgid_plural": None, "msgstr": ["Dermatitis atópica (eccema)"],
            "fuzzy": False} in topic["entries"]
    header = (copy / "locales" / "es.po").read_text(encoding="utf-8")
    assert topic["fingerprint"] in header  # the record is the stamp's


def test_a_forged_record_is_not_trusted(copy):
    """A record edited to hide a change no longer matches its stamp: every entry is listed again."""
    assert review(copy).returncode == 0
    path = copy / "locales" / "reviews" / "es.json"
    path.write_text(path.read_text(encoding="utf-8").replace("Dermatitis atópica (eccema)", "Dermatitis"),
                    encoding="utf-8")
    po = copy / "locales" / "es.po"
    po.write_text(po.read_text(encoding="utf-8").replace('msgstr "Dermatitis atópica (eccema)"',
                                                          'msgstr "Dermatitis"', 1), encoding="utf-8")
    diff = cli(copy, "locales", "review", "es", "--diff").stdout
    assert "the record of that review is missing or does not match its stamp" in diff


def test_a_record_that_cannot_be_written_gives_one_line(copy):
    """A read-only checkout, or (as here, which also holds for root) a file where the folder should be."""
    (copy / "locales" / "reviews").write_text("not a folder", encoding="utf-8")
    result = review(copy)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "locales/reviews/es.json: cannot write" in result.stderr
    assert "X-Reviewed" not in (copy / "locales" / "es.po").read_text(encoding="utf-8")  # nothing half done


def test_an_english_change_shows_as_one_change_with_the_english_reviewed(copy):
    from tests.i18n.test_workflow import edit_source
    assert review(copy).returncode == 0
    edit_source(copy, '"Light treatment with a special lamp in a clinic"', '"Light treatment with a special lamp at a clinic"')
    assert cli(copy, "locales", "update").returncode == 0
    shown = cli(copy, "locales", "review", "es", "--diff").stdout
    assert "1 change(s) since:" in shown, shown
    assert "English changed: msgid 'Light treatment with a special lamp at a clinic'" in shown
    assert "English reviewed: Light treatment with a special lamp in a clinic" in shown
    assert "+ now (fuzzy): Tratamiento con luz" in shown
