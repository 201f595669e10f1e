#!/usr/bin/env python3
"""Rebuild assets/fonts/ from the Noto fonts shipped in Debian packages.

Outputs (all TrueType 'glyf' outlines, no CFF, so ReportLab can embed them):

  NotoSans-{Regular,Bold,Italic,BoldItalic}.ttf   Latin (incl. Vietnamese), Greek, Cyrillic
  NotoSansArabic-{Regular,Bold}.ttf                Arabic
  NotoSansDevanagari-{Regular,Bold}.ttf            Devanagari (Hindi)
  NotoSansSC-{Regular,Bold}.ttf                    Simplified Chinese (converted CFF -> glyf, subset)
  NotoSansKR-{Regular,Bold}.ttf                    Korean Hangul (converted CFF -> glyf, subset)
  OFL.txt, README.md

Sources (Debian packages, must be installed):
  fonts-noto-core  /usr/share/fonts/truetype/noto/*.ttf
  fonts-noto-cjk   /usr/share/fonts/opentype/noto/NotoSansCJK-{Regular,Bold}.ttc

Only fontTools is used (pip install fonttools).  The output is deterministic:
the same input files and options give byte-identical fonts.  head.created and
head.modified are copied from the source font, or set from SOURCE_DATE_EPOCH
when that environment variable is set.

Typical use (from the repository root):

    python3 tools/fonts/build_fonts.py            # rebuild everything + verify
    python3 tools/fonts/build_fonts.py --only NotoSansSC-Regular.ttf
"""

from __future__ import annotations

import argparse
import concurrent.futures
import hashlib
import io
import os
import re
import subprocess
import sys
import time
from pathlib import Path

try:
    from fontTools import subset as ft_subset
    from fontTools import version as FONTTOOLS_VERSION
    from fontTools.misc.timeTools import epoch_diff
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import TTFont, newTable
    from fontTools.ttLib.tables._g_l_y_f import Glyph, GlyphCoordinates
except ImportError:  # pragma: no cover - environment problem
    sys.exit("build_fonts.py needs fontTools: pip install fonttools")

HERE = Path(__file__).resolve().parent
REPO_ROOT = HERE.parent.parent
sys.path.insert(0, str(REPO_ROOT))
from leaflets.resources import resources  # noqa: E402

DEFAULT_OUT = resources().fonts_dir.resolve()  # the folder leaflets reads its fonts from: assets/fonts/

NOTO_TTF_DIR = Path("/usr/share/fonts/truetype/noto")
NOTO_CJK_DIR = Path("/usr/share/fonts/opentype/noto")
PKG_CORE = "fonts-noto-core"
PKG_CJK = "fonts-noto-cjk"
COPYRIGHT_FILES = {
    PKG_CORE: Path("/usr/share/doc/fonts-noto-core/copyright"),
    PKG_CJK: Path("/usr/share/doc/fonts-noto-cjk/copyright"),
}

# cu2qu approximation tolerance in font units (UPM 1000): 1.0 is what
# fontTools' otf2ttf and fontmake use by default.
DEFAULT_MAX_ERR = 1.0

# OpenType features kept in the CJK subsets.  'locl' is deliberately left out:
# in Noto Sans CJK it maps every ideograph to its JP/KR/TC/HK regional form,
# which would more than double the glyph count (8k -> 14k for SC) for glyphs
# that are never used for zh-Hans / ko text.  The 'ljmo/vjmo/tjmo' conjoining
# jamo features are left out too (old-Hangul composition; HarfBuzz composes
# modern NFD jamo into the precomposed syllables that are all included).
CJK_FEATURES = [
    "ccmp", "kern", "palt", "halt", "chws",         # horizontal
    "vert", "vrt2", "vkrn", "vpal", "vhal", "vchw",  # vertical writing
]

# Characters outside GB2312 that occur in modern medical/pharmaceutical
# Chinese (e.g. 苯二氮䓬 benzodiazepine, 噁唑 oxazole).
SC_MEDICAL_SUPPLEMENT = "䓬噁"

# Latin glyph added when missing (Noto Sans 2.004 in Debian has no U+2212).
MINUS = 0x2212


# --------------------------------------------------------------------------
# Output specification
# --------------------------------------------------------------------------

def _ttf(out, src, pkg, script, add_minus=False):
    return dict(out=out, kind="ttf", src=NOTO_TTF_DIR / src, pkg=pkg,
                script=script, add_minus=add_minus)


def _cjk(out, src, psname, family, old_family, old_ps, new_ps, repertoire):
    return dict(out=out, kind="cjk", src=NOTO_CJK_DIR / src, pkg=PKG_CJK,
                psname=psname, family=family, old_family=old_family,
                old_ps=old_ps, new_ps=new_ps, repertoire=repertoire,
                script="Simplified Chinese" if repertoire == "sc" else "Korean")


SPECS = [
    _ttf("NotoSans-Regular.ttf", "NotoSans-Regular.ttf", PKG_CORE, "Latin/Greek/Cyrillic", True),
    _ttf("NotoSans-Bold.ttf", "NotoSans-Bold.ttf", PKG_CORE, "Latin/Greek/Cyrillic", True),
    _ttf("NotoSans-Italic.ttf", "NotoSans-Italic.ttf", PKG_CORE, "Latin/Greek/Cyrillic", True),
    _ttf("NotoSans-BoldItalic.ttf", "NotoSans-BoldItalic.ttf", PKG_CORE, "Latin/Greek/Cyrillic", True),
    _ttf("NotoSansArabic-Regular.ttf", "NotoSansArabic-Regular.ttf", PKG_CORE, "Arabic"),
    _ttf("NotoSansArabic-Bold.ttf", "NotoSansArabic-Bold.ttf", PKG_CORE, "Arabic"),
    _ttf("NotoSansDevanagari-Regular.ttf", "NotoSansDevanagari-Regular.ttf", PKG_CORE, "Devanagari"),
    _ttf("NotoSansDevanagari-Bold.ttf", "NotoSansDevanagari-Bold.ttf", PKG_CORE, "Devanagari"),
    _cjk("NotoSansSC-Regular.ttf", "NotoSansCJK-Regular.ttc", "NotoSansCJKsc-Regular",
         "Noto Sans SC", "Noto Sans CJK SC", "NotoSansCJKsc", "NotoSansSC", "sc"),
    _cjk("NotoSansSC-Bold.ttf", "NotoSansCJK-Bold.ttc", "NotoSansCJKsc-Bold",
         "Noto Sans SC", "Noto Sans CJK SC", "NotoSansCJKsc", "NotoSansSC", "sc"),
    _cjk("NotoSansKR-Regular.ttf", "NotoSansCJK-Regular.ttc", "NotoSansCJKkr-Regular",
         "Noto Sans KR", "Noto Sans CJK KR", "NotoSansCJKkr", "NotoSansKR", "kr"),
    _cjk("NotoSansKR-Bold.ttf", "NotoSansCJK-Bold.ttc", "NotoSansCJKkr-Bold",
         "Noto Sans KR", "Noto Sans CJK KR", "NotoSansCJKkr", "NotoSansKR", "kr"),
]


# --------------------------------------------------------------------------
# Character repertoires
# --------------------------------------------------------------------------

def _rng(a, b):
    return set(range(a, b + 1))


def _enumerate_dbcs(codec, leads, trails):
    out = set()
    for a in leads:
        for b in trails:
            try:
                s = bytes([a, b]).decode(codec)
            except UnicodeDecodeError:
                continue
            if len(s) == 1:
                out.add(ord(s))
    return out


def gb2312_chars():
    """All 7,445 characters of GB 2312 (6,763 hanzi + 682 symbols)."""
    return _enumerate_dbcs("gb2312", range(0xA1, 0xF8), range(0xA1, 0xFF))


def gbk_chars():
    """All 21,791 characters of GBK (20,902 URO hanzi + GB2312 + symbols)."""
    return _enumerate_dbcs("gbk", range(0x81, 0xFF), range(0x40, 0xFF))


def ksx1001_non_hanja():
    """KS X 1001 rows 1-12 (symbols, jamo, Roman numerals, Greek, box
    drawing, units, circled/parenthesised, kana, Cyrillic), via 'euc_kr'."""
    return _enumerate_dbcs("euc_kr", range(0xA1, 0xAD), range(0xA1, 0xFF))


COMMON = (
    _rng(0x0020, 0x007E)      # ASCII
    | _rng(0x00A0, 0x00FF)    # Latin-1 Supplement
    | _rng(0x2000, 0x206F)    # General Punctuation (whatever the font has)
    | _rng(0x3000, 0x303F)    # CJK Symbols and Punctuation
    | _rng(0xFF00, 0xFFEF)    # Halfwidth and Fullwidth Forms
    | _rng(0xFE10, 0xFE1F)    # Vertical Forms
    | _rng(0xFE30, 0xFE4F)    # CJK Compatibility Forms
    | {0xFFFD}
)


def repertoire(kind, sc_set="gb2312", sc_extra="", kr_extra=""):
    if kind == "sc":
        chars = set(COMMON)
        chars |= gb2312_chars() if sc_set == "gb2312" else gbk_chars()
        chars |= {ord(c) for c in SC_MEDICAL_SUPPLEMENT + sc_extra}
        return chars
    if kind == "kr":
        chars = set(COMMON)
        chars |= _rng(0xAC00, 0xD7A3)   # all 11,172 Hangul syllables
        chars |= _rng(0x3130, 0x318F)   # Hangul Compatibility Jamo
        chars |= ksx1001_non_hanja()
        chars |= {ord(c) for c in kr_extra}
        return chars
    raise ValueError(kind)


# --------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------

def die(msg):
    sys.exit("build_fonts.py: error: " + msg)


def check_sources(specs):
    missing = {}
    for s in specs:
        if not s["src"].is_file():
            missing.setdefault(s["pkg"], []).append(str(s["src"]))
    for pkg, path in COPYRIGHT_FILES.items():
        if any(s["pkg"] == pkg for s in specs) and not path.is_file():
            missing.setdefault(pkg, []).append(str(path))
    if missing:
        lines = ["missing source files:"]
        for pkg, files in sorted(missing.items()):
            lines += ["  %s  (Debian package %s)" % (f, pkg) for f in files]
        lines.append("install them with:  apt-get install -y %s"
                     % " ".join(sorted(missing)))
        die("\n".join(lines))


def deb_version(pkg):
    try:
        out = subprocess.run(["dpkg-query", "-W", "-f=${Version}", pkg],
                             capture_output=True, text=True, check=True)
        return out.stdout.strip() or "unknown"
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def open_cjk_face(path, psname):
    """Return the TTC face whose PostScript name is psname."""
    from fontTools.ttLib import TTCollection
    coll = TTCollection(str(path), lazy=True)
    for i, f in enumerate(coll.fonts):
        if f["name"].getDebugName(6) == psname:
            return TTFont(str(path), fontNumber=i, lazy=False)
    die("face %s not found in %s" % (psname, path))


def subset_font(font, unicodes, features, keep_hinting=False):
    opts = ft_subset.Options()
    opts.layout_features = features
    opts.layout_scripts = ["*"]
    opts.hinting = keep_hinting
    opts.glyph_names = False
    opts.legacy_kern = False
    opts.notdef_outline = True
    opts.recommended_glyphs = True
    opts.name_IDs = ["*"]
    opts.name_languages = ["*"]
    opts.name_legacy = False          # drop Mac-Roman duplicates of the names
    opts.prune_unicode_ranges = True
    opts.drop_tables = list(opts.drop_tables)  # DSIG etc. (invalid after edit)
    s = ft_subset.Subsetter(options=opts)
    if unicodes is None:
        s.populate(unicodes=font.getBestCmap().keys())
    else:
        s.populate(unicodes=unicodes)
    s.subset(font)


def cff_to_glyf(font, max_err=DEFAULT_MAX_ERR):
    """Convert CFF (cubic) outlines to TrueType quadratic 'glyf' outlines.

    Same approach as fontTools' Snippets/otf2ttf.py."""
    assert "CFF " in font, "not a CFF font"
    order = font.getGlyphOrder()
    gset = font.getGlyphSet()
    glyphs = {}
    for name in order:
        pen = TTGlyphPen(gset)
        # CFF contours are counter-clockwise, TrueType clockwise.
        gset[name].draw(Cu2QuPen(pen, max_err, reverse_direction=True))
        glyphs[name] = pen.glyph()

    font["loca"] = newTable("loca")
    glyf = font["glyf"] = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = glyphs
    del font["CFF "]
    if "VORG" in font:  # only meaningful with CFF outlines
        del font["VORG"]
    glyf.compile(font)

    hmtx = font["hmtx"]
    for name, g in glyf.glyphs.items():
        if hasattr(g, "xMin"):
            hmtx[name] = (hmtx[name][0], g.xMin)

    maxp = font["maxp"] = newTable("maxp")
    maxp.tableVersion = 0x00010000
    maxp.maxZones = 1
    maxp.maxTwilightPoints = 0
    maxp.maxStorage = 0
    maxp.maxFunctionDefs = 0
    maxp.maxInstructionDefs = 0
    maxp.maxStackElements = 0
    maxp.maxSizeOfInstructions = 0
    maxp.maxComponentElements = max(
        (len(g.components) for g in glyf.glyphs.values()
         if g.isComposite()), default=0)

    post = font["post"]
    post.formatType = 3.0  # no glyph names (CID fonts have only "cidNNNNN")
    post.extraNames = []
    post.mapping = {}
    font.sfntVersion = "\x00\x01\x00\x00"


def add_minus_from_plus(font):
    """Add U+2212 MINUS SIGN if absent, drawn as the horizontal arm of the
    font's own '+' with the same advance width.

    This is exactly how the upstream Noto design draws it (compare 'minus' in
    Noto Sans Math and Noto Sans Devanagari); Debian's Noto Sans 2.004 simply
    lacks the code point.  Returns True if a glyph was added."""
    cmap = font.getBestCmap()
    if MINUS in cmap:
        return False
    plus = cmap.get(0x2B)
    if plus is None:
        return False
    font.ensureDecompiled()
    glyf = font["glyf"]
    g = glyf[plus]
    if g.isComposite() or g.numberOfContours != 1:
        return False
    pts = list(g.getCoordinates(glyf)[0])
    xmin = min(x for x, _ in pts)
    xmax = max(x for x, _ in pts)
    ys_left = sorted(y for x, y in pts if x == xmin)
    ys_right = sorted(y for x, y in pts if x == xmax)
    if len(ys_left) != 2 or ys_left != ys_right:
        return False
    ybot, ytop = ys_left
    new = Glyph()
    new.numberOfContours = 1
    new.coordinates = GlyphCoordinates(
        [(xmin, ytop), (xmax, ytop), (xmax, ybot), (xmin, ybot)])  # clockwise
    new.flags = bytearray([1, 1, 1, 1])
    new.endPtsOfContours = [3]
    from fontTools.ttLib.tables import ttProgram
    new.program = ttProgram.Program()
    new.program.fromBytecode(b"")
    new.recalcBounds(glyf)

    name = "uni2212"
    order = list(font.getGlyphOrder())
    assert name not in order
    order.append(name)
    font.setGlyphOrder(order)
    glyf.glyphOrder = order
    glyf.glyphs[name] = new
    font["hmtx"].metrics[name] = (font["hmtx"][plus][0], xmin)
    for t in font["cmap"].tables:
        if t.isUnicode():
            t.cmap[MINUS] = name
    if "GDEF" in font and font["GDEF"].table.GlyphClassDef is not None:
        cd = font["GDEF"].table.GlyphClassDef.classDefs
        if plus in cd:
            cd[name] = cd[plus]
    os2 = font["OS/2"]
    os2.ulUnicodeRange2 |= 1 << (38 - 32)  # Mathematical Operators
    return True


def rename_cjk(font, spec):
    """'Noto Sans CJK SC' -> 'Noto Sans SC', 'NotoSansCJKsc-*' -> 'NotoSansSC-*'
    in every name record (all platforms / languages)."""
    for rec in font["name"].names:
        s = rec.toUnicode()
        t = s.replace(spec["old_family"], spec["family"]).replace(
            spec["old_ps"], spec["new_ps"])
        if rec.nameID == 4 and t == spec["family"]:
            t = spec["family"] + " Regular"
        if t != s:
            rec.string = t


def clean_version_string(font):
    """Drop the ttfautohint parameters from nameID 5: hinting was removed."""
    for rec in font["name"].names:
        if rec.nameID == 5:
            s = rec.toUnicode()
            t = re.sub(r";\s*ttfautohint \(.*$", "", s)
            if t != s:
                rec.string = t


def set_timestamps(font, src_head):
    sde = os.environ.get("SOURCE_DATE_EPOCH")
    if sde is not None:
        ts = int(sde) - epoch_diff  # Unix -> 1904-based
        font["head"].created = font["head"].modified = ts
    else:
        font["head"].created = src_head[0]
        font["head"].modified = src_head[1]


def save_deterministic(font, path):
    font.recalcTimestamp = False
    buf = io.BytesIO()
    font.save(buf)
    data = buf.getvalue()
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_bytes(data)
    tmp.replace(path)
    return data


# --------------------------------------------------------------------------
# Build one font (runs in a worker process)
# --------------------------------------------------------------------------

def build_one(spec, out_dir, opts):
    t0 = time.monotonic()
    out = Path(out_dir) / spec["out"]
    info = {"out": spec["out"]}
    if spec["kind"] == "ttf":
        font = TTFont(str(spec["src"]))
        src_head = (font["head"].created, font["head"].modified)
        info["src_glyphs"] = font["maxp"].numGlyphs
        subset_font(font, None, ["*"], keep_hinting=opts["keep_hinting"])
        if not opts["keep_hinting"]:
            clean_version_string(font)
        if spec["add_minus"] and opts["add_minus"]:
            info["added_minus"] = add_minus_from_plus(font)
    else:
        font = open_cjk_face(spec["src"], spec["psname"])
        src_head = (font["head"].created, font["head"].modified)
        info["src_glyphs"] = font["maxp"].numGlyphs
        chars = repertoire(spec["repertoire"], opts["sc_repertoire"],
                           opts["sc_extra"], opts["kr_extra"])
        subset_font(font, chars, CJK_FEATURES)
        cff_to_glyf(font, opts["max_err"])
        rename_cjk(font, spec)
    set_timestamps(font, src_head)
    data = save_deterministic(font, out)
    info["size"] = len(data)
    info["sha256"] = hashlib.sha256(data).hexdigest()
    info["seconds"] = time.monotonic() - t0
    return info


# --------------------------------------------------------------------------
# Licence and README
# --------------------------------------------------------------------------

def extract_debian_license(path, names=("OFL-1.1", "SIL-1.1")):
    """Return the body of the 'License: OFL-1.1' stand-alone paragraph of a
    DEP-5 copyright file, unwrapped from its one-space indentation."""
    text = path.read_text(encoding="utf-8")
    paras = re.split(r"\n\s*\n", text)
    for p in paras:
        lines = p.split("\n")
        m = re.match(r"License:\s*(\S+)\s*$", lines[0])
        if m and m.group(1) in names and len(lines) > 5:
            body = []
            for ln in lines[1:]:
                ln = ln[1:] if ln.startswith(" ") else ln
                body.append("" if ln == "." else ln)
            return "\n".join(body).strip("\n") + "\n"
    return None


def _norm(s):
    return " ".join(s.replace("-", " ").split()).lower()


def write_ofl(out_dir, copyrights):
    cjk = extract_debian_license(COPYRIGHT_FILES[PKG_CJK])
    core = extract_debian_license(COPYRIGHT_FILES[PKG_CORE])
    if not cjk or "SIL OPEN FONT LICENSE" not in cjk:
        die("could not find the OFL text in %s" % COPYRIGHT_FILES[PKG_CJK])
    # fonts-noto-core's copy is the same licence, only re-wrapped and without
    # the title banner; make sure that stays true.
    if core and _norm(core) not in _norm(cjk):
        die("OFL texts of %s and %s differ; check manually" % (PKG_CORE, PKG_CJK))
    head = [
        "The fonts in this directory are licensed under the SIL Open Font",
        "License, Version 1.1 (text below).  Copyright notices, as found in",
        "each font's 'name' table (nameID 0):",
        "",
    ]
    for notice, files in copyrights:
        head.append(notice)
        head.append("    applies to: " + ", ".join(files))
    head += [
        "",
        "Noto is a trademark of Google Inc.",
        "",
        "Licence text copied from /usr/share/doc/%s/copyright (Debian)." % PKG_CJK,
        "",
        "",
    ]
    (Path(out_dir) / "OFL.txt").write_text("\n".join(head) + cjk, encoding="utf-8")


def font_facts(path):
    f = TTFont(str(path), lazy=True)
    n = f["name"]
    cmap = f.getBestCmap()
    return dict(
        family=n.getDebugName(16) or n.getDebugName(1),
        style=n.getDebugName(17) or n.getDebugName(2),
        version=n.getDebugName(5),
        copyright=n.getDebugName(0),
        glyphs=f["maxp"].numGlyphs,
        cmap=len(cmap),
        tables=sorted(f.keys()),
        size=path.stat().st_size,
        sha256=hashlib.sha256(path.read_bytes()).hexdigest(),
    )


def _mb(n):
    return "%.2f MB" % (n / 1e6)


def write_readme(out_dir, specs, opts, facts, added_minus):
    sc = repertoire("sc", opts["sc_repertoire"], opts["sc_extra"], opts["kr_extra"])
    kr = repertoire("kr", opts["sc_repertoire"], opts["sc_extra"], opts["kr_extra"])
    hanzi = sum(1 for c in sc if 0x3400 <= c <= 0x9FFF)
    n_gb = len(gb2312_chars()) if opts["sc_repertoire"] == "gb2312" else len(gbk_chars())
    total = sum(v["size"] for v in facts.values())
    cmd = "python3 tools/fonts/build_fonts.py"
    extra_args = []
    if opts["sc_repertoire"] != "gb2312":
        extra_args.append("--sc-repertoire %s" % opts["sc_repertoire"])
    if opts["sc_extra"]:
        extra_args.append("--sc-extra '%s'" % opts["sc_extra"])
    if opts["kr_extra"]:
        extra_args.append("--kr-extra '%s'" % opts["kr_extra"])
    if not opts["add_minus"]:
        extra_args.append("--no-minus")
    if opts["keep_hinting"]:
        extra_args.append("--keep-hinting")
    if opts["max_err"] != DEFAULT_MAX_ERR:
        extra_args.append("--max-err %g" % opts["max_err"])
    if extra_args:
        cmd += " " + " ".join(extra_args)

    L = []
    L.append("# Bundled fonts")
    L.append("")
    L.append("Generated by `tools/fonts/build_fonts.py` — do not edit by hand.")
    L.append("")
    L.append("All fonts are from the Google **Noto** family, taken from Debian packages, "
             "and licensed under the SIL Open Font License 1.1 (see `OFL.txt`). "
             "Every file is TrueType (`glyf` outlines, no `CFF `), so ReportLab can "
             "embed it, and keeps its OpenType layout tables (GDEF/GSUB/GPOS) for "
             "shaping with HarfBuzz. Nothing here depends on fonts installed on "
             "the machine at run time.")
    L.append("")
    L.append("## Which font for which locale")
    L.append("")
    L.append("| locale | font files |")
    L.append("| --- | --- |")
    L.append("| en, es, fr, de, vi, ru (+ Greek) | `NotoSans-Regular/Bold/Italic/BoldItalic.ttf` |")
    L.append("| zh-Hans | `NotoSansSC-Regular/Bold.ttf` |")
    L.append("| ko | `NotoSansKR-Regular/Bold.ttf` |")
    L.append("| ar | `NotoSansArabic-Regular/Bold.ttf` (needs shaping: HarfBuzz) |")
    L.append("| hi | `NotoSansDevanagari-Regular/Bold.ttf` (needs shaping: HarfBuzz) |")
    L.append("")
    L.append("The Arabic and Devanagari fonts contain only a few Latin characters "
             "(digits and some punctuation); run Latin text in `NotoSans-*`. "
             "The SC and KR fonts contain ASCII, Latin-1 and their own Latin glyphs.")
    L.append("")
    L.append("## Files")
    L.append("")
    L.append("| file | family / style | version | source (Debian package) | glyphs | cmap | size | sha256 (first 16) |")
    L.append("| --- | --- | --- | --- | ---: | ---: | ---: | --- |")
    for s in specs:
        v = facts.get(s["out"])
        if not v:
            continue
        src = s["src"].name + (" (face %s)" % s["psname"] if s["kind"] == "cjk" else "")
        L.append("| `%s` | %s %s | %s | `%s` from `%s` %s | %d | %d | %s | `%s` |" % (
            s["out"], v["family"], v["style"], v["version"].split(";")[0],
            src, s["pkg"], deb_version(s["pkg"]), v["glyphs"], v["cmap"],
            "{:,} B".format(v["size"]), v["sha256"][:16]))
    L.append("")
    L.append("Total: **%s** (%s bytes) in %d font files." % (
        _mb(total), "{:,}".format(total), len(facts)))
    L.append("")
    L.append("## What was done to the upstream fonts")
    L.append("")
    L.append("All files are passed through `fontTools.subset` (fontTools %s) with: "
             "hinting removed (`hinting=False`; PDF viewers do not need TrueType "
             "hinting), glyph names dropped (`post` format 3), `DSIG` dropped, "
             "Mac-Roman name records dropped, all other name records kept "
             "(copyright, licence, trademark)." % FONTTOOLS_VERSION)
    L.append("")
    L.append("* **Noto Sans, Noto Sans Arabic, Noto Sans Devanagari** "
             "(`/usr/share/fonts/truetype/noto/`): already TrueType. The full "
             "character map of the upstream font is kept (no script subsetting) "
             "with all layout features (`layout_features=['*']`, all scripts). "
             "The ttfautohint parameters were removed from the version string "
             "(nameID 5) since the hinting was removed.")
    if added_minus:
        L.append("* **U+2212 MINUS SIGN added to Noto Sans** (all four styles). "
                 "Debian's Noto Sans 2.004 lacks it. The glyph is drawn as the "
                 "horizontal arm of the font's own `+` with the same advance "
                 "width, which is exactly how upstream Noto draws it (compare "
                 "`minus` in Noto Sans Math / Noto Sans Devanagari). Disable with "
                 "`--no-minus`.")
    L.append("* **Noto Sans SC / KR** (`/usr/share/fonts/opentype/noto/NotoSansCJK-{Regular,Bold}.ttc`, "
             "CFF-based OpenType collections): the faces `NotoSansCJKsc-*` and "
             "`NotoSansCJKkr-*` are extracted from the collections, subset to the "
             "repertoire below, then converted from CFF cubic to TrueType quadratic "
             "outlines with `fontTools.pens.cu2quPen.Cu2QuPen` + `TTGlyphPen` "
             "(max error %g font units at 1000 UPM, contours reversed to TrueType "
             "direction), `glyf`/`loca` built, `CFF ` and `VORG` dropped, `maxp` "
             "set to version 1.0, `post` to format 3 — the approach of fontTools' "
             "`otf2ttf` snippet. The names are changed from \"Noto Sans CJK SC/KR\" "
             "to \"Noto Sans SC/KR\" (nameIDs 1, 3, 4, 6, all languages), the names "
             "Google uses for its per-language subsets. Layout features kept: %s "
             "(not `locl`: it pulls the JP/KR/TC forms of every ideograph and doubles "
             "the file size)." % (opts["max_err"], ", ".join("`%s`" % f for f in CJK_FEATURES)))
    L.append("* `head.created`/`head.modified` are copied from the source font (or "
             "set from `SOURCE_DATE_EPOCH` if that is set), so a rebuild from the "
             "same packages gives byte-identical files (check the sha256 column).")
    L.append("")
    L.append("## CJK repertoire")
    L.append("")
    L.append("Both CJK fonts: ASCII (U+0020–007E), Latin-1 (U+00A0–00FF), General "
             "Punctuation (U+2000–206F, where the font has it), CJK Symbols and "
             "Punctuation (U+3000–303F), Halfwidth and Fullwidth Forms "
             "(U+FF00–FFEF), Vertical Forms (U+FE10–FE1F), CJK Compatibility Forms "
             "(U+FE30–FE4F), U+FFFD.")
    L.append("")
    if opts["sc_repertoire"] == "gb2312":
        L.append("* **SC**: all of **GB 2312** (%d characters = 6,763 hanzi + 682 "
                 "symbols, Pinyin letters, Greek, Cyrillic, kana, box drawing, "
                 "enumerated with Python's `gb2312` codec) plus medical characters "
                 "outside GB 2312: `%s`%s. %d code points requested, %d hanzi."
                 % (n_gb, SC_MEDICAL_SUPPLEMENT,
                    (" and `--sc-extra` `%s`" % opts["sc_extra"]) if opts["sc_extra"] else "",
                    len(sc), hanzi))
    else:
        L.append("* **SC**: all of **GBK** (%d characters incl. all 20,902 CJK Unified "
                 "Ideographs U+4E00–9FA5, via Python's `gbk` codec) plus `%s`%s. "
                 "%d code points requested, %d hanzi."
                 % (n_gb, SC_MEDICAL_SUPPLEMENT,
                    (" and `%s`" % opts["sc_extra"]) if opts["sc_extra"] else "",
                    len(sc), hanzi))
    L.append("* **KR**: all **11,172 precomposed Hangul syllables** (U+AC00–D7A3), "
             "Hangul Compatibility Jamo (U+3130–318F), and the non-Hanja part of "
             "**KS X 1001** (rows 1–12: symbols, circled/parenthesised Hangul and "
             "Latin, Roman numerals, Greek, Cyrillic, kana, box drawing, units; "
             "enumerated with Python's `euc_kr` codec)%s. No Hanja and no "
             "conjoining Jamo (U+1100–11FF). %d code points requested."
             % ((" plus `--kr-extra` `%s`" % opts["kr_extra"]) if opts["kr_extra"] else "",
                len(kr)))
    L.append("")
    L.append("Characters outside these sets (e.g. rare hanzi in personal names) are "
             "**not** in the fonts. To widen the set, rebuild with "
             "`--sc-repertoire gbk` (all 20,902 URO hanzi; about 7 MB per SC weight "
             "instead of about 2.2 MB) "
             "or add characters with `--sc-extra '…'` / `--kr-extra '…'`.")
    L.append("")
    L.append("## Known gaps (checked by `tools/fonts/verify_fonts.py`)")
    L.append("")
    L.append("* Noto Sans 2.004 has no Mathematical Operators block apart from the "
             "added U+2212: `≤ ≥ ≈ ≠ ∞` are not in `NotoSans-*`. They are in "
             "`NotoSansSC-*` (GB 2312 row 1, CJK-style glyphs). `± × ÷ ° µ` "
             "are in Noto Sans (Latin-1).")
    L.append("* Arrows and check marks (`→ ↑ ↓ ✓`): `→ ↑ ↓` are in "
             "`NotoSansSC-*`/`NotoSansKR-*`; `✓` is in none of the bundled fonts.")
    L.append("")
    L.append("## Reproduce")
    L.append("")
    L.append("```sh")
    L.append("apt-get install -y %s %s" % (PKG_CORE, PKG_CJK))
    L.append("pip install fonttools            # build-time only")
    L.append(cmd + "        # rebuilds assets/fonts/ and runs verify_fonts.py")
    L.append("python3 tools/fonts/verify_fonts.py  # coverage/table/ReportLab/HarfBuzz checks only")
    L.append("```")
    L.append("")
    L.append("Takes about half a minute on a 2-core machine (`--jobs`, default: "
             "number of CPUs). `python3 tools/fonts/build_fonts.py --help` lists "
             "the options.")
    L.append("")
    (Path(out_dir) / "README.md").write_text("\n".join(L), encoding="utf-8")


# --------------------------------------------------------------------------
# main
# --------------------------------------------------------------------------

def parse_args(argv=None):
    p = argparse.ArgumentParser(
        description="Rebuild assets/fonts/ (Noto TrueType fonts, OFL.txt, README.md) "
                    "from the Debian packages %s and %s using fontTools only."
                    % (PKG_CORE, PKG_CJK),
        epilog="Set SOURCE_DATE_EPOCH to stamp head.created/modified; otherwise "
               "the source fonts' timestamps are kept.  Output is deterministic.")
    p.add_argument("--out-dir", type=Path, default=DEFAULT_OUT,
                   help="output directory (default: %(default)s)")
    p.add_argument("--only", action="append", metavar="FILE",
                   choices=[s["out"] for s in SPECS],
                   help="build only this output file (repeatable); OFL.txt and "
                        "README.md are always rewritten")
    p.add_argument("--jobs", "-j", type=int, default=os.cpu_count() or 1,
                   help="parallel worker processes (default: %(default)s)")
    p.add_argument("--sc-repertoire", choices=["gb2312", "gbk"], default="gb2312",
                   help="hanzi set for Noto Sans SC (default: %(default)s)")
    p.add_argument("--sc-extra", default="", metavar="TEXT",
                   help="extra characters to keep in Noto Sans SC")
    p.add_argument("--kr-extra", default="", metavar="TEXT",
                   help="extra characters to keep in Noto Sans KR")
    p.add_argument("--max-err", type=float, default=DEFAULT_MAX_ERR,
                   help="cu2qu tolerance in font units (default: %(default)s)")
    p.add_argument("--no-minus", dest="add_minus", action="store_false",
                   help="do not add U+2212 MINUS SIGN to Noto Sans")
    p.add_argument("--keep-hinting", action="store_true",
                   help="keep TrueType hinting in the Noto Sans/Arabic/Devanagari "
                        "fonts (bigger files)")
    p.add_argument("--no-verify", dest="verify", action="store_false",
                   help="skip running verify_fonts.py after the build")
    return p.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    t_start = time.monotonic()
    specs = [s for s in SPECS if not args.only or s["out"] in args.only]
    check_sources(SPECS if not args.only else specs)
    args.out_dir.mkdir(parents=True, exist_ok=True)
    opts = dict(keep_hinting=args.keep_hinting, add_minus=args.add_minus,
                sc_repertoire=args.sc_repertoire, sc_extra=args.sc_extra,
                kr_extra=args.kr_extra, max_err=args.max_err)

    # Biggest jobs first so that the pool finishes evenly.
    order = sorted(specs, key=lambda s: {"kr": 0, "sc": 1}.get(s.get("repertoire"), 2))
    results = {}
    if args.jobs > 1 and len(order) > 1:
        with concurrent.futures.ProcessPoolExecutor(max_workers=args.jobs) as ex:
            futs = {ex.submit(build_one, s, str(args.out_dir), opts): s for s in order}
            for fut in concurrent.futures.as_completed(futs):
                info = fut.result()
                results[info["out"]] = info
                print("built %-32s %10s B  %5.1f s" % (info["out"], "{:,}".format(info["size"]),
                                                       info["seconds"]), flush=True)
    else:
        for s in order:
            info = build_one(s, str(args.out_dir), opts)
            results[info["out"]] = info
            print("built %-32s %10s B  %5.1f s" % (info["out"], "{:,}".format(info["size"]),
                                                   info["seconds"]), flush=True)

    # Licence + README describe every font present in out_dir.
    facts = {}
    for s in SPECS:
        path = args.out_dir / s["out"]
        if path.is_file():
            facts[s["out"]] = font_facts(path)
    copyrights = {}
    for s in SPECS:
        if s["out"] in facts:
            copyrights.setdefault(facts[s["out"]]["copyright"], []).append(s["out"])
    write_ofl(args.out_dir, sorted(copyrights.items()))
    added_minus = any(
        0x2212 in TTFont(str(args.out_dir / s["out"]), lazy=True).getBestCmap()
        for s in SPECS if s.get("add_minus") and s["out"] in facts) and args.add_minus
    write_readme(args.out_dir, SPECS, opts, facts, added_minus)
    total = sum(v["size"] for v in facts.values())
    print("wrote OFL.txt, README.md; %d fonts, total %s (%s B); build took %.1f s"
          % (len(facts), _mb(total), "{:,}".format(total), time.monotonic() - t_start))

    if args.verify:
        sys.path.insert(0, str(HERE))
        sys.dont_write_bytecode = True  # no __pycache__ in tools/fonts/
        import verify_fonts
        return verify_fonts.main(["--fonts-dir", str(args.out_dir)])
    return 0


if __name__ == "__main__":
    sys.exit(main())
