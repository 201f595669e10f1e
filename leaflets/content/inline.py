"""The tiny inline language of translatable strings.

A string may contain named placeholders, ``{child_prevalence}``, that the
localizer fills with a Babel-formatted fact (a part of a fact is named with a
dot: ``{child_frequency.numerator}``), and the emphasis tags ``<b>`` and
``<i>``, balanced.  Nothing else is markup: every other ``<``, ``>``, ``&`` is
text.  Translators see the same language in their PO files, so the checks on
translations (:mod:`leaflets.i18n.checks`) reuse these functions.

>>> placeholders("About {share} of {group}")
['share', 'group']
>>> placeholders("{f.numerator} in {f.denominator}")
['f.numerator', 'f.denominator']
>>> tokenize("Only <b>in trials</b>.")
[('text', 'Only '), ('open', 'b'), ('text', 'in trials'), ('close', 'b'), ('text', '.')]
"""

from __future__ import annotations

import re

PLACEHOLDER = re.compile(r"\{([a-z][a-z0-9_]*(?:\.[a-z]+)?)\}")
# Anything that looks like an attempt at a placeholder or a tag, well formed or not.
_BRACE = re.compile(r"[{}]")
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)([^<>]*)>")
_ENTITY = re.compile(r"&(#\d+|#x[0-9a-fA-F]+|[a-zA-Z][a-zA-Z0-9]*);")
ALLOWED_TAGS = ("b", "i")


class InlineError(ValueError):
    """A string that breaks the inline language; the message says how."""


def placeholders(text: str) -> list[str]:
    """Placeholder names in order of appearance (duplicates kept)."""
    return PLACEHOLDER.findall(text)


def tokenize(text: str) -> list[tuple[str, str]]:
    """Split ``text`` into ``text``, ``placeholder``, ``open`` and ``close`` tokens.

    Raises :class:`InlineError` for stray braces, unknown tags, unbalanced or
    nested emphasis.

    >>> tokenize("{n} adults")
    [('placeholder', 'n'), ('text', ' adults')]
    >>> tokenize("<u>x</u>")
    Traceback (most recent call last):
    ...
    leaflets.content.inline.InlineError: tag <u> is not allowed; only <b> and <i> are
    >>> tokenize("<b>x")
    Traceback (most recent call last):
    ...
    leaflets.content.inline.InlineError: tag <b> is opened but never closed
    """
    tokens: list[tuple[str, str]] = []
    open_tag: str | None = None
    pos = 0
    pattern = re.compile(PLACEHOLDER.pattern + "|" + _TAG.pattern)
    for match in pattern.finditer(text):
        _append_text(tokens, text[pos:match.start()])
        pos = match.end()
        if match.group(1):
            tokens.append(("placeholder", match.group(1)))
            continue
        closing, name, rest = match.group(2), match.group(3), match.group(4)
        if name not in ALLOWED_TAGS or rest.strip():
            raise InlineError(f"tag {match.group(0)} is not allowed; only <b> and <i> are")
        if closing:
            if open_tag != name:
                raise InlineError(f"closing tag </{name}> has no matching <{name}>")
            open_tag = None
            tokens.append(("close", name))
        else:
            if open_tag is not None:
                raise InlineError(f"tag <{name}> opens inside <{open_tag}>; emphasis cannot nest")
            open_tag = name
            tokens.append(("open", name))
    _append_text(tokens, text[pos:])
    if open_tag is not None:
        raise InlineError(f"tag <{open_tag}> is opened but never closed")
    return tokens


def _append_text(tokens: list[tuple[str, str]], chunk: str) -> None:
    if not chunk:
        return
    entity = _ENTITY.search(chunk)
    if entity:
        raise InlineError(f"entity {entity.group(0)} is not allowed; write the character itself")
    stray = _BRACE.search(chunk)
    if stray:
        raise InlineError(
            f"stray '{stray.group(0)}' near {chunk[max(0, stray.start() - 10):stray.start() + 10]!r}; "
            "placeholders look like {name_in_lowercase}")
    tokens.append(("text", chunk))
