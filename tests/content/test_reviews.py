"""The PEMAT-P and CDC Clear Communication Index scoring files: present, the
totals are the sum of the item scores, and the gates of issue 8 hold."""

from __future__ import annotations

import re

from tests.conftest import ROOT

REVIEWS = ROOT / "content" / "reviews"


def _items(text: str) -> dict[int, str]:
    """Item number -> score cell ('1', '0' or 'N/A') from the markdown tables."""
    items = {}
    for match in re.finditer(r"^\| (\d+) \| [^|]+ \| (?:\*\*)?(1|0|N/A)(?:\*\*)? \|", text, re.M):
        items[int(match.group(1))] = match.group(2)
    return items


def _score(items: dict[int, str], numbers) -> tuple[int, int]:
    scored = [items[n] for n in numbers if items[n] != "N/A"]
    return sum(s == "1" for s in scored), len(scored)


def test_pemat_p_is_scored_item_by_item_and_meets_the_gates():
    text = (REVIEWS / "pemat-p.md").read_text(encoding="utf-8")
    items = _items(text)
    understand = [n for n in range(1, 20) if n not in (13, 14)]  # 13-14 are audiovisual only
    assert set(items) == set(understand) | set(range(20, 27))
    points, total = _score(items, understand)
    assert f"**Understandability: {points} / {total} = {round(100 * points / total)} %**" in text
    assert points / total >= 0.8
    points, total = _score(items, range(20, 27))
    assert f"**Actionability: {points} / {total} = {round(100 * points / total)} %**" in text
    assert points / total >= 0.8


def test_cdc_clear_communication_index_is_scored_item_by_item_and_meets_the_gate():
    text = (REVIEWS / "cdc-cci.md").read_text(encoding="utf-8")
    items = _items(text)
    assert set(items) == set(range(1, 21))
    points, total = _score(items, range(1, 21))
    score = round(100 * points / total)
    assert f"**Score: {points} / {total} = {score}**" in text
    assert score >= 90


def test_readability_report_matches_the_tool(loaded):
    """The 'after' table in readability.md is what tools/readability.py measures now."""
    import importlib.util
    import sys
    spec = importlib.util.spec_from_file_location("readability", ROOT / "tools" / "readability.py")
    module = sys.modules.get("readability") or importlib.util.module_from_spec(spec)
    if "readability" not in sys.modules:
        sys.modules["readability"] = module
        spec.loader.exec_module(module)
    from leaflets.localize import localize
    figures, _ = module.check(module.handout_sections(localize(loaded, "en")), module.load_terms())
    report = (REVIEWS / "readability.md").read_text(encoding="utf-8").split("## Content 2.0.0")[1]
    for figure in figures:
        row = re.search(rf"^\| {re.escape(figure['section'])}[^|]* \| (\S+)", report, re.M)
        assert row and row.group(1) == f"{figure['grade']:.1f}", figure
