"""``locales update`` merges exactly as GNU ``msgmerge --previous``, whatever the sequence of source edits.

The property test plays random sequences of English edits, removals and
restorations, each followed by an update, on the shipped catalogs; after
every step the catalog must be what GNU msgmerge gives for the same inputs
(where GNU gettext is installed), and must pass ``msgfmt -c``, ``msgcat``,
``msgmerge`` and polib, with no duplicate entry and no mangled ``#|`` line.
The scenario tests replay the cycles that lost translations before.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from copy import deepcopy
from pathlib import Path

import polib
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from leaflets.i18n.catalogs import update_catalog
from leaflets.i18n.merge import fstrcmp, lcs_length, merge
from leaflets.i18n.po import Catalog, Message, parse, po_bytes
from tests.conftest import ROOT
from tests.i18n.test_workflow import TOPIC, cli, copy, edit_source  # noqa: F401 - fixture

TEMPLATE = parse((ROOT / "locales" / "leaflets.pot").read_text(encoding="utf-8"))
CATALOGS = {tag: parse((ROOT / "locales" / f"{tag}.po").read_text(encoding="utf-8")) for tag in ("es", "ar", "zh-Hans")}
GNU = {tool: shutil.which(tool) for tool in ("msgmerge", "msgfmt", "msgcat")}


def entries(catalog: Catalog) -> list[tuple]:
    """What the merge decides of every entry: source, translation, fuzzy flag, previous source, obsolete."""
    return [(m.obsolete, m.msgctxt, m.msgid, m.msgid_plural, m.msgstr, m.fuzzy,
             (m.previous.msgctxt, m.previous.msgid, m.previous.msgid_plural) if m.previous else None)
            for m in [*catalog.messages, *catalog.obsolete]]


def gnu_msgmerge(definitions: Catalog, template: Catalog, folder: Path) -> Catalog:
    (folder / "def.po").write_bytes(po_bytes(definitions))
    (folder / "ref.pot").write_bytes(po_bytes(template))
    out = subprocess.run([GNU["msgmerge"], "--previous", "-q", "-o", "-", str(folder / "def.po"),
                          str(folder / "ref.pot")], capture_output=True, check=True).stdout
    return parse(out.decode("utf-8"))


def assert_valid_everywhere(catalog: Catalog, folder: Path) -> None:
    data = po_bytes(catalog)
    path = folder / "catalog.po"
    path.write_bytes(data)
    text = data.decode("utf-8")
    assert "\n# |" not in text and "\n#~ |" not in text  # no previous msgid turned into a comment
    keys = [m.key for m in [*catalog.messages, *catalog.obsolete]]
    assert len(keys) == len(set(keys))  # never a duplicate (live and obsolete included)
    assert entries(parse(text)) == entries(catalog)  # what we write is what we read
    if GNU["msgfmt"]:
        result = subprocess.run([GNU["msgfmt"], "-c", "-o", "/dev/null", str(path)], capture_output=True, text=True)
        assert result.returncode == 0, result.stderr
    if GNU["msgcat"]:
        result = subprocess.run([GNU["msgcat"], "-o", "/dev/null", str(path)], capture_output=True, text=True)
        assert result.returncode == 0, result.stderr
    if GNU["msgmerge"]:
        (folder / "ref.pot").write_bytes(po_bytes(TEMPLATE))
        result = subprocess.run([GNU["msgmerge"], "-q", "-o", "/dev/null", str(path), str(folder / "ref.pot")],
                                capture_output=True, text=True)
        assert result.returncode == 0, result.stderr
    assert len(polib.pofile(text)) == len(catalog.messages) + len(catalog.obsolete)


# One step of a maintainer's week: some English changes (remove, restore, reword), then `locales update`.
OPERATION = st.one_of(
    st.tuples(st.just("remove"), st.integers(0, 10**6)),
    st.tuples(st.just("restore"), st.integers(0, 10**6)),
    st.tuples(st.just("reword"), st.integers(0, 10**6), st.integers(0, 50),
              st.sampled_from(["very", "", "often", "NEW", "the skin", "eczema", "treatment"])),
)
STEP = st.lists(OPERATION, min_size=1, max_size=3)


def apply(operation, current: list[tuple[int, Message]]) -> list[tuple[int, Message]]:
    """``current`` after one English change; each message keeps its place in the template (its index)."""
    kind, index = operation[0], operation[1]
    current = list(current)
    if kind == "remove" and current:
        current.pop(index % len(current))
    elif kind == "restore":
        present = {place for place, _ in current}
        missing = [place for place in range(len(TEMPLATE.messages)) if place not in present]
        if missing:
            place = missing[index % len(missing)]
            current.append((place, TEMPLATE.messages[place]))
            current.sort(key=lambda item: item[0])
    elif kind == "reword" and current:
        position = index % len(current)
        place, message = current[position]
        words = message.msgid.split(" ")
        words[operation[2] % len(words)] = operation[3]
        reworded = " ".join(words)
        if reworded.strip() and all(m.msgid != reworded for _, m in current):
            current[position] = (place, Message(reworded, message.msgstr, message.msgid_plural,
                                                extracted_comments=list(message.extracted_comments),
                                                references=list(message.references), flags=list(message.flags)))
    return current


# Ten sequences of up to five updates each (a catalog compared with GNU msgmerge and checked by four
# tools after every update): every kind of edit meets every catalog in a run, and CI draws new
# sequences each time (not derandomized), so the runs together cover far more than one run's ten.
@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tag=st.sampled_from(sorted(CATALOGS)), steps=st.lists(STEP, min_size=1, max_size=5))
def test_any_sequence_of_edits_merges_as_gnu_msgmerge(tag, steps):
    catalog = deepcopy(CATALOGS[tag])
    # the English a translation was made for: a live entry's, or an obsolete one's (msgmerge, like
    # `locales update`, may take a fuzzy match from an obsolete translated entry)
    originally = {m.msgid for m in [*catalog.messages, *catalog.obsolete] if m.msgstr[0] and not m.fuzzy}
    current = list(enumerate(TEMPLATE.messages))
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        for step in steps:
            for operation in step:
                current = apply(operation, current)
            template = Catalog(header=TEMPLATE.header, messages=[deepcopy(m) for _, m in current])
            expected = gnu_msgmerge(catalog, template, folder) if GNU["msgmerge"] else None
            catalog = update_catalog(catalog, template, tag)
            if expected is not None:
                assert entries(catalog) == entries(expected)
            assert_valid_everywhere(catalog, folder)
            for message in catalog:
                if message.previous is not None:  # the English the translation was made for, never an edit
                    assert message.previous.msgid in originally, message.previous.msgid


def test_a_removed_and_restored_string_gets_its_translation_back(copy):
    """The issue's sequence: remove an English string, update, restore it, update again."""
    yaml = copy / "content" / f"{TOPIC}.yaml"
    original = yaml.read_text(encoding="utf-8")
    line = '          - "Common comorbidities: asthma, allergic rhinitis, food allergy"\n'
    assert line in original
    es = copy / "locales" / "es.po"
    before = es.read_text(encoding="utf-8")
    yaml.write_text(original.replace(line, "", 1), encoding="utf-8")
    assert cli(copy, "locales", "update").returncode == 0
    removed = es.read_text(encoding="utf-8")
    assert '#~ msgid "Common comorbidities: asthma, allergic rhinitis, food allergy"' in removed
    yaml.write_text(original, encoding="utf-8")
    result = cli(copy, "locales", "update")
    assert result.returncode == 0, result.stderr
    undated = lambda text: re.sub(r'"POT-Creation-Date: [^"]*"', "", text)  # noqa: E731
    assert undated(es.read_text(encoding="utf-8")) == undated(before)  # back as it was: translated, not fuzzy, once
    status = cli(copy, "locales", "status", "--strict", "--locale", "es")
    assert status.returncode == 0, status.stdout + status.stderr
    for po in sorted((copy / "locales").glob("*.po")):
        if GNU["msgfmt"]:
            assert subprocess.run([GNU["msgfmt"], "-c", "-o", "/dev/null", str(po)]).returncode == 0, po.name


def test_repeated_updates_keep_the_english_that_was_translated(copy):
    """Two English changes in a row: the previous msgid stays the one the translation was made for."""
    edit_source(copy, '"Medicine for skin infections"', '"Medicines for skin infections"')
    assert cli(copy, "locales", "update").returncode == 0
    edit_source(copy, '"Medicines for skin infections"', '"Medicines for infected skin"')
    assert cli(copy, "locales", "update").returncode == 0
    text = (copy / "locales" / "de.po").read_text(encoding="utf-8")
    assert '#| msgid "Medicine for skin infections"\nmsgid "Medicines for infected skin"' in text
    assert "# |" not in text and "Medicines for skin infections" not in text


def test_an_edited_string_and_its_obsolete_twin_never_duplicate(copy):
    """Edit, update, edit back, update: one live entry, translated again, and nothing left in #~ for it."""
    edit_source(copy, '"Medicine for skin infections"', '"Medicines for skin infections"')
    assert cli(copy, "locales", "update").returncode == 0
    edit_source(copy, '"Medicines for skin infections"', '"Medicine for skin infections"')
    assert cli(copy, "locales", "update").returncode == 0
    text = (copy / "locales" / "es.po").read_text(encoding="utf-8")
    assert text.count('\nmsgid "Medicine for skin infections"') == 1 and '#~ msgid "Medicine for skin' not in text
    assert "Medicines for skin infections" not in text
    # as GNU msgmerge does, the entry stays fuzzy (its previous source is its own): one click in Poedit
    assert '#| msgid "Medicine for skin infections"\nmsgid "Medicine for skin infections"' in text


@given(st.binary(max_size=60), st.binary(max_size=60))
def test_lcs_agrees_with_the_textbook_table(a, b):
    table = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i in range(len(a)):
        for j in range(len(b)):
            table[i + 1][j + 1] = table[i][j] + 1 if a[i] == b[j] else max(table[i][j + 1], table[i + 1][j])
    assert lcs_length(a, b) == table[-1][-1]


def test_similarity_is_gnus():
    assert fstrcmp("", "") == 1.0 and fstrcmp("a", "") == 0.0
    assert fstrcmp("The cat sat on the mat.", "The cat sat on the red mat.") == 2 * 23 / 50


def test_merge_revives_an_obsolete_entry_and_fuzzy_matches_a_reworded_one():
    catalog = parse('msgid ""\nmsgstr "Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n\n'
                    '#~ msgid "Bananas are yellow and tasty."\n#~ msgstr "Los plátanos son amarillos."\n')
    template = parse('msgid ""\nmsgstr ""\n\nmsgid "Bananas are yellow and tasty."\nmsgstr ""\n\n'
                     'msgid "Bananas are yellow and very tasty."\nmsgstr ""\n')
    merged = merge(catalog, template)
    assert entries(merged) == [
        (False, None, "Bananas are yellow and tasty.", None, ("Los plátanos son amarillos.",), False, None),
        (False, None, "Bananas are yellow and very tasty.", None, ("Los plátanos son amarillos.",), True,
         (None, "Bananas are yellow and tasty.", None)),
    ]


@pytest.mark.skipif(not GNU["msgmerge"], reason="GNU gettext not installed")
def test_the_shipped_catalogs_are_a_fixed_point_of_msgmerge(tmp_path):
    for tag, catalog in CATALOGS.items():
        assert entries(gnu_msgmerge(catalog, TEMPLATE, tmp_path)) == entries(catalog), tag
        assert po_bytes(update_catalog(deepcopy(catalog), TEMPLATE, tag)) == po_bytes(catalog), tag
