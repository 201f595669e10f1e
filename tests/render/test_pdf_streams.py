"""Issue 21: a handout's streams are compressed once, by qpdf in pdftags.finish, not first
by ReportLab (whose compression qpdf undid to compress again)."""
from __future__ import annotations

import datetime as dt
import io
import zlib
from pathlib import Path

import pikepdf

from leaflets import Engine
from leaflets.content.load import load_topic
from leaflets.render import pdftags, rlshim


def test_reportlab_compresses_nothing_and_every_stream_is_compressed_once(monkeypatch):
    engine = Engine()
    document = engine.localize(load_topic(Path(__file__).parents[1] / "content" / "minimal.yaml"), "en")
    compressed: list[int] = []
    original = zlib.compress
    monkeypatch.setattr(zlib, "compress", lambda data, *args, **kwargs: compressed.append(len(data))
                        or original(data, *args, **kwargs))
    encoded: list[int] = []  # texts ReportLab encodes to PDFDocEncoding a character at a time
    from reportlab.pdfbase import pdfdoc
    per_character = pdfdoc.pdfdocEnc
    monkeypatch.setattr(pdfdoc, "pdfdocEnc", lambda x: (encoded.append(len(x)) if isinstance(x, str) else None)
                        or per_character(x))
    tagged: list[bytes] = []
    finish = pdftags.finish
    monkeypatch.setattr("leaflets.render.pdf.finish", lambda data, *args: tagged.append(data) or finish(data, *args))
    data = engine.render(document, "pdf", paper="a4", created=dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)).data
    assert compressed == []  # ReportLab wrote pages, fonts and ToUnicode maps as they are
    assert encoded and max(encoded) < 1000  # names and short strings; page streams were bytes already
    with pikepdf.open(io.BytesIO(tagged[-1])) as drawn:  # what ReportLab handed to finish
        assert not [o for o in drawn.objects if isinstance(o, pikepdf.Stream) and "/Filter" in o]
    with pikepdf.open(io.BytesIO(data)) as pdf:
        streams = [o for o in pdf.objects if isinstance(o, pikepdf.Stream)]
        assert len(streams) > 5
        # each one Flate-compressed (by qpdf, once), except the XMP packet, which PDF/UA wants readable
        assert all(o.get("/Filter") == pikepdf.Name.FlateDecode for o in streams if o.get("/Type") != "/Metadata")


def test_a_page_stream_is_encoded_at_once_as_pdfdoc_encoding_would():
    from reportlab.pdfbase import pdfdoc
    ascii_text = "".join(chr(code) for code in range(128) if not 0x18 <= code <= 0x1F) * 3
    assert rlshim.pdfdoc_bytes(ascii_text) == pdfdoc.pdfdocEnc(ascii_text)
    for other in ("BT (\x18) Tj ET", "caf\u00e9", "\u0645"):  # left to ReportLab (which maps or refuses them)
        assert rlshim.pdfdoc_bytes(other) is other
    assert rlshim.pdfdoc_bytes(b"q Q") == b"q Q"


def test_a_font_subset_is_made_once_for_the_same_codes(monkeypatch):
    """The same document rendered again embeds the same subsets (its characters numbered
    alike): the font programs and ToUnicode CMaps are taken from the face's table, not made
    again, and the bytes are the same; the table is bounded, reported and emptied with the caches."""
    from leaflets.render.fontset import CACHE_SIZES, FontSet
    from leaflets.resources import resources
    fonts = FontSet(resources().fonts_dir)
    try:
        engine = Engine(fonts=fonts)
        document = engine.localize(load_topic(Path(__file__).parents[1] / "content" / "minimal.yaml"), "en")
        created = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)
        made: list = []
        original = rlshim._ORIGINAL_MAKE_SUBSET
        monkeypatch.setattr(rlshim, "_ORIGINAL_MAKE_SUBSET", lambda face, subset: made.append(subset)
                            or original(face, subset))
        mapped: list = []
        cmap = rlshim.to_unicode_cmap
        monkeypatch.setattr(rlshim, "to_unicode_cmap", lambda *args: mapped.append(args[0]) or cmap(*args))
        first = engine.render(document, "pdf", paper="a4", created=created).data
        subsets = len(made)
        assert subsets >= 2 and len(mapped) == subsets  # regular and bold at least
        assert engine.render(document, "pdf", paper="a4", created=created).data == first
        assert len(made) == len(mapped) == subsets
        entries, bound = fonts.cache_sizes()["font subsets"]
        assert entries == 2 * subsets and bound >= CACHE_SIZES["font subsets"]  # programs and CMaps
        fonts.clear_caches()
        assert fonts.cache_sizes()["font subsets"][0] == 0
        assert engine.render(document, "pdf", paper="a4", created=created).data == first
        assert len(made) == 2 * subsets
    finally:
        fonts.close()
