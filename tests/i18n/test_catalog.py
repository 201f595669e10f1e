"""Reading catalogs: plural selection by CLDR rules, fuzzy entries never used."""

from __future__ import annotations

from leaflets.i18n.catalog import read_catalog

PO = '''\
msgid ""
msgstr ""
"Language: ru\\n"
"Content-Type: text/plain; charset=utf-8\\n"
"Plural-Forms: nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);\\n"

msgid "{n} adult"
msgid_plural "{n} adults"
msgstr[0] "{n} взрослый"
msgstr[1] "{n} взрослых (few)"
msgstr[2] "{n} взрослых (many)"

#, fuzzy
msgid "Old text"
msgstr "Старый текст"

msgid "Empty"
msgstr ""
'''


def test_plural_forms_follow_the_catalog_rule(tmp_path):
    path = tmp_path / "ru.po"
    path.write_text(PO, encoding="utf-8")
    catalog = read_catalog(path, "ru")
    assert catalog.lookup("{n} adult", 1) == "{n} взрослый"
    assert catalog.lookup("{n} adult", 21) == "{n} взрослый"
    assert catalog.lookup("{n} adult", 3) == "{n} взрослых (few)"
    assert catalog.lookup("{n} adult", 34) == "{n} взрослых (few)"
    assert catalog.lookup("{n} adult", 11) == "{n} взрослых (many)"


def test_fuzzy_and_empty_entries_are_not_translations(tmp_path):
    path = tmp_path / "ru.po"
    path.write_text(PO, encoding="utf-8")
    catalog = read_catalog(path, "ru")
    assert catalog.lookup("Old text") is None
    assert catalog.lookup("Empty") is None
