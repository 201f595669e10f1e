"""Topic files are read by libyaml where it reads them exactly as PyYAML does, by PyYAML elsewhere."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from leaflets.content import yamlsource
from leaflets.errors import LeafletsError
from tests.conftest import ROOT

YAML_FILES = sorted(p for pattern in ("content/*.yaml", "tests/content/*.yaml", "tests/content/bad/*.yaml",
                                      "examples/*/*.yml") for p in ROOT.glob(pattern))


def _read(path: Path):
    try:
        data, smap = yamlsource.load_yaml(path)
        return "ok", data, smap.positions, smap.value_positions
    except LeafletsError as exc:
        return "error", [str(d) for d in exc.diagnostics]


ALWAYS = type("Always", (), {"search": staticmethod(lambda text: True)})  # every text to PyYAML
NEVER = type("Never", (), {"search": staticmethod(lambda text: False)})  # every text to libyaml first


def test_every_yaml_file_reads_the_same_by_libyaml_and_by_pyyaml(monkeypatch):
    """Data, the position of every key and value, and every error, for each YAML file of the
    project (topics, test topics, the bad fixtures, clinic brands)."""
    assert len(YAML_FILES) > 20
    fast = {path: _read(path) for path in YAML_FILES}
    monkeypatch.setattr(yamlsource, "_NOT_FAST", ALWAYS)
    for path in YAML_FILES:
        assert _read(path) == fast[path], path


def test_a_topic_is_parsed_by_libyaml_only(monkeypatch):
    """The shipped topic never reaches PyYAML's pure-Python parser (a topic took 137 ms to read
    by it, 19 ms by libyaml)."""
    calls = []
    original = yaml.parse

    def parse(text, Loader):
        calls.append(Loader)
        return original(text, Loader=Loader)

    monkeypatch.setattr(yamlsource.yaml, "parse", parse)
    yamlsource.load_yaml(ROOT / "content" / "atopic-dermatitis.yaml")
    assert calls == [yamlsource._FAST] and yamlsource._FAST is getattr(yaml, "CSafeLoader")


@pytest.mark.parametrize("text", [
    "topic: {id:\tx}\n",  # a tab PyYAML refuses and libyaml accepts
    "topic: {id: x}\nfacts: {a: {kind: duration, value: \ufeff12, unit: week}}\n",  # libyaml's columns skip a BOM
])
def test_text_libyaml_reads_differently_is_read_by_pyyaml(tmp_path, monkeypatch, text):
    """Found by comparing the two parsers on mutated topic files: libyaml accepts a tab PyYAML
    refuses and counts columns past a byte-order mark differently.  Such a text gets PyYAML's
    reading (its error, its columns), as every text did before libyaml."""
    path = tmp_path / "topic.yaml"
    path.write_text(text, newline="")
    got = _read(path)
    monkeypatch.setattr(yamlsource, "_NOT_FAST", ALWAYS)
    assert _read(path) == got  # PyYAML's
    monkeypatch.setattr(yamlsource, "_NOT_FAST", NEVER)
    assert _read(path) != got  # what libyaml would have made of it


def test_a_syntax_error_is_told_by_pyyaml(tmp_path):
    """libyaml finds the error too ("did not find expected ',' or ']'"), but the message is
    PyYAML's, at its line and column, as before libyaml."""
    path = tmp_path / "topic.yaml"
    path.write_text("topic:\n  id: [x\nfacts: {}\n")
    kind, errors = _read(path)
    assert kind == "error" and len(errors) == 1
    assert errors == [f"{path}:3:6: YAML syntax error: expected ',' or ']', but got ':' while parsing a flow sequence"]
