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
