"""Locale tags: case-insensitive, regional fallback, fonts by script."""

from __future__ import annotations

import pytest

from leaflets.i18n.locales import catalog_candidates, normalize_tag, script_of
from tests.i18n.test_workflow import TOPIC, cli, copy, pdf_text, slide_xml  # noqa: F401 - fixture


@pytest.mark.parametrize("given, canonical", [("pt-br", "pt-BR"), ("zh-hant", "zh-Hant"), ("ZH-HANS", "zh-Hans"),
                                              ("es_us", "es-US"), ("sr-latn-rs", "sr-Latn-RS")])
def test_tags_are_case_insensitive(given, canonical):
    assert normalize_tag(given) == canonical


def test_init_normalizes_the_tag(copy):
    result = cli(copy, "locales", "init", "pt-br")
    assert result.returncode == 0, result.stderr
    assert (copy / "locales" / "pt-BR.po").exists() and not (copy / "locales" / "pt-br.po").exists()
    assert '"Language: pt_BR\\n"' in (copy / "locales" / "pt-BR.po").read_text(encoding="utf-8") or \
        '"Language: pt-BR\\n"' in (copy / "locales" / "pt-BR.po").read_text(encoding="utf-8")


def test_build_accepts_any_case(copy):
    result = cli(copy, "build", "--locale", "ES", "--format", "pdf", "--paper", "a4", "--out", str(copy / "out"))
    assert result.returncode == 0, result.stderr
    assert (copy / "out" / "es" / f"{TOPIC}-handout-a4.pdf").exists()


def test_traditional_chinese_is_refused_with_the_reason(copy):
    result = cli(copy, "locales", "init", "zh-hant")
    assert result.returncode == 1
    assert ("zh-Hant is written in Traditional Chinese (Hant), and no font in assets/fonts draws it "
            "(Noto Sans SC lacks characters such as 膚, 濕 and 體)") in result.stderr
    assert not (copy / "locales" / "zh-Hant.po").exists()


def test_fonts_follow_the_script_not_the_language():
    assert (script_of("zh-Hans"), script_of("zh-Hant"), script_of("ko"), script_of("hi")) == \
        ("Hans", "Hant", "Kore", "Deva")
    assert catalog_candidates("es-US") == ["es-US", "es"]


def test_regional_locale_uses_the_language_catalog_with_regional_formats(copy):
    result = cli(copy, "build", "--locale", "es-US", "--out", str(copy / "out"))
    assert result.returncode == 0, result.stderr
    assert "Dermatitis atópica" in pdf_text(copy / "out" / "es-US" / f"{TOPIC}-handout-letter.pdf")  # es.po
    deck = " ".join(" ".join(slide_xml(copy / "out" / "es-US" / f"{TOPIC}-slides.pptx")).split())
    assert "31.8" in deck and "31,8" not in deck  # US decimal point; Spain writes 31,8 %
    assert 'lang="es-US"' in deck
