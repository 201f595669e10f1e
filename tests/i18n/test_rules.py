"""Length budgets and exemptions come from the content and the template, never from a translator's file."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from leaflets.i18n.checks import visible_length
from leaflets.i18n.po import parse
from leaflets.i18n.rules import is_rule_flag
from tests.conftest import ROOT, require_tool
from tests.i18n.test_workflow import TOPIC, cli, small_copy  # noqa: F401 - fixture

TITLE = "Atopic dermatitis (eczema)"  # 70-character budget (handout title)
LONG_TITLE = "Dermatitis atópica (eccema): lo que toda familia debería saber hoy mismo"  # 73 characters


def _set_translation(po, msgid: str, translation: str) -> None:
    text = po.read_text(encoding="utf-8")
    changed = re.sub(rf'(msgid "{re.escape(msgid)}"\nmsgstr )"[^"]*"', rf'\1"{translation}"', text, count=1)
    assert changed != text
    po.write_text(changed, encoding="utf-8")


def test_a_budget_survives_tools_that_drop_flags(small_copy):
    """msgcat/msgmerge (and Poedit's "Update from POT") drop max-length: status must still see the budget."""
    copy = small_copy  # one language's rules: its status, update and check need no others
    msgcat = require_tool("msgcat")
    po = copy / "locales" / "es.po"
    _set_translation(po, TITLE, LONG_TITLE)
    subprocess.run([msgcat, "-o", str(po), str(po)], check=True)  # a translator's tool rewrites the file
    assert "#, max-length" not in po.read_text(encoding="utf-8")
    strict = cli(copy, "locales", "status", "--strict", "--locale", "es")
    assert strict.returncode == 1
    assert (f"[length] msgid '{TITLE}': is {len(LONG_TITLE)} characters long (placeholders and tags not counted); "
            "the limit (the layout's length budget) is 70") in strict.stdout, strict.stdout


def test_a_flag_in_the_catalog_is_only_a_hint(small_copy):
    """A translator cannot raise a budget (or waive a check) by editing the flags in their file."""
    copy = small_copy  # one language's rules: its status, update and check need no others
    po = copy / "locales" / "es.po"
    text = po.read_text(encoding="utf-8").replace(f'#, max-length:70\nmsgid "{TITLE}"',
                                                  f'#, max-length:999, ignore-same\nmsgid "{TITLE}"', 1)
    po.write_text(text, encoding="utf-8")
    _set_translation(po, TITLE, LONG_TITLE)
    strict = cli(copy, "locales", "status", "--strict", "--locale", "es")
    assert strict.returncode == 1 and "the limit (the layout's length budget) is 70" in strict.stdout
    assert cli(copy, "locales", "update").returncode == 0  # update puts the template's rule back
    assert f'#, max-length:70\nmsgid "{TITLE}"' in po.read_text(encoding="utf-8")


def test_same_as_source_comes_from_the_content(small_copy):
    copy = small_copy  # one language's rules: its status, update and check need no others
    po = copy / "locales" / "es.po"
    _set_translation(po, "Topical therapy", "Topical therapy")  # under three words: allowed anyway
    sentence = "Medicine for skin infections"
    _set_translation(po, sentence, sentence)
    strict = cli(copy, "locales", "status", "--strict", "--locale", "es")
    assert strict.returncode == 1 and f"[same] msgid '{sentence}'" in strict.stdout
    yaml = copy / "content" / f"{TOPIC}.yaml"
    yaml.write_text(yaml.read_text(encoding="utf-8") + f'translation:\n  same_as_source:\n    - "{sentence}"\n',
                    encoding="utf-8")
    assert cli(copy, "locales", "update").returncode == 0
    assert re.search(rf'#, [^\n]*ignore-same[^\n]*\nmsgid "{sentence}"', po.read_text(encoding="utf-8"))
    assert cli(copy, "locales", "status", "--strict", "--locale", "es").returncode == 0


def test_same_as_source_names_only_strings_of_the_topic(small_copy):
    copy = small_copy  # one language's rules: its status, update and check need no others
    yaml = copy / "content" / f"{TOPIC}.yaml"
    text = yaml.read_text(encoding="utf-8") + 'translation:\n  same_as_source:\n    - "No such string"\n'
    yaml.write_text(text, encoding="utf-8")
    check = cli(copy, "check")
    line = text.count("\n")
    assert check.returncode == 1 and "Traceback" not in check.stderr
    assert f"content/{TOPIC}.yaml:{line}:7: 'No such string' is not a string of this topic" in check.stderr


TEMPLATE = parse((ROOT / "locales" / "leaflets.pot").read_text(encoding="utf-8"))


def test_one_budget_per_entry():
    """A string used in two places gets the smaller budget, once (Weblate keeps only the last flag)."""
    for message in TEMPLATE:
        budgets = [f for f in message.flags if f.startswith("max-length:")]
        assert len(budgets) <= 1, (message.msgid, budgets)
    topical = TEMPLATE.find("Topical therapy")
    assert "max-length:30" in topical.flags  # a ladder rung (30) and a slide title (60)


def _weblate_length(text: str, flags: list[str]) -> int:
    """Weblate's max-length: the raw string after the ``replacements:`` pairs (weblate/checks/flags.py)."""
    for flag in flags:
        if flag.startswith("replacements:"):
            values = flag[len("replacements:"):].split(":")
            assert len(values) % 2 == 0, flag
            for old, new in zip(values[::2], values[1::2]):
                text = text.replace(old, new)
    return len(text)


@pytest.mark.parametrize("po", sorted((ROOT / "locales").glob("*.po")), ids=lambda p: p.stem)
def test_weblate_counts_what_status_counts(po):
    """With the template's replacements, Weblate's length is the visible length leaflets checks."""
    catalog = parse(po.read_text(encoding="utf-8"))
    checked = 0
    for message in catalog:
        if not any(f.startswith("max-length:") for f in message.flags):
            continue
        for text in (*message.sources, *message.msgstr):
            assert _weblate_length(text, message.flags) == visible_length(text), (message.msgid, text)
            checked += 1
    assert checked > 100


def test_rule_flags_are_the_templates():
    assert all(is_rule_flag(f) for f in ("max-length:60", "replacements:{a}:", "ignore-same"))
    assert not any(is_rule_flag(f) for f in ("fuzzy", "python-brace-format", "no-wrap"))


def test_weblate_style_flags_pass_gnu_tools(tmp_path):
    msgfmt = require_tool("msgfmt")
    shutil.copy(ROOT / "locales" / "de.po", tmp_path / "de.po")
    result = subprocess.run([msgfmt, "-c", "-o", "/dev/null", str(tmp_path / "de.po")], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
