"""The plural policy: classic gettext formulas translators' tools expect, checked, migrated and reviewed."""

from __future__ import annotations

import re

import pytest
from babel import Locale
from translate.lang import data as toolkit

from leaflets.i18n.catalogs import update_catalog
from leaflets.i18n.plurals import GETTEXT_PLURALS, SAMPLES, check_policy, plural_forms, plural_function
from leaflets.i18n.po import parse
from tests.conftest import ROOT
from tests.i18n.test_review import REVIEWER, review
from tests.i18n.test_workflow import cli, copy  # noqa: F401 - fixture


@pytest.mark.parametrize("language", sorted(GETTEXT_PLURALS))
def test_the_table_is_what_translate_toolkit_and_poedit_expect(language):
    """Same number of forms, and the same form for every whole number, as translate-toolkit (pofilter)."""
    known = toolkit.languages.get(language)
    if known is None:
        pytest.skip(f"translate-toolkit has no plural data for {language}")
    nplurals, expr = GETTEXT_PLURALS[language]
    assert nplurals == known[1]
    ours, theirs = plural_function(expr), plural_function(known[2])
    assert [ours(n) for n in SAMPLES] == [theirs(n) for n in SAMPLES]


@pytest.mark.parametrize("po", sorted((ROOT / "locales").glob("*.po")), ids=lambda p: p.stem)
def test_every_shipped_catalog_follows_the_policy(po):
    catalog = parse(po.read_text(encoding="utf-8"))
    assert check_policy(catalog.header_field("Plural-Forms"), po.stem) is None
    for message in catalog:
        if message.plural:
            assert len(message.msgstr) == plural_forms(po.stem)[0]
            assert any(c.startswith(f"plural forms in {po.stem}: msgstr[0]: ") for c in message.extracted_comments)


def test_a_language_outside_the_table_gets_cldr_whole_number_categories():
    assert plural_forms(Locale.parse("cy"))[0] == 6  # Welsh: zero, one, two, few, many, other


SPANISH_THREE_FORMS = '''\
msgid ""
msgstr ""
"Language: es\\n"
"Content-Type: text/plain; charset=UTF-8\\n"
"Plural-Forms: nplurals=3; plural=n == 1 ? 0 : (!(n == 0) && n % 1000000 == 0) ? 1 : 2;\\n"

msgid "{n} adult"
msgid_plural "{n} adults"
msgstr[0] "{n} adulto"
msgstr[1] "{n} de adultos"
msgstr[2] "{n} adultos"
'''


def test_update_moves_a_cldr_catalog_to_the_policy():
    """The 'many' form (exact millions) goes; 'one' and 'other' keep their texts."""
    catalog = parse(SPANISH_THREE_FORMS)
    template = parse('msgid ""\nmsgstr ""\n\nmsgid "{n} adult"\nmsgid_plural "{n} adults"\nmsgstr[0] ""\nmsgstr[1] ""\n')
    merged = update_catalog(catalog, template, "es")
    assert merged.header_field("Plural-Forms") == "nplurals=2; plural=(n != 1);"
    assert merged.find("{n} adult").msgstr == ("{n} adulto", "{n} adultos")


def test_a_formula_that_would_print_the_wrong_form_is_refused(copy):
    """'34 adulto' under "reviewed by": a Plural-Forms edit that picks the singular for 34 stops the build."""
    po = copy / "locales" / "es.po"
    text = po.read_text(encoding="utf-8")
    po.write_text(text.replace("plural=(n != 1);", "plural=(n > 100);", 1), encoding="utf-8")
    line = text[:text.index("Plural-Forms:")].count("\n") + 1
    built = cli(copy, "build", "--locale", "es", "--format", "pdf", "--paper", "a4", "--out", str(copy / "out"))
    assert built.returncode == 1 and "Traceback" not in built.stderr
    assert (f"locales/es.po:{line}:1: [plurals] Plural-Forms chooses form 0 for 0, the plural policy form 1: "
            "Spanish (es) needs nplurals=2; plural=(n != 1);") in built.stderr, built.stderr
    assert not (copy / "out" / "es").exists()


def test_editing_plural_forms_undoes_a_review(copy):
    """The formula decides which form a number gets: it is part of what the reviewer saw."""
    assert review(copy).returncode == 0
    po = copy / "locales" / "es.po"
    po.write_text(po.read_text(encoding="utf-8").replace("plural=(n != 1);", "plural=n != 1;", 1), encoding="utf-8")
    status = cli(copy, "locales", "status")
    assert re.search(rf"^es .*draft: changed since the review by {REVIEWER}", status.stdout, re.M), status.stdout
    diff = cli(copy, "locales", "review", "es", "--diff").stdout
    assert "Plural-Forms changed" in diff and "+ now:      nplurals=2; plural=n != 1;" in diff
