"""Catalog files stay valid for every gettext tool, through any number of source edits."""

from __future__ import annotations

import difflib
import re
import subprocess
from pathlib import Path

import polib
import pytest
from translate.storage import pypo

from leaflets.errors import LeafletsError
from leaflets.i18n.catalogs import open_catalog
from leaflets.i18n.po import parse, po_bytes
from leaflets.i18n.rules import is_rule_flag
from tests.conftest import ROOT, require_tool
from tests.i18n.test_workflow import cli, copy, edit_source  # noqa: F401 - fixture

PARAGRAPH_START = "Atopic dermatitis is the most common type of eczema. The outer layer of"
PARAGRAPH_EDIT = "Atopic dermatitis is the most common kind of eczema. The outer layer of"


def _paragraph_msgid(copy: Path) -> str:
    catalog = open_catalog(copy / "locales" / "leaflets.pot", None)
    return next(m.msgid for m in catalog if m.msgid.startswith(PARAGRAPH_EDIT))


def validate_with_every_tool(po: Path) -> None:
    """msgfmt --check, msgcat, msgmerge, polib and translate-toolkit all accept ``po``."""
    msgfmt, msgcat, msgmerge = (require_tool(t) for t in ("msgfmt", "msgcat", "msgmerge"))
    for command in ([msgfmt, "--check", "-o", "/dev/null", str(po)], [msgcat, str(po)],
                    [msgmerge, "-q", "-o", "/dev/null", str(po), str(po.parent / "leaflets.pot")]):
        result = subprocess.run(command, capture_output=True, text=True)
        assert result.returncode == 0, (po.name, command[0], result.stderr)
    entries = polib.pofile(str(po))
    assert len(entries) > 100
    store = pypo.pofile.parsefile(str(po))
    assert len(store.units) > 100


def test_multi_line_edit_keeps_every_catalog_valid_through_two_updates(copy):
    """The review's scenario: edit an English paragraph, extract and update twice."""
    edit_source(copy, PARAGRAPH_START, PARAGRAPH_EDIT)
    for _ in range(2):
        assert cli(copy, "locales", "extract").returncode == 0
        result = cli(copy, "locales", "update")
        assert result.returncode == 0, result.stderr
    new_msgid = _paragraph_msgid(copy)
    assert new_msgid.startswith(PARAGRAPH_EDIT)
    for po in sorted((copy / "locales").glob("*.po")):
        validate_with_every_tool(po)
        entry = next(e for e in polib.pofile(str(po)) if e.msgid == new_msgid)
        assert "fuzzy" in entry.flags, po.name
        assert entry.previous_msgid and entry.previous_msgid.startswith(PARAGRAPH_START), po.name
        text = po.read_text(encoding="utf-8")
        block = text[text.index("#| msgid", text.index("#, fuzzy")):]
        previous = block[:block.index("\nmsgid")].splitlines()
        assert len(previous) > 2 and all(line.startswith("#| ") for line in previous), previous


def test_a_second_update_with_nothing_new_changes_no_file(copy):
    assert cli(copy, "locales", "update").returncode == 0
    before = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in (copy / "locales").iterdir()}
    result = cli(copy, "locales", "update")
    assert result.returncode == 0 and "(unchanged)" in result.stdout
    assert cli(copy, "locales", "extract").returncode == 0
    after = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in (copy / "locales").iterdir()}
    assert after == before


def test_one_changed_string_changes_only_its_own_entry(copy):
    assert cli(copy, "locales", "update").returncode == 0
    before = (copy / "locales" / "de.po").read_text(encoding="utf-8").splitlines()
    edit_source(copy, '"Medicine for skin infections"', '"Medicines for skin infections"')
    assert cli(copy, "locales", "update").returncode == 0
    after = (copy / "locales" / "de.po").read_text(encoding="utf-8").splitlines()
    changed = [line for line in difflib.unified_diff(before, after, lineterm="", n=0)
               if line[:1] in "+-" and not line.startswith(("+++", "---"))]
    assert changed == [
        '-"POT-Creation-Date: ' + next(l for l in before if "POT-Creation" in l)[len('"POT-Creation-Date: '):],
        '+"POT-Creation-Date: ' + next(l for l in after if "POT-Creation" in l)[len('"POT-Creation-Date: '):],
        "-#, max-length:160", '-msgid "Medicine for skin infections"',
        "+#, fuzzy, max-length:160", '+#| msgid "Medicine for skin infections"', '+msgid "Medicines for skin infections"'], changed


@pytest.mark.parametrize("po", sorted((ROOT / "locales").glob("*.po*")), ids=lambda p: p.name)
def test_shipped_catalogs_are_in_gnu_layout(po):
    """Our writer wraps exactly as GNU msgcat (width 79), so tools agree line for line."""
    msgcat = require_tool("msgcat")
    ours = po.read_bytes()
    assert po_bytes(open_catalog(po, po.stem if po.suffix == ".po" else None)) == ours
    gnu = subprocess.run([msgcat, str(po)], capture_output=True, check=True).stdout.decode("utf-8")
    # GNU tools keep only the flags they know; the rule flags (max-length, replacements) are
    # hints the template restores (`locales update` does).  Everything else must agree line for line.
    lines = []
    for line in ours.decode("utf-8").split("\n"):
        if line.startswith("#, "):
            flags = [f for f in line[3:].split(", ") if not is_rule_flag(f)]
            if not flags:
                continue
            line = "#, " + ", ".join(flags)
        lines.append(line)
    assert gnu == "\n".join(lines)


def test_a_catalog_keeps_the_generator_it_was_written_with(tmp_path):
    """Babel stamps its own version as Generated-By on every write, so upgrading Babel
    rewrote the header of every catalog a command touched."""
    po = tmp_path / "de.po"
    po.write_text('msgid ""\nmsgstr ""\n"Language: de\\n"\n"MIME-Version: 1.0\\n"\n'
                  '"Content-Type: text/plain; charset=utf-8\\n"\n"Content-Transfer-Encoding: 8bit\\n"\n'
                  '"Generated-By: Babel 2.9.0\\n"\n\nmsgid "Dry skin"\nmsgstr "Trockene Haut"\n', encoding="utf-8")
    written = po_bytes(open_catalog(po, "de")).decode("utf-8")
    assert '"Generated-By: Babel 2.9.0\\n"' in written
    assert written.count("Generated-By") == 1


def test_review_rewrites_only_the_header(copy):
    po = copy / "locales" / "ko.po"
    before = po.read_text(encoding="utf-8").splitlines()
    result = cli(copy, "locales", "review", "ko", "--reviewer", "Dr Min-ji Kim, dermatologist", "--date", "2026-11-20")
    assert result.returncode == 0, result.stderr
    after = po.read_text(encoding="utf-8").splitlines()
    first_entry = before.index("", before.index('msgid ""'))
    assert before[first_entry:] == after[after.index("", after.index('msgid ""')):]
    changed = [line for line in after if line not in before]
    assert changed[0].startswith('"PO-Revision-Date: ') and "X-Reviewed-atopic-dermatitis" in changed[1]
    validate_with_every_tool(po)


def test_duplicate_msgid_names_both_lines(tmp_path):
    po = tmp_path / "es.po"
    po.write_text('msgid ""\nmsgstr ""\n"Language: es\\n"\n\nmsgid "Dry skin"\nmsgstr "Piel seca"\n\n'
                  'msgid "Dry skin"\nmsgstr "Piel reseca"\n', encoding="utf-8")
    with pytest.raises(LeafletsError) as caught:
        open_catalog(po, "es")
    assert [str(d) for d in caught.value.diagnostics] == [
        f"{po}:8:1: PO syntax error: duplicate msgid \"Dry skin\"; first defined at line 5"]


def test_unterminated_string_names_its_line(tmp_path):
    po = tmp_path / "es.po"
    po.write_text('msgid ""\nmsgstr ""\n"Language: es\\n"\n\nmsgid "Dry skin"\nmsgstr "Piel seca\n', encoding="utf-8")
    with pytest.raises(LeafletsError) as caught:
        open_catalog(po, "es")
    assert [str(d) for d in caught.value.diagnostics] == [
        f"{po}:6:8: PO syntax error: unterminated string: a string must end with a double quote (\")"]


def test_the_parser_accepts_every_shipped_catalog():
    for po in sorted((ROOT / "locales").glob("*.po*")):
        assert len(parse(po.read_text(encoding="utf-8")).messages) > 100, po.name


def test_new_catalog_header_names_the_tools(copy):
    assert cli(copy, "locales", "init", "it").returncode == 0
    text = (copy / "locales" / "it.po").read_text(encoding="utf-8")
    head = text[:text.index('msgid ""')]
    assert "do not edit by hand" not in head
    assert re.search(r"Poedit, Lokalize, Weblate or any text editor", head)
    validate_with_every_tool(copy / "locales" / "it.po")


# Pieces of text catalogs really hold (scripts, punctuation, placeholders, markup, escapes), for
# strings that exercise every line-break rule GNU applies.
LAYOUT_PIECES = {
    "latin": ["word", "a", " ", "  ", ".", ",", ";", ":", "!", "?", "(", ")", "[", "]", "{x}", "{y.z}", "-", "/",
              "\\", '"', "'", "\n", "\t", "<b>", "</b>", "https://a.b/c?d=e&f", "doi:10.1000/xyz", "2,5", "10.7%",
              "$5", "~", "é", "Привет", "Việt", "IL-4Rα", "×", "10⁷", "…", "—", "–", "«", "»", "„", "“", "”",
              "\u00a0", "supercalifragilisticexpialidociousandevenlongerwordthatexceedsthelinewidth"],
    "korean": ["어린이", "세", "{age}", "~", " ", "은", "는", "(", ")", ",", ".", "크림", "바르세요", "12", "IL-4", "%"],
    "chinese": ["中文", "字", "{age}", "，", "。", "（", "）", "、", "：", "“", "”", "IL-4", " ", "~", "《", "》"],
    "devanagari": ["क्ष", "ा", "है", "।", " ", "{age}", "(", ")", ",", "में", "~", "-"],
    "arabic": ["ال", "ب", "،", " ", "{age}", "(", ")", "؟", ".", "~", "٪", "«", "»"],
}


@pytest.mark.parametrize("script", sorted(LAYOUT_PIECES))
def test_strings_wrap_exactly_as_gnu_msgcat_wraps_them(script, tmp_path):
    """Our writer finds GNU's line-break opportunities (UAX #14 as libunistring applies it)."""
    import random
    msgcat = require_tool("msgcat")
    rng = random.Random(script)
    texts = ["".join(rng.choice(LAYOUT_PIECES[script]) for _ in range(rng.randint(5, 70))).strip() or "x"
             for _ in range(250)]
    catalog = parse('msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n')
    from leaflets.i18n.po import Message
    for index, text in enumerate(texts):
        catalog.add(Message(f"m{index}", (text,)))
    ours = po_bytes(catalog)
    (tmp_path / "random.po").write_bytes(ours)
    gnu = subprocess.run([msgcat, str(tmp_path / "random.po")], capture_output=True, check=True).stdout
    assert gnu.decode("utf-8") == ours.decode("utf-8")
