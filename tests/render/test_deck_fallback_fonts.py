"""Decks do not embed fonts: what a presenter without Noto sees (issue 20, item 7).

PowerPoint substitutes a font it has for Noto Sans: on Windows and macOS usually the theme's
or the system's default, Calibri or Arial.  Those fonts cannot be shipped, but fonts with
their metrics can be installed here (Debian's fonts-crosextra-carlito: Carlito has Calibri's
widths; fonts-liberation2: Liberation Sans has Arial's; .ci/run installs both).  Every text box
of the Latin, Cyrillic and Vietnamese decks is measured again with each in place of Noto Sans,
at the size the deck wrote: every box still holds its text.  The scripts whose fallbacks no
package here provides (Arabic: Arial; Devanagari: Nirmala UI or Mangal; Chinese: Microsoft
YaHei; Korean: Malgun Gothic) are not measured (README, "Slide decks")."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from pptx import Presentation

from leaflets.render.fonts import FONT_DIR
from leaflets.render.fontset import FontSet
from tests.render.test_pptx import DECK, _boxes_fit

# Where Debian installs them (LEAFLETS_FALLBACK_FONTS: more folders to look in, separated by ':')
FOLDERS = [Path("/usr/share/fonts"), *(Path(p) for p in os.environ.get("LEAFLETS_FALLBACK_FONTS", "").split(":") if p)]
FALLBACKS = {  # the stand-in: its files for Noto Sans's four styles
    "Calibri (Carlito)": ("Carlito-Regular.ttf", "Carlito-Bold.ttf", "Carlito-Italic.ttf", "Carlito-BoldItalic.ttf"),
    "Arial (Liberation Sans)": ("LiberationSans-Regular.ttf", "LiberationSans-Bold.ttf", "LiberationSans-Italic.ttf",
                                "LiberationSans-BoldItalic.ttf"),
}
NOTO_SANS = ("NotoSans-Regular.ttf", "NotoSans-Bold.ttf", "NotoSans-Italic.ttf", "NotoSans-BoldItalic.ttf")
LATIN_SCRIPT_DECKS = ("en", "de", "es", "fr", "ru", "vi")  # Latin and Cyrillic: Noto Sans draws them


def _find(name: str) -> Path | None:
    for folder in FOLDERS:
        found = next(iter(sorted(folder.rglob(name))), None) if folder.is_dir() else None
        if found is not None:
            return found
    return None


def _font_set(tmp_path: Path, files: tuple[str, ...]) -> FontSet:
    """The shipped fonts with Noto Sans's four files replaced by the stand-in's."""
    paths = [_find(name) for name in files]
    if None in paths:
        if os.environ.get("CI"):
            pytest.fail(f"{files[0]} is required in CI (.ci/run installs it)")
        pytest.skip(f"{files[0]} not installed")
    folder = tmp_path / files[0].split("-")[0]
    folder.mkdir()
    for font in FONT_DIR.iterdir():
        if font.suffix in (".ttf", ".otf"):
            shutil.copyfile(font, folder / font.name)
    for path, name in zip(paths, NOTO_SANS):
        shutil.copyfile(path, folder / name)
    return FontSet(folder)


@pytest.mark.parametrize("fallback", list(FALLBACKS))
def test_every_box_fits_in_the_fonts_powerpoint_substitutes(built, shipped, tmp_path, fallback):
    fonts = _font_set(tmp_path, FALLBACKS[fallback])
    problems = []
    for tag in LATIN_SCRIPT_DECKS:
        assert tag in shipped
        problems += _boxes_fit(Presentation(str(built / tag / DECK)), tag, False, fonts)
    assert problems == [], f"in {fallback}:\n" + "\n".join(problems)


def test_the_stand_ins_measure_differently_from_noto(tmp_path):
    """The check measures another font indeed: the same line is narrower in both stand-ins."""
    from leaflets.render.deck_fit import Measurer, Piece
    line = [Piece("Twice-weekly topical corticosteroid maintenance prevents flares")]
    noto = Measurer("en").width(line, 24)
    for fallback, files in FALLBACKS.items():
        other = Measurer("en", False, _font_set(tmp_path, files)).width(line, 24)
        assert other < noto * 0.97, (fallback, other, noto)
