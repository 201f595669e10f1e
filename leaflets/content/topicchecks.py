"""Cross-checks for the parts of a topic added with content 2.0.

Kept apart from :mod:`leaflets.content.load` so that each check names the
YAML line it is about and the loader only has to call :func:`topic_checks`.
"""

from __future__ import annotations

from leaflets.content.model import FREQUENCY_PARTS, NaturalFrequencyFact, PercentFact, Slide, Topic
from leaflets.content.yamlsource import SourceMap
from leaflets.errors import Diagnostic

# "About n in d" must use the nearest numerator for its denominator and stay
# within this relative distance of the percentage it restates: 10.7 % may be
# "1 in 10" and 27.2 % "3 in 10", but 10.7 % is not "1 in 5".
FREQUENCY_TOLERANCE = 0.15


def placeholder_names(topic: Topic) -> set[str]:
    """Every name a ``{placeholder}`` may use: facts, lists and parts of
    natural frequencies (``{f.numerator}``, ``{f.denominator}``; the bare
    ``{f}`` is not a name, since a frequency is worded by the sentence)."""
    names = set(topic.lists)
    for fid, fact in topic.facts.items():
        if isinstance(fact, NaturalFrequencyFact):
            names.update(f"{fid}.{part}" for part in FREQUENCY_PARTS)
        else:
            names.add(fid)
    return names


def topic_checks(topic: Topic, smap: SourceMap) -> list[Diagnostic]:
    """Natural frequencies agree with the percentages they restate; slide
    kinds have the parts they need."""
    errors: list[Diagnostic] = []
    for fid, fact in topic.facts.items():
        if not isinstance(fact, NaturalFrequencyFact):
            continue
        if fact.numerator >= fact.denominator:
            errors.append(smap.diagnostic(("facts", fid, "numerator"),
                                          f"fact '{fid}': numerator must be smaller than the denominator", value=True))
        if fact.restates is None:
            continue
        target = topic.facts.get(fact.restates)
        if not isinstance(target, PercentFact):
            errors.append(smap.diagnostic(("facts", fid, "restates"),
                                          f"fact '{fid}' restates '{fact.restates}', which is not a percent fact",
                                          value=True))
            continue
        share = 100 * fact.numerator / fact.denominator
        nearest = max(1, round(target.value * fact.denominator / 100))
        if fact.numerator != nearest or abs(share - target.value) > FREQUENCY_TOLERANCE * target.value:
            errors.append(smap.diagnostic(
                ("facts", fid, "numerator"),
                f"fact '{fid}': {fact.numerator} in {fact.denominator} ({share:.1f}%) does not round "
                f"'{fact.restates}' ({target.value:g}%); expected the nearest numerator, within "
                f"{FREQUENCY_TOLERANCE:.0%} of the percentage", value=True))
        if fact.ref != target.ref:
            errors.append(smap.diagnostic(("facts", fid, "ref"),
                                          f"fact '{fid}' must cite the same reference as '{fact.restates}' "
                                          f"('{target.ref}')", value=True))
    slides = [(("sections", s, "clinician", k), slide) for s, section in enumerate(topic.sections)
              for k, slide in enumerate(section.clinician)]
    slides += [(("deck", name), getattr(topic.deck, name)) for name in ("disclosure", "objectives", "summary")]
    for path, slide in slides:
        errors += _slide_parts(smap, path, slide)
    errors += _assertions(smap, slides)
    return errors


CONTENT_KINDS = ("bullets", "diagram")  # with a table or chart a bullets slide is a table or chart slide


def _assertions(smap: SourceMap, slides: list[tuple[tuple, Slide]]) -> list[Diagnostic]:
    """Assertion titles: only on content slides of the sections (a section divider, closing or
    disclosure slide states no finding), never the same text as the slide's topic, and, once a
    topic's deck argues, on every content slide (a deck whose titles state findings on some
    slides and name topics on others reads as unfinished)."""
    errors = []
    def is_content(path: tuple, slide: Slide) -> bool:
        return path[0] == "sections" and slide.kind in CONTENT_KINDS

    content = [(path, slide) for path, slide in slides if is_content(path, slide)]
    for path, slide in slides:
        if slide.assertion is None:
            continue
        if not is_content(path, slide):
            errors.append(smap.diagnostic(path + ("assertion",), f"the {path[-1] if path[0] == 'deck' else slide.kind} "
                                          f"slide states no finding: an assertion belongs on a content slide of a "
                                          f"section (bullets, table, chart or diagram)"))
        elif slide.assertion.strip() == slide.title.strip():
            errors.append(smap.diagnostic(path + ("assertion",), "the assertion repeats the title: state the "
                                          "slide's finding, and keep the title for its topic", value=True))
    if any(slide.assertion is not None for _, slide in content):
        for path, slide in content:
            if slide.assertion is None:
                errors.append(smap.diagnostic(path + ("title",), f"content slide '{slide.title}' has no assertion: "
                                              f"every content slide of a deck with assertion titles states its "
                                              f"finding (expected an 'assertion:' key next to 'title:')"))
    return errors


def _slide_parts(smap: SourceMap, path: tuple, slide: Slide) -> list[Diagnostic]:
    needs = {"diagram": slide.diagram is not None, "disclosure": bool(slide.fields),
             "closing": bool(slide.bullets) and slide.subtitle is not None}
    errors = []
    if slide.kind in needs and not needs[slide.kind]:
        what = {"diagram": "a diagram", "disclosure": "fields", "closing": "bullets and a subtitle (the questions prompt)"}
        errors.append(smap.diagnostic(path + ("kind",), f"a {slide.kind} slide needs {what[slide.kind]}", value=True))
    if slide.diagram is not None and slide.kind != "diagram":
        errors.append(smap.diagnostic(path + ("diagram",), "only a slide of kind 'diagram' may have a diagram"))
    if slide.fields and slide.kind != "disclosure":
        errors.append(smap.diagnostic(path + ("fields",), "only a slide of kind 'disclosure' may have fields"))
    parts = [slide.table is not None, slide.chart is not None, slide.diagram is not None]
    if sum(parts) > 1:
        errors.append(smap.diagnostic(path, "a slide may have at most one of table, chart and diagram"))
    return errors
