"""Clinic profiles (issue 18, item 1): a brand.yml file read, validated and turned into data.

Every bad value is an error at its line (never a traceback), a logo must be a PNG or JPEG
beside the brand file, and a brand colour too light for text is refused with the nearest
darker shade that passes.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from babel import Locale

from leaflets.clinic import (
    CLINIC_DENSITY, MAX_LOGO_BYTES, darkest_passing, load_profile, opening_hours, tint,
)
from leaflets.design import DEFAULT_DESIGN, WCAG_TEXT_CONTRAST, contrast
from leaflets.errors import LeafletsError
from tests.conftest import ROOT, run_cli

EXAMPLE = ROOT / "examples" / "riverside-clinic"


@pytest.fixture
def clinic(tmp_path) -> Path:
    """A copy of the example clinic to break."""
    folder = tmp_path / "clinic"
    shutil.copytree(EXAMPLE, folder)
    return folder


def _edit(folder: Path, old: str, new: str) -> Path:
    path = folder / "_brand.yml"
    text = path.read_text()
    assert old in text, old
    path.write_text(text.replace(old, new))
    return path


def _errors(path: Path) -> list[str]:
    with pytest.raises(LeafletsError) as caught:
        load_profile(path)
    return [str(d) for d in caught.value.diagnostics]


def _line_of(path: Path, text: str) -> int:
    return next(n for n, line in enumerate(path.read_text().splitlines(), 1) if text in line)


def test_the_example_clinic_is_read_into_data():
    profile = load_profile(EXAMPLE / "_brand.yml")
    assert (profile.id, profile.name, profile.short_name) == ("riverside", "Riverside Skin Clinic", "Riverside")
    assert profile.contacts.phone == "555-0100" and profile.contacts.emergency_number == "911"
    assert profile.leaflet_url == "https://riverside-skin.example.org/leaflets/eczema"
    assert profile.logo.kind == "png" and profile.logo.alt.startswith("Riverside Skin Clinic logo")
    assert dict(profile.colours)["accent"] == "#1D4E89"  # color.primary, through the palette name "river"
    design = profile.design()
    assert design.palette.accent == "#1D4E89" and design.palette.danger == "#A8321E"
    assert design.variant.densities[-1] == CLINIC_DENSITY
    assert design.digest() != DEFAULT_DESIGN.digest()


def test_the_example_brand_colours_keep_aa_contrast():
    palette = load_profile(EXAMPLE / "_brand.yml").design().palette
    for text, background in [("accent", "paper"), ("ink", "paper"), ("danger", "paper"), ("link", "paper"),
                             ("accent", "accent_tint"), ("danger", "danger_tint"), ("ink", "accent_tint"),
                             ("ink", "danger_tint")]:
        assert contrast(getattr(palette, text), getattr(palette, background)) >= WCAG_TEXT_CONTRAST, text


def test_opening_hours_are_formatted_by_cldr():
    contacts = load_profile(EXAMPLE / "_brand.yml").contacts
    assert opening_hours(contacts, Locale.parse("en"), "latn") == "Mon–Fri 8:00\u202fAM\u2009–\u20096:00\u202fPM"
    assert opening_hours(contacts, Locale.parse("es"), "latn") == "lun–vie 8:00–18:00"
    assert opening_hours(contacts, Locale.parse("ar"), "arab") == "الاثنين–الجمعة ٨:٠٠ ص\u2009–\u2009٦:٠٠ م"


def test_a_colour_too_light_for_text_is_refused_with_a_shade_that_passes(clinic):
    path = _edit(clinic, 'river: "#1D4E89"', 'river: "#7FB3D5"')
    [message] = _errors(path)
    assert f"_brand.yml:{_line_of(path, 'primary: river')}:" in message
    shade = darkest_passing("#7FB3D5", "#FFFFFF")
    assert "color.primary #7FB3D5 is used for titles, headings and links" in message
    assert f"nearest darker shade that passes is {shade}" in message
    assert contrast(shade, "#FFFFFF") >= WCAG_TEXT_CONTRAST > contrast("#7FB3D5", "#FFFFFF")


@pytest.mark.parametrize(("old", "new", "key", "expected"), [
    ("  short: Riverside", "  shrot: Riverside", "shrot:", "unknown key 'shrot'"),
    ('  phone: "555-0100"', '  phone: "555 0100"', "phone:", "String should match pattern"),
    ('  emergency_number: "911"', '  emergency_numbr: "911"', "emergency_numbr:", "unknown key 'emergency_numbr'"),
    ('      closes: "18:00"', '      closes: "07:00"', "closes:", "closes 07:00 is not after opens 08:00"),
    ("typography:\n  base: Noto Sans", "typography:\n  base: Comic Sans MS", "base: Comic",
     "'Comic Sans MS' is not a font leaflets ships"),
    ("  leaflet_url: https://", "  leaflet_url: http://", "leaflet_url:", "is not a web address leaflets prints"),
])
def test_a_wrong_key_or_value_is_an_error_at_its_line(clinic, old, new, key, expected):
    path = _edit(clinic, old, new)
    messages = _errors(path)
    assert any(f"_brand.yml:{_line_of(path, key)}:" in m and expected in m for m in messages), messages


def test_a_profile_needs_its_contacts_block(clinic):
    path = clinic / "_brand.yml"
    text = path.read_text()
    path.write_text(text[:text.index("# What brand.yml")])
    assert any("no 'leaflets:' block" in m for m in _errors(path))


@pytest.mark.parametrize(("name", "data", "expected"), [
    ("../outside.png", None, "is outside the brand file's folder"),
    ("logo.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>", "SVG logos are not drawn yet"),
    ("logo.png", b"GIF89a not a png", "is not a PNG or JPEG image"),
    ("logo.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 64, "cannot be used"),
    ("logo.png", b"\x89PNG\r\n\x1a\n" + b"\0" * (MAX_LOGO_BYTES + 1), "a logo may be at most"),
    ("https://example.org/logo.png", None, "never a web address"),
])
def test_a_logo_is_a_png_or_jpeg_beside_the_brand_file(clinic, name, data, expected):
    if data is not None:
        (clinic / name).write_bytes(data)
    else:
        (clinic.parent / "outside.png").write_bytes((clinic / "riverside-logo.png").read_bytes())
    path = _edit(clinic, "path: riverside-logo.png", f"path: {name}")
    messages = _errors(path)
    assert any(expected in m and "_brand.yml:" in m for m in messages), messages


def test_a_logo_without_alt_text_is_refused(clinic):
    path = clinic / "_brand.yml"
    text = path.read_text()
    start = text.index("      alt:")
    path.write_text(text[:start] + text[text.index("\n", start) + 1:])
    assert any("alt text" in m for m in _errors(path))


def test_hostile_yaml_is_refused_like_a_topic(clinic):
    path = clinic / "_brand.yml"
    path.write_text("meta: &a {name: x}\nother: *a\n")
    assert any("anchors and aliases are not allowed" in m for m in _errors(path))


def test_tints_are_light_enough_for_text():
    assert tint("#1D4E89", 0.1) == "#E8EDF3"
    assert contrast("#1D4E89", tint("#1D4E89", 0.1)) >= WCAG_TEXT_CONTRAST


def test_cli_reports_a_bad_brand_file_at_its_line_without_a_traceback(clinic, tmp_path):
    path = _edit(clinic, "  short: Riverside", "  shrot: Riverside")
    result = run_cli("build", "--brand", str(path), "--locale", "en", "--format", "pdf", "--paper", "a4",
                     "--out", str(tmp_path / "out"))
    assert result.returncode == 1, result.stderr
    assert f"_brand.yml:{_line_of(path, 'shrot:')}:" in result.stderr and "unknown key 'shrot'" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()


def test_cli_refuses_a_missing_brand_file(tmp_path):
    result = run_cli("build", "--brand", str(tmp_path / "nope.yml"), "--out", str(tmp_path / "out"))
    assert result.returncode == 2 and "--brand" in result.stderr and "no such file" in result.stderr


def test_a_logo_that_is_a_pipe_is_refused_without_waiting(clinic):
    import os
    os.mkfifo(clinic / "logo.png")
    path = _edit(clinic, "path: riverside-logo.png", "path: logo.png")
    assert any("a pipe (FIFO), not a file" in m for m in _errors(path))


def test_a_logo_link_out_of_the_folder_is_refused(clinic):
    secret = clinic.parent / "elsewhere.png"
    secret.write_bytes((clinic / "riverside-logo.png").read_bytes())
    (clinic / "link.png").symlink_to(secret)
    path = _edit(clinic, "path: riverside-logo.png", "path: link.png")
    assert any("is outside the brand file's folder" in m for m in _errors(path))


# ------------------------------------------- language-assistance notice (issue 18, item 6)
def test_the_notice_lists_the_clinic_languages_and_lifts_the_page_limit_to_3():
    from leaflets.clinic import TAGLINE_PAGE_LIMIT
    from leaflets.design import design_for_variant
    profile = load_profile(EXAMPLE / "_brand.yml")
    assert profile.taglines == ("en", "es", "zh-Hans", "ar", "vi", "ko", "ru")
    assert profile.language_help_phone == "555-0100"
    assert profile.design().page_limit == TAGLINE_PAGE_LIMIT == 3
    assert profile.design(design_for_variant(DEFAULT_DESIGN, "large-print")).page_limit == 12  # already lifted


def test_without_the_block_there_is_no_notice_and_two_pages(clinic):
    path = _edit(clinic, '  language_assistance:\n    phone: "555-0100"', "")
    profile = load_profile(path)
    assert profile.taglines == () and profile.design().page_limit == 2


def test_the_notice_without_languages_is_refused_at_its_line(clinic):
    path = _edit(clinic, "  languages: [en, es, zh-Hans, ar, vi, ko, ru]\n", "")
    [error] = _errors(path)
    assert f"_brand.yml:{_line_of(path, 'language_assistance:')}:" in error and "languages" in error


def test_a_listed_language_without_a_catalog_is_an_error_naming_it_at_its_line(clinic, loaded):
    from leaflets.engine import Engine
    path = _edit(clinic, "  languages: [en, es, zh-Hans, ar, vi, ko, ru]",
                 "  languages:\n    - es\n    - it\n    - qya")
    profile = load_profile(path)
    with pytest.raises(LeafletsError) as caught:
        Engine().localize(loaded, "en", clinic=profile)
    messages = [str(d) for d in caught.value.diagnostics]
    assert len(messages) == 2
    assert messages[0].startswith(f"{path.name}:{_line_of(path, '- it')}:") or \
        f"_brand.yml:{_line_of(path, '- it')}:" in messages[0]
    assert "'it'" in messages[0] and "it.po" in messages[0]
    assert f"_brand.yml:{_line_of(path, '- qya')}:" in messages[1] and "'qya'" in messages[1]


def test_the_notice_phone_must_be_a_phone_number(clinic):
    path = _edit(clinic, '  language_assistance:\n    phone: "555-0100"',
                 '  language_assistance:\n    phone: "call <b>us</b>"')
    [error] = _errors(path)
    assert f"_brand.yml:{_line_of(path, 'call <b>us</b>')}:" in error and "language_assistance.phone" in error
