"""Fixtures shared by the render tests."""

from __future__ import annotations

import pytest


@pytest.fixture
def xpath_queries(monkeypatch) -> list[int]:
    """A one-item list counting python-pptx's XPath queries (``BaseOxmlElement.xpath``) from now on."""
    from pptx.oxml import xmlchemy
    queries = [0]
    xpath = xmlchemy.BaseOxmlElement.xpath

    def counted(self, *args, **kwargs):
        queries[0] += 1
        return xpath(self, *args, **kwargs)

    monkeypatch.setattr(xmlchemy.BaseOxmlElement, "xpath", counted)
    return queries


@pytest.fixture
def tiny_boxes_template(tmp_path):
    """A presenter's template (python-pptx's default) whose body placeholder (idx 1) is an eighth
    of its height on every layout: no slide's text fits it."""
    from pptx import Presentation
    prs = Presentation()
    for layout in prs.slide_layouts:
        for ph in layout.placeholders:
            if ph.placeholder_format.idx == 1:
                ph.height = ph.height // 8
    path = tmp_path / "tiny-boxes.pptx"
    prs.save(str(path))
    return path
