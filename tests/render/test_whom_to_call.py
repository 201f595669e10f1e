"""Issue 18, item 3: the "get help" box says whom to call and when to go now, on page 1.

The independent review scored the handout's actionability low because the box named no
one to call and sat on page 2 in most handouts.  Every shipped locale on both papers is
checked on the session's build (``built``): the box's whom-to-call lines are on page 1.
"""

from __future__ import annotations

import re
import subprocess
import unicodedata

import pytest

from leaflets.build import PAPERS
from leaflets.document import Box, plain
from leaflets.engine import Engine

from tests.conftest import require_tool


def _squeeze(text: str) -> str:
    """Text without white space or the bidi marks poppler adds around right-to-left runs."""
    return "".join(ch for ch in re.sub(r"\s+", "", text) if unicodedata.category(ch) != "Cf")


def _get_help(document) -> Box:
    boxes = [b for b in document.handout.blocks if isinstance(b, Box) and b.tone == "get_help"]
    assert len(boxes) == 1
    return boxes[0]


def test_without_a_clinic_the_box_names_doctor_nurse_pharmacist_and_the_emergency_number(loaded):
    document = Engine().localize(loaded, "en")
    lines = [plain(line) for line in _get_help(document).contacts]
    assert lines == ["Who to call: your doctor, nurse or pharmacist.",
                     "In an emergency: call your local emergency number."]
    assert not any(ch.isdigit() for line in lines for ch in line)


def test_every_translation_names_whom_to_call(project, loaded, shipped):
    engine = Engine(project)
    for locale in shipped:
        box = _get_help(engine.localize(loaded, locale))
        assert len(box.contacts) == 2, locale
        assert box.contacts[0][0].bold and box.contacts[1][0].bold, locale  # "Who to call:" stands out


@pytest.mark.parametrize("paper", PAPERS)
def test_whom_to_call_is_on_page_1_in_every_locale(built, project, loaded, shipped, paper):
    require_tool("pdftotext")
    engine = Engine(project)
    for locale in shipped:
        box = _get_help(engine.localize(loaded, locale))
        pdf = built / locale / f"atopic-dermatitis-handout-{paper}.pdf"
        page1 = subprocess.run(["pdftotext", "-f", "1", "-l", "1", str(pdf), "-"], capture_output=True, text=True,
                               check=True).stdout
        for line in (box.title, *box.contacts):
            assert _squeeze(plain(line)) in _squeeze(page1), (locale, paper, plain(line))
