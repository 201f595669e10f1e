"""Cutting pages out of a finished handout (build --only): still valid, tagged and checkable."""

from __future__ import annotations

import datetime as dt
import io

import page as page_validation
import pdfplumber
import pdfua
import pikepdf
import pytest
from pypdf import PdfReader

from leaflets.build import load_translations
from leaflets.localize import localize
from leaflets.render.pdf import render_handout
from leaflets.render.pdfcut import keep_pages

FIXED_DATE = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)  # a reproducible date


@pytest.fixture(scope="module")
def handouts(project, loaded) -> dict[str, bytes]:
    out = {}
    for tag in ("de", "ar"):
        buffer = io.BytesIO()
        render_handout(localize(loaded, tag, load_translations(project, tag)), buffer, "a4", created=FIXED_DATE)
        out[tag] = buffer.getvalue()
    return out


def _texts(data: bytes) -> list[str]:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return [" ".join((page.extract_text() or "").split()) for page in pdf.pages]


def _referenced_pages(pdf) -> set:
    """Every page object the structure tree, the outline and the annotations point at."""
    found, seen = set(), set()

    def walk(obj):
        if isinstance(obj, pikepdf.Dictionary):
            if obj.is_indirect:
                if obj.objgen in seen:
                    return
                seen.add(obj.objgen)
            if obj.get("/Type") == pikepdf.Name.Page:
                found.add(obj.objgen)
                return
            for key in obj.keys():
                if key not in ("/Parent", "/P"):
                    walk(obj[key])
        elif isinstance(obj, pikepdf.Array):
            for item in obj:
                walk(item)

    walk(pdf.Root.StructTreeRoot)
    if "/Outlines" in pdf.Root:
        walk(pdf.Root.Outlines)
    return found


@pytest.mark.parametrize("tag", ["de", "ar"])
@pytest.mark.parametrize("keep", [[1], [2], [1, 2]])
def test_kept_pages_are_those_pages_and_stay_tagged(handouts, tag, keep, tmp_path):
    full = handouts[tag]
    cut = keep_pages(full, keep)
    assert _texts(cut) == [_texts(full)[n - 1] for n in keep]
    with pikepdf.open(io.BytesIO(cut)) as pdf:
        assert len(pdf.pages) == len(keep)
        assert pdf.check_pdf_syntax() == []
        assert _referenced_pages(pdf) <= {page.obj.objgen for page in pdf.pages}  # nothing left dangling
        labels = pdf.Root.PageLabels.Nums
        assert [int(labels[i + 1].St) for i in range(0, len(labels), 2)] == keep  # viewers show "2", not "1"
        assert str(pdf.Root.Lang) == tag and pdf.Root.MarkInfo.Marked
    reader = PdfReader(io.BytesIO(cut))
    assert len(reader.pages) == len(keep) and reader.pages[0].extract_text()
    path = tmp_path / "cut.pdf"
    path.write_bytes(cut)
    report = page_validation.validate_pdf(str(path), profile="ua1")
    assert [str(failure) for failure in report.failures] == []
    assert pdfua.validate(str(path)).exit_code == 0


def test_the_page_kept_alone_keeps_the_title_heading_empty(handouts):
    """Page 2 alone: its H2 headings still nest under the handout's H1, which keeps the title as
    ActualText (PDF/UA: no skipped heading level), and its bookmarks move up a level."""
    cut = keep_pages(handouts["de"], [2])
    with pikepdf.open(io.BytesIO(cut)) as pdf:
        document = pdf.Root.StructTreeRoot.K
        first = document.K[0]
        assert first.S == pikepdf.Name.H1 and len(first.K) == 0
        assert str(first.ActualText) == str(pdf.docinfo.Title)
        with pdf.open_outline() as outline:
            assert outline.root and all(item.destination[0].objgen == pdf.pages[0].obj.objgen
                                        for item in outline.root)


def test_pages_outside_the_document_are_refused(handouts):
    with pytest.raises(ValueError):
        keep_pages(handouts["de"], [3])
    with pytest.raises(ValueError):
        keep_pages(handouts["de"], [])
