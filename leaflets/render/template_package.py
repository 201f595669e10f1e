"""A presenter's deck template read as untrusted input: only what a deck needs is carried over.

A ``.pptx`` is a zip of XML parts tied together by relationships.  A template
from the internet can carry much more than layouts and a theme: a VBA project
(macros), ActiveX controls, OLE objects, links to files or URLs outside the
package (``file:///etc/passwd`` as a picture, ``javascript:`` as a link), XML
with a DOCTYPE and entity definitions (billion laughs, external entities),
or members that inflate to gigabytes.  python-pptx copies every part it does
not understand into every deck it saves, so the template is cleaned *before*
python-pptx sees it (:func:`clean_template`):

1. **Sizes first.**  The file is read only if it is a regular file of at most
   :data:`MAX_TEMPLATE_BYTES`; every member's declared size and compression
   ratio are checked before it is inflated, and inflating stops at the
   declared size (a member that lies about it is refused), with a total cap.
2. **Hardened XML.**  Every XML part is parsed by lxml with no DTD loading,
   no entity resolution and no network; a part with a DOCTYPE (where entity
   definitions live) is refused, so is XML that is not well-formed.
3. **Refused outright**, with a message naming the template and the part:
   a macro-enabled content type, a VBA project, ActiveX controls, OLE objects
   and any external relationship (``TargetMode="External"``).
4. **Only what a deck needs** is carried over: the parts reachable from the
   package through the relationship types in :data:`KEPT_RELATIONSHIPS`
   (presentation, masters, layouts, themes, presentation and view
   properties, table styles, notes and handout masters, pictures).  Slides,
   notes, comments, thumbnails, custom XML, tags, embedded fonts and anything
   else are dropped, and so are the references to them (a ``p:sldId``, a
   ``p:embeddedFont``...).
5. **Pictures re-validated.**  A picture must be a PNG, JPEG or GIF whose
   structure checks out (signature, dimensions within :data:`MAX_PIXELS`,
   PNG chunk checksums) or an EMF/WMF with its signature; its content type is
   set from what it is, not from what the package says.

Clean parts keep their bytes (so a clean template gives the same deck as
before); only a part that lost a reference is written again.  The shipped
template and the ones written from a design are the project's own and are
not passed through here.
"""

from __future__ import annotations

import io
import os
import posixpath
import stat
import struct
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import PurePosixPath
from urllib.parse import unquote

from lxml import etree

MAX_TEMPLATE_BYTES = 64 * 1024 * 1024  # the template file itself
MAX_MEMBER_BYTES = 32 * 1024 * 1024  # one member, inflated
MAX_TOTAL_BYTES = 128 * 1024 * 1024  # every member, inflated
MAX_RATIO = 200  # inflated / compressed, for members over RATIO_FLOOR (XML compresses some 10:1)
RATIO_FLOOR = 1024 * 1024
MAX_MEMBERS = 4000
MAX_PIXELS = 60_000_000  # a 60 Mpx picture is far above any slide's needs

RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
CT = "http://schemas.openxmlformats.org/package/2006/content-types"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
P = "http://schemas.openxmlformats.org/presentationml/2006/main"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
OFFICE_RT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
PACKAGE_RT = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/"

# Relationship types whose targets a deck needs (by the last part of the type's URI).
KEPT_RELATIONSHIPS = {
    OFFICE_RT + "officeDocument", PACKAGE_RT + "core-properties", OFFICE_RT + "extended-properties",
    OFFICE_RT + "slideMaster", OFFICE_RT + "slideLayout", OFFICE_RT + "theme", OFFICE_RT + "presProps",
    OFFICE_RT + "viewProps", OFFICE_RT + "tableStyles", OFFICE_RT + "notesMaster", OFFICE_RT + "handoutMaster",
    OFFICE_RT + "image",
}
# What no template may carry: a word in a relationship type or content type -> what it is.
REFUSED = {"vbaproject": "a VBA project (macros)", "macroenabled": "macros (a macro-enabled presentation)",
           "vba": "a VBA project (macros)", "activex": "ActiveX controls", "control": "ActiveX controls",
           "oleobject": "an OLE object", "ole": "an OLE object"}
PRESENTATION_MAIN = "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"
PICTURE_TYPES = {"png": "image/png", "jpeg": "image/jpeg", "gif": "image/gif", "emf": "image/x-emf",
                 "wmf": "image/x-wmf"}
# Elements that only refer to a dropped part: removed with it.  Others lose just the attribute.
ATTRIBUTE_ONLY = {f"{{{A}}}blip"}  # r:embed / r:link are optional on a blip


def hardened_parser() -> etree.XMLParser:
    """An lxml parser that reads no DTD, resolves no entity and never uses the network."""
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False,
                           huge_tree=False, remove_pis=False)


class UnsafeTemplate(ValueError):
    """The template cannot be used safely; the message is one sentence naming the part."""


@dataclass
class _Part:
    name: str  # without the leading slash: ppt/slideMasters/slideMaster1.xml
    data: bytes
    content_type: str
    picture: bool = False  # reached through an image relationship: checked as a picture, never parsed


def read_template(path) -> bytes:
    """The bytes of a template file: a regular file (not a FIFO or device, checked before
    reading) of at most :data:`MAX_TEMPLATE_BYTES`."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    fd = os.open(path, flags)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise UnsafeTemplate("not a regular file (a folder, pipe or device)")
        if info.st_size > MAX_TEMPLATE_BYTES:
            raise UnsafeTemplate(f"the file is larger than {MAX_TEMPLATE_BYTES // 2**20} MB")
        with os.fdopen(os.dup(fd), "rb") as handle:
            data = handle.read(MAX_TEMPLATE_BYTES + 1)
    finally:
        os.close(fd)
    if len(data) > MAX_TEMPLATE_BYTES:
        raise UnsafeTemplate(f"the file is larger than {MAX_TEMPLATE_BYTES // 2**20} MB")
    return data


def _members(data: bytes) -> dict[str, bytes]:
    """Every member of the zip, inflated within the limits (checked before inflating)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise UnsafeTemplate(f"not a readable PowerPoint presentation (not a zip file: {exc})") from None
    infos = archive.infolist()
    if len(infos) > MAX_MEMBERS:
        raise UnsafeTemplate(f"the package has {len(infos)} members (at most {MAX_MEMBERS})")
    total = 0
    for info in infos:
        if info.file_size > MAX_MEMBER_BYTES:
            raise UnsafeTemplate(f"member {info.filename!r} inflates to {info.file_size} bytes "
                                 f"(at most {MAX_MEMBER_BYTES // 2**20} MB): refused unread")
        if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(1, info.compress_size):
            raise UnsafeTemplate(f"member {info.filename!r} inflates {info.file_size // max(1, info.compress_size)}"
                                 f" times (a zip bomb?): refused unread")
        total += info.file_size
        if total > MAX_TOTAL_BYTES:
            raise UnsafeTemplate(f"the package inflates to more than {MAX_TOTAL_BYTES // 2**20} MB: refused unread")
    members: dict[str, bytes] = {}
    for info in infos:
        if info.is_dir():
            continue
        name = info.filename
        if name in members:
            raise UnsafeTemplate(f"member {name!r} appears twice")
        try:
            with archive.open(info) as handle:  # never inflate past the declared size
                blob = handle.read(info.file_size + 1)
        except (zipfile.BadZipFile, zlib.error, NotImplementedError, RuntimeError, EOFError) as exc:
            raise UnsafeTemplate(f"member {name!r} cannot be read ({type(exc).__name__})") from None
        if len(blob) > info.file_size:
            raise UnsafeTemplate(f"member {name!r} inflates past its declared size: refused")
        members[name] = blob
    return members


def parse_xml(name: str, blob: bytes) -> etree._Element:
    """Parse one XML part with the hardened parser; a DOCTYPE or malformed XML is refused."""
    try:
        root = etree.fromstring(blob, hardened_parser())
    except etree.XMLSyntaxError as exc:
        raise UnsafeTemplate(f"part {name!r} is not well-formed XML ({exc.msg})") from None
    tree = root.getroottree()
    if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:
        raise UnsafeTemplate(f"part {name!r} has a DOCTYPE (entity definitions are not allowed)")
    for node in root.iter():
        if isinstance(node, etree._Entity):
            raise UnsafeTemplate(f"part {name!r} uses an entity ({node.text}): not allowed")
    return root


def _refused(text: str) -> str | None:
    """What a relationship or content type carries that no template may, or None."""
    low = text.lower()
    last = low.rsplit("/", 1)[-1]
    for word, what in REFUSED.items():
        if word in ("vba", "ole", "control"):
            if last == word or last.startswith(word + "+") or last.endswith("." + word) or last.startswith(word + "."):
                return what
            continue
        if word in low:
            return what
    return None


def _rels_name(part: str) -> str:
    folder, base = posixpath.split(part)
    return posixpath.join(folder, "_rels", base + ".rels")


def _resolve(source: str, target: str) -> str:
    """A relationship's target as a member name, relative to its source part ("" for the package)."""
    if target.startswith("/"):
        joined = target.lstrip("/")
    else:
        joined = posixpath.join(posixpath.dirname(source), target)
    normal = posixpath.normpath(joined)
    if normal.startswith("../") or normal == ".." or normal.startswith("/"):
        raise UnsafeTemplate(f"a relationship of {source or 'the package'!r} points outside the package ({target!r})")
    return normal


def _content_types(members: dict[str, bytes]) -> dict[str, str]:
    """Member name -> content type, from ``[Content_Types].xml``."""
    name = "[Content_Types].xml"
    if name not in members:
        raise UnsafeTemplate("not a readable PowerPoint presentation (no [Content_Types].xml)")
    root = parse_xml(name, members[name])
    defaults = {d.get("Extension", "").lower(): d.get("ContentType", "") for d in root.iter(f"{{{CT}}}Default")}
    overrides = {o.get("PartName", "").lstrip("/"): o.get("ContentType", "") for o in root.iter(f"{{{CT}}}Override")}
    types = {}
    for member in members:
        ext = member.rsplit(".", 1)[-1].lower() if "." in member else ""
        types[member] = overrides.get(member, defaults.get(ext, ""))
    return types  # checked for what no template may carry by the caller, part by part (unused defaults aside)


def picture_kind(blob: bytes) -> str:
    """What a picture is (a key of :data:`PICTURE_TYPES`), after checking its structure;
    :class:`ValueError` if it is none of them or is damaged."""
    if blob.startswith(b"\x89PNG\r\n\x1a\n"):
        _check_png(blob)
        return "png"
    if blob.startswith(b"\xff\xd8"):
        _check_jpeg(blob)
        return "jpeg"
    if blob[:6] in (b"GIF87a", b"GIF89a"):
        width, height = struct.unpack("<HH", blob[6:10])
        _check_size(width, height)
        return "gif"
    if len(blob) >= 44 and blob[:4] == b"\x01\x00\x00\x00" and blob[40:44] == b" EMF":
        return "emf"
    if blob[:4] in (b"\xd7\xcd\xc6\x9a", b"\x01\x00\x09\x00", b"\x02\x00\x09\x00"):
        return "wmf"
    raise ValueError("not a PNG, JPEG, GIF, EMF or WMF picture")


def _check_size(width: int, height: int) -> None:
    if width <= 0 or height <= 0 or width * height > MAX_PIXELS:
        raise ValueError(f"{width}×{height} pixels (at most {MAX_PIXELS // 1_000_000} million)")


def _check_png(blob: bytes) -> None:
    pos, seen_header = 8, False
    while pos + 12 <= len(blob):
        length, kind = struct.unpack(">I4s", blob[pos:pos + 8])
        end = pos + 12 + length
        if end > len(blob):
            break
        body = blob[pos + 8:pos + 8 + length]
        if zlib.crc32(kind + body) != struct.unpack(">I", blob[end - 4:end])[0]:
            raise ValueError(f"damaged PNG (chunk {kind.decode('latin-1')!r} fails its checksum)")
        if kind == b"IHDR":
            _check_size(*struct.unpack(">II", body[:8]))
            seen_header = True
        if kind == b"IEND":
            if not seen_header:
                break
            return
        pos = end
    raise ValueError("damaged PNG (no header or no end)")


def _check_jpeg(blob: bytes) -> None:
    pos = 2
    while pos + 4 <= len(blob):
        if blob[pos] != 0xFF:
            break
        marker = blob[pos + 1]
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:
            pos += 2
            continue
        length = struct.unpack(">H", blob[pos + 2:pos + 4])[0]
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            height, width = struct.unpack(">HH", blob[pos + 5:pos + 9])
            _check_size(width, height)
            return
        pos += 2 + length
    raise ValueError("damaged JPEG (no frame header)")


def clean_template(data: bytes) -> bytes:
    """The template package ``data`` with only what a deck needs (see the module's docstring);
    :class:`UnsafeTemplate` for what must be refused."""
    members = _members(data)
    types = _content_types(members)
    for member in members:
        kind = types.get(member, "")
        what = _refused(kind)
        if what:
            raise UnsafeTemplate(f"the template carries {what} (content type {kind!r}); save it as a plain .pptx "
                                 "without them")
        what = _refused(PurePosixPath(member).name)
        if what:
            raise UnsafeTemplate(f"the template carries {what} (part {member!r}); save it as a plain .pptx "
                                 "without them")
    kept: dict[str, _Part] = {}
    dropped: dict[str, set[str]] = {}  # part -> rIds whose targets are not carried over
    kept_rels: dict[str, list[tuple[str, str, str]]] = {}  # part ("" = package) -> (rId, type, target as written)
    pending = [""]
    while pending:
        source = pending.pop()
        rels_member = "_rels/.rels" if source == "" else _rels_name(source)
        rels: list[tuple[str, str, str]] = []
        gone: set[str] = set()
        if rels_member in members:
            root = parse_xml(rels_member, members[rels_member])
            for rel in root.iter(f"{{{RELS}}}Relationship"):
                rid, kind, target = rel.get("Id", ""), rel.get("Type", ""), rel.get("Target", "")
                what = _refused(kind)
                if what:
                    raise UnsafeTemplate(f"the template carries {what} (a relationship of "
                                         f"{source or 'the package'!r}); save it as a plain .pptx without them")
                if rel.get("TargetMode", "Internal") == "External":
                    shown = target if len(target) <= 80 else target[:77] + "..."
                    raise UnsafeTemplate(f"part {source or 'the package'!r} links to {shown!r} outside the "
                                         "template (external relationships are not allowed)")
                if kind not in KEPT_RELATIONSHIPS:
                    gone.add(rid)
                    continue
                member = _resolve(source, unquote(target))
                if member not in members:
                    gone.add(rid)  # a dangling relationship: nothing to carry over
                    continue
                rels.append((rid, kind, target))  # written back as it was: the parts keep their names
                if member not in kept:
                    picture = kind == OFFICE_RT + "image"
                    kept[member] = _Part(member, members[member], types.get(member, ""), picture)
                    if not picture:
                        pending.append(member)
        kept_rels[source] = rels
        dropped[source] = gone
    return _write(kept, kept_rels, dropped)


def _write(kept: dict[str, _Part], kept_rels: dict, dropped: dict[str, set[str]]) -> bytes:
    overrides: dict[str, str] = {}
    defaults = {"rels": "application/vnd.openxmlformats-package.relationships+xml", "xml": "application/xml"}
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name, part in sorted(kept.items()):
            blob = part.data
            if not part.picture:
                root = parse_xml(name, blob)
                if _drop_references(root, dropped.get(name, set())):
                    blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
                content_type = part.content_type or "application/xml"
                if "presentation" in content_type and content_type.endswith(".main+xml"):
                    content_type = PRESENTATION_MAIN  # a template (.potx) or show (.ppsx) as a presentation
                overrides[name] = content_type
            else:
                try:
                    kind = picture_kind(blob)
                except ValueError as exc:
                    raise UnsafeTemplate(f"picture {name!r}: {exc}") from None
                overrides[name] = PICTURE_TYPES[kind]
            target.writestr(name, blob)
            rels = kept_rels.get(name)
            if rels:
                target.writestr(_rels_name(name), _rels_xml(name, rels))
        target.writestr("_rels/.rels", _rels_xml("", kept_rels.get("", [])))
        types = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n', f'<Types xmlns="{CT}">']
        types += [f'<Default Extension="{ext}" ContentType="{kind}"/>' for ext, kind in defaults.items()]
        types += [f'<Override PartName="/{_attr(name)}" ContentType="{_attr(kind)}"/>'
                  for name, kind in sorted(overrides.items())]
        types.append("</Types>")
        target.writestr("[Content_Types].xml", "".join(types))
    return out.getvalue()


def _attr(text: str) -> str:
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;"))


def _rels_xml(source: str, rels: list[tuple[str, str, str]]) -> str:
    lines = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n', f'<Relationships xmlns="{RELS}">']
    for rid, kind, target in rels:
        lines.append(f'<Relationship Id="{_attr(rid)}" Type="{_attr(kind)}" Target="{_attr(target)}"/>')
    lines.append("</Relationships>")
    return "".join(lines)


def _drop_references(root: etree._Element, gone: set[str]) -> bool:
    """Remove what refers to a relationship that was not carried over; True if anything was."""
    if not gone:
        return False
    changed = False
    for element in list(root.iter()):
        if not isinstance(element.tag, str):
            continue
        refs = [key for key, value in element.attrib.items() if key.startswith(f"{{{R}}}") and value in gone]
        if not refs:
            continue
        changed = True
        if element.tag in ATTRIBUTE_ONLY:
            for key in refs:
                del element.attrib[key]
        elif element.getparent() is not None:
            element.getparent().remove(element)
    return changed
