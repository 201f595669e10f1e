"""Write a deck template (a .pptx package) from a :class:`~leaflets.design.Design`.

The project's template, ``assets/templates/leaflets.pptx``, is this module's
output for :data:`~leaflets.design.DEFAULT_DESIGN` (``python
tools/templates/make_template.py`` writes it; a test checks the committed file
is byte for byte what it writes).  A deck built with another design on the
project's template is built on the template written from that design (in
memory, :func:`template_bytes`), so its theme colours and text styles follow
the design as the handout does.

Every part is written here, so the template is reproducible (same bytes on
every run) and reviewable as code:

- the slide size is PowerPoint's Widescreen, 12192000 x 6858000 EMU;
- the theme's colours are the design's palette
  (:func:`leaflets.render.deck_design.theme_colors`) and its fonts are set per
  slot (latin, ea, cs) and per script, from the script table the handout
  uses (:data:`leaflets.render.fonts.SCRIPTS`);
- the master's text styles carry the title and body formatting at the
  design's sizes, so slides need no size, font or colour of their own, and a
  slide a presenter adds in PowerPoint looks like the rest;
- the layouts are named as PowerPoint names them (Title Slide, Section Header,
  Title and Content, Two Content) and by role where PowerPoint has no such
  layout (Chart, Table, Diagram, References, Closing), placed by
  :data:`leaflets.render.deck_design.GEOMETRY`, and each has real date, footer
  and slide-number placeholders (the number is a ``slidenum`` field).
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from functools import lru_cache
from xml.sax.saxutils import escape, quoteattr

from leaflets.design import DEFAULT_DESIGN, DeckType, Design
from leaflets.render import deck_design as d

NS = ('xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
      'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
      'xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"')
DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
RT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
CT_PML = "application/vnd.openxmlformats-officedocument.presentationml"
FIXED_TIME = (2024, 1, 1, 0, 0, 0)


@dataclass(frozen=True)
class TemplateSpec:
    """What a template is written from: a design, and what varies between the project
    template and a presenter-like example (names, a sample slide, foreign colours)."""

    design: Design = DEFAULT_DESIGN
    theme_name: str = "Leaflets"
    names: dict[str, str] = field(default_factory=lambda: dict(d.LAYOUT_NAMES))
    colors: dict[str, str] | None = None  # theme colours not made from the design's palette (a foreign template)
    sample_slide: bool = False
    title: str = "Leaflets deck template"

    @property
    def theme_colors(self) -> dict[str, str]:
        return self.colors if self.colors is not None else d.theme_colors(self.design.palette)

    @property
    def sizes(self) -> DeckType:
        return self.design.type.deck


# ------------------------------------------------------------------ text
def rpr(tag: str = "a:defRPr", *, sz: float | None = None, bold: bool | None = None, color: str | None = None,
        major: bool = False) -> str:
    """Run properties in schema order: fill, then latin/ea/cs (theme font references)."""
    attrs = ""
    if sz:
        attrs += f' sz="{round(sz * 100)}"'
    if bold is not None:
        attrs += f' b="{int(bold)}"'
    fill = f'<a:solidFill><a:schemeClr val="{color}"/></a:solidFill>' if color else ""
    kind = "mj" if major else "mn"
    fonts = f'<a:latin typeface="+{kind}-lt"/><a:ea typeface="+{kind}-ea"/><a:cs typeface="+{kind}-cs"/>'
    return f"<{tag}{attrs}>{fill}{fonts}</{tag}>"


def ppr(level: int, *, sz: float, bold: bool = False, color: str = "tx1", bullet: str | None = "•",
        mar: int = 0, indent: int = 0, line: float = 1.0, after: float = 0, algn: str = "l",
        major: bool = False) -> str:
    """One level of a text style (a:lvlNpPr) in schema order."""
    spacing = f'<a:lnSpc><a:spcPct val="{round(line * 100000)}"/></a:lnSpc>'
    spacing += f'<a:spcBef><a:spcPts val="0"/></a:spcBef><a:spcAft><a:spcPts val="{round(after * 100)}"/></a:spcAft>'
    if bullet:
        bullets = (f'<a:buClr><a:schemeClr val="accent1"/></a:buClr><a:buSzTx/>'
                   f'<a:buFont typeface="Arial"/><a:buChar char="{bullet}"/>')
    else:
        bullets = "<a:buNone/>"
    return (f'<a:lvl{level}pPr marL="{mar}" indent="{indent}" algn="{algn}" rtl="0" eaLnBrk="1" hangingPunct="1">'
            f'{spacing}{bullets}{rpr(sz=sz, bold=bold, color=color, major=major)}</a:lvl{level}pPr>')


def list_style(*levels: str) -> str:
    return "<a:lstStyle>" + "".join(levels) + "</a:lstStyle>"


def body_pr(anchor: str = "t", autofit: bool = False) -> str:
    fit = "<a:normAutofit/>" if autofit else ""
    return (f'<a:bodyPr vert="horz" wrap="square" lIns="{d.INSET_X}" tIns="{d.INSET_Y}" rIns="{d.INSET_X}" '
            f'bIns="{d.INSET_Y}" rtlCol="0" anchor="{anchor}">{fit}</a:bodyPr>')


# ---------------------------------------------------------------- shapes
class Shapes:
    """Numbers shape ids within one shape tree."""

    def __init__(self):
        self.next_id = 2
        self.xml: list[str] = []

    def _id(self) -> int:
        self.next_id += 1
        return self.next_id - 1

    def placeholder(self, name: str, ph: str, box: d.Box | None, *, anchor: str = "t", styles: str = "<a:lstStyle/>",
                    text: str = "", fld: str | None = None, autofit: bool = False) -> None:
        sid = self._id()
        geometry = ""
        if box is not None:
            geometry = (f'<a:xfrm><a:off x="{box.x}" y="{box.y}"/><a:ext cx="{box.cx}" cy="{box.cy}"/></a:xfrm>'
                        '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom>')
        if fld:
            run = (f'<a:fld id="{{B6F15528-21DE-4FAA-801E-634DDDAF4B2B}}" type="{fld}"><a:rPr lang="en-US"/>'
                   f'<a:t>‹#›</a:t></a:fld>')
        elif text:
            run = f'<a:r><a:rPr lang="en-US"/><a:t>{escape(text)}</a:t></a:r>'
        else:
            run = ""
        self.xml.append(
            f'<p:sp><p:nvSpPr><p:cNvPr id="{sid}" name={quoteattr(name)}/><p:cNvSpPr><a:spLocks noGrp="1"/>'
            f'</p:cNvSpPr><p:nvPr>{ph}</p:nvPr></p:nvSpPr><p:spPr>{geometry}</p:spPr>'
            f'<p:txBody>{body_pr(anchor, autofit)}{styles}<a:p>{run}<a:endParaRPr lang="en-US"/></a:p></p:txBody>'
            f'</p:sp>')

    def rectangle(self, name: str, box: d.Box, color: str) -> None:
        sid = self._id()
        self.xml.append(
            f'<p:sp><p:nvSpPr><p:cNvPr id="{sid}" name={quoteattr(name)} descr=""/><p:cNvSpPr/><p:nvPr userDrawn="1"/>'
            f'</p:nvSpPr><p:spPr><a:xfrm><a:off x="{box.x}" y="{box.y}"/><a:ext cx="{box.cx}" cy="{box.cy}"/>'
            f'</a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom><a:solidFill><a:schemeClr val="{color}"/>'
            f'</a:solidFill><a:ln><a:noFill/></a:ln></p:spPr></p:sp>')

    def tree(self) -> str:
        return ('<p:spTree><p:nvGrpSpPr><p:cNvPr id="1" name=""/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr>'
                '<p:grpSpPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="0" cy="0"/><a:chOff x="0" y="0"/>'
                '<a:chExt cx="0" cy="0"/></a:xfrm></p:grpSpPr>' + "".join(self.xml) + "</p:spTree>")


def footers(t: DeckType, shapes: Shapes, color: str | None = None, master: bool = False) -> None:
    """Date, footer and slide-number placeholders (the number is a field)."""
    def styles(algn: str) -> str:
        return list_style(ppr(1, sz=t.footer.size, color=color or "tx1", bullet=None, algn=algn))

    idx = (2, 3, 4) if master else (10, 11, 12)
    shapes.placeholder("Date Placeholder", f'<p:ph type="dt" sz="half" idx="{idx[0]}"/>', d.DATE_BOX,
                       anchor="ctr", styles=styles("l"))
    shapes.placeholder("Footer Placeholder", f'<p:ph type="ftr" sz="quarter" idx="{idx[1]}"/>', d.FOOTER_BOX,
                       anchor="ctr", styles=styles("l"))
    shapes.placeholder("Slide Number Placeholder", f'<p:ph type="sldNum" sz="quarter" idx="{idx[2]}"/>',
                       d.NUMBER_BOX, anchor="ctr", styles=styles("r"),
                       fld="slidenum")


# ------------------------------------------------------------------ parts
def theme(spec: TemplateSpec) -> str:
    colors = "".join(f'<a:{name}><a:srgbClr val="{value}"/></a:{name}>' for name, value in spec.theme_colors.items())

    def font_set(tag: str) -> str:
        scripts = "".join(f'<a:font script="{script}" typeface={quoteattr(face)}/>'
                          for script, face in d.SCRIPT_FONTS.items())
        return (f'<a:{tag}><a:latin typeface={quoteattr(d.LATIN_FONT)}/><a:ea typeface={quoteattr(d.EA_FONT)}/>'
                f'<a:cs typeface={quoteattr(d.CS_FONT)}/>{scripts}</a:{tag}>')

    solid = '<a:solidFill><a:schemeClr val="phClr"/></a:solidFill>'
    fills = f"<a:fillStyleLst>{solid * 3}</a:fillStyleLst>"
    lines = "<a:lnStyleLst>" + "".join(
        f'<a:ln w="{w}" cap="flat" cmpd="sng" algn="ctr">{solid}<a:prstDash val="solid"/><a:miter lim="800000"/></a:ln>'
        for w in (6350, 12700, 19050)) + "</a:lnStyleLst>"
    effects = "<a:effectStyleLst>" + "<a:effectStyle><a:effectLst/></a:effectStyle>" * 3 + "</a:effectStyleLst>"
    backgrounds = f"<a:bgFillStyleLst>{solid * 3}</a:bgFillStyleLst>"
    return (f'{DECL}<a:theme {NS} name={quoteattr(spec.theme_name)}><a:themeElements>'
            f'<a:clrScheme name={quoteattr(spec.theme_name)}>{colors}</a:clrScheme>'
            f'<a:fontScheme name={quoteattr(spec.theme_name)}>{font_set("majorFont")}{font_set("minorFont")}'
            f'</a:fontScheme><a:fmtScheme name={quoteattr(spec.theme_name)}>{fills}{lines}{effects}{backgrounds}'
            f'</a:fmtScheme></a:themeElements><a:objectDefaults/><a:extraClrSchemeLst/></a:theme>')


def master_text_styles(t: DeckType) -> str:
    title = "<p:titleStyle>" + ppr(1, sz=t.title.size, bold=True, color="tx2", bullet=None, major=True,
                                   line=t.title.line) + "</p:titleStyle>"
    body_levels = [ppr(1, sz=t.body.size, bullet="•", mar=342900, indent=-342900, line=t.body.line,
                       after=t.body_space_after),
                   ppr(2, sz=t.body.floor, bullet="–", mar=742950, indent=-285750, line=t.body.line,
                       after=t.body_space_after / 2)]
    body_levels += [ppr(level, sz=t.body.floor, bullet="•", mar=742950 + 400050 * (level - 2), indent=-285750,
                        line=t.body.line, after=t.body_space_after / 2) for level in range(3, 10)]
    body = "<p:bodyStyle>" + "".join(body_levels) + "</p:bodyStyle>"
    other = "<p:otherStyle>" + "".join(ppr(level, sz=t.chart.size, bullet=None, mar=457200 * (level - 1))
                                       for level in range(1, 10)) + "</p:otherStyle>"
    return f"<p:txStyles>{title}{body}{other}</p:txStyles>"


def master(t: DeckType, layout_count: int) -> str:
    shapes = Shapes()
    shapes.placeholder("Title Placeholder", '<p:ph type="title"/>', d.TITLE_BOX, anchor="b",
                       text="Click to edit the title style")
    shapes.placeholder("Text Placeholder", '<p:ph type="body" idx="1"/>', d.BODY_BOX,
                       text="Click to edit the text styles")
    footers(t, shapes, master=True)
    ids = "".join(f'<p:sldLayoutId id="{2147483649 + i}" r:id="rId{i + 1}"/>' for i in range(layout_count))
    return (f'{DECL}<p:sldMaster {NS}><p:cSld><p:bg><p:bgRef idx="1001"><a:schemeClr val="bg1"/></p:bgRef></p:bg>'
            f'{shapes.tree()}</p:cSld><p:clrMap bg1="lt1" tx1="dk1" bg2="lt2" tx2="dk2" accent1="accent1" '
            f'accent2="accent2" accent3="accent3" accent4="accent4" accent5="accent5" accent6="accent6" '
            f'hlink="hlink" folHlink="folHlink"/><p:sldLayoutIdLst>{ids}</p:sldLayoutIdLst>'
            f'{master_text_styles(t)}</p:sldMaster>')


def layout(t: DeckType, canonical: str, name: str) -> str:
    """One named layout: its placeholders by type, geometry and local text styles."""
    s = Shapes()
    background = ""
    footer_color = None
    no_bullet = list_style(ppr(1, sz=t.references.size, bullet=None, line=t.references.line,
                               after=t.references_space_after))
    kind = {"Title": "title", "Section": "secHead", "Title and Content": "obj", "Two Content": "twoObj",
            "Chart": "chart", "Table": "tbl", "Diagram": "dgm", "References": "cust", "Closing": "cust"}[canonical]
    if canonical == "Title":
        s.rectangle("Accent Bar", d.Box(0, 0, d.inches(0.32), d.SLIDE_HEIGHT), "accent1")
        s.placeholder("Title 1", '<p:ph type="ctrTitle"/>', d.DECK_TITLE_BOX, anchor="b",
                      styles=list_style(ppr(1, sz=t.deck_title.size, bold=True, color="tx2", bullet=None,
                                            major=True, line=t.deck_title.line)),
                      text="Click to edit the deck title")
        s.placeholder("Subtitle 2", '<p:ph type="subTitle" idx="1"/>', d.DECK_SUBTITLE_BOX,
                      styles=list_style(ppr(1, sz=t.subtitle.size, bullet=None, line=t.subtitle.line, after=6)),
                      text="Click to edit the subtitle")
    elif canonical == "Section":
        background = ('<p:bg><p:bgPr><a:solidFill><a:schemeClr val="accent1"/></a:solidFill><a:effectLst/>'
                      '</p:bgPr></p:bg>')
        footer_color = "bg1"
        s.placeholder("Title 1", '<p:ph type="title"/>', d.SECTION_TITLE_BOX, anchor="b",
                      styles=list_style(ppr(1, sz=t.deck_title.size, bold=True, color="bg1", bullet=None,
                                            major=True, line=t.deck_title.line)),
                      text="Click to edit the section title")
        s.placeholder("Text Placeholder 2", '<p:ph type="body" idx="1"/>', d.SECTION_TEXT_BOX,
                      styles=list_style(ppr(1, sz=t.subtitle.size, color="bg1", bullet=None)),
                      text="Click to edit the section text")
    else:
        s.placeholder("Title 1", '<p:ph type="title"/>', None, anchor="b", text="Click to edit the title")
        if canonical == "Title and Content":
            s.placeholder("Content Placeholder 2", '<p:ph idx="1"/>', None, text="Click to edit the text")
        elif canonical == "Two Content":
            s.placeholder("Content Placeholder 2", '<p:ph sz="half" idx="1"/>', d.LEFT_BOX, text="Left column")
            s.placeholder("Content Placeholder 3", '<p:ph sz="half" idx="2"/>', d.RIGHT_BOX, text="Right column")
        elif canonical == "Chart":
            s.placeholder("Chart Placeholder 2", '<p:ph type="chart" idx="1"/>', d.BODY_BOX)
        elif canonical == "Table":
            s.placeholder("Table Placeholder 2", '<p:ph type="tbl" idx="1"/>', d.BODY_BOX)
        elif canonical == "Diagram":
            s.placeholder("Diagram Placeholder 2", '<p:ph type="dgm" idx="1"/>', d.BODY_BOX)
        elif canonical == "References":
            s.placeholder("Text Placeholder 2", '<p:ph type="body" idx="1"/>', d.BODY_BOX, styles=no_bullet,
                          text="References")
        elif canonical == "Closing":
            s.placeholder("Content Placeholder 2", '<p:ph idx="1"/>', d.CLOSING_BODY_BOX, text="Key messages")
            s.placeholder("Text Placeholder 3", '<p:ph type="body" sz="quarter" idx="2"/>', d.CLOSING_PROMPT_BOX,
                          anchor="ctr",
                          styles=list_style(ppr(1, sz=t.questions.size, bold=True, color="accent1", bullet=None,
                                                algn="ctr", major=True, line=t.questions.line)),
                          text="Questions?")
    footers(t, s, footer_color)
    return (f'{DECL}<p:sldLayout {NS} type="{kind}" preserve="1"><p:cSld name={quoteattr(name)}>{background}'
            f'{s.tree()}</p:cSld><p:clrMapOvr><a:masterClrMapping/></p:clrMapOvr></p:sldLayout>')


def notes_master(t: DeckType) -> str:
    """Speaker notes in the theme's fonts, under a 16:9 slide image."""
    s = Shapes()
    s.placeholder("Slide Image Placeholder", '<p:ph type="sldImg" idx="2"/>', d.Box(381000, 685800, 6096000, 3429000))
    s.placeholder("Notes Placeholder", '<p:ph type="body" sz="quarter" idx="3"/>',
                  d.Box(685800, 4343400, 5486400, 4114800), text="Click to edit the notes")
    s.placeholder("Slide Number Placeholder", '<p:ph type="sldNum" sz="quarter" idx="5"/>',
                  d.Box(3884613, 8685213, 2971800, 458787), fld="slidenum",
                  styles=list_style(ppr(1, sz=t.footer.size, bullet=None, algn="r")))
    styles = "<p:notesStyle>" + "".join(ppr(level, sz=t.notes.size, bullet=None, mar=457200 * (level - 1))
                                        for level in range(1, 10)) + "</p:notesStyle>"
    return (f'{DECL}<p:notesMaster {NS}><p:cSld><p:bg><p:bgRef idx="1001"><a:schemeClr val="bg1"/></p:bgRef>'
            f'</p:bg>{s.tree()}</p:cSld><p:clrMap bg1="lt1" tx1="dk1" bg2="lt2" tx2="dk2" accent1="accent1" '
            f'accent2="accent2" accent3="accent3" accent4="accent4" accent5="accent5" accent6="accent6" '
            f'hlink="hlink" folHlink="folHlink"/>{styles}</p:notesMaster>')


def sample_slide() -> str:
    s = Shapes()
    s.placeholder("Title 1", '<p:ph type="title"/>', None, text="Sample slide: our clinic's template")
    s.placeholder("Content 2", '<p:ph idx="1"/>', None, text="Delete me")
    return (f'{DECL}<p:sld {NS}><p:cSld>{s.tree()}</p:cSld><p:clrMapOvr><a:masterClrMapping/></p:clrMapOvr>'
            f'</p:sld>')


def presentation(spec: TemplateSpec) -> str:
    t = spec.sizes
    # an empty slide list, not none: Pandoc's --reference-doc needs the element to add slides to
    slides = '<p:sldIdLst><p:sldId id="256" r:id="rId9"/></p:sldIdLst>' if spec.sample_slide else "<p:sldIdLst/>"
    default = "<p:defaultTextStyle>" + "".join(
        ppr(level, sz=t.chart.size, bullet=None, mar=457200 * (level - 1)) for level in range(1, 10)
    ) + "</p:defaultTextStyle>"
    return (f'{DECL}<p:presentation {NS} saveSubsetFonts="1"><p:sldMasterIdLst>'
            f'<p:sldMasterId id="2147483648" r:id="rId1"/></p:sldMasterIdLst>'
            f'<p:notesMasterIdLst><p:notesMasterId r:id="rId6"/></p:notesMasterIdLst>{slides}'
            f'<p:sldSz cx="{d.SLIDE_WIDTH}" cy="{d.SLIDE_HEIGHT}"/><p:notesSz cx="6858000" cy="9144000"/>'
            f'{default}</p:presentation>')


def rels(*targets: tuple[str, str]) -> str:
    items = "".join(f'<Relationship Id="rId{i}" Type="{RT}/{kind}" Target="{target}"/>'
                    for i, (kind, target) in enumerate(targets, start=1))
    return f'{DECL}<Relationships xmlns="{REL_NS}">{items}</Relationships>'


def app(spec: TemplateSpec) -> str:
    return (f'{DECL}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" '
            'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
            f'<Application>leaflets</Application><PresentationFormat>Widescreen</PresentationFormat>'
            f'<Slides>{int(spec.sample_slide)}</Slides><Notes>0</Notes></Properties>')


def core(spec: TemplateSpec) -> str:
    return (f'{DECL}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
            'core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
            f'<dc:title>{escape(spec.title)}</dc:title><dc:creator>leaflets</dc:creator>'
            '<cp:lastModifiedBy>leaflets</cp:lastModifiedBy><cp:revision>1</cp:revision>'
            '<dcterms:created xsi:type="dcterms:W3CDTF">2024-01-01T00:00:00Z</dcterms:created>'
            '<dcterms:modified xsi:type="dcterms:W3CDTF">2024-01-01T00:00:00Z</dcterms:modified>'
            '</cp:coreProperties>')


def parts(spec: TemplateSpec) -> dict[str, str]:
    """Every part of the template package, by name."""
    t = spec.sizes
    out: dict[str, str] = {}
    overrides = {
        "/ppt/presentation.xml": f"{CT_PML}.presentation.main+xml",
        "/ppt/presProps.xml": f"{CT_PML}.presProps+xml",
        "/ppt/viewProps.xml": f"{CT_PML}.viewProps+xml",
        "/ppt/tableStyles.xml": f"{CT_PML}.tableStyles+xml",
        "/ppt/theme/theme1.xml": "application/vnd.openxmlformats-officedocument.theme+xml",
        "/ppt/slideMasters/slideMaster1.xml": f"{CT_PML}.slideMaster+xml",
        "/docProps/core.xml": "application/vnd.openxmlformats-package.core-properties+xml",
        "/docProps/app.xml": "application/vnd.openxmlformats-officedocument.extended-properties+xml",
    }
    layouts = list(d.LAYOUTS)
    for number, canonical in enumerate(layouts, start=1):
        out[f"ppt/slideLayouts/slideLayout{number}.xml"] = layout(t, canonical, spec.names[canonical])
        out[f"ppt/slideLayouts/_rels/slideLayout{number}.xml.rels"] = rels(
            ("slideMaster", "../slideMasters/slideMaster1.xml"))
        overrides[f"/ppt/slideLayouts/slideLayout{number}.xml"] = f"{CT_PML}.slideLayout+xml"
    out["ppt/slideMasters/slideMaster1.xml"] = master(t, len(layouts))
    out["ppt/slideMasters/_rels/slideMaster1.xml.rels"] = rels(
        *[("slideLayout", f"../slideLayouts/slideLayout{n}.xml") for n in range(1, len(layouts) + 1)],
        ("theme", "../theme/theme1.xml"))
    out["ppt/theme/theme1.xml"] = theme(spec)
    out["ppt/theme/theme2.xml"] = theme(spec)
    out["ppt/notesMasters/notesMaster1.xml"] = notes_master(t)
    out["ppt/notesMasters/_rels/notesMaster1.xml.rels"] = rels(("theme", "../theme/theme2.xml"))
    overrides["/ppt/theme/theme2.xml"] = "application/vnd.openxmlformats-officedocument.theme+xml"
    overrides["/ppt/notesMasters/notesMaster1.xml"] = f"{CT_PML}.notesMaster+xml"
    out["ppt/presentation.xml"] = presentation(spec)
    presentation_rels = [("slideMaster", "slideMasters/slideMaster1.xml"), ("theme", "theme/theme1.xml"),
                         ("presProps", "presProps.xml"), ("viewProps", "viewProps.xml"),
                         ("tableStyles", "tableStyles.xml"), ("notesMaster", "notesMasters/notesMaster1.xml")]
    if spec.sample_slide:
        out["ppt/slides/slide1.xml"] = sample_slide()
        out["ppt/slides/_rels/slide1.xml.rels"] = rels(("slideLayout", "../slideLayouts/slideLayout3.xml"))
        overrides["/ppt/slides/slide1.xml"] = f"{CT_PML}.slide+xml"
    items = "".join(f'<Relationship Id="rId{i}" Type="{RT}/{kind}" Target="{target}"/>'
                    for i, (kind, target) in enumerate(presentation_rels, start=1))
    if spec.sample_slide:
        items += f'<Relationship Id="rId9" Type="{RT}/slide" Target="slides/slide1.xml"/>'
    out["ppt/_rels/presentation.xml.rels"] = f'{DECL}<Relationships xmlns="{REL_NS}">{items}</Relationships>'
    out["ppt/presProps.xml"] = f"{DECL}<p:presentationPr {NS}/>"
    out["ppt/viewProps.xml"] = f"{DECL}<p:viewPr {NS}/>"
    out["ppt/tableStyles.xml"] = (f'{DECL}<a:tblStyleLst {NS} def="{{5C22544A-7EE6-4342-B048-85BDC9FD1C3A}}"/>')
    out["docProps/app.xml"] = app(spec)
    out["docProps/core.xml"] = core(spec)
    out["_rels/.rels"] = (
        f'{DECL}<Relationships xmlns="{REL_NS}">'
        f'<Relationship Id="rId1" Type="{RT}/officeDocument" Target="ppt/presentation.xml"/>'
        '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/'
        'core-properties" Target="docProps/core.xml"/>'
        f'<Relationship Id="rId3" Type="{RT}/extended-properties" Target="docProps/app.xml"/></Relationships>')
    types = "".join(f'<Override PartName="{name}" ContentType="{ct}"/>' for name, ct in sorted(overrides.items()))
    out["[Content_Types].xml"] = (
        f'{DECL}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        f'<Default Extension="xml" ContentType="application/xml"/>{types}</Types>')
    return out


def write(target, spec: TemplateSpec = TemplateSpec()) -> None:
    """Write the template to ``target`` (a path or a binary file) with fixed member times
    (same bytes every run)."""
    members = parts(spec)
    order = ["[Content_Types].xml", "_rels/.rels"] + sorted(n for n in members if n not in
                                                            ("[Content_Types].xml", "_rels/.rels"))
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in order:
            info = zipfile.ZipInfo(name, date_time=FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, members[name].encode("utf-8"))


@lru_cache(maxsize=4)
def template_bytes(design: Design) -> bytes:
    """The project template written from ``design`` (cached: a design is immutable, and
    every deck of a build with that design opens the same template)."""
    buffer = io.BytesIO()
    write(buffer, TemplateSpec(design=design))
    return buffer.getvalue()
