"""The fonts of one folder as the renderers use them, with one lock and bounded caches.

Why this exists.  ReportLab keeps fonts in a process-wide registry by name, and
a registered TrueType font is mutable shared state: HarfBuzz shaping adds
private code points to its face, the PDF text layer adds codes of its own
(:func:`leaflets.render.rlshim.glyph_code`), and writing a document's font
subsets reads the font file through a cursor kept on the face.  fontTools
fonts opened lazily load their tables on first use.  Six threads rendering in
one process crashed on exactly these (``KeyError: 'glyph00564'``, a fontTools
``AttributeError``) and every cache derived from fonts grew without bound.

So a :class:`FontSet` owns everything derived from the font files of one
folder:

* the ReportLab fonts, registered under names of its own (two font sets never
  share a face), each file parsed once (a family whose italic is its regular
  file shares that font, as ReportLab would);
* the fontTools views (cmaps for the glyph preflight, metrics for the deck,
  outlines for marks drawn as paths), each file opened once;
* the caches of shaped text, widths, line breaks, bidi levels, glyph
  clusters, text-showing operators and glyph outlines, each a
  least-recently-used cache with a stated bound (:data:`CACHE_SIZES`), and
  each stack's coverage classes (bounded by the characters the fonts and
  texts hold);
* one lock, held by everything that mutates a face or reads it through its
  cursor (shaping, private codes, subsetting, lazy fontTools tables).

Its configuration (folder, families, font names) never changes once made;
what grows inside is bounded.  An :class:`~leaflets.engine.Engine` holds one:
by default the process-wide font set of the shipped fonts (:func:`shipped_fonts`),
so a process parses them once; ``FontSet(folder)`` makes another, and
:meth:`FontSet.close` (or dropping the last reference) hands its fonts back.

Text-layout functions get a font by its registered name; :func:`fonts_of`
finds the font set that registered it.
"""

from __future__ import annotations

import io
import itertools
import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from leaflets.lru import Memo
from leaflets.resources import MissingResource, resources

# The bound of each cache (entries; least recently used go first).  Sizes are
# chosen so that one build of every shipped locale fits: the ten languages use
# some 12 000 distinct shaped strings; an outline is a mark or a citation digit.
CACHE_SIZES = {
    # Shaping does not depend on the size (advances are in 1/1000 em): shaped text, clusters
    # and chunks are keyed without it and a width is its size-free advance scaled.
    "shape": 20_000,  # (text, font) -> HarfBuzz-shaped text
    "width": 20_000,  # (text, font) -> advance in 1/1000 em; (text, font, size) -> unshaped width
    "clusters": 20_000,  # (text, font, source) -> glyph clusters (pdftext)
    "chunks": 20_000,  # (text, font, source) -> the clusters as text-showing chunks (pdftext)
    "shown": 20_000,  # (subset bytes, glyph data, size, rise) -> text-showing operators (pdftext._shown)
    "laid out": 20_000,  # (text, font, source) -> clusters with their pen positions; their marks (pdftext)
    "writing": 20_000,  # (logical text, bidi level, character before) -> how a right-to-left piece is written (pdftext)
    # (piece, font, size, place, reading state, font's name in the document) -> the piece's text object and the
    # splitString calls it made (pdftext._reading_stream; valid while those calls give the same codes)
    "written": 8_192,
    # (piece, font, size, leading, font's name in the document, its splitString) -> the operators
    # showing a left-to-right piece, relative to the pen (pdftext._shown_piece)
    "shown pieces": 20_000,
    "runs": 20_000,  # (stack, text, previous family) -> its runs of one family (FontSet.font_runs)
    "lines": 4_096,  # (text, segments, their fonts, sizes and rises, width) -> where its lines break (textlayout)
    "bidi": 8_192,  # (line text, direction) -> its runs of one bidi level (textlayout.level_runs)
    # per face: a subset's codes -> its font program (rlshim._make_subset; a CJK one some 40 KB) and its ToUnicode CMap
    "font subsets": 64,
    "outline": 4_096,  # (font, glyph id) -> path operators
    # the decks this set measures: itemized paragraphs (deck_fit.itemized_paragraphs; a deck has some
    # 200, all locales some 2,000), texts cut by font (slides.context.kept_segments; a deck writes some
    # 400 runs), parsed templates (deck_template.parsed_templates; a build uses one a design and template)
    "paragraphs": 4_096,
    "segments": 4_096,
    "templates": 8,
    "density": 64,  # a handout document -> the density it is set at (pdf.choose_density)
    "measured": 4,  # handout stories measured for the density and not drawn yet (pdf.fill, pdf._build)
}

_SERIAL = itertools.count(1)
_OWNERS: "weakref.WeakValueDictionary[str, FontSet]" = weakref.WeakValueDictionary()  # font name -> its set


class UnknownFont(LookupError):
    """A font name no font set registered (drawn outside a :class:`FontSet`)."""


@dataclass(frozen=True)
class PdfFonts:
    """ReportLab font names registered for one family (bold/italic mapped)."""

    regular: str
    bold: str
    italic: str
    bold_italic: str


class FontSet:
    """The font files of ``folder`` as ReportLab, HarfBuzz and fontTools see them (see the module).

    Safe to share between threads.  Fonts are parsed when a family is first
    asked for, so a build of Latin locales never reads the Chinese fonts.
    """

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self.lock = threading.RLock()
        self._serial = next(_SERIAL)
        self._families: dict = {}  # Family -> PdfFonts
        self._by_file: dict[Path, tuple[str, object]] = {}  # font file -> (name, ReportLab TTFont)
        self._names: list[str] = []  # registered with ReportLab; handed back by close()
        self._coverage: dict[str, frozenset[int]] = {}
        self._extents: dict[str, tuple[float, float]] = {}
        self._outline_fonts: dict[str, object] = {}  # font name -> fontTools TTFont of its program
        self._caches: dict[Callable, Callable] = {}
        self._classes: dict[tuple, tuple] = {}  # stack -> (coverage classes, patterns), see _font_classes
        self._runs: OrderedDict = OrderedDict()  # (stack, text, previous) -> run_families(), least recent first
        self._memos: dict[str, Memo] = {}  # kind -> a bounded cache whose entries the caller validates
        self._closed = False
        self._finalizer = weakref.finalize(self, _hand_back, self._names)

    def __repr__(self) -> str:
        return f"FontSet({str(self.folder)!r}, #{self._serial})"

    def __copy__(self) -> FontSet:
        return self

    def __deepcopy__(self, memo) -> FontSet:
        """The set itself: copying a flowable (ReportLab deep-copies a paragraph to try a
        split) must copy its text, not its fonts, lock and caches."""
        return self

    # ------------------------------------------------------------ files
    def path(self, filename: str) -> Path:
        """The path of a font file of this set; a missing file is a one-line error naming it."""
        path = self.folder / filename
        if not path.is_file():
            raise MissingResource(path, f"the font {filename}")
        return path

    def coverage(self, filename: str) -> frozenset[int]:
        """Code points a font file maps to glyphs (its cmap), read with fontTools once."""
        found = self._coverage.get(filename)
        if found is None:
            from fontTools.ttLib import TTFont as FontToolsFont
            with self.lock:
                found = self._coverage.get(filename)
                if found is None:
                    with FontToolsFont(str(self.path(filename)), lazy=True) as font:
                        found = self._coverage[filename] = frozenset(font["cmap"].getBestCmap())
        return found

    def family_covering(self, stack, char: str):
        """The first family of ``stack`` that has a glyph for ``char`` (regular and bold), or None."""
        code = ord(char)
        for family in stack:
            if code in self.coverage(family.regular) and code in self.coverage(family.bold):
                return family
        return None

    def run_families(self, stack, text: str, previous):
        """The family of each character of ``text`` set in ``stack`` after a character in
        ``previous`` (None at a block's start), and the last one: ``(families, last)``.
        The per-character form of :meth:`font_runs` (for checks; layout uses the runs)."""
        spans, last = self.font_runs(stack, text, previous)
        families: list = []
        start = 0
        for end, family in spans:
            families += [family] * (end - start)
            start = end
        return tuple(families), last

    def font_runs(self, stack, text: str, previous):
        """The runs of ``text`` set in one family of ``stack`` after a character in ``previous``
        (None at a block's start): ``(((end, family), ...), last family)``, a run ending
        where the next begins.

        Each character takes the first family of the stack that covers it; spaces,
        punctuation and European digits stay in the previous character's family where
        it covers them (see :func:`~leaflets.render.textlayout.takes_neighbour_font`);
        a character no family covers is drawn in the first (the preflight reports it).
        The runs are found with regular expressions over the text's coverage classes
        (:meth:`_font_classes`), one step per change of family, not per character.
        Cached by run text: a paragraph is laid out at several sizes and widths."""
        key = (stack, text, previous)
        runs = self._runs
        found = runs.get(key)
        if found is not None:
            try:
                runs.move_to_end(key)
            except KeyError:  # dropped by another thread meanwhile
                pass
            return found
        found = self._runs_of(stack, text, previous)
        with self.lock:
            runs[key] = found
            while len(runs) > CACHE_SIZES["runs"]:
                runs.popitem(last=False)
        return found

    def _runs_of(self, stack, text: str, previous):
        if previous is not None and previous not in stack:  # a family of another stack before
            return self._runs_by_character(stack, text, previous)
        classes, keeps = self._font_classes(stack)
        coded = text.translate(classes)
        spans: list[list] = []
        current = None if previous is None else stack.index(previous)
        at, length = 0, len(text)
        while at < length:
            if current is not None:
                kept = keeps[current].match(coded, at).end()
                if kept > at:
                    if spans and spans[-1][1] == current:
                        spans[-1][0] = kept
                    else:
                        spans.append([kept, current])
                    at = kept
                    continue
            # the character at ``at`` is not kept in the current family: it takes its own
            code = ord(coded[at])
            current = code - _OWN if code < _NEUTRAL else _first_bit(code - _NEUTRAL)
            at = keeps[current].match(coded, at + 1).end()
            if spans and spans[-1][1] == current:
                spans[-1][0] = at
            else:
                spans.append([at, current])
        last = previous if current is None else stack[current]
        return tuple((end, stack[index]) for end, index in spans), last

    def _runs_by_character(self, stack, text: str, previous):
        """:meth:`font_runs` by the per-character rule, for a ``previous`` family not in ``stack``."""
        from leaflets.render.textlayout import takes_neighbour_font
        spans: list[list] = []
        for index, ch in enumerate(text):
            family = self.family_covering(stack, ch)
            if previous is not None and takes_neighbour_font(ch) and self.family_covering((previous,), ch):
                family = previous
            if family is None:
                family = stack[0]
            if spans and spans[-1][1] == family:
                spans[-1][0] = index + 1
            else:
                spans.append([index + 1, family])
            previous = family
        return tuple((end, family) for end, family in spans), previous

    def _font_classes(self, stack):
        """For ``stack``: a table (for :meth:`str.translate`) of each character's coverage class,
        and for each family a pattern matching a stretch of classes that keeps it.

        A class is one character: ``_OWN + k`` for a character set in its own font, the
        k-th family being the first to cover it (the first family if none does);
        ``_NEUTRAL + mask`` for a character that takes its neighbour's font
        (:func:`~leaflets.render.textlayout.takes_neighbour_font`), bit k of ``mask``
        set where the k-th family covers it.  Family k keeps its own characters and the
        neutrals it covers.  The table computes a character's class when it first meets it
        (so it holds the characters seen, bounded by what the fonts and texts contain)."""
        found = self._classes.get(stack)
        if found is None:
            with self.lock:
                found = self._classes.get(stack)
                if found is None:
                    import re
                    keeps = tuple(re.compile("[%s]*" % "".join(
                        re.escape(chr(code)) for code in
                        [_OWN + k, *(_NEUTRAL + mask for mask in range(1 << len(stack)) if mask >> k & 1)]))
                        for k in range(len(stack)))
                    found = self._classes[stack] = (_CoverageClasses(self, stack), keeps)
        return found

    def extent(self, family) -> tuple[float, float]:
        """A family's ascent and descent per point of size: the larger of its hhea and win metrics."""
        found = self._extents.get(family.regular)
        if found is None:
            from fontTools.ttLib import TTFont as FontToolsFont
            with self.lock:
                with FontToolsFont(str(self.path(family.regular)), lazy=True) as font:
                    upm = font["head"].unitsPerEm
                    hhea, os2 = font["hhea"], font["OS/2"]
                    found = self._extents[family.regular] = (
                        max(hhea.ascent + hhea.lineGap, os2.usWinAscent) / upm,
                        max(-hhea.descent, os2.usWinDescent) / upm)
        return found

    # ---------------------------------------------------------- ReportLab
    def pdf_family(self, family) -> PdfFonts:
        """The ReportLab fonts of ``family``, registered with ReportLab on first use."""
        fonts = self._families.get(family)
        if fonts is None:
            with self.lock:
                fonts = self._families.get(family)
                if fonts is None:
                    fonts = self._families[family] = self._register(family)
        return fonts

    def _register(self, family) -> PdfFonts:
        from reportlab.pdfbase.ttfonts import TTFont

        from leaflets.render import rlshim
        if self._closed:
            raise RuntimeError(f"{self!r} is closed")
        base = family.name.replace(" ", "")
        names = {}
        for style, filename in family.files().items():
            path = self.path(filename)
            if path not in self._by_file:
                name = self._free_name(f"{base}-{style}")
                # asciiReadable as ReportLab's default, whatever RL_ttfAsciiReadable said at its import
                font = TTFont(name, str(path), asciiReadable=1)
                rlshim.register(name, font, self.lock)
                self._names.append(name)
                _OWNERS[name] = self
                self._by_file[path] = (name, font)
            names[style] = self._by_file[path][0]
        return PdfFonts(names["regular"], names["bold"], names["italic"], names["bold_italic"])

    def _free_name(self, wanted: str) -> str:
        """``wanted`` (``NotoSans-regular``) if no font has that name yet, else ``wanted~N``: names
        never reach the PDF (subsets are named from the font file), so they only need to be unique."""
        from reportlab.pdfbase import pdfmetrics
        name, number = wanted, 1
        while name in pdfmetrics._fonts or name in _OWNERS:
            number += 1
            name = f"{wanted}~{number}"
        return name

    def outline_font(self, font_name: str):
        """The fontTools view of the font program of ``font_name`` (for glyph outlines); call
        it, and use what it returns, holding :attr:`lock` (its tables load on first use)."""
        font = self._outline_fonts.get(font_name)
        if font is None:
            from fontTools.ttLib import TTFont as FontToolsFont

            from leaflets.render import rlshim
            font = self._outline_fonts[font_name] = FontToolsFont(io.BytesIO(rlshim.font_program(font_name)),
                                                                  lazy=True)
        return font

    # ------------------------------------------------------------ caches
    def cached(self, function: Callable, kind: str) -> Callable:
        """``function`` with its results cached in this font set, at most ``CACHE_SIZES[kind]``
        of them (least recently used go first).  ``function`` must be a module-level
        function whose result depends only on its arguments and this set's fonts; it takes
        :attr:`lock` itself where it touches a face."""
        wrapper = self._caches.get(function)
        if wrapper is None:
            with self.lock:
                wrapper = self._caches.get(function)
                if wrapper is None:
                    wrapper = self._caches[function] = lru_cache(maxsize=CACHE_SIZES[kind])(function)
                    wrapper.kind = kind
        return wrapper

    def memo(self, kind: str) -> Memo:
        """This set's :class:`Memo` of ``kind`` (bounded by ``CACHE_SIZES[kind]``): for what is not
        a plain function's result (see :meth:`cached`): results valid only under a condition the
        caller checks on each hit (a written piece is valid while ReportLab gives its characters
        the same codes in the document), or objects the decks share (parsed templates)."""
        memo = self._memos.get(kind)
        if memo is None:
            with self.lock:
                memo = self._memos.setdefault(kind, Memo(CACHE_SIZES[kind]))
        return memo

    def cache_sizes(self) -> dict[str, tuple[int, int]]:
        """Each kind of cache's (entries, bound), plus the private-code tables (entries, 65 534)."""
        from leaflets.render import rlshim
        sizes: dict[str, tuple[int, int]] = {}
        for wrapper in list(self._caches.values()):  # a kind's caches together (each has the kind's bound)
            info, (entries, bound) = wrapper.cache_info(), sizes.get(wrapper.kind, (0, 0))
            sizes[wrapper.kind] = (entries + info.currsize, bound + info.maxsize)
        sizes["runs"] = (len(self._runs), CACHE_SIZES["runs"])
        for kind, memo in list(self._memos.items()):
            sizes[kind] = (len(memo), memo.bound)
        classes = [table for table, _ in list(self._classes.values())]
        sizes["coverage classes"] = (sum(map(len, classes)), _CoverageClasses.LIMIT * len(classes))
        faces = [font.face._leaflets for _, font in list(self._by_file.values())]
        sizes["font subsets"] = (sum(len(face.subsets) for face in faces), CACHE_SIZES["font subsets"] * len(faces))
        codes = sum(len(font.face._leaflets.texts) for _, font in list(self._by_file.values()))
        sizes["private codes"] = (codes, (rlshim.PRIVATE_LAST - rlshim.PRIVATE_BASE + 1) * len(self._by_file))
        return sizes

    def clear_caches(self) -> None:
        """Empty the caches (not the fonts, nor the private codes documents may be using)."""
        for wrapper in list(self._caches.values()):
            wrapper.cache_clear()
        with self.lock:
            self._runs.clear()
            self._classes.clear()
            for memo in self._memos.values():
                memo.clear()
            for _, font in self._by_file.values():
                font.face._leaflets.subsets.clear()

    def close(self) -> None:
        """Hand this set's fonts back to ReportLab's registry and drop its caches.  Documents
        being rendered with it must have finished."""
        with self.lock:
            self._closed = True
            self.clear_caches()
            self._caches.clear()
            self._outline_fonts.clear()
            self._finalizer()


_OWN = 0x41  # coverage class of a character in its own font: _OWN + the index of its family in the stack
_NEUTRAL = 0x100  # of a character that takes its neighbour's font: _NEUTRAL + mask of the families covering it


def _first_bit(mask: int) -> int:
    """The index of the lowest bit set in ``mask`` (0 if none: an uncovered neutral is set in the first family)."""
    return (mask & -mask).bit_length() - 1 if mask else 0


class _CoverageClasses(dict):
    """Code point -> coverage class (see :meth:`FontSet._font_classes`) of one stack, each
    computed when a text first holds it; :meth:`str.translate` reads known ones at C speed.
    At most :attr:`LIMIT` are kept (beyond, a character's class is computed each time)."""

    LIMIT = 65_536

    def __init__(self, fonts: FontSet, stack):
        super().__init__()
        self.fonts, self.stack = weakref.ref(fonts), stack  # no cycle: a dropped font set goes at once

    def __missing__(self, code: int) -> str:
        from leaflets.render.textlayout import takes_neighbour_font
        ch = chr(code)
        fonts = self.fonts()
        if takes_neighbour_font(ch):
            mask = sum(1 << k for k, family in enumerate(self.stack) if fonts.family_covering((family,), ch))
            found = chr(_NEUTRAL + mask)
        else:
            family = fonts.family_covering(self.stack, ch)
            found = chr(_OWN + (self.stack.index(family) if family is not None else 0))
        if len(self) < self.LIMIT:
            self[code] = found
        return found


def _hand_back(names: list[str]) -> None:
    """Forget a font set's fonts, in ReportLab's registry and here (at close, or once it is gone).
    A set that registered none (a build that was up to date) has nothing to hand back: ReportLab
    is not imported at exit for it."""
    if not names:
        return
    from leaflets.render import rlshim
    rlshim.unregister(names)
    for name in names:
        _OWNERS.pop(name, None)
    names.clear()


def fonts_of(font_name: str) -> FontSet:
    """The font set that registered the ReportLab font ``font_name``."""
    try:
        return _OWNERS[font_name]
    except KeyError:
        raise UnknownFont(f"the font {font_name!r} was not registered by a leaflets FontSet") from None


_SHIPPED: FontSet | None = None
_SHIPPED_LOCK = threading.Lock()


def shipped_fonts() -> FontSet:
    """The process-wide font set of the fonts shipped with leaflets (``assets/fonts``), made
    on first use.  Engines use it unless given their own, so a process parses these
    files once whatever number of engines it makes."""
    global _SHIPPED
    if _SHIPPED is None:
        with _SHIPPED_LOCK:
            if _SHIPPED is None:
                _SHIPPED = FontSet(resources().fonts_dir)
    return _SHIPPED
