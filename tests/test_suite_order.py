"""The suite's own schedule: the modules sent to the workers first still exist."""

from __future__ import annotations

from tests.conftest import HEAVY_FIRST, ROOT


def test_every_heavy_module_exists_once():
    """A renamed or split module leaves HEAVY_FIRST naming nothing, and its tests go back to the end."""
    assert len(set(HEAVY_FIRST)) == len(HEAVY_FIRST)
    assert [name for name in HEAVY_FIRST if not (ROOT / name).is_file()] == []
