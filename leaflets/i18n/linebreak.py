"""Where a PO string may wrap: the Unicode line breaking algorithm (UAX #14) as GNU gettext applies it.

GNU ``msgcat`` wraps long strings at line-break opportunities found by
libunistring's implementation of UAX #14 (Unicode 14 in libunistring 1.0),
so a catalog written by leaflets is line for line what GNU tools write only
if we find the same opportunities.  Breaking at spaces alone is not enough:
GNU also breaks after a hyphen, between a closing brace and a word, between
ideographs, and never before a closing bracket or a full stop.

:func:`break_opportunities` returns the positions where a line may end,
computed on the *escaped* text of a PO string (as GNU does): a break is
never placed inside an escape sequence (``\\"``), and a line always ends
after an escaped newline.  The classes (:func:`line_break_class`) cover what
catalogs contain: ASCII exactly, the punctuation of the scripts we ship
(CJK, Arabic, Devanagari), combining marks, Hangul and wide characters;
anything else is alphabetic, as in UAX #14.

>>> text = 'age {min}~{max} (years)'
>>> [text[:i] for i in break_opportunities(text)]
['age ', 'age {min}', 'age {min}~{max} ']
>>> chinese = '皮肤，干燥'
>>> [chinese[:i] for i in break_opportunities(chinese)]
['皮', '皮肤，', '皮肤，干']
"""

from __future__ import annotations

import unicodedata

# Line break classes (UAX #14) that the rules below distinguish.
AL, BA, BB, B2, CL, CM, CP, EX, GL, HY, ID, IN, IS, NS, NU, OP, PO, PR, QU, SP, SY, WJ, ZW = (
    "AL BA BB B2 CL CM CP EX GL HY ID IN IS NS NU OP PO PR QU SP SY WJ ZW".split())
H2, H3, JL, JV, JT = "H2 H3 JL JV JT".split()
HANGUL = {H2, H3, JL, JV, JT}

ASCII = {
    " ": SP, "!": EX, '"': QU, "$": PR, "%": PO, "'": QU, "(": OP, ")": CP, "+": PR, ",": IS, "-": HY, ".": IS,
    "/": SY, ":": IS, ";": IS, "?": EX, "[": OP, "\\": PR, "]": CP, "{": OP, "|": BA, "}": CL, "\t": BA,
}
SPECIAL = {
    "\u00a0": GL, "\u2007": GL, "\u202f": GL, "\u2011": GL, "\u034f": GL, "\u180e": GL,
    "\u200b": ZW, "\u2060": WJ, "\ufeff": WJ, "\u200d": CM, "\u200c": CM,
    "\u00ad": BA, "\u2010": BA, "\u2012": BA, "\u2013": BA, "\u2014": B2, "\u3000": BA,
    "\u0964": BA, "\u0965": BA,  # Devanagari danda and double danda
    "\u2024": IN, "\u2025": IN, "\u2026": IN, "\u22ef": IN, "\ufe19": IN,
    "\u00b4": BB, "\u02c8": BB, "\u02cc": BB,
    "\u00b0": PO, "\u2030": PO, "\u2031": PO, "\u2032": PO, "\u2033": PO, "\u2034": PO, "\u2035": PO,
    "\u2036": PO, "\u2037": PO, "\u066a": PO, "\u2103": PO, "\u2109": PO, "\uff05": PO, "\uffe0": PO,
    "\u00b1": PR, "\u2116": PR, "\u2212": PR, "\u2213": PR, "\uff04": PR, "\uffe1": PR, "\uffe5": PR, "\uffe6": PR,
    "\u060c": IS, "\u060d": IS, "\u066b": NU, "\u066c": NU, "\u061b": EX, "\u061f": EX, "\u06d4": EX,
    "\u3001": CL, "\u3002": CL, "\uff0c": CL, "\uff0e": CL, "\ufe10": IS, "\ufe11": CL, "\ufe12": CL,
    "\uff1a": NS, "\uff1b": NS, "\uff01": EX, "\uff1f": EX, "\u30fb": NS, "\uff65": NS, "\u30fc": NS,
    "\u3005": NS, "\u301c": NS, "\u309d": NS, "\u309e": NS, "\u30fd": NS, "\u30fe": NS, "\u303b": NS,
    "\u2044": IS, "\u2019": QU,
}
SMALL_KANA = set("ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶㇰㇱㇲㇳㇴㇵㇶㇷㇸㇹㇺㇻㇼㇽㇾㇿｧｨｩｪｫｬｭｮｯ")


def line_break_class(ch: str) -> str:
    """The UAX #14 class of ``ch`` (the subset catalogs need; AL by default)."""
    if ch in ASCII:
        return ASCII[ch]
    if ch < "\x80":
        return NU if ch.isdigit() else AL
    if ch in SPECIAL:
        return SPECIAL[ch]
    if ch in SMALL_KANA:
        return NS
    code = ord(ch)
    if 0xAC00 <= code <= 0xD7A3:
        return H2 if (code - 0xAC00) % 28 == 0 else H3
    if 0x1100 <= code <= 0x115F or 0xA960 <= code <= 0xA97C:
        return JL
    if 0x1160 <= code <= 0x11A7 or 0xD7B0 <= code <= 0xD7C6:
        return JV
    if 0x11A8 <= code <= 0x11FF or 0xD7CB <= code <= 0xD7FB:
        return JT
    category = unicodedata.category(ch)
    if category in ("Mn", "Mc", "Me"):
        return CM
    if category == "Nd":
        return NU
    if category == "Ps":
        return OP
    if category == "Pe":
        return CL
    if category in ("Pi", "Pf"):
        return QU
    if category == "Zs":
        return BA
    if category == "Sc":
        return PR
    if unicodedata.east_asian_width(ch) in ("W", "F"):
        return ID
    return AL


def _wide(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in ("W", "F")


def break_opportunities(escaped: str) -> list[int]:
    """Positions ``i`` (0 < i < len) of ``escaped`` where a line may end; always after an escaped newline.

    As GNU does, the classes are those of the escaped text's own characters
    (``\\t`` is a backslash and a letter), no line breaks inside an escape
    sequence or just before an escaped newline, and a line always ends after one.
    """
    n = len(escaped)
    if n < 2:
        return []
    classes = [line_break_class(ch) for ch in escaped]
    base = []  # LB9: X CM* is X; LB10: a combining mark with nothing to combine with is alphabetic
    for i, cls in enumerate(classes):
        if cls == CM:
            base.append(base[-1] if i and classes[i - 1] not in (SP, ZW) and base[-1] != SP else AL)
        else:
            base.append(cls)
    inside, before_newline, after_newline = set(), set(), mandatory_breaks(escaped)
    i = 0
    while i < n:
        if escaped[i] == "\\" and i + 1 < n:
            inside.add(i + 1)
            if escaped[i + 1] == "n":
                before_newline.add(i)
            i += 2
        else:
            i += 1
    found = []
    for i in range(1, n):
        if i in after_newline:
            found.append(i)
        elif i not in inside and i not in before_newline and not _line_start(classes, after_newline, i) \
                and _may_break(escaped, classes, base, i):
            found.append(i)
    return found


def _line_start(classes: list[str], after_newline: set[int], i: int) -> bool:
    """True if only spaces stand between the start of a line and ``i``: never break there
    (libunistring: "don't break at the beginning of a line", leading spaces included)."""
    j = i - 1
    while j >= 0 and classes[j] == SP:
        j -= 1
    return j < 0 or (j + 1) in after_newline


def mandatory_breaks(escaped: str) -> set[int]:
    """Positions of ``escaped`` right after an escaped newline: a line of a PO string ends there."""
    found, i = set(), 0
    while i < len(escaped):
        if escaped[i] == "\\" and i + 1 < len(escaped):
            if escaped[i + 1] == "n":
                found.add(i + 2)
            i += 2
        else:
            i += 1
    return found


def _may_break(text: str, classes: list[str], base: list[str], i: int) -> bool:
    """UAX #14 rules LB7-LB31 for the boundary before ``text[i]`` (pair form of LB25, no LB29), as libunistring."""
    b = classes[i]
    if b in (SP, ZW):  # LB7
        return False
    if b == CM and classes[i - 1] not in (SP, ZW):  # LB9
        return False
    b = base[i]
    a = base[i - 1]
    j = i - 1
    while j >= 0 and classes[j] == SP:  # the class before any spaces (for the "SP*" rules)
        j -= 1
    before_spaces = base[j] if j >= 0 else None
    if j >= 0 and classes[j] == ZW:  # LB8: ZW SP* ÷
        return True
    if b == WJ or a == WJ:  # LB11
        return False
    if a == GL:  # LB12
        return False
    if b == GL and a not in (SP, BA, HY):  # LB12a
        return False
    if b in (CL, CP, EX, IS, SY):  # LB13
        return False
    if before_spaces == OP:  # LB14
        return False
    if b == OP and before_spaces == QU:  # LB15
        return False
    if b == NS and before_spaces in (CL, CP):  # LB16
        return False
    if b == B2 and before_spaces == B2:  # LB17
        return False
    if a == SP:  # LB18
        return True
    if b == QU or a == QU:  # LB19
        return False
    if b in (BA, HY, NS) or a == BB:  # LB21
        return False
    if b == IN:  # LB22
        return False
    if (a == AL and b == NU) or (a == NU and b == AL):  # LB23
        return False
    if (a == PR and b == ID) or (a == ID and b == PO):  # LB23a
        return False
    if (a in (PR, PO) and b == AL) or (a == AL and b in (PR, PO)):  # LB24
        return False
    if (a, b) in NUMERIC:  # LB25 (pairs)
        return False
    if (a == JL and b in (JL, JV, H2, H3)) or (a in (JV, H2) and b in (JV, JT)) or (a in (JT, H3) and b == JT):
        return False  # LB26
    if (a in HANGUL and b == PO) or (a == PR and b in HANGUL):  # LB27
        return False
    if a == AL and b == AL:  # LB28
        return False
    # LB29 (IS × AL) is not applied: libunistring, and so GNU msgcat, breaks after "." or ","
    # before a letter ("2,5.IL-4" may wrap after the full stop), and catalogs must match GNU.
    if (a in (AL, NU) and b == OP and not _wide(text[i])) or (a == CP and b in (AL, NU) and not _wide(text[i - 1])):
        return False  # LB30
    return True  # LB31


NUMERIC = {(CL, PO), (CP, PO), (CL, PR), (CP, PR), (NU, PO), (NU, PR), (PO, OP), (PO, NU), (PR, OP), (PR, NU),
           (HY, NU), (IS, NU), (NU, NU), (SY, NU)}
