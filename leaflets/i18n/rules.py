"""Rules for translations that live in the content and the template, never in a translator's file.

A length budget is a fact about the layout (a slide title box holds about
60 characters), and an exemption from the "same as the English" check is a
fact about the string (a name stays a name).  If such rules lived only as
flags in each language's PO file, the tools translators use would lose them:
GNU ``msgcat``/``msgmerge`` and Poedit's "Update from POT" drop flags they do
not know.  So the checks read the rules from the content model
(:func:`rules_for`), and the template carries them as flags
(:func:`template_flags`) only so that tools can show them as hints:

- ``max-length:N`` with a ``replacements:`` flag that maps every placeholder
  and ``<b>``/``<i>`` tag of the entry to nothing, so Weblate, which counts
  the raw string after replacements, counts exactly what ``locales status``
  counts (placeholders and tags are not text a reader sees);
- ``ignore-same`` for strings the content lists in
  ``translation.same_as_source``.

A msgid used in several places with different budgets has one rule: the
smallest budget (one flag per entry; Weblate keeps only the last one).

>>> rule = Rule(max_length=30)
>>> template_flags(rule, "EASI-50 in {share} of <b>people</b>")
['max-length:30', 'replacements:{share}::<b>::</b>:']
>>> Rule(max_length=30).merge(Rule(max_length=20, same_as_source=True))
Rule(max_length=20, same_as_source=True)
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from leaflets.content import inline
from leaflets.content.messages import iter_texts

MAX_LENGTH_FLAG = re.compile(r"^max-length:\d+$")
TAGS = re.compile(r"</?[bi]>")
# Flags the template owns: a catalog's own copies are replaced on update (they are hints, not rules).
RULE_FLAG_NAMES = ("max-length", "replacements", "ignore-same", "max-size", "font-family", "font-size")


@dataclass(frozen=True)
class Rule:
    """What the content says a translation of one msgid must respect."""

    max_length: int | None = None  # visible characters: placeholders and tags do not count
    same_as_source: bool = False  # may be identical to the English

    def merge(self, other: Rule) -> Rule:
        lengths = [n for n in (self.max_length, other.max_length) if n is not None]
        return Rule(min(lengths) if lengths else None, self.same_as_source or other.same_as_source)


NO_RULE = Rule()


def rules_for(topics) -> dict[str, Rule]:
    """msgid -> the rule of every string of ``topics`` that has one (loaded topics or topic models)."""
    rules: dict[str, Rule] = {}
    for item in topics:
        topic = getattr(item, "topic", item)
        same = set(topic.translation.same_as_source)
        for text in iter_texts(topic):
            rule = Rule(text.budget, text.msgid in same)
            if rule != NO_RULE:
                rules[text.msgid] = rules.get(text.msgid, NO_RULE).merge(rule)
    return rules


def is_rule_flag(flag: str) -> bool:
    """A flag the template decides (a length budget, an exemption...), not the translator."""
    return flag.split(":", 1)[0] in RULE_FLAG_NAMES


def template_flags(rule: Rule, msgid: str, msgid_plural: str | None = None) -> list[str]:
    """The PO flags that show ``rule`` to translators' tools (hints; the checks use the rule)."""
    flags = []
    if rule.max_length is not None:
        flags.append(f"max-length:{rule.max_length}")
        hidden = []
        for text in (msgid, msgid_plural or ""):
            for token in [f"{{{name}}}" for name in inline.placeholders(text)] + TAGS.findall(text):
                if token not in hidden:
                    hidden.append(token)
        if hidden:
            flags.append("replacements:" + ":".join(f"{token}:" for token in hidden))
    if rule.same_as_source:
        flags.append("ignore-same")
    return flags
