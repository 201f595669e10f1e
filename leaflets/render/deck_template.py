"""Open a deck template and find the layout each kind of slide needs.

The project template (``assets/templates/leaflets.pptx``, written by
``tools/templates/make_template.py``) names its layouts.  A presenter's own
template may name them differently, so a layout is found in this order:

1. **By name**, ignoring case and spacing: PowerPoint's name for it (``Title
   Slide``, ``Section Header``, ``Title and Content``), or the name the project's
   template had before it took PowerPoint's (``Title``, ``Section``).
2. **By placeholder types** (footers aside):

   ============== =========================================================
   Title          a ``ctrTitle`` placeholder
   Section        layout type ``secHead``; else a title and one ``body``
   Title and      a title and one content placeholder (``obj``)
   Content
   Two Content    a title and two content placeholders
   Chart          a title and a ``chart`` placeholder
   Table          a title and a ``tbl`` placeholder
   Diagram        a title and a ``dgm`` placeholder
   References     a title and one ``body`` placeholder (not a section header)
   Closing        a title, one content and one ``body`` placeholder
   ============== =========================================================

3. **By substitution**: Chart, Table, Diagram, References and Closing use the
   Title and Content layout (its content area holds the chart, table, diagram
   or text); Two Content uses Title and Content too.  A template without a
   section layout (LibreOffice's have none) gives section slides its Title
   Only layout, else its Title Slide, else Title and Content.

If nothing matches, :class:`TemplateError` names the missing layout and lists
the template's layouts.  The template's own slides (samples) are removed.

Placeholders are found by type.  A slide placeholder inherits its box from
the layout placeholder of the same index, but LibreOffice writes title and
subtitle (and every content box) without an index, so all share index 0 and
an index lookup gives the subtitle the title's box: where an index is shared
or missing, :func:`layout_placeholder` matches by type (and order), and
:func:`pin_geometry` writes the box it finds on the slide, so every
application and the fitter see the same box.

Without a presenter's template, a deck is built on the project's: the shipped
file for the default design, else the template written from the design in use
(:mod:`leaflets.render.deck_template_writer`), so its theme colours and text
styles follow the design.
"""

from __future__ import annotations

import copy
import functools
import hashlib
import io
import re
import threading
import zipfile
from dataclasses import dataclass
from pathlib import Path

from lxml import etree
from pptx import Presentation
from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.opc.constants import RELATIONSHIP_TYPE as RT

from leaflets.design import DEFAULT_DESIGN, Design
from leaflets.errors import Diagnostic, LeafletsError, display_path
from leaflets.lru import Memo
from leaflets.render.template_package import UnsafeTemplate, clean_template, read_template
from leaflets.resources import resources

DEFAULT_TEMPLATE = resources().deck_template  # package data: found wherever leaflets is installed
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
P = "http://schemas.openxmlformats.org/presentationml/2006/main"

# PowerPoint's names (the project template's since decks 2.0) first, then the names it had before.
ALIASES = {"Title": ("Title Slide", "Title"), "Section": ("Section Header", "Section"),
           "Title and Content": ("Title and Content",), "Two Content": ("Two Content",),
           "Title Only": ("Title Only",)}
# A layout to use, in order, when a template has none for a canonical layout (nor its substitute).
FALLBACKS = {"Section": ("Title Only", "Title", "Title and Content")}
FOOTER_TYPES = {"dt", "ftr", "sldNum", "hdr"}
FOOTER_ENUMS = {PP_PLACEHOLDER.DATE, PP_PLACEHOLDER.FOOTER, PP_PLACEHOLDER.SLIDE_NUMBER, PP_PLACEHOLDER.HEADER}
SUBSTITUTES = {"Chart": "Title and Content", "Table": "Title and Content", "Diagram": "Title and Content",
               "References": "Title and Content", "Closing": "Title and Content", "Two Content": "Title and Content"}
# The placeholder types (one of) a layout must have for its slides' content, by canonical layout.
CONTENT = ("obj", "body")
NEEDS = {"Title and Content": CONTENT, "Two Content": CONTENT, "References": CONTENT, "Closing": CONTENT,
         "Chart": ("chart", *CONTENT), "Table": ("tbl", *CONTENT), "Diagram": ("dgm", *CONTENT)}
SIGNATURES = {
    "Title": "a centred title (ctrTitle) placeholder",
    "Section": "a title and one text (body) placeholder",
    "Title and Content": "a title and one content placeholder",
    "Two Content": "a title and two content placeholders",
    "Chart": "a title and a chart placeholder",
    "Table": "a title and a table placeholder",
    "Diagram": "a title and a diagram placeholder",
    "References": "a title and one text (body) placeholder",
    "Closing": "a title, one content and one text (body) placeholder",
    "Title Only": "only a title placeholder",
}


class TemplateError(LeafletsError):
    """A template that cannot be used, with the reason."""

    def __init__(self, path: Path, message: str):
        super().__init__(Diagnostic(display_path(path), 0, 0, message))


def _key(name: str) -> str:
    return re.sub(r"\s+", " ", name).strip().casefold()


def placeholder_types(layout) -> list[str]:
    """Types of a layout's placeholders, footers left out (no type attribute means ``obj``)."""
    types = []
    for ph in layout._element.iter(f"{{{P}}}ph"):
        kind = ph.get("type", "obj")
        if kind not in FOOTER_TYPES:
            types.append(kind)
    return types


def _matches(canonical: str, layout) -> bool:
    if any(ph.get("orient") == "vert" for ph in layout._element.iter(f"{{{P}}}ph")):
        return False  # vertical text layouts never hold our slides
    types = placeholder_types(layout)
    titled = "title" in types
    rest = sorted(t for t in types if t != "title")
    kind = layout._element.get("type", "")
    if canonical == "Title":
        return "ctrTitle" in types
    if canonical == "Section":
        return kind == "secHead" or (titled and rest == ["body"])
    if canonical == "Title and Content":
        return titled and rest == ["obj"]
    if canonical == "Two Content":
        return titled and rest == ["obj", "obj"]
    if canonical in ("Chart", "Table", "Diagram"):
        wanted = {"Chart": "chart", "Table": "tbl", "Diagram": "dgm"}[canonical]
        return titled and rest == [wanted]
    if canonical == "References":
        return kind != "secHead" and titled and rest == ["body"]
    if canonical == "Closing":
        return titled and rest == ["body", "obj"]
    if canonical == "Title Only":
        return titled and not rest
    return False


@dataclass
class Resolved:
    """The layout used for a canonical layout, and whether it is a substitute."""

    layout: object
    substitute_for: str | None = None


FACTS_KEPT = 256  # facts a kept template keeps about decks' text on it (which footers move, by locale and texts)


def _remove_slides(prs) -> None:
    """Drop the template's own slides (samples); the deck starts empty."""
    ids = prs.slides._sldIdLst  # noqa: SLF001
    for sld_id in list(ids):
        prs.part.drop_rel(sld_id.rId)
        ids.remove(sld_id)


class _Source:
    """A template parsed once, and what decks learn about it that does not change from deck to
    deck: the layout found for each kind of slide, the theme colours (each layout's placeholders,
    boxes and inherited styles are kept on the layout objects, which every deck shares)."""

    # the package's parts a deck changes: the slide list (and sections), its properties, app.xml
    OWNED = (RT.OFFICE_DOCUMENT, RT.CORE_PROPERTIES, RT.EXTENDED_PROPERTIES)

    def __init__(self, parse):
        self._parse = parse
        self.prs = parse()
        package = self.prs.part.package
        owned = [rel.target_part for rel in package._rels.values()  # noqa: SLF001
                 if not rel.is_external and rel.reltype in self.OWNED]
        # shared only where no other part points at one a deck changes (each deck would reach
        # both the copy and the original): a template so made is parsed again for each deck
        self.shared = not any(not rel.is_external and any(rel.target_part is part for part in owned)
                              for part in package.iter_parts() for rel in part.rels.values())
        self._resolved: dict[str, Resolved] = {}
        self._colors: dict[int, dict[str, str]] = {}
        self._facts = Memo(FACTS_KEPT)
        self._lock = threading.Lock()

    def presentation(self) -> tuple:
        """A presentation for one deck (see :class:`DeckTemplate`), with the layouts found and the
        theme colours read for it (shared by the decks where the presentations share layouts)."""
        if not self.shared:
            return self._parse(), {}, {}, Memo(FACTS_KEPT)
        with self._lock:
            return _deck_copy(self.prs, self.OWNED), self._resolved, self._colors, self._facts


def _deck_copy(source, owned_types: tuple[str, ...]):
    """A new package on ``source``'s parts: the package's relationships and the parts it relates
    as ``owned_types`` (the presentation part with its relationships, core and extended
    properties) are copies; every other part is ``source``'s own object."""
    from pptx.opc.package import Part, XmlPart, _Relationship, _Relationships
    from pptx.package import Package

    source_package = source.part.package
    package = Package(source_package._pkg_file)  # noqa: SLF001 (not loaded: its parts are given below)

    def copied(part):
        if isinstance(part, XmlPart):
            new = type(part)(part.partname, part.content_type, package, copy.deepcopy(part._element))  # noqa: SLF001
        else:
            new = Part(part.partname, part.content_type, package, part.blob)
        new.__dict__["_rels"] = relationships(part._rels, {})  # noqa: SLF001
        return new

    def relationships(rels, targets: dict):
        new = _Relationships(rels._base_uri)  # noqa: SLF001
        new.__dict__["_rels"] = {
            rid: rel if rel.is_external or id(rel.target_part) not in targets else
            _Relationship(rels._base_uri, rid, rel.reltype, rel._target_mode,  # noqa: SLF001
                          targets[id(rel.target_part)])
            for rid, rel in rels._rels.items()}  # noqa: SLF001
        return new

    owned = {id(rel.target_part): copied(rel.target_part) for rel in source_package._rels.values()  # noqa: SLF001
             if not rel.is_external and rel.reltype in owned_types}
    package.__dict__["_rels"] = relationships(source_package._rels, owned)  # noqa: SLF001
    return package.presentation_part.presentation


def parsed_templates(fonts) -> Memo:
    """The templates parsed for the decks a font set measures (``CACHE_SIZES["templates"]`` of them, by
    path, file digest and design digest; least recently used dropped): one font set's (one
    engine's), gone with it, never another's."""
    return fonts.memo("templates")


class DeckTemplate:
    """A template opened for one deck: its presentation, layouts and theme fonts.

    ``path`` is a presenter's template; without one, the project's template for
    ``design`` (the shipped file, which is what the writer makes of the default design).

    With ``fonts`` (the font set measuring the deck) the template is parsed once for the decks
    that set measures (:func:`parsed_templates`, keyed by the file's digest and the design's):
    each deck gets its own presentation part, core and extended properties (what a deck
    changes) on the parsed masters, layouts, themes and media, which no deck changes, together
    with what is learnt about them (each layout's placeholders, boxes and inherited styles, the
    layout found for each kind of slide, the theme colours)."""

    def __init__(self, path: Path | None = None, design: Design = DEFAULT_DESIGN, fonts=None):
        self.path = Path(path) if path else DEFAULT_TEMPLATE
        self.is_default = path is None
        if fonts is None:  # parsed for this deck alone
            self.prs = self._parse(self.path, None if path is None else self._read(self.path), design)
            self._cache: dict[str, Resolved] = {}
            self._colors: dict[int, dict[str, str]] = {}
            self.facts = Memo(FACTS_KEPT)
            return
        data = self._read(self.path)  # read for each deck: a changed file is a new template
        key = (str(self.path), hashlib.sha256(data).hexdigest(), design.digest() if path is None else None)
        kept = parsed_templates(fonts)
        source = kept.get(key)
        if source is None:
            source = kept.keep(key, _Source(functools.partial(self._parse, self.path, None if path is None else data,
                                                             design)))
        # facts: what decks of the same text on this template find alike (bounded, keys say what they depend on)
        self.prs, self._cache, self._colors, self.facts = source.presentation()

    @classmethod
    def _parse(cls, path: Path, data: bytes | None, design: Design):
        """The template parsed, its own slides removed (``data``: a presenter's file as read)."""
        if data is None and design != DEFAULT_DESIGN:
            from leaflets.render.deck_template_writer import template_bytes
            prs = cls._open(path, template_bytes(design))
        else:
            prs = cls._open(path, data)
        _remove_slides(prs)
        return prs

    @staticmethod
    def _read(path: Path) -> bytes:
        """The bytes of the template file (the shipped one, or a presenter's, read safely)."""
        if not path.exists():
            raise TemplateError(path, "template not found (expected a .pptx file)")
        if path.suffix.lower() != ".pptx":
            raise TemplateError(path, "a template must be a .pptx presentation (save a .potx as .pptx first)")
        try:
            return read_template(path)
        except UnsafeTemplate as exc:
            raise TemplateError(path, str(exc)) from None
        except OSError as exc:
            raise TemplateError(path, f"cannot read the template: {exc.strerror or type(exc).__name__}") from None

    @staticmethod
    def _open(path: Path, data: bytes | None = None):
        """The presentation at ``path``, or in ``data`` (a presenter's template as read, cleaned
        here, or a template written in memory, which ``path`` names in errors)."""
        if data is None and not path.exists():
            raise TemplateError(path, "template not found (expected a .pptx file)")
        if path.suffix.lower() != ".pptx":
            raise TemplateError(path, "a template must be a .pptx presentation (save a .potx as .pptx first)")
        if path != DEFAULT_TEMPLATE:  # a presenter's template: untrusted, cleaned first
            try:
                data = clean_template(data if data is not None else read_template(path))
            except UnsafeTemplate as exc:
                raise TemplateError(path, str(exc)) from None
            except OSError as exc:
                raise TemplateError(path, f"cannot read the template: {exc.strerror or type(exc).__name__}") from None
        try:
            prs = Presentation(io.BytesIO(data) if data is not None else str(path))
        except (zipfile.BadZipFile, KeyError, ValueError, etree.XMLSyntaxError) as exc:
            raise TemplateError(path, f"not a readable PowerPoint presentation ({type(exc).__name__}: {exc})") from None
        except Exception as exc:  # python-pptx raises many types for broken packages
            raise TemplateError(path, f"not a readable PowerPoint presentation ({type(exc).__name__})") from None
        if not list(prs.slide_masters) or not list(prs.slide_layouts):
            raise TemplateError(path, "the template has no slide master or no layouts")
        return prs

    def layouts(self):
        return [layout for master in self.prs.slide_masters for layout in master.slide_layouts]

    def usable_layouts(self) -> list:
        """The layouts a deck on this template can use, once each (those it has)."""
        from leaflets.render.deck_design import LAYOUTS

        found = []
        for canonical in LAYOUTS:
            try:
                layout = self.layout(canonical).layout
            except TemplateError:
                continue
            if all(layout is not other for other in found):
                found.append(layout)
        return found

    def layout(self, canonical: str) -> Resolved:
        if canonical not in self._cache:
            resolved = self._find(canonical)
            self._check_placeholders(canonical, resolved.layout)
            self._cache[canonical] = resolved
        return self._cache[canonical]

    def _check_placeholders(self, canonical: str, layout) -> None:
        """A layout found by name must still hold what its slides fill: a template's problem,
        named as one (template, layout, placeholder), never a crash blamed on a catalog."""
        wanted = NEEDS.get(canonical)
        if wanted and not set(placeholder_types(layout)) & set(wanted):
            raise TemplateError(self.path, f"layout {layout.name!r} (used for {canonical} slides) has no "
                                           f"{' or '.join(wanted)} placeholder, which those slides fill; "
                                           "add one to the layout or rename another layout")

    def _find(self, canonical: str) -> Resolved:
        layouts = self.layouts()
        for name in ALIASES.get(canonical, (canonical,)):
            named = [layout for layout in layouts if _key(layout.name) == _key(name)]
            if named:
                return Resolved(self._plainest(named))
        typed = [layout for layout in layouts if _matches(canonical, layout)]
        if typed:
            return Resolved(self._plainest(typed))
        for substitute in ((SUBSTITUTES[canonical],) if canonical in SUBSTITUTES else ()) + FALLBACKS.get(
                canonical, ()):
            try:
                return Resolved(self._find(substitute).layout, canonical)
            except TemplateError:
                pass
        # a template with several masters (LibreOffice writes one per master page) repeats names
        names = ", ".join(dict.fromkeys(repr(layout.name) for layout in layouts))
        raise TemplateError(self.path, f"no layout named {canonical!r} and none with {SIGNATURES[canonical]}"
                                       + (f" (nor a {SUBSTITUTES[canonical]!r} layout to use instead)"
                                          if canonical in SUBSTITUTES else "")
                                       + f"; the template's layouts are: {names}")

    def _plainest(self, candidates: list):
        """Of layouts that fit a role equally (LibreOffice writes every layout once per master
        page), the one whose drawings cover its title and content boxes least (a master of
        thin rules rather than one of coloured triangles); the first of equals."""
        if len(candidates) == 1:
            return candidates[0]
        return min(candidates, key=self._covered)

    def _covered(self, layout) -> int:
        """How much of the layout's title and content boxes its and its master's drawings cover
        (EMU²; a picture background covers all)."""
        boxes = [(ph.left, ph.top, ph.width, ph.height) for ph in layout.placeholders
                 if ph.placeholder_format.type is not None and ph.width is not None
                 and ph._element.ph_type not in FOOTER_ENUMS]
        area = 0
        for element in (layout._element, layout.slide_master._element):
            bg = element.find(f"{{{P}}}cSld/{{{P}}}bg")
            if bg is not None and bg.find(f".//{{{A}}}blipFill") is not None:
                return sum(cx * cy for _, _, cx, cy in boxes)
        for sx, sy, scx, scy in self._drawings(layout):
            for x, y, cx, cy in boxes:
                w = min(x + cx, sx + scx) - max(x, sx)
                h = min(y + cy, sy + scy) - max(y, sy)
                if w > 0 and h > 0:
                    area += w * h
        return area

    def _drawings(self, layout) -> tuple[tuple[int, int, int, int], ...]:
        """The boxes of what a layout and (unless it hides them) its master draw besides placeholders
        (read once per layout object: no deck changes a layout, and decks on a kept template share it)."""
        found = layout.__dict__.get("_leaflets_drawings")
        if found is None:
            found = layout.__dict__["_leaflets_drawings"] = self._read_drawings(layout)
        return found

    @staticmethod
    def _read_drawings(layout) -> tuple[tuple[int, int, int, int], ...]:
        containers = [layout._element]
        if layout._element.get("showMasterSp", "1") not in ("0", "false"):
            containers.append(layout.slide_master._element)
        found = []
        for container in containers:
            tree = container.find(f"{{{P}}}cSld/{{{P}}}spTree")
            for shape in (tree if tree is not None else ()):
                if not isinstance(shape.tag, str) or etree.QName(shape).localname not in (
                        "sp", "pic", "grpSp", "graphicFrame", "cxnSp"):
                    continue
                if shape.find(f".//{{{P}}}nvPr/{{{P}}}ph") is not None:
                    continue
                off, ext = shape.find(f".//{{{A}}}off"), shape.find(f".//{{{A}}}ext")
                if off is None or ext is None:
                    continue
                found.append((int(off.get("x", 0)), int(off.get("y", 0)), int(ext.get("cx", 0)),
                              int(ext.get("cy", 0))))
        return tuple(found)

    # ------------------------------------------------------------ theme
    def theme_colors(self, layout=None) -> dict[str, str]:
        """The colour scheme of the theme of ``layout``'s master (default: the first master's) as
        ``#RRGGBB`` by slot (``dk1``, ``accent3``...), and by the names slides use (``tx1``,
        ``bg1``...) through the master's colour map."""
        master = layout.slide_master if layout is not None else self.prs.slide_masters[0]
        key = id(master._element)
        if key not in self._colors:
            self._colors[key] = _theme_colors(master)
        return self._colors[key]

    def background(self, layout) -> str | None:
        """The colour a slide on ``layout`` shows behind its text (``#RRGGBB``): the layout's
        background, else its master's; a gradient counts as its first stop, a picture as
        unknown (None)."""
        for element in (layout._element, layout.slide_master._element):
            bg = element.find(f"{{{P}}}cSld/{{{P}}}bg")
            if bg is None:
                continue
            return _fill_colour(bg, self.theme_colors(layout))
        return self.theme_colors(layout).get("bg1", "#FFFFFF")

    def decorated(self, layout, x: int, y: int, cx: int, cy: int) -> bool:
        """Whether a drawn shape of ``layout`` or its master (a picture, a band, a triangle: not a
        placeholder) lies under the rectangle: text of the renderer's own there gets a plate of
        the background colour, since what is behind it cannot be measured."""
        return any(sx < x + cx and x < sx + scx and sy < y + cy and y < sy + scy
                   for sx, sy, scx, scy in self._drawings(layout))

    def theme_fonts(self) -> dict[str, str]:
        """The theme's minor (body) fonts: slot (latin/ea/cs) and script code -> typeface."""
        master = self.prs.slide_masters[0]
        try:
            theme = etree.fromstring(master.part.part_related_by(RT.THEME).blob)
        except (KeyError, etree.XMLSyntaxError):  # a master without a (readable) theme
            return {}
        minor = theme.find(f".//{{{A}}}minorFont")
        fonts: dict[str, str] = {}
        if minor is None:
            return fonts
        for slot in ("latin", "ea", "cs"):
            element = minor.find(f"{{{A}}}{slot}")
            if element is not None:
                fonts[slot] = element.get("typeface", "")
        for element in minor.findall(f"{{{A}}}font"):
            fonts[element.get("script", "")] = element.get("typeface", "")
        return fonts


COLOR_MAP_DEFAULT = {"bg1": "lt1", "tx1": "dk1", "bg2": "lt2", "tx2": "dk2"}


def _theme_colors(master) -> dict[str, str]:
    try:
        theme = etree.fromstring(master.part.part_related_by(RT.THEME).blob)
    except (KeyError, etree.XMLSyntaxError):
        return {}
    scheme = theme.find(f".//{{{A}}}clrScheme")
    colors: dict[str, str] = {}
    for slot in (scheme if scheme is not None else ()):
        if not isinstance(slot.tag, str):
            continue
        value = next((c.get("val") if etree.QName(c).localname == "srgbClr" else c.get("lastClr")
                      for c in slot if isinstance(c.tag, str)), None)
        if value and re.fullmatch(r"[0-9A-Fa-f]{6}", value):
            colors[etree.QName(slot).localname] = "#" + value.upper()
    mapping = master._element.find(f"{{{P}}}clrMap")
    for name, default in COLOR_MAP_DEFAULT.items():
        slot = mapping.get(name, default) if mapping is not None else default
        if slot in colors:
            colors[name] = colors[slot]
    return colors


def _fill_colour(bg, colors: dict[str, str]) -> str | None:
    """The colour of a ``p:bg``: a solid fill's, a gradient's first stop, a background style
    reference's colour; None for a picture or pattern."""
    for element in bg.iter():
        if not isinstance(element.tag, str):
            continue
        name = etree.QName(element).localname
        if name in ("blipFill", "pattFill"):
            return None
        if name == "srgbClr" and re.fullmatch(r"[0-9A-Fa-f]{6}", element.get("val", "")):
            return "#" + element.get("val").upper()
        if name == "schemeClr":
            return colors.get(element.get("val", ""))
        if name == "sysClr" and re.fullmatch(r"[0-9A-Fa-f]{6}", element.get("lastClr", "")):
            return "#" + element.get("lastClr").upper()
    return None


def _placeholder_table(layout) -> tuple:
    """(index, type, placeholder) of each of ``layout``'s placeholders, read once per layout of
    the presentation being built and kept on it: a layout is not changed while slides are
    added, and python-pptx finds a placeholder's index and type by an XPath query each time
    it is asked (some 20% of a deck's CPU went on asking the same layouts again).  The
    placeholders kept are the same objects each time, so what is learnt about them (the
    master placeholder each inherits from) is kept too."""
    table = layout.__dict__.get("_leaflets_placeholders")
    if table is None:
        table = tuple((ph.placeholder_format.idx, ph.placeholder_format.type, ph) for ph in layout.placeholders)
        layout.__dict__["_leaflets_placeholders"] = table
    return table


def layout_placeholders(layout) -> list[tuple]:
    """(type, placeholder) of each of ``layout``'s placeholders, in order (see :func:`_placeholder_table`)."""
    return [(ph_type, ph) for _, ph_type, ph in _placeholder_table(layout)]


def layout_placeholder(placeholder):
    """The layout placeholder a slide placeholder takes its box and styles from.

    By index where the layout's indices tell them apart; where the index is shared or
    missing (LibreOffice: title, subtitle and content boxes all without ``idx``), the
    layout's placeholder of the same type, the n-th for the slide's n-th of that type."""
    from pptx.enum.shapes import PP_PLACEHOLDER

    part = placeholder.part
    if not hasattr(part, "slide"):  # a layout's or master's own placeholder: python-pptx's inheritance is by type
        if "_leaflets_base" not in placeholder.__dict__:  # (a layout's placeholder from its table: asked once)
            placeholder.__dict__["_leaflets_base"] = getattr(placeholder, "_base_placeholder", None)
        return placeholder.__dict__["_leaflets_base"]
    table = _placeholder_table(part.slide_layout)
    fmt = placeholder.placeholder_format
    idx, own_type = fmt.idx, fmt.type
    same_index = [(ph_type, ph) for ph_idx, ph_type, ph in table if ph_idx == idx]
    if len(same_index) == 1 and (idx != 0 or same_index[0][0] == own_type):
        return same_index[0][1]

    def kind(t):  # a title is a title: a slide's title may sit in a layout's centred title
        return PP_PLACEHOLDER.TITLE if t == PP_PLACEHOLDER.CENTER_TITLE else t

    mine = [ph for ph in part.slide.placeholders if kind(ph.placeholder_format.type) == kind(own_type)]
    theirs = [ph for _, ph_type, ph in table if kind(ph_type) == kind(own_type)]
    position = next((i for i, ph in enumerate(mine) if ph.shape_id == placeholder.shape_id), 0)
    if position < len(theirs):
        return theirs[position]
    return same_index[0][1] if same_index else None


def pin_geometry(slide) -> None:
    """Write on each of ``slide``'s placeholders whose index does not name one layout placeholder
    the box of the layout placeholder it stands for (see :func:`layout_placeholder`), so that
    PowerPoint, LibreOffice and python-pptx (which follow the index) all see that box."""
    from pptx.util import Emu

    layout = slide.slide_layout
    indices = [idx for idx, _, _ in _placeholder_table(layout)]
    for ph in slide.placeholders:
        if indices.count(ph.placeholder_format.idx) <= 1 or ph._element.spPr.find(f"{{{A}}}xfrm") is not None:
            continue
        base = layout_placeholder(ph)
        if base is None or base.width is None:
            continue
        ph.left, ph.top, ph.width, ph.height = Emu(base.left), Emu(base.top), Emu(base.width), Emu(base.height)


def _inherited_lvl1(placeholder) -> tuple:
    """The level-1 paragraph styles a placeholder inherits, nearest first: its own list style,
    its layout's and master's placeholder, then the master's title or body text style.

    Read once per placeholder object and kept on it: a layout's placeholders are the same
    objects for the whole deck (:func:`_placeholder_table`), so the chain from a layout
    placeholder on is walked once per deck, not at every question about a slide's text."""
    found = placeholder.__dict__.get("_leaflets_lvl1")
    if found is None:
        found = placeholder.__dict__["_leaflets_lvl1"] = _placeholder_styles(placeholder) + _master_style(placeholder)
    return found


def _placeholder_styles(placeholder) -> tuple:
    """The ``lvl1pPr`` of ``placeholder``'s own list style and of each placeholder it inherits
    from (:func:`layout_placeholder`), nearest first; a layout's or master's placeholder keeps its own."""
    found = placeholder.__dict__.get("_leaflets_styles")
    if found is None:
        element = placeholder._element.find(f".//{{{A}}}lstStyle/{{{A}}}lvl1pPr")
        base = layout_placeholder(placeholder)
        found = ((element,) if element is not None else ()) + (_placeholder_styles(base) if base is not None else ())
        if not hasattr(placeholder.part, "slide"):
            placeholder.__dict__["_leaflets_styles"] = found
    return found


def _master_style(placeholder) -> tuple:
    """The master's title or body ``lvl1pPr`` (for a title placeholder, the title style)."""
    from pptx.enum.shapes import PP_PLACEHOLDER

    part = placeholder.part
    layout = getattr(part, "slide_layout", None)
    master = layout.slide_master if layout is not None else getattr(part, "slide_master", None)
    if master is None:
        return ()
    title = placeholder.placeholder_format.type in (PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE)
    styles = master.__dict__.setdefault("_leaflets_text_styles", {})
    if title not in styles:
        style = master._element.find(f".//{{{P}}}txStyles/{{{P}}}{'titleStyle' if title else 'bodyStyle'}"
                                     f"/{{{A}}}lvl1pPr")
        styles[title] = (style,) if style is not None else ()
    return styles[title]


def inherited_bold(placeholder) -> bool:
    """Whether a placeholder's first-level text is bold by inheritance (a template's title
    style often is: its text is then measured bold)."""
    for ppr in _inherited_lvl1(placeholder):
        rpr = ppr.find(f"{{{A}}}defRPr")
        if rpr is not None and rpr.get("b") is not None:
            return rpr.get("b") in ("1", "true")
    return False


def inherited_size(placeholder) -> float | None:
    """The first-level text size a placeholder inherits (points)."""
    for ppr in _inherited_lvl1(placeholder):
        element = ppr.find(f"{{{A}}}defRPr")
        if element is not None and element.get("sz"):
            return int(element.get("sz")) / 100
    return None


def inherited_alignment(placeholder) -> str | None:
    """The first-level paragraph alignment a placeholder inherits (``l``, ``ctr``, ``r``...)."""
    for ppr in _inherited_lvl1(placeholder):
        if ppr.get("algn"):
            return ppr.get("algn")
    return None


@dataclass(frozen=True)
class Spacing:
    """Inherited paragraph spacing: line height as a share of single, points before and after."""

    line: float | None = None
    before: float | None = None
    after: float | None = None


def inherited_spacing(placeholder) -> Spacing:
    """The first-level line and paragraph spacing a placeholder inherits (percent and points;
    spacing given in percent of the line counts as unknown)."""
    found: dict[str, float] = {}
    for ppr in _inherited_lvl1(placeholder):
        for key in ("lnSpc", "spcBef", "spcAft"):
            if key in found:
                continue
            element = ppr.find(f"{{{A}}}{key}")
            if element is None:
                continue
            pct, pts = element.find(f"{{{A}}}spcPct"), element.find(f"{{{A}}}spcPts")
            if key == "lnSpc" and pct is not None:
                value = pct.get("val", "100000")  # 90000 or, in strict files, "90%"
                found[key] = float(value[:-1]) / 100 if value.endswith("%") else int(value) / 100000
            elif pts is not None:
                found[key] = int(pts.get("val", "0")) / 100
    return Spacing(found.get("lnSpc"), found.get("spcBef"), found.get("spcAft"))
