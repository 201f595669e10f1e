"""Read YAML while remembering where every value came from.

PyYAML's ``safe_load`` forgets positions and silently keeps the last of two
duplicate keys.  We compose the node graph instead, refuse duplicate keys and
record the line and column of every mapping key and sequence item under its
path (a tuple of keys and indexes), so later validation errors can point at
the exact spot in the file.

A topic file is untrusted input, so before anything is built from it the
event stream is checked: no anchors or aliases (no "billion laughs"), no
explicit tags (``!!python/object`` and friends are refused even by name), at
most :data:`MAX_DEPTH` levels of nesting (PyYAML's composer is recursive)
and :data:`MAX_BYTES` of text.  Every scalar is constructed on its own, so an
impossible date (``2025-02-30``) is an error at its line, and text may not
contain control characters (as in catalogs).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from leaflets.errors import Diagnostic, LeafletsError, display_path
from leaflets.safefile import NotRegular, outside, read_regular

Path_ = tuple[Any, ...]
MAX_BYTES = 2 * 1024 * 1024  # a topic is some 40 kB; 2 MB is generous and keeps parsing fast
MAX_DEPTH = 32  # the model nests 8 levels deep
MAX_ID_LENGTH = 64  # ids are in file names: a topic id of 250 characters is no name a file system takes
TOPIC_ID = re.compile(rf"^[a-z][a-z0-9-]{{0,{MAX_ID_LENGTH - 1}}}$")
BIDI_CONTROLS = {0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A)}


@dataclass
class SourceMap:
    """Positions (1-based line, column) of every value, keyed by its path."""

    file: str
    positions: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    value_positions: dict[Path_, tuple[int, int]] = field(default_factory=dict)

    def position(self, path: Path_, *, value: bool = False) -> tuple[int, int]:
        """Where ``path`` is written (its key, or with ``value`` its value);
        falls back to the nearest ancestor that has a position."""
        path = tuple(path)
        if value and path in self.value_positions:
            return self.value_positions[path]
        while path and path not in self.positions:
            path = path[:-1]
        return self.positions.get(path, (1, 1))

    def diagnostic(self, path: Path_, message: str, *, value: bool = False) -> Diagnostic:
        line, column = self.position(path, value=value)
        return Diagnostic(self.file, line, column, message)


class _Loader(yaml.SafeLoader):
    """SafeLoader whose timestamps stay dates (no datetime surprises)."""


def _mark(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _check_scalar(node: yaml.ScalarNode, smap: SourceMap, errors: list[Diagnostic], loader) -> None:
    """Construct one scalar (catching impossible dates, numbers out of range)
    and refuse control characters in text."""
    try:
        value = loader.construct_object(node)
    except (yaml.YAMLError, ValueError, OverflowError) as exc:
        errors.append(Diagnostic(smap.file, *_mark(node), f"{node.value!r} is not a valid value: {_reason(exc)}"))
        return
    if isinstance(value, str):
        for ch in value:
            if (unicodedata.category(ch) == "Cc" and ch != "\n") or ord(ch) in BIDI_CONTROLS:
                name = unicodedata.name(ch, "control character")
                errors.append(Diagnostic(smap.file, *_mark(node),
                                         f"text contains the control character U+{ord(ch):04X} ({name}); "
                                         "write plain text (direction and layout are handled by the renderers)"))
                return


def _reason(exc: Exception) -> str:
    text = str(getattr(exc, "problem", None) or exc)
    return "not a real calendar date" if "out of range" in text or "must be in" in text else text


def _walk(node: yaml.Node, path: Path_, smap: SourceMap, errors: list[Diagnostic], loader=None) -> None:
    smap.positions.setdefault(path, _mark(node))
    smap.value_positions[path] = _mark(node)
    if isinstance(node, yaml.ScalarNode) and loader is not None:
        _check_scalar(node, smap, errors, loader)
    if isinstance(node, yaml.MappingNode):
        seen: dict[Any, yaml.Node] = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            if key is None:
                errors.append(Diagnostic(smap.file, *_mark(key_node), "expected a plain text key"))
                continue
            if key == "<<":
                errors.append(Diagnostic(smap.file, *_mark(key_node), "merge keys (<<) are not supported"))
                continue
            if key in seen:
                first_line = seen[key].start_mark.line + 1
                errors.append(Diagnostic(
                    smap.file, *_mark(key_node),
                    f"duplicate key '{key}' (first defined on line {first_line}); "
                    "each key may appear once"))
                continue
            seen[key] = key_node
            child = path + (key,)
            smap.positions[child] = _mark(key_node)
            _walk(value_node, child, smap, errors, loader)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            child = path + (index,)
            smap.positions[child] = _mark(item)
            _walk(item, child, smap, errors, loader)


def load_yaml(path: Path) -> tuple[Any, SourceMap]:
    """Load one YAML document, returning its data and a :class:`SourceMap`.

    Raises :class:`LeafletsError` for unreadable files, syntax errors,
    aliases-bombs (anchors are refused outright) and duplicate keys.
    """
    name = display_path(path)
    if Path(path).is_symlink() and outside(path, Path(path).parent):
        raise LeafletsError(Diagnostic(name, 0, 0, "is a link to a file outside its folder; not read (copy the "
                                                   "topic file into the project instead)"))
    try:
        try:
            text = read_regular(path, MAX_BYTES).decode("utf-8")
        except NotRegular as exc:
            if str(exc).startswith("larger"):
                raise LeafletsError(Diagnostic(name, 0, 0, f"the file is larger than {MAX_BYTES // (1024 * 1024)} MB; "
                                                           "a topic file is plain text of some kilobytes")) from None
            raise LeafletsError(Diagnostic(name, 0, 0, f"cannot read it: it is {exc}")) from None
    except FileNotFoundError:
        raise LeafletsError(Diagnostic(name, 0, 0, "file not found")) from None
    except UnicodeDecodeError as exc:
        raise LeafletsError(Diagnostic(name, 0, 0, f"expected UTF-8 text ({exc.reason})")) from None
    except OSError as exc:
        raise LeafletsError(Diagnostic(name, 0, 0, f"cannot read file: {exc.strerror}")) from None
    # libyaml where it reads exactly as PyYAML does; None on any YAML error (then told as PyYAML tells it)
    fast = _compose(text, name, _FAST) if not _NOT_FAST.search(text) else None
    node = fast if fast is not None else _compose(text, name, _Loader)
    if node is None:
        raise LeafletsError(Diagnostic(name, 0, 0, "the file is empty; expected a YAML mapping"))
    smap = SourceMap(name)
    errors: list[Diagnostic] = []
    _walk(node, (), smap, errors, _Loader(""))
    if errors:
        raise LeafletsError(errors)
    data = _Loader(text).construct_document(node)
    return data, smap


def _compose(text: str, name: str, loader):
    """The node graph of ``text`` by ``loader``'s parser, its events checked first (no anchors,
    aliases or tags, at most :data:`MAX_DEPTH` levels), or None for an empty document.

    With libyaml's parser (:data:`_FAST`, a topic parsed some ten times faster than by
    PyYAML's pure-Python one, the same nodes and marks) any YAML error gives None: the
    caller parses again with PyYAML's, whose messages the errors quote.  The checks of the
    events raise for both."""
    try:
        depth = 0
        for event in yaml.parse(text, Loader=loader):
            mark = event.start_mark
            where = (name, mark.line + 1, mark.column + 1)
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                raise LeafletsError(Diagnostic(*where, "YAML anchors and aliases are not allowed; write the value out"))
            if getattr(event, "tag", None) is not None:
                tag = event.tag.replace("tag:yaml.org,2002:", "!!")
                raise LeafletsError(Diagnostic(*where, f"YAML tags such as {tag!r} are not allowed; "
                                                       "write plain values (text, numbers, dates, lists, mappings)"))
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    raise LeafletsError(Diagnostic(*where, f"nesting deeper than {MAX_DEPTH} levels; "
                                                           "a topic file is never nested this deep"))
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
        return yaml.compose(text, Loader=loader)
    except yaml.YAMLError as exc:
        if loader is _FAST:
            return None
        if isinstance(exc, yaml.MarkedYAMLError):
            mark = exc.problem_mark or exc.context_mark
            line, column = (mark.line + 1, mark.column + 1) if mark else (0, 0)
            problem = exc.problem or "invalid YAML"
            context = f" {exc.context}" if exc.context else ""
            raise LeafletsError(Diagnostic(name, line, column, f"YAML syntax error: {problem}{context}")) from None
        raise LeafletsError(Diagnostic(name, 0, 0, f"YAML error: {exc}")) from None


_FAST = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# Characters libyaml reads differently from PyYAML (found by comparing the two on mutated topic
# files): a tab (libyaml accepts it where PyYAML refuses it), a byte-order mark inside the text
# (libyaml's columns skip it), carriage returns and the other line breaks (\x85, U+2028, U+2029),
# and anything PyYAML's reader refuses as not printable.  A text with any of them is parsed by
# PyYAML alone; topics never need them.  Left, by design: in a flow mapping libyaml reads a
# question mark inside a plain value ("{title: Why? Because}") as the text it is, where PyYAML
# refuses it, and places an empty value ("{value: , ...}") one column later (the model then
# refuses it at that line).
_NOT_FAST = re.compile("[^\n\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]")


def read_topic_id(path: Path) -> str | None:
    """A topic file's ``topic.id``, read from the first events of the file (libyaml's parser,
    stopping at the id), or None when it cannot be read that way (no such key, an anchor, a
    tag, an id that is not a valid one, any error).  The build plans from it without loading
    every topic; a file that then fails to load is reported as usual."""
    try:
        text = read_regular(path, MAX_BYTES).decode("utf-8")
        stack: list[list] = []  # per open collection: [is_mapping, expecting_key, key]
        for event in yaml.parse(text, Loader=_FAST):
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) or getattr(event, "tag", None):
                return None
            top = stack[-1] if stack else None
            if isinstance(event, yaml.ScalarEvent):
                if top and top[0] and top[1]:
                    top[1], top[2] = False, event.value
                    continue
                if len(stack) == 2 and stack[0][2] == "topic" and top[0] and top[2] == "id":
                    return event.value if TOPIC_ID.match(event.value) else None
                if top and top[0]:
                    top[1] = True
            elif isinstance(event, yaml.CollectionStartEvent):
                if (top and top[0] and top[1]) or len(stack) >= MAX_DEPTH:
                    return None  # a collection as a key, or too deep
                if len(stack) == 1 and top[2] != "topic":
                    stack.append([False, False, None])  # not the topic: its contents do not matter
                else:
                    stack.append([isinstance(event, yaml.MappingStartEvent), True, None])
            elif isinstance(event, yaml.CollectionEndEvent):
                stack.pop()
                if stack and stack[-1][0]:
                    stack[-1][1] = True
    except (OSError, NotRegular, UnicodeDecodeError, yaml.YAMLError, RecursionError):
        return None
    return None
