"""``build --only``: preview one string on the pages and slides that show it."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pdfplumber
import pytest
from pptx import Presentation

from leaflets.build import Project, load_topics, load_translations
from leaflets.i18n.catalogs import catalog_bytes, open_catalog, write_atomic
from leaflets.preview import Strings, UnknownString, numbers_phrase
from tests.conftest import ROOT, run_cli
from tests.i18n.test_workflow import _swap_first_letter

TOPIC = "atopic-dermatitis"
HANDOUT_ONLY = ("if itching keeps anyone awake at night", "se il prurito tiene sveglio qualcuno di notte")
DECK_ONLY = ("Epidemiology and natural history", "Epidemiologia e storia naturale")
# shown on one slide of the deck only (DECK_ONLY names a slide's topic, which its slide does not show)
DECK_SHOWN = ("Barrier failure and type 2 inflammation reinforce each other",
              "Difetto di barriera e infiammazione di tipo 2 si rinforzano a vicenda")


# ------------------------------------------------------------------ resolving
@pytest.fixture(scope="module")
def german(project) -> Strings:
    return Strings.of(load_topics(project), load_translations(project, "de"))


def test_a_value_names_one_msgid(german):
    assert german.resolve(DECK_ONLY[0], "de") == DECK_ONLY[0]  # the exact msgid
    assert german.resolve("EPIDEMIOLOGY AND natural", "de") == DECK_ONLY[0]  # any case, a piece of it
    assert german.resolve("Keeps anyone   awake", "de") == HANDOUT_ONLY[0]  # white space folded
    assert german.resolve("nachts wach", "de") == HANDOUT_ONLY[0]  # a piece of the translation
    assert german.resolve("Epidemiologie und natürlicher Verlauf", "de") == DECK_ONLY[0]


def test_markup_and_whole_strings(german):
    marked = next(m for m in german.candidates if "<b>" in m)
    assert german.resolve(re.sub("</?b>", "", marked), "de") == marked  # typed without the tags
    # a whole string wins over the longer strings that contain it
    assert german.resolve("references", "de") == "References"


def test_an_ambiguous_value_lists_candidates_with_their_po_line(german):
    with pytest.raises(UnknownString) as caught:
        german.resolve("Juckreiz", "the de catalog")
    message = str(caught.value)
    assert message.startswith("--only 'Juckreiz' matches 3 strings of the de catalog")
    assert re.search(r"^  locales/de\.po:\d+: 'if itching keeps anyone awake at night' \('wenn der Juckreiz",
                     message, re.M)
    listing = r"matches \d+ strings .*\n(  locales/de\.po:\d+: .*\n){6}  \.\.\. and \d+ more"
    with pytest.raises(UnknownString, match=listing):
        german.resolve("the", "de")


def test_an_unknown_value_lists_the_closest(german):
    with pytest.raises(UnknownString, match=r"matches no string of de; the closest are:\n  locales/de\.po:\d+: "
                                            r"'if itching keeps anyone awake at night'"):
        german.resolve("itching keeps anyone awake at nite", "de")
    with pytest.raises(UnknownString, match="locales status --verbose"):
        german.resolve("qqqqqq", "de")
    with pytest.raises(UnknownString, match="give some of the text"):
        german.resolve("  ", "de")


def test_english_strings_point_at_the_content():
    project = Project()
    strings = Strings.of(load_topics(project), load_translations(project, "en"))
    assert re.fullmatch(r"content/atopic-dermatitis\.yaml:\d+", strings.candidates[DECK_ONLY[0]].where)
    assert strings.candidates["References"].where == "leaflets/i18n/labels.py"


def test_numbers_phrase():
    assert numbers_phrase("page", [2], 2) == "page 2 of 2"
    assert numbers_phrase("slide", [8, 7], 27) == "slides 7, 8 of 27"
    assert numbers_phrase("slide", [1, 2, 3, 5, 7, 8, 9, 10], 29) == "slides 1-3, 5, 7-10 of 29"


# ------------------------------------------------------------------ the command
@pytest.fixture(scope="module")
def italian(tmp_path_factory) -> Path:
    """A copy of the project with a new Italian catalog: every entry as the source (first letter's case
    swapped, so no check calls it untranslated), two translated."""
    copy = tmp_path_factory.mktemp("preview")
    shutil.copytree(ROOT / "content", copy / "content")
    shutil.copytree(ROOT / "locales", copy / "locales")
    assert cli(copy, "locales", "init", "it").returncode == 0
    po = copy / "locales" / "it.po"
    catalog = open_catalog(po, "it")
    own = dict([HANDOUT_ONLY, DECK_ONLY, DECK_SHOWN])
    for message in catalog:
        if message.plural:
            message.msgstr = tuple(_swap_first_letter(f) for f in (message.msgid,) + (message.msgid_plural,) * (
                len(message.msgstr) - 1))
        else:
            message.msgstr = (own.get(message.msgid) or _swap_first_letter(message.msgid),)
    write_atomic(po, catalog_bytes(catalog))
    return copy


def cli(copy: Path, *args: str):
    return run_cli("--content-dir", str(copy / "content"), "--locales-dir", str(copy / "locales"), *args, cwd=copy)


def page_texts(path: Path) -> list[str]:
    with pdfplumber.open(path) as pdf:
        return [" ".join((page.extract_text() or "").split()) for page in pdf.pages]


def slide_texts(path: Path) -> list[str]:
    """The text of every slide, read from its XML."""
    return [" ".join(t.text or "" for t in slide._element.iter("{*}t")) for slide in Presentation(str(path)).slides]


def test_preview_then_build(italian):
    out = italian / "out"
    folder = out / "it"
    handouts = [folder / f"{TOPIC}-handout-{paper}.only.pdf" for paper in ("a4", "letter")]
    deck = folder / f"{TOPIC}-slides.only.pptx"

    # a string only the handout shows: its pages, on both papers, and no deck
    shown = cli(italian, "build", "--locale", "it", "--out", str(out), "--only", "tiene sveglio")
    assert shown.returncode == 0, shown.stderr
    assert f"it: --only 'tiene sveglio' is {HANDOUT_ONLY[0]!r} (locales/it.po:" in shown.stdout
    assert "deck does not show" in shown.stdout and not deck.exists()
    cut = {}
    for path in handouts:
        match = re.search(rf"^wrote .*{re.escape(path.name)} \(page (\d) of (\d)\)$", shown.stdout, re.M)
        assert match, shown.stdout
        cut[path.name] = (int(match.group(1)), page_texts(path))
        assert len(cut[path.name][1]) == 1 and HANDOUT_ONLY[1] in cut[path.name][1][0]
    assert sorted(p.name for p in folder.iterdir()) == sorted(p.name for p in handouts)  # nothing else
    assert not (out / "leaflets-manifest.json").exists()

    # a string only the deck shows: its slide and the slides it continues on, and no handout
    shown = cli(italian, "build", "--locale", "it", "--out", str(out), "--only", DECK_SHOWN[0])
    assert shown.returncode == 0, shown.stderr
    match = re.search(r"^wrote .*slides\.only\.pptx \(slides? ([\d, -]+) of (\d+)\)$", shown.stdout, re.M)
    assert match, shown.stdout
    numbers = [int(n) for n in match.group(1).split(", ")]
    assert "handout does not show" in shown.stdout
    assert shown.stdout.count("(an earlier --only)") == 2  # the earlier preview's pages are gone
    assert not any(path.exists() for path in handouts)
    slides = slide_texts(deck)
    assert len(slides) == len(numbers) and all(DECK_SHOWN[1] in text for text in slides)

    # the normal build after it builds everything, as if no preview had run
    built = cli(italian, "build", "--locale", "it", "--out", str(out))
    assert built.returncode == 0, built.stderr
    assert "3 built, 0 up to date" in built.stdout
    full = folder / f"{TOPIC}-slides.pptx"
    full_slides = slide_texts(full)
    assert [n for n, text in enumerate(full_slides, 1) if DECK_SHOWN[1] in text] == numbers
    assert [full_slides[n - 1] for n in numbers] == slides  # the same slides
    assert int(match.group(2)) == len(full_slides)
    for paper in ("a4", "letter"):
        pages = page_texts(folder / f"{TOPIC}-handout-{paper}.pdf")
        page, texts = cut[f"{TOPIC}-handout-{paper}.only.pdf"]
        assert [n for n, text in enumerate(pages, 1) if HANDOUT_ONLY[1] in text] == [page]
        assert texts == [pages[page - 1]]
    assert deck.exists()  # the build leaves previews alone

    # a preview does not disturb the incremental build: the next build has nothing to do
    shown = cli(italian, "build", "--locale", "it", "--out", str(out), "--only", "storia naturale",
                "--format", "pdf", "--format", "pptx", "--paper", "letter")
    assert shown.returncode == 0, shown.stderr
    again = cli(italian, "build", "--locale", "it", "--out", str(out))
    assert again.returncode == 0 and "everything is up to date (3 files" in again.stdout, again.stdout


def test_paper_and_format_are_respected(italian, tmp_path):
    shown = cli(italian, "build", "--locale", "it", "--out", str(tmp_path), "--only", HANDOUT_ONLY[1],
                "--paper", "letter", "--format", "pdf")
    assert shown.returncode == 0, shown.stderr
    assert sorted(p.name for p in (tmp_path / "it").iterdir()) == [f"{TOPIC}-handout-letter.only.pdf"]
    assert "deck" not in shown.stdout  # the deck was not asked for
    shown = cli(italian, "build", "--locale", "it", "--out", str(tmp_path), "--only", HANDOUT_ONLY[1],
                "--format", "pptx")
    assert shown.returncode == 0, shown.stderr
    assert "deck does not show" in shown.stdout and "wrote" not in shown.stdout


@pytest.mark.parametrize("value, expected", [
    ("ITCH", r"matches \d+ strings of atopic-dermatitis or the it catalog; give more of the text"),
    ("prurito tiene sveglio tutti", r"matches no string of atopic-dermatitis or the it catalog; the closest are"),
])
def test_an_ambiguous_or_unknown_value_is_a_usage_error(italian, tmp_path, value, expected):
    result = cli(italian, "build", "--locale", "it", "--out", str(tmp_path), "--only", value)
    assert result.returncode == 2
    assert re.search(expected, result.stderr), result.stderr
    assert re.search(r"^  locales/it\.po:\d+: ", result.stderr, re.M)
    assert not (tmp_path / "it").exists()  # nothing rendered or written


def test_slide_counts_are_keyed_by_what_decides_them(project, loaded, tmp_path):
    """A slide's count is reused only while the slide, the text around it (footer, notices),
    the template, the design, the fonts and the generator are unchanged; a damaged file counts
    as empty."""
    from dataclasses import replace

    from leaflets.design import DEFAULT_DESIGN
    from leaflets.document import Span
    from leaflets.localize import localize
    from leaflets.preview import CACHE_NAME, PreviewMemo
    from leaflets.render.deck_renderer import slide_keys

    document = localize(loaded, "de", load_translations(project, "de"))
    memo = PreviewMemo(tmp_path)
    keys = slide_keys(memo, document, None, DEFAULT_DESIGN)
    assert len(set(keys)) == len(document.deck.slides)
    memo.learn(keys, {index: 1 for index in range(len(keys))})
    memo.save()
    again = PreviewMemo(tmp_path)
    assert again.known(keys) == {index: 1 for index in range(len(keys))}
    slides = list(document.deck.slides)
    slides[3] = replace(slides[3], title=(Span("Ein anderer Titel"),))
    edited = replace(document, deck=replace(document.deck, slides=tuple(slides)))
    changed = slide_keys(again, edited, None, DEFAULT_DESIGN)
    # a deck has one body and one table size, fitted to every slide: any slide decides every count
    assert not set(changed) & set(keys)
    assert slide_keys(again, document, None, DEFAULT_DESIGN) == keys
    noticed = replace(document, footer=replace(document.footer, notice=("Entwurf",)))
    assert not set(slide_keys(again, noticed, None, DEFAULT_DESIGN)) & set(keys)
    template = ROOT / "tests" / "render" / "templates" / "renamed-layouts.pptx"
    assert not set(slide_keys(again, document, template, DEFAULT_DESIGN)) & set(keys)
    larger = DEFAULT_DESIGN.updated({"type": {"deck": {"body_space_after": 12}}})
    assert not set(slide_keys(again, document, None, larger)) & set(keys)
    (tmp_path / CACHE_NAME).write_text("{not json", encoding="utf-8")
    assert PreviewMemo(tmp_path).known(keys) == {}
