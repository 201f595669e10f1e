#!/usr/bin/env python3
"""Check the bundled fonts in assets/fonts/.

For every font: glyph count, file size, TrueType outlines ('glyf', no 'CFF '),
layout tables (GDEF/GSUB/GPOS), family name, and that ReportLab can load and
embed it.  Then checks that sample strings for each locale are fully covered
by the cmap of the intended font, shapes the complex-script samples with
HarfBuzz (if uharfbuzz is installed) and lists, for information, common
handout symbols that a font lacks together with the bundled font that has them.

Exit status is 1 if any required check fails.  Needs fontTools; ReportLab and
uharfbuzz checks are skipped (with a note) when those packages are missing.
"""

from __future__ import annotations

import argparse
import io
import sys
import unicodedata
from pathlib import Path

from fontTools.ttLib import TTFont

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))
from leaflets.resources import resources  # noqa: E402

DEFAULT_DIR = resources().fonts_dir.resolve()  # the folder leaflets reads its fonts from: assets/fonts/

LATIN = ["NotoSans-Regular.ttf", "NotoSans-Bold.ttf",
         "NotoSans-Italic.ttf", "NotoSans-BoldItalic.ttf"]
ARABIC = ["NotoSansArabic-Regular.ttf", "NotoSansArabic-Bold.ttf"]
DEVA = ["NotoSansDevanagari-Regular.ttf", "NotoSansDevanagari-Bold.ttf"]
SC = ["NotoSansSC-Regular.ttf", "NotoSansSC-Bold.ttf"]
KR = ["NotoSansKR-Regular.ttf", "NotoSansKR-Bold.ttf"]
ALL = LATIN + ARABIC + DEVA + SC + KR

EXPECTED_FAMILY = {**{f: "Noto Sans" for f in LATIN},
                   **{f: "Noto Sans Arabic" for f in ARABIC},
                   **{f: "Noto Sans Devanagari" for f in DEVA},
                   **{f: "Noto Sans SC" for f in SC},
                   **{f: "Noto Sans KR" for f in KR}}

LATIN_SPECIALS = ("\u00D7\u2070\u00B9\u00B2\u00B3\u2074\u2075\u2076\u2077\u2078\u2079"
                  "\u00A0\u202F\u2013\u2014\u2022\u2019\u201C\u201D\u00AB\u00BB"
                  "\u2026\u2212")
ARABIC_SPECIALS = "".join(chr(c) for c in range(0x0660, 0x066D)) + "\u061F\u060C"
DEVA_SPECIALS = "\u0964\u0965" + "".join(chr(c) for c in range(0x0966, 0x0970))

# (label, text, fonts that must cover it completely)
REQUIRED = [
    ("en", "Atopic dermatitis is a chronic skin disease (eczema), 10.7% of children.", LATIN),
    ("es", "¿Qué es la dermatitis atópica? Año, niño, señal — «crónica».", LATIN),
    ("fr", "L’eczéma atopique : œdème, cœur, « français », Ç, à, ê, ï, ÿ.", LATIN),
    ("de", "Überempfindlichkeit ß", LATIN),
    ("vi", "Viêm da cơ địa là bệnh mạn tính", LATIN),
    ("ru", "Атопический дерматит — хроническое заболевание", LATIN),
    ("el", "Η ατοπική δερματίτιδα είναι χρόνια νόσος", LATIN),
    ("latin specials", LATIN_SPECIALS, LATIN),
    ("zh-Hans", "特应性皮炎是一种慢性皮肤病，常见于儿童。", SC),
    ("ko", "아토피 피부염은 만성 피부 질환입니다.", KR),
    ("ar", "التهاب الجلد التأتبي مرض جلدي مزمن ١٠٫٧٪", ARABIC),
    ("ar specials", ARABIC_SPECIALS, ARABIC),
    ("hi", "एटोपिक डर्मेटाइटिस एक पुरानी त्वचा की बीमारी है।", DEVA),
    ("hi specials", DEVA_SPECIALS, DEVA),
]

# Informational only: symbols that often occur in handouts.
NICE_TO_HAVE = [
    ("symbols", "±°µ‰≤≥≈≠∞→↑↓✓℃·", LATIN),
    ("symbols", "≤≥→％℃", SC),
    ("symbols", "≤≥→℃", KR),
]

# Samples shaped with HarfBuzz: (label, text, font, script, language, direction)
SHAPING = [
    ("ar", "التهاب الجلد التأتبي مرض جلدي مزمن ١٠٫٧٪", ARABIC, "Arab", "ar", "rtl"),
    ("hi", "एटोपिक डर्मेटाइटिस एक पुरानी त्वचा की बीमारी है।", DEVA, "Deva", "hi", "ltr"),
    ("vi", "Viêm da cơ địa là bệnh mạn tính", LATIN, "Latn", "vi", "ltr"),
    ("zh-Hans", "特应性皮炎是一种慢性皮肤病，常见于儿童。", SC, "Hani", "zh", "ltr"),
    ("ko", "아토피 피부염은 만성 피부 질환입니다.", KR, "Hang", "ko", "ltr"),
]


def cp(c):
    return "U+%04X %s" % (ord(c), unicodedata.name(c, "?"))


class Checker:
    def __init__(self, fonts_dir):
        self.dir = Path(fonts_dir)
        self.failures = []
        self.fonts = {}
        self.cmaps = {}

    def fail(self, msg):
        self.failures.append(msg)
        print("  FAIL: " + msg)

    def load(self):
        for name in ALL:
            p = self.dir / name
            if not p.is_file():
                self.fail("missing font file %s" % p)
                continue
            f = TTFont(str(p))
            self.fonts[name] = f
            self.cmaps[name] = f.getBestCmap()

    def fallback_for(self, ch, exclude=()):
        return [n for n in ALL if n in self.cmaps and n not in exclude
                and ord(ch) in self.cmaps[n]]

    def tables(self):
        print("== Fonts ==")
        print("%-32s %7s %10s %5s %4s %4s %4s %4s  %-22s %s" % (
            "file", "glyphs", "bytes", "glyf", "CFF", "GDEF", "GSUB", "GPOS",
            "family / style", "version"))
        total = 0
        for name, f in self.fonts.items():
            size = (self.dir / name).stat().st_size
            total += size
            n = f["name"]
            fam = n.getDebugName(16) or n.getDebugName(1)
            sty = n.getDebugName(17) or n.getDebugName(2)
            yn = lambda t: "yes" if t in f else "-"
            print("%-32s %7d %10s %5s %4s %4s %4s %4s  %-22s %s" % (
                name, f["maxp"].numGlyphs, "{:,}".format(size), yn("glyf"),
                yn("CFF "), yn("GDEF"), yn("GSUB"), yn("GPOS"),
                "%s / %s" % (fam, sty), (n.getDebugName(5) or "").split(";")[0]))
            if "glyf" not in f or "CFF " in f or "CFF2" in f:
                self.fail("%s: not TrueType-outline (glyf) only" % name)
            for t in ("GSUB", "GPOS", "GDEF"):
                if t not in f and name not in SC + KR:
                    self.fail("%s: missing %s" % (name, t))
            if fam != EXPECTED_FAMILY[name]:
                self.fail("%s: family %r, expected %r" % (name, fam, EXPECTED_FAMILY[name]))
            # restricted-licence (0x2), no-subsetting (0x100), bitmap-only (0x200)
            if f["OS/2"].fsType & 0x0302:
                self.fail("%s: restrictive fsType %#x" % (name, f["OS/2"].fsType))
            bold = "Bold" in name
            if bold != (f["OS/2"].usWeightClass >= 700) or bold != bool(f["head"].macStyle & 1):
                self.fail("%s: weight/macStyle does not match file name" % name)
        print("total: %s bytes (%.2f MB)" % ("{:,}".format(total), total / 1e6))

    def coverage(self):
        print("\n== Coverage (required) ==")
        for label, text, fonts in REQUIRED:
            for name in fonts:
                if name not in self.cmaps:
                    continue
                missing = sorted({c for c in text if ord(c) not in self.cmaps[name]})
                if missing:
                    for c in missing:
                        fb = self.fallback_for(c, exclude=fonts)
                        self.fail("%s: %s not in %s (fallback: %s)" % (
                            label, cp(c), name, ", ".join(fb) or "none bundled"))
            ok = all(ord(c) in self.cmaps.get(n, {}) for n in fonts for c in text)
            print("  %-15s %-4s %s" % (label, "ok" if ok else "FAIL", ", ".join(fonts)))

        print("\n== Coverage (informational: common handout symbols) ==")
        for label, text, fonts in NICE_TO_HAVE:
            name = fonts[0]
            if name not in self.cmaps:
                continue
            missing = [c for c in text if ord(c) not in self.cmaps[name]]
            if not missing:
                print("  %s: all of %s present" % (name, text))
            for c in missing:
                fb = self.fallback_for(c, exclude=fonts)
                print("  %s lacks %s -> %s" % (name, cp(c), ", ".join(fb) or "none bundled"))

    def reportlab(self):
        print("\n== ReportLab ==")
        try:
            from reportlab.pdfbase import pdfmetrics
            from reportlab.pdfbase.ttfonts import TTFont as RLTTFont
            from reportlab.pdfgen import canvas
        except ImportError:
            print("  skipped: reportlab not installed")
            return
        samples = {n: t for _, t, fonts in REQUIRED for n in fonts}
        for name in self.fonts:
            key = "verify-" + name[:-4]
            try:
                rl = RLTTFont(key, str(self.dir / name))
                pdfmetrics.registerFont(rl)
                buf = io.BytesIO()
                c = canvas.Canvas(buf)
                c.setFont(key, 12)
                c.drawString(40, 800, samples.get(name, "Noto"))
                c.save()
                print("  %-32s loads and embeds (PDF %s B)" % (name, "{:,}".format(len(buf.getvalue()))))
            except Exception as e:  # noqa: BLE001 - report any failure
                self.fail("ReportLab cannot use %s: %s: %s" % (name, type(e).__name__, e))

    def harfbuzz(self):
        print("\n== HarfBuzz shaping ==")
        try:
            import uharfbuzz as hb
        except ImportError:
            print("  skipped: uharfbuzz not installed")
            return
        for label, text, fonts, script, lang, direction in SHAPING:
            for name in fonts:
                if name not in self.fonts:
                    continue
                blob = hb.Blob.from_file_path(str(self.dir / name))
                font = hb.Font(hb.Face(blob))
                buf = hb.Buffer()
                buf.add_str(text)
                buf.script, buf.language, buf.direction = script, lang, direction
                hb.shape(font, buf, {})
                gids = [i.codepoint for i in buf.glyph_infos]
                notdef = gids.count(0)
                # Did GSUB do anything?  Compare with the plain cmap mapping.
                nominal = {self.fonts[name].getGlyphID(self.cmaps[name][ord(c)])
                           for c in text if ord(c) in self.cmaps[name]}
                substituted = sum(1 for g in gids if g not in nominal)
                note = "%d chars -> %d glyphs, %d substituted" % (len(text), len(gids), substituted)
                if notdef:
                    self.fail("%s with %s: %d .notdef glyphs" % (label, name, notdef))
                elif script in ("Arab", "Deva") and substituted == 0:
                    self.fail("%s with %s: no GSUB substitution happened" % (label, name))
                else:
                    print("  %-8s %-32s ok (%s)" % (label, name, note))

    def run(self):
        self.load()
        self.tables()
        self.coverage()
        self.reportlab()
        self.harfbuzz()
        print()
        if self.failures:
            print("%d check(s) FAILED" % len(self.failures))
            return 1
        print("all checks passed")
        return 0


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--fonts-dir", type=Path, default=DEFAULT_DIR,
                   help="directory with the fonts (default: %(default)s)")
    args = p.parse_args(argv)
    return Checker(args.fonts_dir).run()


if __name__ == "__main__":
    sys.exit(main())
