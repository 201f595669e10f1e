"""Which module may import which: read from the source with ``ast``, every import counted
(top-level, inside a function, or only for type checking), so a lazy import cannot hide a cycle."""

from __future__ import annotations

import ast
from functools import lru_cache
from pathlib import Path

import leaflets

PACKAGE = Path(leaflets.__file__).resolve().parent


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@lru_cache(maxsize=None)
def all_imports() -> dict[str, frozenset[str]]:
    """leaflets module -> every module it imports anywhere in its source (its own package's or not)."""
    imports = {}
    for path in PACKAGE.rglob("*.py"):
        name = module_name(path)
        found = set()
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if isinstance(node, ast.Import):
                found |= {alias.name for alias in node.names}
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    anchor = package.split(".")[:len(package.split(".")) - node.level + 1]
                    base = ".".join(anchor + ([base] if base else []))
                found.add(base)
                found |= {f"{base}.{alias.name}" for alias in node.names}  # `from leaflets.render import pdf`
        imports[name] = frozenset(found - {name})
    return imports


@lru_cache(maxsize=None)
def import_graph() -> dict[str, frozenset[str]]:
    """leaflets module -> the leaflets modules it imports anywhere in its source."""
    imports = all_imports()
    return {name: frozenset(m for m in found if m in imports) for name, found in imports.items()}


def reachable(start: str) -> set[str]:
    graph, seen, todo = import_graph(), set(), [start]
    while todo:
        for target in graph[todo.pop()]:
            if target not in seen:
                seen.add(target)
                todo.append(target)
    return seen


def test_the_graph_sees_lazy_imports():
    assert "leaflets.fit" in import_graph()["leaflets.engine"]  # imported inside a function
    assert "leaflets.render.pdf" in import_graph()["leaflets.render.handout_renderer"]


def test_build_uses_workers_and_workers_never_reach_build():
    """The build plans, localizes and writes; workers only render.  The dependency goes one way."""
    assert "leaflets.workers" in import_graph()["leaflets.build"]
    assert "leaflets.build" not in reachable("leaflets.workers")


def test_renderers_sit_below_the_build():
    """Nothing under leaflets.render imports the modules that plan, run or preview builds."""
    above = {"leaflets.build", "leaflets.workers", "leaflets.preview", "leaflets.fit", "leaflets.cli"}
    for name in import_graph():
        if name.startswith("leaflets.render"):
            assert not reachable(name) & above, name


def test_line_layout_draws_nothing():
    """Text layout (shaping, bidi, line breaks) is apart from PDF emission: it never reaches the
    emitter or a ReportLab canvas or flowable, and the deck measures text without them."""
    drawing = ("reportlab.pdfgen", "reportlab.platypus")
    for name in ("leaflets.render.textlayout", "leaflets.render.deck_fit"):
        assert "leaflets.render.pdftext" not in reachable(name) | {name}, name
        for module in reachable(name) | {name}:
            assert not [m for m in all_imports()[module] if m.startswith(drawing)], (name, module)
    assert "leaflets.render.textlayout" in import_graph()["leaflets.render.pdftext"]


def test_the_engine_sits_below_the_command_line_and_its_build():
    """The engine is what a library user embeds: it never reaches the modules that own a
    process (worker pools, signals, the collector's settings, printing, writing files), nor
    the Python modules those need."""
    above = {"leaflets.build", "leaflets.workers", "leaflets.preview", "leaflets.cli", "leaflets.progress",
             "leaflets.output", "leaflets.manifest", "leaflets.i18n.workflow"}
    below = reachable("leaflets.engine") | {"leaflets.engine"}
    assert not below & above, below & above
    owning = {"multiprocessing", "concurrent.futures", "signal", "gc"}
    assert not {module: found & owning for module in below if (found := all_imports()[module] & owning)}
    assert "leaflets.engine" in reachable("leaflets.build") and "leaflets.engine" in reachable("leaflets.cli")
