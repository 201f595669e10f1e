"""Hostile presenter templates (:mod:`tests.hostile.templates`): refused in one line naming the
template and the part, or cleaned so that the deck carries nothing but what a deck needs.
Before issue 22 these gave decks with macros, DTDs, external links and 2 GB members, or an
"internal error" blamed on a catalog."""

from __future__ import annotations

import io
import os
import threading
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from lxml import etree
from pptx import Presentation

from leaflets.localize import localize
from leaflets.render.deck_template import DeckTemplate, TemplateError
from leaflets.render.pptx import render_deck
from leaflets.render.template_package import UnsafeTemplate, clean_template
from tests.conftest import run_cli
from tests.hostile import templates as T
from tests.render.test_pptx import _schema_errors, schemas  # noqa: F401 (a fixture)

RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"


def write(tmp_path, name: str, parts: dict) -> os.PathLike:
    path = tmp_path / f"{name}.pptx"
    path.write_bytes(T.package(parts))
    return path


@pytest.mark.parametrize("name, make, expected", T.REFUSED, ids=[c[0] for c in T.REFUSED])
def test_hostile_template_is_refused_naming_it_and_the_part(tmp_path, name, make, expected):
    path = write(tmp_path, name, make(T.members()))
    with pytest.raises(TemplateError) as caught:
        DeckTemplate(path)
    (diagnostic,) = caught.value.diagnostics
    assert diagnostic.file.endswith(f"{name}.pptx") and expected in diagnostic.message, str(diagnostic)
    assert "\n" not in diagnostic.message


@pytest.mark.parametrize("name", ["vba-project", "zip-bomb-member", "billion-laughs-theme"])
def test_hostile_template_through_the_command_line(tmp_path, name):
    _, make, expected = next(c for c in T.REFUSED if c[0] == name)
    path = write(tmp_path, name, make(T.members()))
    result = run_cli("build", "--locale", "en", "--format", "pptx", "--template", str(path),
                     "--out", str(tmp_path / "out"), "--quiet")
    assert result.returncode == 1 and "Traceback" not in result.stderr and "internal error" not in result.stderr
    assert f"{name}.pptx: " in result.stderr and expected in result.stderr, result.stderr
    assert not list((tmp_path / "out").rglob("*.pptx")) if (tmp_path / "out").exists() else True


def _external_targets(data: bytes) -> set[str]:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return {rel.get("Target") for name in package.namelist() if name.endswith(".rels")
                for rel in etree.fromstring(package.read(name)).iter(RELS) if rel.get("TargetMode") == "External"}


@pytest.mark.parametrize("name, make", T.CLEANED, ids=[c[0] for c in T.CLEANED])
def test_deck_on_a_cleaned_template_carries_only_what_a_deck_needs(tmp_path, loaded, schemas, name, make):  # noqa: F811
    path = write(tmp_path, name, make(T.members()))
    document = localize(loaded, "en")
    buffer = io.BytesIO()
    render_deck(document, buffer, template=path)
    data = buffer.getvalue()
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        names = package.namelist()
        types = package.read("[Content_Types].xml")
        assert not [n for n in names if any(word in n.lower() for word in (
            "customxml", "comment", "tags/", "vba", "activex", "thumbnail", ".bin"))], names
        assert all(n.endswith(".xlsx") for n in names if "embeddings/" in n)  # the deck's own chart data
        assert b"macroEnabled" not in types
        for member in names:
            if member.endswith((".xml", ".rels")):
                assert b"<!DOCTYPE" not in package.read(member) and b"<!ENTITY" not in package.read(member)
        if name == "logo-on-master":
            assert "ppt/media/logo.png" in names or any(n.startswith("ppt/media/") for n in names)
            assert b'ContentType="text/html"' not in types
    # the only links leaving the deck are the document's own (its references' DOIs and URLs)
    assert all(target.startswith("https://") for target in _external_targets(data)), _external_targets(data)
    assert _schema_errors(data, schemas) == []
    assert len(Presentation(io.BytesIO(data)).slides) > 5  # python-pptx reopens it


def test_layout_without_its_placeholder_is_the_templates_error(tmp_path):
    path = write(tmp_path, "no-content", T.without_content_placeholder(T.members()))
    result = run_cli("build", "--locale", "es", "--format", "pptx", "--template", str(path),
                     "--out", str(tmp_path / "out"), "--quiet")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "internal error" not in result.stderr and "es.po" not in result.stderr, result.stderr
    assert ("no-content.pptx: layout 'Title and Content' (used for Title and Content slides) has no obj or body "
            "placeholder") in result.stderr


def test_small_footer_box_of_a_4_3_template_is_the_templates_error(tmp_path):
    path = tmp_path / "office-4-3.pptx"
    Presentation().save(str(path))  # Office's stock 4:3 template: a 3.2 in footer box
    result = run_cli("build", "--locale", "de", "--format", "pptx", "--template", str(path),
                     "--out", str(tmp_path / "out"), "--quiet", env={"SOURCE_DATE_EPOCH": "1767225600"})
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "de.po" not in result.stderr and "shorten the translation" not in result.stderr, result.stderr
    assert "office-4-3.pptx: layout 'Title Slide': its 'Footer Placeholder 4' placeholder" in result.stderr
    assert "widen it" in result.stderr


def test_a_fifo_template_is_refused_without_reading(tmp_path):
    path = tmp_path / "pipe.pptx"
    os.mkfifo(path)
    done: list = []
    worker = threading.Thread(target=lambda: done.append(_open_error(path)), daemon=True)
    worker.start()
    worker.join(5)
    assert done and "not a regular file" in done[0]


def _open_error(path) -> str:
    try:
        DeckTemplate(path)
    except TemplateError as exc:
        return str(exc)
    return "opened"


def test_member_that_inflates_past_its_declared_size_is_refused():
    """A member whose header understates its size stops at the declared size, unread past it."""
    data = bytearray(T.package({**T.members(), "ppt/media/liar.png": b"\x00" * 100_000}, level=9))
    header = data.find(b"ppt/media/liar.png")  # the local header's name; sizes are in the central directory
    central = data.rfind(b"ppt/media/liar.png")
    assert header != central
    size_at = central - 46 + 24  # uncompressed size in the central directory entry
    data[size_at:size_at + 4] = (1000).to_bytes(4, "little")
    with pytest.raises(UnsafeTemplate, match="liar.png"):
        clean_template(bytes(data))


@settings(max_examples=25, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_any_damage_to_a_template_is_refused_or_cleaned(data):
    """Bytes changed anywhere in any member: a clean package or one sentence, never a crash."""
    parts = T.members()
    name = data.draw(st.sampled_from(sorted(parts)))
    blob = bytearray(parts[name])
    at = data.draw(st.integers(0, max(0, len(blob) - 1)))
    blob[at:at + 4] = data.draw(st.binary(min_size=1, max_size=4))
    parts[name] = bytes(blob)
    try:
        cleaned = clean_template(T.package(parts))
    except UnsafeTemplate as exc:
        assert "\n" not in str(exc)
        return
    with zipfile.ZipFile(io.BytesIO(cleaned)) as package:
        assert not [n for n in package.namelist() if n.startswith("ppt/slides/")]
