"""Package-level parts of a deck: document properties, the thumbnail, the slide list.

python-pptx keeps the template's ``docProps/app.xml`` (slide count, titles,
format) and its thumbnail as they were, and fills core properties with its
own text; a deck's package must describe the deck itself.
"""

from __future__ import annotations

import datetime as dt
from xml.sax.saxutils import escape

from lxml import etree
from pptx.opc.constants import RELATIONSHIP_TYPE as RT

WIDESCREEN = (12192000, 6858000)


def presentation_format(width: int, height: int) -> str:
    """What PowerPoint calls the slide size in ``app.xml``."""
    if (width, height) == WIDESCREEN:
        return "Widescreen"
    if width * 3 == height * 4:
        return "On-screen Show (4:3)"
    return "Custom"


def app_xml(titles: list[str], notes: int, width: int, height: int, theme: str, layouts: list[str]) -> bytes:
    """Extended properties: true slide count, format, and the titles PowerPoint lists."""
    parts = [theme, *layouts, *titles]
    vector = "".join(f"<vt:lpstr>{escape(t)}</vt:lpstr>" for t in parts)
    pairs = (f"<vt:variant><vt:lpstr>Theme</vt:lpstr></vt:variant><vt:variant><vt:i4>1</vt:i4></vt:variant>"
             f"<vt:variant><vt:lpstr>Slide Layouts</vt:lpstr></vt:variant>"
             f"<vt:variant><vt:i4>{len(layouts)}</vt:i4></vt:variant>"
             f"<vt:variant><vt:lpstr>Slide Titles</vt:lpstr></vt:variant>"
             f"<vt:variant><vt:i4>{len(titles)}</vt:i4></vt:variant>")
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" '
            'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
            f"<TotalTime>0</TotalTime><PresentationFormat>{presentation_format(width, height)}</PresentationFormat>"
            f"<Slides>{len(titles)}</Slides><Notes>{notes}</Notes><HiddenSlides>0</HiddenSlides>"
            f"<MMClips>0</MMClips><ScaleCrop>false</ScaleCrop>"
            f'<HeadingPairs><vt:vector size="6" baseType="variant">{pairs}</vt:vector></HeadingPairs>'
            f'<TitlesOfParts><vt:vector size="{len(parts)}" baseType="lpstr">{vector}</vt:vector></TitlesOfParts>'
            "<LinksUpToDate>false</LinksUpToDate><SharedDoc>false</SharedDoc><HyperlinksChanged>false</HyperlinksChanged>"
            "<Application>leaflets</Application><AppVersion>1.0000</AppVersion></Properties>").encode("utf-8")


def finish_package(prs, titles: list[str], notes: int, theme: str, layouts: list[str]) -> None:
    """Write ``app.xml`` for this deck and drop the template's thumbnail (it shows the template)."""
    package = prs.part.package
    for rel in list(package._rels.values()):  # noqa: SLF001 (python-pptx has no public API for this)
        if rel.reltype == RT.THUMBNAIL:
            package.drop_rel(rel.rId)
    blob = app_xml(titles, notes, prs.slide_width, prs.slide_height, theme, layouts)
    for rel in package._rels.values():  # noqa: SLF001
        if rel.reltype == RT.EXTENDED_PROPERTIES:
            rel.target_part._blob = blob  # noqa: SLF001
            return
    from pptx.opc.package import Part
    from pptx.opc.packuri import PackURI
    part = Part(PackURI("/docProps/app.xml"),
                "application/vnd.openxmlformats-officedocument.extended-properties+xml", package, blob)
    package.relate_to(part, RT.EXTENDED_PROPERTIES)


def drop_slides(prs, positions: list[int]) -> None:
    """Remove the slides at ``positions`` (and their notes and charts, which nothing else uses)."""
    ids = prs.slides._sldIdLst  # noqa: SLF001 (python-pptx has no public API for this)
    for position in sorted(positions, reverse=True):
        entry = ids[position]
        ids.remove(entry)
        prs.part.drop_rel(entry.rId)
    prs.part.rename_slide_parts([entry.rId for entry in ids])


def theme_name(prs) -> str:
    """The name of the theme of the presentation's first master ("Theme" if it has none)."""
    try:
        return etree.fromstring(prs.slide_masters[0].part.part_related_by(RT.THEME).blob).get("name", "Theme")
    except (KeyError, etree.XMLSyntaxError):
        return "Theme"


def set_core_properties(prs, *, title: str, subject: str, author: str, language: str, keywords: str,
                        created: dt.datetime) -> None:
    """Every core property the deck has, so none of the template's or python-pptx's text remains."""
    props = prs.core_properties
    props.title = title
    props.subject = subject
    props.author = author
    props.language = language
    props.keywords = keywords
    props.created = props.modified = created
    props.last_modified_by = "leaflets"
    props.revision = 1
    props.comments = ""
    props.category = ""
    props.content_status = ""
    props.identifier = ""
    props.version = ""


SECTIONS_EXT = "{521415D9-36F7-43E2-AB2F-B90AF26B5E84}"  # PowerPoint 2010's sections extension
P14 = "http://schemas.microsoft.com/office/powerpoint/2010/main"
P = "http://schemas.openxmlformats.org/presentationml/2006/main"


def set_sections(prs, starts: list[tuple[int, str]]) -> None:
    """PowerPoint sections (``p14:sectionLst``), one from each ``(position, name)`` start (the
    section slides) to the next; slides before the first start make a section named by the
    first slide's title.  Ids are derived from the names and positions: same bytes every build."""
    import uuid

    ids = [entry.get("id") for entry in prs.slides._sldIdLst]  # noqa: SLF001
    if not starts or not ids:
        return
    starts = sorted(starts)
    if starts[0][0] != 0:
        starts.insert(0, (0, prs.slides[0].shapes.title.text_frame.text if prs.slides[0].shapes.title is not None
                          else ""))
    presentation = prs.part._element  # noqa: SLF001
    ext_lst = presentation.find(f"{{{P}}}extLst")
    if ext_lst is None:
        ext_lst = etree.SubElement(presentation, f"{{{P}}}extLst")
    for old in ext_lst.findall(f"{{{P}}}ext[@uri='{SECTIONS_EXT}']"):
        ext_lst.remove(old)
    ext = etree.SubElement(ext_lst, f"{{{P}}}ext", uri=SECTIONS_EXT)
    sections = etree.SubElement(ext, f"{{{P14}}}sectionLst", nsmap={"p14": P14})
    for number, (start, name) in enumerate(starts):
        end = starts[number + 1][0] if number + 1 < len(starts) else len(ids)
        guid = uuid.uuid5(uuid.NAMESPACE_URL, f"leaflets-section:{number}:{start}:{name}")
        section = etree.SubElement(sections, f"{{{P14}}}section", name=name, id=f"{{{str(guid).upper()}}}")
        slide_ids = etree.SubElement(section, f"{{{P14}}}sldIdLst")
        for slide_id in ids[start:end]:
            etree.SubElement(slide_ids, f"{{{P14}}}sldId", id=slide_id)
