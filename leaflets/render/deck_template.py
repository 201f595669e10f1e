"""Open a deck template and find the layout each kind of slide needs.

The project template (``assets/templates/leaflets.pptx``, written by
``tools/templates/make_template.py``) names its layouts.  A presenter's own
template may name them differently, so a layout is found in this order:

1. **By name**, ignoring case and spacing: the project's name, or PowerPoint's
   usual name for it (``Title Slide``, ``Section Header``).
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
   or text); Two Content uses Title and Content too.

If nothing matches, :class:`TemplateError` names the missing layout and lists
the template's layouts.  The template's own slides (samples) are removed.

Without a presenter's template, a deck is built on the project's: the shipped
file for the default design, else the template written from the design in use
(:mod:`leaflets.render.deck_template_writer`), so its theme colours and text
styles follow the design.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from lxml import etree
from pptx import Presentation
from pptx.opc.constants import RELATIONSHIP_TYPE as RT

from leaflets.design import DEFAULT_DESIGN, Design
from leaflets.errors import Diagnostic, LeafletsError, display_path
from leaflets.render.template_package import UnsafeTemplate, clean_template, read_template
from leaflets.resources import resources

DEFAULT_TEMPLATE = resources().deck_template  # package data: found wherever leaflets is installed
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
P = "http://schemas.openxmlformats.org/presentationml/2006/main"

ALIASES = {"Title": ("Title", "Title Slide"), "Section": ("Section", "Section Header")}
FOOTER_TYPES = {"dt", "ftr", "sldNum", "hdr"}
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
    return False


@dataclass
class Resolved:
    """The layout used for a canonical layout, and whether it is a substitute."""

    layout: object
    substitute_for: str | None = None


class DeckTemplate:
    """A template opened for one deck: its presentation, layouts and theme fonts.

    ``path`` is a presenter's template; without one, the project's template for
    ``design`` (the shipped file, which is what the writer makes of the default design)."""

    def __init__(self, path: Path | None = None, design: Design = DEFAULT_DESIGN):
        self.path = Path(path) if path else DEFAULT_TEMPLATE
        self.is_default = path is None
        if path is None and design != DEFAULT_DESIGN:
            from leaflets.render.deck_template_writer import template_bytes
            self.prs = self._open(self.path, template_bytes(design))
        else:
            self.prs = self._open(self.path)
        self._remove_slides()
        self._cache: dict[str, Resolved] = {}

    @staticmethod
    def _open(path: Path, data: bytes | None = None):
        """The presentation at ``path``, or in ``data`` (a template written in memory, which
        ``path`` names in errors)."""
        if data is None and not path.exists():
            raise TemplateError(path, "template not found (expected a .pptx file)")
        if path.suffix.lower() != ".pptx":
            raise TemplateError(path, "a template must be a .pptx presentation (save a .potx as .pptx first)")
        if data is None and path != DEFAULT_TEMPLATE:  # a presenter's template: untrusted, cleaned first
            try:
                data = clean_template(read_template(path))
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

    def _remove_slides(self) -> None:
        """Drop the template's own slides (samples); the deck starts empty."""
        ids = self.prs.slides._sldIdLst
        for sld_id in list(ids):
            self.prs.part.drop_rel(sld_id.rId)
            ids.remove(sld_id)

    def layouts(self):
        return [layout for master in self.prs.slide_masters for layout in master.slide_layouts]

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
            for layout in layouts:
                if _key(layout.name) == _key(name):
                    return Resolved(layout)
        for layout in layouts:
            if _matches(canonical, layout):
                return Resolved(layout)
        substitute = SUBSTITUTES.get(canonical)
        if substitute:
            try:
                return Resolved(self._find(substitute).layout, canonical)
            except TemplateError:
                pass
        names = ", ".join(repr(layout.name) for layout in layouts)
        raise TemplateError(self.path, f"no layout named {canonical!r} and none with {SIGNATURES[canonical]}"
                                       + (f" (nor a {SUBSTITUTES[canonical]!r} layout to use instead)"
                                          if canonical in SUBSTITUTES else "")
                                       + f"; the template's layouts are: {names}")

    # ------------------------------------------------------------ theme
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


def _inherited_lvl1(placeholder):
    """The level-1 paragraph styles a placeholder inherits, nearest first: its own list style,
    its layout's and master's placeholder, then the master's title or body text style."""
    from pptx.enum.shapes import PP_PLACEHOLDER

    node = placeholder
    while node is not None:
        element = node._element.find(f".//{{{A}}}lstStyle/{{{A}}}lvl1pPr")
        if element is not None:
            yield element
        node = getattr(node, "_base_placeholder", None)
    part = placeholder.part
    layout = getattr(part, "slide_layout", None)
    master = layout.slide_master if layout is not None else getattr(part, "slide_master", None)
    if master is None:
        return
    title = placeholder.placeholder_format.type in (PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE)
    style = master._element.find(f".//{{{P}}}txStyles/{{{P}}}{'titleStyle' if title else 'bodyStyle'}"
                                 f"/{{{A}}}lvl1pPr")
    if style is not None:
        yield style


def inherited_size(placeholder) -> float | None:
    """The first-level text size a placeholder inherits (points)."""
    for ppr in _inherited_lvl1(placeholder):
        element = ppr.find(f"{{{A}}}defRPr")
        if element is not None and element.get("sz"):
            return int(element.get("sz")) / 100
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
