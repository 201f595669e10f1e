"""The renderer registry: the formats a build makes, and a new format as one registered renderer."""

from __future__ import annotations

import io
import json

import pytest

from leaflets.build import BuildFailed, Project, build
from leaflets.document import DECK, HANDOUT, Place
from leaflets.manifest import MANIFEST_NAME
from leaflets.plan import FORMATS, Target
from leaflets.preview import preview
from leaflets.progress import LineReporter
from leaflets.render.contract import PAPER, Excerpt, LayoutOverflow, Rendered, Renderer, standard_file_name
from leaflets.render.registry import UnknownFormat, formats, register, renderer_for, unregister

TOPIC = "atopic-dermatitis"


def test_the_built_in_formats():
    assert formats() == FORMATS == ("pdf", "pptx")
    handout, deck = renderer_for("pdf"), renderer_for("pptx")
    assert isinstance(handout, Renderer) and isinstance(deck, Renderer)
    assert (handout.output, handout.options) == (HANDOUT, (PAPER,))
    assert (deck.output, deck.options) == (DECK, ("template",))
    assert Target(TOPIC, "es", "pdf", "letter").name == f"es/{TOPIC}-handout-letter.pdf"
    assert Target(TOPIC, "es", "pptx").name == f"es/{TOPIC}-slides.pptx"


def test_an_unknown_format_is_a_clear_error(tmp_path):
    with pytest.raises(UnknownFormat, match=r"no renderer for format 'docx'; the formats are pdf, pptx"):
        renderer_for("docx")
    with pytest.raises(UnknownFormat, match="'docx'"):
        build(Project(), tmp_path / "out", locales=["en"], formats=["pdf", "docx"], reporter=quiet())
    assert not (tmp_path / "out").exists()  # refused before anything was read or written
    with pytest.raises(UnknownFormat):
        unregister("docx")


def test_only_a_renderer_with_a_new_name_is_registered():
    with pytest.raises(TypeError, match="not a renderer"):
        register(object())
    with pytest.raises(ValueError, match="'pdf' is already registered"):
        register(renderer_for("pdf"))


class NotesRenderer:
    """A test-only format: the handout's title and key message as plain text, one file per paper."""

    format = "notes"
    media_type = "text/plain"
    output = HANDOUT
    options = (PAPER,)

    def __init__(self):
        self.prepared: list[set[str]] = []

    def file_name(self, target) -> str:
        return standard_file_name(target, "notes", "txt")

    def prepare(self, locales, fonts):
        self.prepared.append(set(locales))

    def render(self, document, target, options, fonts) -> Rendered:
        if document.locale == "de":
            raise TooLong()
        text = f"{document.handout.title}\n{target.paper}\n"
        return Rendered(text.encode("utf-8"), 1, "page", ("a warning from the notes renderer",))

    def excerpt(self, document, target, places, options, memo, fonts) -> Excerpt:
        return Excerpt(", ".join(str(p) for p in places).encode("utf-8"), "page", (1,), 1)


class TooLong(LayoutOverflow):
    def __init__(self):
        super().__init__("the notes do not fit")


@pytest.fixture
def notes():
    renderer = register(NotesRenderer())
    try:
        yield renderer
    finally:
        unregister("notes")
    assert formats() == ("pdf", "pptx")


def quiet() -> LineReporter:
    return LineReporter(io.StringIO(), io.StringIO())


def test_a_registered_renderer_is_built_like_any_format(notes, tmp_path):
    """Registering a renderer is all a new format takes: planned, fingerprinted, rendered,
    written, recorded in the manifest and up to date the next time, by the unchanged build."""
    out = tmp_path / "out"
    assert "notes" in formats()
    result = build(Project(), out, locales=["en", "es"], formats=["notes"], papers=["a4", "letter"], jobs=1,
                   reporter=quiet())
    names = sorted(str(path.relative_to(out)) for path, _ in result.written)
    assert names == [f"{locale}/{TOPIC}-notes-{paper}.txt" for locale in ("en", "es") for paper in ("a4", "letter")]
    text = (out / "es" / f"{TOPIC}-notes-letter.txt").read_text(encoding="utf-8")
    assert text.endswith("\nletter\n") and "dermatitis" in text.casefold()
    assert notes.prepared == [{"en", "es"}]
    manifest = json.loads((out / MANIFEST_NAME).read_text(encoding="utf-8"))
    assert manifest["targets"][f"en/{TOPIC}-notes-a4.txt"]["summary"] == "1 page"
    again = build(Project(), out, locales=["en", "es"], formats=["notes"], papers=["a4", "letter"], jobs=1,
                  reporter=quiet())
    assert not again.written and len(again.up_to_date) == 4


def test_a_renderer_overflow_fails_only_its_targets(notes, tmp_path):
    out = tmp_path / "out"
    with pytest.raises(BuildFailed) as caught:
        build(Project(), out, locales=["en", "de"], formats=["notes"], papers=["a4"], jobs=1, reporter=quiet())
    messages = [str(d) for _, diagnostics in caught.value.result.failures for d in diagnostics]
    assert messages == ["locales/de.po: the notes do not fit"]
    assert [p.name for p in out.rglob("*.txt")] == [f"{TOPIC}-notes-a4.txt"]


def test_a_registered_renderer_previews(notes, tmp_path):
    echoed: list[str] = []
    result = preview(Project(), tmp_path, ["References"], locales=["en"], formats=["notes"], papers=["a4"],
                     echo=echoed.append)
    path = tmp_path / "en" / f"{TOPIC}-notes-a4.only.txt"
    assert [p for p, _ in result.written] == [path]
    assert str(Place(HANDOUT, "references")) in path.read_text(encoding="utf-8")
    assert any(line.endswith(f"{TOPIC}-notes-a4.only.txt (page 1 of 1)") for line in echoed), echoed
