"""The small OOXML layer the deck renderer writes through.

python-pptx covers shapes, charts and tables but writes some XML the
ECMA-376 schemas forbid (negative chart axis ids; child elements appended
out of order by callers).  Everything here builds elements in schema order,
so callers never insert a child by hand, and every private python-pptx API
the renderer needs is reached from this module only.
"""

from __future__ import annotations

from copy import deepcopy

from lxml import etree
from pptx.oxml.ns import qn

A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"
P_NS = "http://schemas.openxmlformats.org/presentationml/2006/main"
C_NS = "http://schemas.openxmlformats.org/drawingml/2006/chart"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS = {"a": A_NS, "p": P_NS, "c": C_NS, "r": R_NS}

# CT_TextCharacterProperties children, in schema order.
RPR_ORDER = ("ln", "noFill", "solidFill", "gradFill", "blipFill", "pattFill", "grpFill", "effectLst", "effectDag",
             "highlight", "uLnTx", "uLn", "uFillTx", "uFill", "latin", "ea", "cs", "sym", "hlinkClick",
             "hlinkMouseOver", "rtl", "extLst")
# CT_TextParagraphProperties children, in schema order.
PPR_ORDER = ("lnSpc", "spcBef", "spcAft", "buClrTx", "buClr", "buSzTx", "buSzPct", "buSzPts", "buFontTx", "buFont",
             "buNone", "buAutoNum", "buChar", "buBlip", "tabLst", "defRPr", "extLst")
# CT_TableCellProperties children, in schema order.
TCPR_ORDER = ("lnL", "lnR", "lnT", "lnB", "lnTlToBr", "lnBlToTr", "cell3D", "noFill", "solidFill", "gradFill",
              "blipFill", "pattFill", "grpFill", "headers", "extLst")


# DrawingML local name -> Clark name (qn's, looked up once: a deck makes some 3,000 elements)
_A_TAGS: dict[str, str] = {}


def a(tag: str, **attrs) -> etree._Element:
    clark = _A_TAGS.get(tag)
    if clark is None:
        clark = _A_TAGS[tag] = qn(f"a:{tag}")
    element = etree.Element(clark)
    for key, value in attrs.items():
        if value is not None:
            element.set(key, str(value))
    return element


def insert_ordered(parent, child, order: tuple[str, ...]):
    """Insert ``child`` into ``parent`` before the first sibling that the schema puts after it
    (replacing a sibling of the same tag)."""
    name = etree.QName(child).localname
    rank = order.index(name)
    for existing in list(parent):
        local = etree.QName(existing).localname
        if local == name:
            parent.replace(existing, child)
            return child
        if local in order and order.index(local) > rank:
            existing.addprevious(child)
            return child
    parent.append(child)
    return child


def scheme_fill(color: str) -> etree._Element:
    """A solid fill of a theme colour (``accent1``, ``tx1``) or, for ``#RRGGBB``, a fixed colour
    (a readable fallback where the theme has none, see :func:`leaflets.render.slides.chrome.readable`)."""
    fill = a("solidFill")
    if color.startswith("#"):
        fill.append(a("srgbClr", val=color[1:].upper()))
    else:
        fill.append(a("schemeClr", val=color))
    return fill


def run_properties(tag: str = "rPr", *, lang: str | None = None, size: float | None = None,
                   bold: bool | None = None, italic: bool | None = None, color: str | None = None,
                   fonts: dict[str, str] | None = None, link_rid: str | None = None) -> etree._Element:
    """``a:rPr`` (or ``a:endParaRPr``/``a:defRPr``) with its children in schema order."""
    rpr = a(tag, lang=lang, sz=round(size * 100) if size else None,
            b=None if bold is None else int(bold), i=None if italic is None else int(italic))
    if color:
        rpr.append(scheme_fill(color))
    for slot in ("latin", "ea", "cs"):
        if fonts and fonts.get(slot):
            rpr.append(a(slot, typeface=fonts[slot]))
    if link_rid:
        link = a("hlinkClick")
        link.set(qn("r:id"), link_rid)
        rpr.append(link)
    return rpr


def paragraph_properties(*, rtl: bool | None = None, align: str | None = None, bullet: bool | None = None,
                         margin: int | None = None, indent: int | None = None) -> etree._Element | None:
    """``a:pPr`` with only what differs from the inherited style, or None."""
    attrs = {"marL": margin, "indent": indent, "algn": align, "rtl": None if rtl is None else int(rtl)}
    if all(v is None for v in attrs.values()) and bullet is None:
        return None
    ppr = a("pPr", **attrs)
    if bullet is False:
        ppr.append(a("buNone"))
    return ppr


def field(kind: str, text: str, rpr: etree._Element, number: int) -> etree._Element:
    """A text field (``a:fld``), e.g. ``slidenum``, with its current text cached;
    ``number`` makes its id unique in the deck and the same on every build."""
    fld = a("fld", id=f"{{5A1E0D3C-0000-4000-8000-{number:012X}}}", type=kind)
    fld.append(rpr)
    t = a("t")
    t.text = text
    fld.append(t)
    return fld


def text_run(text: str, rpr: etree._Element) -> etree._Element:
    run = a("r")
    run.append(rpr)
    t = a("t")
    t.text = text
    run.append(t)
    return run


def set_body(tx_body, paragraphs: list[etree._Element]) -> None:
    """Replace a ``txBody``'s paragraphs (keeping bodyPr and lstStyle)."""
    for p in tx_body.findall(qn("a:p")):
        tx_body.remove(p)
    for p in paragraphs:
        tx_body.append(p)


def set_alt_text(shape, descr: str, title: str | None = None) -> None:
    """Alt text on a shape, graphic frame, group or picture (``cNvPr/@descr``)."""
    cnvpr = shape._element.find(".//" + qn("p:cNvPr"))  # noqa: SLF001
    cnvpr.set("descr", descr)
    if title:
        cnvpr.set("title", title)


def remove(shape) -> None:
    """Take a shape (a placeholder the slide does not use) off its slide."""
    element = shape._element  # noqa: SLF001
    element.getparent().remove(element)


def text_body(text_frame):
    """The ``txBody`` element of a python-pptx text frame (a shape's, a chart title's, the notes')."""
    return text_frame._txBody  # noqa: SLF001


def set_body_properties(text_frame, *, clear: bool = False, **attrs) -> None:
    """Set ``a:bodyPr`` attributes (insets, anchor, wrap), in the order given; ``clear`` drops
    its children (autofit: text measured to fit needs none for an application to redo)."""
    body_pr = text_body(text_frame).find(qn("a:bodyPr"))
    for key, value in attrs.items():
        body_pr.set(key, str(value))
    if clear:
        for child in list(body_pr):
            body_pr.remove(child)


def space_paragraphs(text_frame, points: float) -> None:
    """Space after every paragraph of a text frame but the last."""
    for p in text_body(text_frame).findall(qn("a:p"))[:-1]:
        ppr = p.find(qn("a:pPr"))
        if ppr is None:
            ppr = a("pPr")
            p.insert(0, ppr)
        spacing = a("spcAft")
        spacing.append(a("spcPts", val=round(points * 100)))
        insert_ordered(ppr, spacing, PPR_ORDER)


def clone_placeholder(layout_ph, slide):
    """A placeholder on ``slide`` that inherits everything from ``layout_ph`` (same type and
    index); returns its empty ``txBody``."""
    tree = slide.shapes._spTree  # noqa: SLF001
    sp = etree.SubElement(tree, qn("p:sp"))
    nv = deepcopy(layout_ph._element.find(qn("p:nvSpPr")))  # noqa: SLF001
    ids = [int(e.get("id")) for e in tree.iter(qn("p:cNvPr"))]
    nv.find(qn("p:cNvPr")).set("id", str(max(ids, default=1) + 1))
    sp.append(nv)
    etree.SubElement(sp, qn("p:spPr"))
    body = etree.SubElement(sp, qn("p:txBody"))
    body.append(a("bodyPr"))
    body.append(a("lstStyle"))
    return body


def set_position(sp, x: int, y: int, cx: int, cy: int) -> None:
    """Give a shape element (``p:sp`` made by :func:`clone_placeholder`) its own box."""
    sppr = sp.find(qn("p:spPr"))
    for old in sppr.findall(qn("a:xfrm")):
        sppr.remove(old)
    xfrm = a("xfrm")
    xfrm.append(a("off", x=x, y=y))
    xfrm.append(a("ext", cx=cx, cy=cy))
    sppr.insert(0, xfrm)


def mirror_layout_graphics(slide, names: tuple[str, ...], slide_width: int) -> bool:
    """Draw the layout's shapes called ``names`` (the project template's accent bar) mirrored
    on ``slide``, and hide the layout's own (``showMasterSp="0"``); False if it has none."""
    layout_tree = slide.slide_layout.shapes._spTree  # noqa: SLF001
    shapes = [sp for sp in layout_tree.findall(qn("p:sp")) if sp.find(qn("p:nvSpPr")) is not None
              and sp.find(qn("p:nvSpPr")).find(qn("p:nvPr")).find(qn("p:ph")) is None
              and sp.find(qn("p:nvSpPr")).find(qn("p:cNvPr")).get("name") in names]
    if not shapes:
        return False
    tree = slide.shapes._spTree  # noqa: SLF001
    ids = [int(e.get("id")) for e in tree.iter(qn("p:cNvPr"))]
    anchor = tree.find(qn("p:grpSpPr"))
    for offset, sp in enumerate(shapes, start=1):
        copy = deepcopy(sp)
        copy.find(qn("p:nvSpPr")).find(qn("p:cNvPr")).set("id", str(max(ids, default=1) + offset))
        off = copy.find(qn("p:spPr")).find(qn("a:xfrm")).find(qn("a:off"))
        ext = copy.find(qn("p:spPr")).find(qn("a:xfrm")).find(qn("a:ext"))
        off.set("x", str(slide_width - int(off.get("x")) - int(ext.get("cx"))))
        anchor.addnext(copy)  # behind everything the slide draws
        anchor = copy
    slide._element.set("showMasterSp", "0")  # noqa: SLF001
    return True


# ------------------------------------------------------------------ tables
def set_table_properties(graphic_frame, **attrs) -> None:
    """``a:tblPr`` flags of a table's graphic frame (``firstRow``, ``bandRow``, ``rtl``), in the order given."""
    tbl_pr = graphic_frame._element.graphic.graphicData.tbl.tblPr  # noqa: SLF001
    for key, value in attrs.items():
        tbl_pr.set(key, value)


def cell_body(cell):
    """The ``txBody`` of a table cell (created if it has none)."""
    return cell._tc.get_or_add_txBody()  # noqa: SLF001


def set_cell_fill(cell, color: str, anchor: str) -> None:
    """A cell's vertical anchor and its fill in a scheme colour."""
    tc_pr = cell._tc.get_or_add_tcPr()  # noqa: SLF001
    tc_pr.set("anchor", anchor)
    insert_ordered(tc_pr, scheme_fill(color), TCPR_ORDER)


# ------------------------------------------------------------------ charts
def hide_chart_title(chart) -> None:
    """No title, and none for an application to make up (``autoTitleDeleted``)."""
    chart._chartSpace.chart.get_or_add_autoTitleDeleted().set("val", "1")  # noqa: SLF001


def finish_chart(chart, lang: str, fonts: dict[str, str]) -> None:
    """Valid axis ids, and every text of the chart in ``lang`` with the typeface ``fonts`` (slot -> face)."""
    space = chart._chartSpace  # noqa: SLF001
    fix_chart_axis_ids(space)
    for rpr in space.iter(qn("a:defRPr"), qn("a:rPr"), qn("a:endParaRPr")):
        rpr.set("lang", lang)
        for slot, face in fonts.items():
            insert_ordered(rpr, a(slot, typeface=face), RPR_ORDER)


def fix_chart_axis_ids(chart_space) -> None:
    """Axis ids are ``xsd:unsignedInt``; python-pptx writes negative ones."""
    mapping: dict[str, str] = {}
    for element in chart_space.iter(qn("c:axId"), qn("c:crossAx")):
        value = element.get("val")
        if value not in mapping:
            mapping[value] = str(500000000 + 1000 * (len(mapping) + 1))
        element.set("val", mapping[value])


# ------------------------------------------------------------------ animation
def build_paragraphs(slide, shape_id: int, paragraphs: int) -> None:
    """Make the paragraphs of shape ``shape_id`` appear one click at a time (PowerPoint's
    "Appear", "By paragraph"): a ``p:timing`` with one click effect per paragraph and a build
    list entry, after ``p:clrMapOvr`` as the schema orders a slide's children."""
    ids = iter(range(1, 10 ** 6))

    def ctn(**attrs):
        element = etree.Element(qn("p:cTn"))
        element.set("id", str(next(ids)))
        for key, value in attrs.items():
            element.set(key, value)
        return element

    def cond(parent, tag: str, **attrs):
        lst = etree.SubElement(parent, qn(f"p:{tag}"))
        c = etree.SubElement(lst, qn("p:cond"))
        for key, value in attrs.items():
            c.set(key, value)
        return c

    timing = etree.Element(qn("p:timing"))
    root_par = etree.SubElement(etree.SubElement(timing, qn("p:tnLst")), qn("p:par"))
    root = ctn(dur="indefinite", restart="never", nodeType="tmRoot")
    root_par.append(root)
    seq = etree.SubElement(etree.SubElement(root, qn("p:childTnLst")), qn("p:seq"), concurrent="1", nextAc="seek")
    main = ctn(dur="indefinite", nodeType="mainSeq")
    seq.append(main)
    clicks = etree.SubElement(main, qn("p:childTnLst"))
    for index in range(paragraphs):
        outer = ctn(fill="hold")
        etree.SubElement(clicks, qn("p:par")).append(outer)
        cond(outer, "stCondLst", delay="indefinite")
        inner = ctn(fill="hold")
        etree.SubElement(etree.SubElement(outer, qn("p:childTnLst")), qn("p:par")).append(inner)
        cond(inner, "stCondLst", delay="0")
        effect = ctn(presetID="1", presetClass="entr", presetSubtype="0", fill="hold", grpId="0",
                     nodeType="clickEffect")
        etree.SubElement(etree.SubElement(inner, qn("p:childTnLst")), qn("p:par")).append(effect)
        cond(effect, "stCondLst", delay="0")
        setter = etree.SubElement(etree.SubElement(effect, qn("p:childTnLst")), qn("p:set"))
        behaviour = etree.SubElement(setter, qn("p:cBhvr"))
        show = ctn(dur="1", fill="hold")
        behaviour.append(show)
        cond(show, "stCondLst", delay="0")
        target = etree.SubElement(etree.SubElement(behaviour, qn("p:tgtEl")), qn("p:spTgt"), spid=str(shape_id))
        etree.SubElement(etree.SubElement(target, qn("p:txEl")), qn("p:pRg"), st=str(index), end=str(index))
        names = etree.SubElement(behaviour, qn("p:attrNameLst"))
        etree.SubElement(names, qn("p:attrName")).text = "style.visibility"
        etree.SubElement(etree.SubElement(setter, qn("p:to")), qn("p:strVal"), val="visible")
    prev = cond(seq, "prevCondLst", evt="onPrev", delay="0")
    etree.SubElement(etree.SubElement(prev, qn("p:tgtEl")), qn("p:sldTgt"))
    following = cond(seq, "nextCondLst", evt="onNext", delay="0")
    etree.SubElement(etree.SubElement(following, qn("p:tgtEl")), qn("p:sldTgt"))
    etree.SubElement(etree.SubElement(timing, qn("p:bldLst")), qn("p:bldP"), spid=str(shape_id), grpId="0",
                     build="p")
    sld = slide._element  # noqa: SLF001
    anchor = sld.find(qn("p:clrMapOvr"))
    if anchor is None:
        anchor = sld.find(qn("p:cSld"))
    anchor.addnext(timing)


# ------------------------------------------------------------------ notes slides
NOTES_PARTNAME = "/ppt/notesSlides/notesSlide%d.xml"  # python-pptx's name for a notes slide part


class NotesNames:
    """The part names python-pptx's ``next_partname`` gives a deck's notes slides, from the notes
    slide parts the package has (walked once, when the deck's first notes slide is made) and
    those added since: the same names, the package not walked at every slide."""

    def __init__(self, package):
        self.taken = {str(p.partname) for p in package.iter_parts() if p.partname.startswith(NOTES_PARTNAME[:-6])}

    def next(self) -> str:
        for n in range(len(self.taken) + 1, 0, -1):  # as python-pptx searches, from the end down
            candidate = NOTES_PARTNAME % n
            if candidate not in self.taken:
                self.taken.add(candidate)
                return candidate
        raise AssertionError("no free notes slide name")  # (one of len + 1 candidates is always free)


def notes_slide_xml(slide) -> tuple[bytes, etree._Element]:
    """Give ``slide`` its notes slide the way python-pptx makes one (a copy of the notes master's
    slide image, body and number placeholders) and return that notes slide's XML as made, before
    any text (what :func:`add_notes_slide` copies for the deck's other slides), and its ``txBody``."""
    element = slide.notes_slide._element  # noqa: SLF001
    return etree.tostring(element), notes_body(element)


def add_notes_slide(slide, xml: bytes, names: NotesNames) -> etree._Element:
    """Give ``slide`` a notes slide of ``xml`` (from :func:`notes_slide_xml`): the part python-pptx
    makes, named and related in the same order, without cloning the notes master's placeholders
    again for every slide (a fifth of the CPU of writing a deck's notes went on that); returns the
    notes' ``txBody``.  Its part name is the next of ``names`` (python-pptx's ``next_partname`` walks
    every part of the package, slides, layouts, charts..., for each)."""
    from pptx.opc.constants import CONTENT_TYPE as CT
    from pptx.opc.constants import RELATIONSHIP_TYPE as RT
    from pptx.opc.packuri import PackURI
    from pptx.oxml import parse_xml
    from pptx.parts.slide import NotesSlidePart

    slide_part = slide.part
    package = slide_part.package
    element = parse_xml(xml)
    part = NotesSlidePart(PackURI(names.next()), CT.PML_NOTES_SLIDE, package, element)
    part.relate_to(package.presentation_part.notes_master_part, RT.NOTES_MASTER)
    part.relate_to(slide_part, RT.SLIDE)
    slide_part.relate_to(part, RT.NOTES_SLIDE)
    return notes_body(element)


def notes_body(element) -> etree._Element:
    """The ``txBody`` of a notes slide's body placeholder (python-pptx's ``notes_text_frame``: the
    first placeholder of type body), found by walking the shape tree rather than an XPath query."""
    tree = element.find(f"{{{P_NS}}}cSld/{{{P_NS}}}spTree")
    for shape in tree.iterchildren(f"{{{P_NS}}}sp"):
        ph = shape.find(f"{{{P_NS}}}nvSpPr/{{{P_NS}}}nvPr/{{{P_NS}}}ph")
        if ph is not None and ph.get("type") == "body":
            body = shape.find(f"{{{P_NS}}}txBody")
            if body is None:
                raise ValueError("a notes body placeholder without a text body")
            return body
    raise ValueError("a notes slide without a body placeholder")


# ------------------------------------------------------------------ slides
def slide_xml(slide) -> bytes:
    """The XML of a slide as made (for :func:`add_slide` to copy)."""
    return etree.tostring(slide._element)  # noqa: SLF001


def add_slide(prs, layout, xml: bytes):
    """Add a slide of ``xml`` (:func:`slide_xml` of a slide on ``layout`` as python-pptx made it,
    its placeholders cloned from the layout) to ``prs``: the part python-pptx's ``add_slide`` makes,
    named and related in the same order, without cloning the layout's placeholders again (each
    clone reads the placeholder's type, index, orientation and size by XPath queries)."""
    from pptx.opc.constants import CONTENT_TYPE as CT
    from pptx.opc.constants import RELATIONSHIP_TYPE as RT
    from pptx.opc.packuri import PackURI
    from pptx.oxml import parse_xml
    from pptx.parts.slide import SlidePart

    presentation_part = prs.part
    slide_ids = prs.slides._sldIdLst  # noqa: SLF001
    partname = PackURI("/ppt/slides/slide%d.xml" % (len(slide_ids) + 1))
    slide_part = SlidePart(partname, CT.PML_SLIDE, presentation_part.package, parse_xml(xml))
    slide_part.relate_to(layout.part, RT.SLIDE_LAYOUT)
    slide_ids.add_sldId(presentation_part.relate_to(slide_part, RT.SLIDE))
    return slide_part.slide
