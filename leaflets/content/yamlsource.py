"""Read YAML while remembering where every value came from.

PyYAML's ``safe_load`` forgets positions and silently keeps the last of two
duplicate keys.  We compose the node graph instead, refuse duplicate keys and
record the line and column of every mapping key and sequence item under its
path (a tuple of keys and indexes), so later validation errors can point at
the exact spot in the file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from leaflets.errors import Diagnostic, LeafletsError, display_path

Path_ = tuple[Any, ...]


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


def _walk(node: yaml.Node, path: Path_, smap: SourceMap, errors: list[Diagnostic]) -> None:
    smap.positions.setdefault(path, _mark(node))
    smap.value_positions[path] = _mark(node)
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
            _walk(value_node, child, smap, errors)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            child = path + (index,)
            smap.positions[child] = _mark(item)
            _walk(item, child, smap, errors)


def load_yaml(path: Path) -> tuple[Any, SourceMap]:
    """Load one YAML document, returning its data and a :class:`SourceMap`.

    Raises :class:`LeafletsError` for unreadable files, syntax errors,
    aliases-bombs (anchors are refused outright) and duplicate keys.
    """
    name = display_path(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise LeafletsError(Diagnostic(name, 0, 0, "file not found")) from None
    except UnicodeDecodeError as exc:
        raise LeafletsError(Diagnostic(name, 0, 0, f"expected UTF-8 text ({exc.reason})")) from None
    except OSError as exc:
        raise LeafletsError(Diagnostic(name, 0, 0, f"cannot read file: {exc.strerror}")) from None
    smap = SourceMap(name)
    try:
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                mark = event.start_mark
                raise LeafletsError(Diagnostic(
                    name, mark.line + 1, mark.column + 1,
                    "YAML anchors and aliases are not allowed; write the value out"))
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        problem = exc.problem or "invalid YAML"
        context = f" {exc.context}" if exc.context else ""
        raise LeafletsError(Diagnostic(name, line, column, f"YAML syntax error: {problem}{context}")) from None
    except yaml.YAMLError as exc:
        raise LeafletsError(Diagnostic(name, 0, 0, f"YAML error: {exc}")) from None
    if node is None:
        raise LeafletsError(Diagnostic(name, 0, 0, "the file is empty; expected a YAML mapping"))
    errors: list[Diagnostic] = []
    _walk(node, (), smap, errors)
    if errors:
        raise LeafletsError(errors)
    data = _Loader(text).construct_document(node)
    return data, smap
