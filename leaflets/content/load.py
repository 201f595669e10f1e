"""Load a topic file: YAML -> typed :class:`Topic`, or every error at once.

Structural errors come from pydantic and are mapped back to YAML positions;
cross-reference errors (facts citing unknown references, placeholders naming
unknown facts, malformed inline markup) are checked here, after the types.
"""

from __future__ import annotations

import typing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pydantic

from leaflets.content import inline
from leaflets.content.messages import iter_texts
from leaflets.content.model import BLOCK_KINDS, CONTACT_PLACEHOLDERS, CountFact, NaturalFrequencyFact, PercentFact, PluralText, Topic
from leaflets.content.topicchecks import placeholder_names, topic_checks
from leaflets.content.yamlsource import SourceMap, load_yaml
from leaflets.errors import Diagnostic, LeafletsError


@dataclass(frozen=True)
class LoadedTopic:
    """A validated topic with the map back to its YAML source."""

    topic: Topic
    source: SourceMap
    path: Path

    def line_of(self, path: tuple) -> int:
        return self.source.position(path)[0]


def load_topic(path: Path | str) -> LoadedTopic:
    """Load and validate one topic file, raising :class:`LeafletsError`."""
    path = Path(path)
    data, smap = load_yaml(path)
    if not isinstance(data, dict):
        raise LeafletsError(smap.diagnostic((), "expected a mapping with the keys: " + ", ".join(Topic.model_fields)))
    try:
        topic = Topic.model_validate(data)
    except pydantic.ValidationError as exc:
        raise LeafletsError(sorted({_diagnostic(err, data, smap) for err in exc.errors()})) from None
    errors = cross_check(topic, smap)
    if errors:
        raise LeafletsError(sorted(set(errors)))
    return LoadedTopic(topic, smap, path)


# ------------------------------------------------------------ pydantic errors
def _data_path(loc: tuple, data: Any) -> tuple[tuple, Any]:
    """Keep the parts of a pydantic ``loc`` that index the data (drop union tags)."""
    path: list = []
    node = data
    for part in loc:
        if isinstance(node, dict) and part in node:
            node = node[part]
            path.append(part)
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
            path.append(part)
    return tuple(path), node


def _fields_at(path: tuple, data: Any) -> list[str] | None:
    """The keys the model allows at ``path`` (for 'expected one of' messages)."""
    tp: Any = Topic
    node = data
    for part in path:
        tp = _resolve(tp, node)
        if tp is None:
            return None
        if isinstance(tp, type) and issubclass(tp, pydantic.BaseModel):
            field = tp.model_fields.get(part)
            if field is None:
                return None
            tp = field.annotation
        else:
            origin = typing.get_origin(tp)
            args = typing.get_args(tp)
            if origin in (list, dict) and args:
                tp = args[-1]
            else:
                return None
        node = node[part] if isinstance(node, (dict, list)) else None
    tp = _resolve(tp, node)
    if isinstance(tp, type) and issubclass(tp, pydantic.BaseModel):
        return list(tp.model_fields)
    return None


def _resolve(tp: Any, node: Any) -> Any:
    """Unwrap Annotated/Optional/unions to the model that matches ``node``."""
    while True:
        origin = typing.get_origin(tp)
        if origin is typing.Annotated:
            tp = typing.get_args(tp)[0]
            continue
        if origin is typing.Union or str(origin) == "<class 'types.UnionType'>":
            candidates = [_resolve(a, node) for a in typing.get_args(tp)]
            models = [c for c in candidates if isinstance(c, type) and issubclass(c, pydantic.BaseModel)]
            if isinstance(node, dict):
                for model in models:
                    kind = model.model_fields.get("kind")
                    if kind is not None and node.get("kind") in typing.get_args(kind.annotation):
                        return model
                for key, model in BLOCK_KINDS.items():
                    if key in node and model in models:
                        return model
            return models[0] if len(models) == 1 else None
        return tp


def _diagnostic(err: dict, data: Any, smap: SourceMap) -> Diagnostic:
    loc = tuple(err["loc"])
    path, node = _data_path(loc, data)
    where = ".".join(str(p) for p in path) or "the top level"
    kind = err["type"]
    if kind == "missing":
        return smap.diagnostic(path, f"{where}: missing required key '{loc[-1]}'")
    if kind == "union_tag_invalid":
        ctx = err.get("ctx", {})
        return smap.diagnostic(path + ("kind",), f"{where}.kind: unknown kind {ctx.get('tag')!r}; expected one of: "
                               f"{ctx.get('expected_tags', '')}".replace("'", ""), value=True)
    if kind == "extra_forbidden":
        allowed = _fields_at(path[:-1], data)
        hint = f"; expected one of: {', '.join(allowed)}" if allowed else ""
        return smap.diagnostic(path, f"{where}: unknown key '{path[-1]}'{hint}")
    got = type(node).__name__ if not isinstance(node, (dict, list)) else ("mapping" if isinstance(node, dict) else "list")
    message = err["msg"]
    message = message.replace("Input should be", "expected").replace("String should", "text should")
    if kind.endswith("_type") or kind == "union_tag_invalid":
        message = f"{message} (got {got} {node!r})" if not isinstance(node, (dict, list)) else f"{message} (got a {got})"
    elif not isinstance(node, (dict, list)):
        message = f"{message} (got {node!r})"
    return smap.diagnostic(path, f"{where}: {message}", value=True)


# -------------------------------------------------------------- cross checks
def cross_check(topic: Topic, smap: SourceMap) -> list[Diagnostic]:
    """Checks that span parts of the model; returns diagnostics (empty if fine)."""
    errors: list[Diagnostic] = []
    refs = topic.references
    for fid, fact in topic.facts.items():
        if fact.ref not in refs:
            errors.append(smap.diagnostic(("facts", fid, "ref"),
                          f"fact '{fid}' cites unknown reference '{fact.ref}'; known references: {', '.join(refs)}",
                          value=True))
    names = placeholder_names(topic)
    clash = set(topic.facts) & set(topic.lists)
    for name in sorted(clash):
        errors.append(smap.diagnostic(("lists", name), f"'{name}' is both a fact and a list; ids must be unique"))
    for text in iter_texts(topic):
        for form_key, form in _forms(text):
            path = text.path + form_key
            try:
                inline.tokenize(form)
            except inline.InlineError as exc:
                errors.append(smap.diagnostic(path, f"{exc}", value=True))
            allowed = names | set(CONTACT_PLACEHOLDERS) if path[:3] == ("handout", "whom_to_call", "with_clinic") \
                else names
            for name in inline.placeholders(form):
                if name not in allowed:
                    errors.append(smap.diagnostic(
                        path, f"placeholder {{{name}}} names no fact or list; expected one of: {', '.join(sorted(allowed))}",
                        value=True))
        if isinstance(text.text, PluralText):
            fact = topic.facts.get(text.text.count)
            if not isinstance(fact, (CountFact, NaturalFrequencyFact)):
                errors.append(smap.diagnostic(text.path + ("count",),
                              f"plural count '{text.text.count}' must name a count fact (or a natural_frequency fact)",
                              value=True))
    for s, section in enumerate(topic.sections):
        for b, block in enumerate(section.patient):
            for c, rid in enumerate(getattr(block, "cite", [])):
                if rid not in refs:
                    errors.append(smap.diagnostic(("sections", s, "patient", b, "cite", c), f"cites unknown reference '{rid}'"))
        for k, slide in enumerate(section.clinician):
            errors += _check_slide(topic, smap, ("sections", s, "clinician", k), slide)
    for name in ("disclosure", "objectives", "summary"):
        errors += _check_slide(topic, smap, ("deck", name), getattr(topic.deck, name))
    ids = [section.id for section in topic.sections]
    for s, sid in enumerate(ids):
        if ids.index(sid) != s:
            errors.append(smap.diagnostic(("sections", s, "id"), f"duplicate section id '{sid}'"))
    for n, note in enumerate(topic.reviewer_notes):
        for a, fid in enumerate(note.about):
            if fid not in topic.facts:
                errors.append(smap.diagnostic(("reviewer_notes", n, "about", a), f"reviewer note is about unknown fact '{fid}'"))
    msgids = {text.msgid for text in iter_texts(topic)}
    for n, same in enumerate(topic.translation.same_as_source):
        if same not in msgids:
            errors.append(smap.diagnostic(("translation", "same_as_source", n),
                                          f"'{same[:60]}' is not a string of this topic; same_as_source lists "
                                          "English strings exactly as the topic writes them", value=True))
    errors += topic_checks(topic, smap)
    meta = topic.topic
    if meta.next_review <= meta.last_reviewed:
        errors.append(smap.diagnostic(("topic", "next_review"), "next_review must come after last_reviewed", value=True))
    return errors


def _forms(text) -> list[tuple[tuple, str]]:
    if isinstance(text.text, PluralText):
        return [(("one",), text.text.one), (("other",), text.text.other)]
    return [((), text.text)]


def _check_slide(topic: Topic, smap: SourceMap, path: tuple, slide) -> list[Diagnostic]:
    errors = []
    for c, rid in enumerate(slide.cite):
        if rid not in topic.references:
            errors.append(smap.diagnostic(path + ("cite", c), f"cites unknown reference '{rid}'"))
    if slide.table is not None:
        width = len(slide.table.header)
        for r, row in enumerate(slide.table.rows):
            if len(row) != width:
                errors.append(smap.diagnostic(path + ("table", "rows", r),
                              f"table row has {len(row)} cells; expected {width}, like the header"))
    if slide.chart is not None:
        chart = slide.chart
        if len(chart.values) != len(chart.categories):
            errors.append(smap.diagnostic(path + ("chart", "values"),
                          f"chart has {len(chart.categories)} categories but {len(chart.values)} values"))
        for h, fid in enumerate(chart.highlight):
            if fid not in chart.values:
                errors.append(smap.diagnostic(path + ("chart", "highlight", h),
                                              f"highlighted '{fid}' is not one of the chart's values"))
        for v, fid in enumerate(chart.values):
            if not isinstance(topic.facts.get(fid), PercentFact):
                errors.append(smap.diagnostic(path + ("chart", "values", v), f"chart value '{fid}' must name a percent fact"))
    return errors
