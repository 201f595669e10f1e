"""The hostile-input corpus: broken or malicious inputs and what each must give.

Each content case is a edit of ``tests/content/minimal.yaml`` (old text ->
new text, applied once) and a fragment the error must contain; the line is
the line of the edit.  Catalog cases edit ``locales/es.po`` the same way.
"""

from __future__ import annotations

from pathlib import Path

# The header of the shipped Spanish catalog (up to its first entry), for whole-file cases.
SPANISH_HEAD = (Path(__file__).resolve().parents[2] / "locales" / "es.po").read_bytes().split(b"\n\n")[0] + b"\n\n"

# (id, old, new, expected message fragment)
CONTENT = [
    ("nan-percent", "value: 12.5", "value: .nan", "finite number"),
    ("inf-percent", "value: 12.5", "value: .inf", "finite number"),
    ("minus-inf-percent", "value: 12.5", "value: -.inf", "finite number"),
    ("overflowing-float", "value: 12.5", "value: 1.0e+400", "finite number"),
    ("negative-percent", "value: 12.5", "value: -5", "greater than or equal to 0"),
    ("percent-over-100", "value: 12.5", "value: 100.5", "less than or equal to 100"),
    ("percent-as-text", "value: 12.5", 'value: "12%"', "valid number"),
    ("negative-count", "value: 3,", "value: -3,", "greater than or equal to 0"),
    ("huge-count", "value: 3,", "value: 100000000000000000000,", "less than or equal to"),
    ("huge-hex-count", "value: 3,", "value: 0xFFFFFFFFFFFFFFFFFFFFFFFF,", "less than or equal to"),
    ("fractional-count", "value: 3,", "value: 3.5,", "valid integer"),
    ("boolean-count", "value: 3,", "value: true,", "valid integer"),
    ("null-count", "value: 3,", "value: null,", "valid integer"),
    ("impossible-date", "last_reviewed: 2026-01-01", "last_reviewed: 2025-02-30", "not a real calendar date"),
    ("month-13", "last_reviewed: 2026-01-01", "last_reviewed: 2025-13-01", "not a real calendar date"),
    ("year-zero", "last_reviewed: 2026-01-01", "last_reviewed: 0000-01-01", "not a real calendar date"),
    ("datetime-for-date", "last_reviewed: 2026-01-01", "last_reviewed: 2026-01-01T10:00:00", "valid date"),
    ("date-as-number", "last_reviewed: 2026-01-01", "last_reviewed: 20260101", "valid date"),
    ("python-object-tag", 'title: "Mini topic"', 'title: !!python/object/apply:os.system ["echo owned"]',
     "YAML tags such as"),
    ("python-name-tag", 'title: "Mini topic"', "title: !!python/name:os.system", "YAML tags such as"),
    ("python-module-tag", 'title: "Mini topic"', "title: !!python/module:os", "YAML tags such as"),
    ("custom-tag", 'title: "Mini topic"', "title: !include /etc/passwd", "YAML tags such as"),
    ("binary-tag", 'title: "Mini topic"', "title: !!binary aGVsbG8=", "YAML tags such as"),
    ("str-tag", 'title: "Mini topic"', 'title: !!str "Mini topic"', "YAML tags such as"),
    ("set-tag", 'title: "Mini topic"', "title: !!set {a, b}", "YAML tags such as"),
    ("deep-lists", 'title: "Mini topic"', "title: " + "[" * 200 + "]" * 200, "nesting deeper than"),
    ("deep-mappings", 'title: "Mini topic"', "title: " + "{a: " * 100 + "x" + "}" * 100, "nesting deeper than"),
    ("alias-bomb", 'title: "Mini topic"', 'title: &a ["lol", "lol"]', "anchors and aliases are not allowed"),
    ("alias-use", 'subtitle: "A small test topic"', "subtitle: *undefined", "anchors and aliases are not allowed"),
    ("control-char", 'title: "Mini topic"', 'title: "Mini\\x01topic"', "control character U+0001"),
    ("escape-char", 'title: "Mini topic"', 'title: "Mini \\e[31mred"', "control character U+001B"),
    ("nul-char", 'title: "Mini topic"', 'title: "Mini\\0topic"', "control character U+0000"),
    ("c1-control", 'title: "Mini topic"', 'title: "Mini\\x85topic"', "control character U+0085"),
    ("bidi-override", 'title: "Mini topic"', 'title: "Mini \\u202etopic"', "control character U+202E"),
    ("control-in-reference-title", 'title: "A study"', 'title: "A\\x01study"', "control character U+0001"),
    ("zero-mantissa", "share: {kind: percent, value: 12.5, ref: ref1}",
     "share: {kind: percent, value: 12.5, ref: ref1}\n  dose: {kind: cell_dose, mantissa: 0, exponent: 7, ref: ref1}",
     "greater than or equal to 1"),
    ("nan-mantissa", "share: {kind: percent, value: 12.5, ref: ref1}",
     "share: {kind: percent, value: 12.5, ref: ref1}\n  dose: {kind: cell_dose, mantissa: .nan, exponent: 7, ref: ref1}",
     "finite number"),
    ("huge-exponent", "share: {kind: percent, value: 12.5, ref: ref1}",
     "share: {kind: percent, value: 12.5, ref: ref1}\n  dose: {kind: cell_dose, mantissa: 2.5, exponent: 400, ref: ref1}",
     "less than or equal to 30"),
    ("negative-duration", "share: {kind: percent, value: 12.5, ref: ref1}",
     "share: {kind: percent, value: 12.5, ref: ref1}\n  weeks: {kind: duration, value: -2, unit: week, ref: ref1}",
     "greater than or equal to 0"),
    ("negative-large-count", "share: {kind: percent, value: 12.5, ref: ref1}",
     "share: {kind: percent, value: 12.5, ref: ref1}\n  many: {kind: large_count, value: -1, ref: ref1}",
     "greater than or equal to 0"),
    ("year-10000", "year: 2020", "year: 10000", "less than or equal to 2100"),
    ("path-in-topic-id", "id: mini", "id: ../../etc/passwd", "should match pattern"),
    # ids are in file names: 250 characters gave "name too long" at write time, a traceback in check
    ("long-topic-id", "id: mini", "id: " + "m" * 250, "at most 64 characters"),
    ("long-topic-id-at-the-limit", "id: mini", "id: " + "m-" * 32 + "m", "at most 64 characters"),
    ("long-section-id", "- id: one", "- id: " + "o" * 100, "at most 64 characters"),
    ("mapping-as-key", "author: \"tests\"", "author: \"tests\"\n  ? {a: 1}\n  : b", "expected a plain text key"),
    ("merge-key", "author: \"tests\"", "author: \"tests\"\n  <<: {x: 1}", "merge keys (<<) are not supported"),
    ("tab-indent", "  id: mini", "\tid: mini", "YAML syntax error"),
    ("unknown-placeholder", "About {share} of people.", "About {__class__} of people.", "stray '{'"),
    ("format-spec-placeholder", "About {share} of people.", "About {share:>999999} of people.", "placeholder"),
    ("unbalanced-markup", "About {share} of people.", "About <b>{share} of people.", "<b>"),
    ("reportlab-markup", "About {share} of people.", "About <font size=99>{share}</font> of people.", "font"),
]

# Content cases that are not an edit of one line: (id, bytes, fragment); the error names the file.
CONTENT_FILES = [
    ("not-utf8", b"topic:\n  id: \xff\xfe\n", "expected UTF-8"),
    ("empty", b"", "the file is empty"),
    ("top-level-list", b"- a\n- b\n", "expected a mapping"),
    ("only-a-comment", b"# nothing\n", "the file is empty"),
    ("too-large", b"topic:\n  title: \"" + b"x" * (2 * 1024 * 1024) + b"\"\n", "larger than 2 MB"),
    ("billion-laughs", b"a: &a [\"lol\",\"lol\"]\nb: &b [*a,*a]\nc: [*b,*b]\n", "anchors and aliases"),
    ("deep-block-nesting", "".join("  " * i + f"k{i}:\n" for i in range(60)).encode() + b"  " * 60 + b"v\n",
     "nesting deeper than"),
]

# (id, old, new, expected fragment); the catalog is locales/es.po.
CATALOG = [
    ("absurd-nplurals", "nplurals=2;", "nplurals=99999999;", "nplurals=99999999 is out of range"),
    ("zero-nplurals", "nplurals=2;", "nplurals=0;", "nplurals=0 is out of range"),
    ("negative-nplurals", "nplurals=2;", "nplurals=-1;", "Plural-Forms"),
    ("code-in-plural-expression", "plural=(n != 1)", "plural=__import__('os').system('echo owned')",
     "Plural-Forms"),
    ("plural-formula-not-the-language's", "plural=(n != 1)", "plural=(n > 1)",
     "Plural-Forms chooses form 0 for 0, the plural policy form 1"),
    ("three-forms-for-spanish", "nplurals=2; plural=(n != 1);",
     "nplurals=3; plural=n == 1 ? 0 : n == 2 ? 1 : 2;", "Spanish (es) has 2 in the plural policy"),
    ("entity", 'msgstr "Dermatitis atópica (eccema)"', 'msgstr "Dermatitis &amp; eccema"',
     "entity &amp; is not allowed"),
    ("numeric-entity", 'msgstr "Dermatitis atópica (eccema)"', 'msgstr "Dermatitis &#x202e; eccema"',
     "entity &#x202e; is not allowed"),
    ("number-typed-into-translation", 'msgstr "Dermatitis atópica (eccema)"', 'msgstr "Dermatitis atópica 2020"',
     "number '2020' is not in the source"),
    ("invalid-escape", 'msgstr "Dermatitis atópica (eccema)"', 'msgstr "Dermatitis \\q atópica"',
     "invalid escape sequence \\q"),
    ("unterminated", 'msgstr "Dermatitis atópica (eccema)"', 'msgstr "Dermatitis atópica (eccema)',
     "unterminated string"),
    ("stray-quote", 'msgstr "Dermatitis atópica (eccema)"', 'msgstr "Dermatitis "atópica" (eccema)"',
     "a double quote inside a string must be written"),
    ("keyword-typo", 'msgstr "Dermatitis atópica (eccema)"', 'msgtsr "Dermatitis atópica (eccema)"',
     "expected a keyword"),
    ("msgid-without-msgstr", 'msgstr "Dermatitis atópica (eccema)"', "", "an entry without msgstr"),
    ("plural-form-gap", 'msgstr[1] ""\n"Las células madre', 'msgstr[2] ""\n"Las células madre',
     "plural forms must be numbered msgstr[0], msgstr[1]"),
    ("msgstr-in-plural-entry", 'msgstr[0] ""\n"Las células madre', 'msgstr ""\n"Las células madre',
     "needs msgstr[0], msgstr[1]"),
    ("duplicate-live-and-obsolete", 'msgid "Atopic dermatitis (eczema)"\nmsgstr "Dermatitis atópica (eccema)"\n',
     'msgid "Atopic dermatitis (eczema)"\nmsgstr "Dermatitis atópica (eccema)"\n\n'
     '#~ msgid "Atopic dermatitis (eczema)"\n#~ msgstr "Dermatitis atópica"\n',
     'duplicate msgid "Atopic dermatitis (eczema)"'),
    ("obsolete-mixed-with-live", 'msgstr "Dermatitis atópica (eccema)"', '#~ msgstr "Dermatitis atópica (eccema)"',
     "mixes obsolete"),
    ("latin1-charset", "charset=utf-8", "charset=ISO-8859-1", "charset=iso-8859-1"),
    ("previous-line-garbage", 'msgid "Atopic dermatitis (eczema)"\nmsgstr',
     '#| garbage\nmsgid "Atopic dermatitis (eczema)"\nmsgstr', "previous-source line"),
]

# Catalogs that are not an edit of one line: (id, bytes, fragment, line of the problem).
CATALOG_FILES = [
    ("byte-order-mark", b"\xef\xbb\xbf" + SPANISH_HEAD, "byte-order mark", 1),
    ("not-utf8", SPANISH_HEAD + b'msgid "a"\nmsgstr "\xe9t\xe9"\n', "not UTF-8 text", SPANISH_HEAD.count(b"\n") + 2),
    ("nul-byte", SPANISH_HEAD + b'msgid "Atopic dermatitis (eczema)"\nmsgstr "b\x00c"\n', "control character U+0000",
     SPANISH_HEAD.count(b"\n") + 1),
    ("only-garbage", b"\x1b[31m rm -rf / \x1b[0m\n", "expected a keyword", 1),
    ("comment-only", b"# just a comment\n", "comments without an entry", 1),
]

# Translations that are not errors: rendered literally, as written.
LITERAL = [
    ("bare-ampersand", "Dermatitis & eccema & piel"),
    ("angle-brackets", "Dermatitis < eccema > piel"),
    ("percent-format", "Dermatitis %s %(name)s %d"),
    ("long-word", "Dermatitis" + "x" * 58),  # 68 letters: within the title's max-length, far wider than a line
]
