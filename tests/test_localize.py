"""The localized document: golden files per locale, and what it must contain."""

from __future__ import annotations

from pathlib import Path

import pytest

from leaflets.build import load_translations
from leaflets.content.messages import iter_texts
from leaflets.i18n.labels import LABELS
from leaflets.document import BulletList, Callout, Heading, Paragraph, plain, to_json
from leaflets.errors import LeafletsError
from leaflets.i18n.catalog import Translations
from leaflets.localize import localize

GOLDEN = Path(__file__).parent / "golden"
GOLDEN_LOCALES = ["en", "es"]


def _document(project, loaded, tag):
    return localize(loaded, tag, load_translations(project, tag))


@pytest.mark.parametrize("tag", GOLDEN_LOCALES)
def test_golden_localized_document(project, loaded, tag, update_goldens):
    text = to_json(_document(project, loaded, tag))
    golden = GOLDEN / f"{tag}.json"
    if update_goldens:
        golden.write_text(text, encoding="utf-8")
    assert golden.exists(), f"missing {golden}; run pytest --update-goldens"
    assert text == golden.read_text(encoding="utf-8"), f"{tag} differs from {golden}; if intended, pytest --update-goldens"


def test_spanish_facts_are_formatted_by_babel(project, loaded):
    doc = _document(project, loaded, "es")
    text = " ".join(plain(b.text) for b in doc.handout.blocks if isinstance(b, (Paragraph, Callout)))
    assert "10,7\u00a0%" in text
    assert "17,8 millones" in text
    assert "12 semanas" in text
    bullets = " ".join(plain(b) for s in doc.deck.slides for b in s.bullets)
    assert "28 de marzo de 2017" in bullets
    assert doc.footer.reviewed.endswith("24 de noviembre de 2026")
    table = next(s.table for s in doc.deck.slides if s.table is not None)
    cells = [plain(c) for row in table.rows for c in row]
    assert any("2,5\u00a0×\u00a010⁷" in c and "5,0\u00a0×\u00a010⁷" in c for c in cells)
    assert doc.footer.page_label(1, 2) == "Página 1 de 2"


def test_english_document_structure(project, loaded):
    doc = _document(project, loaded, "en")
    headings = [plain(b.text) for b in doc.handout.blocks if isinstance(b, Heading)]
    assert headings == ["What is atopic dermatitis?", "Common signs and symptoms", "What causes it?",
                        "How is it treated?", "What about stem cell treatment?", "Talk to your doctor"]
    assert sum(isinstance(b, BulletList) for b in doc.handout.blocks) == 3
    assert doc.handout.key_message.tone == "important"
    kinds = [s.kind for s in doc.deck.slides]
    assert kinds[0] == "title" and kinds[-1] == "references" and "table" in kinds and "chart" in kinds
    assert all(s.notes for s in doc.deck.slides)
    # The plural sentence picks the 'other' form for 34 participants.
    assert any("34 adults" in plain(b.text) for b in doc.handout.blocks if isinstance(b, Paragraph))


def test_missing_translations_are_errors_not_silent_english(loaded):
    empty = Translations(file="locales/xx.po")
    with pytest.raises(LeafletsError) as caught:
        localize(loaded, "es", empty)
    messages = [d.message for d in caught.value.diagnostics]
    assert any("not in the catalog: 'umbilical cord blood' (used at content/atopic-dermatitis.yaml:" in m
               for m in messages)
    assert len(messages) == 12  # ten listed, one summary line, and how to preview with --allow-incomplete
    assert "--allow-incomplete" in messages[-1]
    # every content string, and every interface label except the two review-state ones
    # (an empty catalog without review headers counts as the source's own review state here)
    labels = {text for key, (text, _) in LABELS.items() if key not in ("draft_notice", "reviewed_by")}
    distinct = len({t.msgid for t in iter_texts(loaded.topic)} | labels)
    assert f"more missing translations ({distinct} in all)" in messages[-2]


def test_allow_incomplete_marks_english_fallback(loaded):
    doc = localize(loaded, "es", Translations(file="locales/xx.po"), allow_incomplete=True)
    assert doc.warnings
    assert doc.handout.key_message.text[0].lang == "en"
