"""Tagged PDF (PDF/UA-1) for ReportLab output: structure, artifacts, links, outline, XMP.

ReportLab has no tagging API, so tagging happens in two steps:

1. **While drawing**, a :class:`TaggingCanvas` wraps each piece of real
   content in ``/Role <</MCID n>> BDC ... EMC`` for the structure element
   (:class:`Node`) it belongs to, wraps the content it is told about (the
   running footer) in ``/Artifact`` and, when a page is finished, wraps
   every other painting operator (rules, callout backgrounds) in
   ``/Artifact`` too, so nothing on a page is left untagged.  The text
   engine only sees opaque tags (``TextBlock.tag``) and calls
   :meth:`TaggingCanvas.mark_content`.
2. **After ReportLab has written the file**, :func:`finish` (pikepdf) adds
   what needs object references: the structure tree and its ParentTree,
   ``/StructParents`` and ``/Tabs /S`` on pages, link annotations for every
   DOI and URL (each inside its Link element), the outline (one bookmark per
   heading), XMP metadata with ``pdfuaid:part 1``, ``/MarkInfo``,
   ``/ViewerPreferences`` (``DisplayDocTitle``; ``/Direction /R2L`` for
   right-to-left documents).

The renderer builds the tree in reading order (block by block, in the
document's logical order), so the structure order is the reading order
whatever the visual layout (columns, right to left).  A paragraph split
across pages keeps one element: both halves carry the same :class:`Node`.
"""

from __future__ import annotations

import io
import re
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import NamedTuple
from xml.sax.saxutils import escape

import pikepdf
from reportlab.pdfgen import canvas as rl_canvas

from leaflets.render import rlshim

# Operators that paint (the rest only set state): what must be tagged or an artifact.
_PAINTS = re.compile(r"(?:^|\s)(?:S|s|f\*?|F|B\*?|b\*?|sh|Do|Tj|TJ|'|\"|EI)(?:\s|$)")
ARTIFACT = "/Artifact BMC"


@dataclass(eq=False)
class Mark:
    """One marked-content sequence: its page, MCID and position in the logical text."""

    page: "PageRecord"
    mcid: int
    order: int


@dataclass(eq=False)
class Node:
    """A structure element.  ``inline`` elements (Link, Span, a label inside a
    text block) join their parent when first drawn, in logical-text order."""

    role: str
    parent: "Node | None" = None
    lang: str | None = None
    alt: str | None = None
    uri: str | None = None  # Link: the target
    text: str | None = None  # headings: the bookmark title; links: the annotation's /Contents
    id: str | None = None
    list_numbering: str | None = None
    inline: bool = False
    kids: list = field(default_factory=list)  # Node | Mark
    boxes: list = field(default_factory=list)  # (PageRecord, (x0, y0, x1, y1)) in page space
    order: int | None = None

    def __copy__(self):
        return self  # a flowable copied by ReportLab (balanced columns) still tags the tree's element

    def __deepcopy__(self, memo):
        return self


@dataclass(eq=False)
class PageRecord:
    """Marked content of one page: MCID -> element."""

    owners: list = field(default_factory=list)

    def next_mcid(self, node: Node) -> int:
        self.owners.append(node)
        return len(self.owners) - 1


class StructureTree:
    """The document's structure, built in reading order by the renderer."""

    def __init__(self, lang: str):
        self.lang = lang
        self.root = Node("Document")
        self.pages: list[PageRecord] = []
        self._stack = [self.root]
        self._notes = 0

    def add(self, role: str, *, parent: Node | None = None, inline: bool = False, **attrs) -> Node:
        """A new element under ``parent`` or the current one (block elements join it now)."""
        parent = parent or self._stack[-1]
        if role == "Note":  # PDF/UA: a Note has an ID
            self._notes += 1
            attrs.setdefault("id", f"note-{self._notes}")
        lang = attrs.pop("lang", None)
        node = Node(role, parent, inline=inline, lang=lang if lang and lang != self._lang_of(parent) else None,
                    **attrs)
        if not inline:
            parent.kids.append(node)
        return node

    def _lang_of(self, node: Node | None) -> str:
        while node is not None:
            if node.lang:
                return node.lang
            node = node.parent
        return self.lang

    @contextmanager
    def element(self, role: str, **attrs):
        """An element whose children are added inside the ``with`` block."""
        node = self.add(role, **attrs)
        self._stack.append(node)
        try:
            yield node
        finally:
            self._stack.pop()


class TaggingCanvas(rl_canvas.Canvas):
    """A canvas that writes marked content for a :class:`StructureTree`.

    Subclasses set ``structure`` (class attribute) before ReportLab makes
    the canvas.  Per-page state lives in the instance ``__dict__`` so canvases
    that defer pages (snapshot and restore ``__dict__``) keep it per page.
    """

    structure: StructureTree | None = None

    def __init__(self, *args, **kwargs):
        """ReportLab writes the streams uncompressed: :func:`finish` gives every stream of
        the document to qpdf, which compresses each once (it would otherwise undo
        ReportLab's ASCII85 and Flate filters and compress again), so what ReportLab
        spent compressing was thrown away; the bytes qpdf writes are the same."""
        super().__init__(*args, **kwargs)
        self.setPageCompression(0)

    def _startPage(self):
        super()._startPage()
        self._page_record = None
        self._open = None
        self._artifacts = 0

    def _record(self) -> PageRecord:
        if getattr(self, "_page_record", None) is None:
            self._page_record = PageRecord()
        return self._page_record

    def mark_content(self, tag, order: int = 0, box=None) -> None:
        """Make what is drawn next content of element ``tag`` (None: leave as is).

        Inside an artifact, a :class:`LanguageSpan` marks text in another
        language (the English half of a draft notice) and None ends it.
        """
        if getattr(self, "_artifacts", 0):
            if isinstance(getattr(self, "_open", None), LanguageSpan) and tag != self._open:
                self.unmark_content()
            if isinstance(tag, LanguageSpan) and tag != getattr(self, "_open", None):
                self._code.append(f"/Span <</Lang ({_lang(tag.lang)})>> BDC")
                self._open = tag
            return
        if not isinstance(tag, Node):
            return
        record = self._record()
        if getattr(self, "_open", None) is not tag:
            self.unmark_content()
            mcid = record.next_mcid(tag)
            self._code.append(f"/{_name(tag.role)} <</MCID {mcid}>> BDC")
            tag.kids.append(Mark(record, mcid, order))
            if tag.order is None:
                tag.order = order
                if tag.inline and tag.parent is not None:
                    tag.parent.kids.append(tag)
            self._open = tag
        if box is not None:
            x0, baseline, x1, size = box
            tag.boxes.append((record, self._page_rect(x0, baseline - 0.25 * size, x1, baseline + 0.95 * size)))

    def link_area(self, node: "Node", order: int, box) -> None:
        """Where a Link element's text is drawn (its annotation's rectangle); the text itself
        stays content of the element it is part of."""
        if getattr(self, "_artifacts", 0):
            return
        x0, baseline, x1, size = box
        node.boxes.append((self._record(), self._page_rect(x0, baseline - 0.25 * size, x1, baseline + 0.95 * size)))
        if node.order is None:
            node.order = order
            if node.inline and node.parent is not None:
                node.parent.kids.append(node)

    def unmark_content(self) -> None:
        if getattr(self, "_open", None) is not None:
            self._code.append("EMC")
            self._open = None

    @contextmanager
    def artifact(self, kind: str = "Pagination"):
        """Content drawn inside is an artifact (running footer, page number)."""
        self.unmark_content()
        self._code.append(f"/Artifact <</Type /{_name(kind)}>> BDC")
        self._artifacts = getattr(self, "_artifacts", 0) + 1
        try:
            yield
        finally:
            self.unmark_content()
            self._artifacts -= 1
            self._code.append("EMC")

    def showPage(self):
        self.unmark_content()
        record = self._record()
        self._code[:] = _artifacts_around_untagged(self._code)
        if self.structure is not None:
            self.structure.pages.append(record)
        super().showPage()
        page = self._doc.Pages.pages[-1]
        page.stream = rlshim.pdfdoc_bytes(page.stream)

    def _page_rect(self, x0, y0, x1, y1):
        a, b, c, d, e, f = self._currentMatrix
        points = [(a * x + c * y + e, b * x + d * y + f) for x, y in ((x0, y0), (x1, y0), (x0, y1), (x1, y1))]
        xs, ys = [p[0] for p in points], [p[1] for p in points]
        return (min(xs), min(ys), max(xs), max(ys))


def _artifacts_around_untagged(code: list[str]) -> list[str]:
    """Wrap every painting operator outside marked content as an artifact."""
    out, depth = [], 0
    for entry in code:
        if depth == 0 and _PAINTS.search(entry) and not entry.endswith(("BDC", "BMC")):
            out += [ARTIFACT, entry, "EMC"]
            continue
        if entry.endswith((" BDC", " BMC")):
            depth += 1
        elif entry == "EMC":
            depth -= 1
        out.append(entry)
    return out


class LanguageSpan(NamedTuple):
    """Artifact text in a language other than the document's (no structure element)."""

    lang: str


def _lang(value: str) -> str:
    if not re.fullmatch(r"[A-Za-z]{2,8}(?:-[A-Za-z0-9]{1,8})*", value):
        raise ValueError(f"not a BCP 47 language tag: {value!r}")
    return value


def _name(value: str) -> str:
    if not re.fullmatch(r"[A-Za-z][A-Za-z0-9]*", value):
        raise ValueError(f"not a PDF name: {value!r}")
    return value


@dataclass(frozen=True)
class Metadata:
    title: str
    lang: str
    author: str = ""
    subject: str = ""
    keywords: str = ""
    creator: str = "leaflets"
    producer: str = "leaflets (ReportLab)"
    rtl: bool = False


def finish(data: bytes, structure: StructureTree, meta: Metadata) -> bytes:
    """The PDF ``data`` with its structure tree, links, outline and metadata added."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        if len(pdf.pages) != len(structure.pages):
            raise ValueError(f"{len(pdf.pages)} pages but {len(structure.pages)} tagged")
        page_objs = {id(record): page.obj for record, page in zip(structure.pages, pdf.pages)}
        tree_root = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.StructTreeRoot))
        parents: dict[int, list] = {i: [None] * len(r.owners) for i, r in enumerate(structure.pages)}
        page_index = {id(record): i for i, record in enumerate(structure.pages)}
        annotations: list = []  # (page obj, annotation, Link elem)
        bookmarks: list = []  # (level, title, page index, top)
        elems: dict[int, pikepdf.Object] = {}
        ids: dict[str, pikepdf.Object] = {}  # element ID -> element (the IDTree)

        content = _with_content(structure.root)  # ids of the elements that have content
        links: list = []  # (Link element, its kids): their K is set once their annotations are added

        def build(node: Node, parent_obj) -> pikepdf.Object | None:
            # one dictionary made with all its entries and one array of kids, not an entry at a time
            if id(node) not in content:
                return None
            fields = {"/Type": _STRUCT_ELEM, "/S": pikepdf.Name("/" + node.role), "/P": parent_obj}
            first = _first_mark(node)
            if first is not None:
                fields["/Pg"] = page_objs[id(first.page)]
            if node.lang:
                fields["/Lang"] = pikepdf.String(node.lang)
            if node.alt:
                fields["/Alt"] = pikepdf.String(node.alt)
            if node.role == "Figure" and node.boxes:  # where the figure is (PDF/UA: Layout BBox)
                fields["/A"] = pikepdf.Dictionary(O=pikepdf.Name.Layout, BBox=pikepdf.Array(node.boxes[0][1]))
            if node.id:
                if node.id in ids:
                    raise ValueError(f"two structure elements have the ID {node.id!r}")
                fields["/ID"] = pikepdf.String(node.id)
            if node.list_numbering:
                fields["/A"] = pikepdf.Dictionary(O=pikepdf.Name.List,
                                                  ListNumbering=pikepdf.Name("/" + node.list_numbering))
            elem = pdf.make_indirect(pikepdf.Dictionary(fields))
            elems[id(node)] = elem
            if node.id:
                ids[node.id] = elem
            kids: list = []
            items = node.kids
            if any(isinstance(k, Mark) for k in items):
                items = sorted(items, key=lambda k: k.order if isinstance(k, Mark) else (k.order or 0))
            for kid in items:
                if isinstance(kid, Mark):
                    parents[page_index[id(kid.page)]][kid.mcid] = elem
                    if first is not None and kid.page is first.page:
                        kids.append(kid.mcid)
                    else:
                        kids.append(pikepdf.Dictionary(Type=_MCR, Pg=page_objs[id(kid.page)], MCID=kid.mcid))
                else:
                    child = build(kid, elem)
                    if child is not None:
                        kids.append(child)
            if node.role == "Link" and node.uri:
                for record, rect in _line_boxes(node.boxes):
                    annotations.append((page_objs[id(record)], rect, node, elem, kids))
                links.append((elem, kids))
            else:
                elem.K = pikepdf.Array(kids)
            if node.role in ("H1", "H2", "H3") and node.text and node.boxes:
                record, rect = node.boxes[0]
                bookmarks.append((int(node.role[1]), node.text, page_index[id(record)], rect[3]))
            return elem

        document = build(structure.root, tree_root)
        next_key = len(structure.pages)
        nums = pikepdf.Array()
        for index, owners in parents.items():
            nums.extend([index, pdf.make_indirect(pikepdf.Array(owners))])
            pdf.pages[index].obj.StructParents = index
            pdf.pages[index].obj.Tabs = pikepdf.Name.S
        for page_obj, rect, node, elem, kids in annotations:
            annot = pdf.make_indirect(pikepdf.Dictionary(
                Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Link, Rect=pikepdf.Array(rect),
                Border=pikepdf.Array([0, 0, 0]), F=4, Contents=pikepdf.String(node.text or node.uri),
                A=pikepdf.Dictionary(S=pikepdf.Name.URI, URI=pikepdf.String(node.uri)), StructParent=next_key))
            if "/Annots" not in page_obj:
                page_obj.Annots = pikepdf.Array()
            page_obj.Annots.append(annot)
            kids.append(pikepdf.Dictionary(Type=pikepdf.Name.OBJR, Obj=annot, Pg=page_obj))
            nums.extend([next_key, elem])
            next_key += 1
        for elem, kids in links:
            elem.K = pikepdf.Array(kids)
        tree_root.K = document
        tree_root.ParentTree = pdf.make_indirect(pikepdf.Dictionary(Nums=nums))
        if ids:
            tree_root.IDTree = id_tree(pdf, ids)
        tree_root.ParentTreeNextKey = next_key
        catalog = pdf.Root
        catalog.StructTreeRoot = tree_root
        catalog.MarkInfo = pikepdf.Dictionary(Marked=True)
        catalog.Lang = pikepdf.String(meta.lang)
        prefs = catalog.get("/ViewerPreferences", pikepdf.Dictionary())
        prefs.DisplayDocTitle = True
        if meta.rtl:
            prefs.Direction = pikepdf.Name.R2L
        catalog.ViewerPreferences = prefs
        _add_outline(pdf, bookmarks)
        created = str(pdf.docinfo.get("/CreationDate", ""))
        modified = str(pdf.docinfo.get("/ModDate", created))
        catalog.Metadata = pdf.make_stream(xmp(meta, _iso(created), _iso(modified)).encode("utf-8"),
                                           Type=pikepdf.Name.Metadata, Subtype=pikepdf.Name.XML)
        out = io.BytesIO()
        pdf.save(out, deterministic_id=True, compress_streams=True)
        return out.getvalue()


def id_tree(pdf: pikepdf.Pdf, ids: dict[str, pikepdf.Object]) -> pikepdf.Object:
    """The structure tree's IDTree (PDF 1.7, 14.7.2): a name tree from each element ID to its
    element, keys in byte order (one leaf: a handout has a few IDs)."""
    names = pikepdf.Array()
    for key in sorted(ids, key=lambda k: k.encode("utf-8")):
        names.extend([pikepdf.String(key), ids[key]])
    return pdf.make_indirect(pikepdf.Dictionary(Names=names))


def _with_content(root: Node) -> set[int]:
    """The ids of the elements under ``root`` (itself too) that have content (marked content,
    or a link with boxes, in them or under them; the others are left out of the tree):
    each element visited once, its children before it."""
    found: set[int] = set()

    def visit(node: Node) -> bool:
        has = bool(node.uri and node.boxes)
        for kid in node.kids:
            if isinstance(kid, Mark):
                has = True
            elif visit(kid):
                has = True
        if has:
            found.add(id(node))
        return has
    visit(root)
    return found


_STRUCT_ELEM = pikepdf.Name.StructElem
_MCR = pikepdf.Name.MCR


def _first_mark(node: Node) -> Mark | None:
    marks = [k for k in node.kids if isinstance(k, Mark)]
    return min(marks, key=lambda m: m.order) if marks else None


def _line_boxes(boxes: list) -> list:
    """Boxes of one element merged per page and line (a link may wrap)."""
    merged: list = []
    for record, (x0, y0, x1, y1) in boxes:
        last = merged[-1] if merged else None
        if last and last[0] is record and abs(last[1][1] - y0) < 0.5:
            lx0, ly0, lx1, ly1 = last[1]
            merged[-1] = (record, (min(lx0, x0), min(ly0, y0), max(lx1, x1), max(ly1, y1)))
        else:
            merged.append((record, (x0, y0, x1, y1)))
    return [(record, [round(v, 2) for v in rect]) for record, rect in merged]


def _add_outline(pdf, bookmarks: list) -> None:
    if not bookmarks:
        return
    with pdf.open_outline() as outline:
        parent = None
        for level, title, page, top in bookmarks:
            item = pikepdf.OutlineItem(title, page, "XYZ", top=round(top, 2))
            if level == 1 or parent is None:
                outline.root.append(item)
                parent = item if level == 1 else parent
            else:
                parent.children.append(item)
        for item in outline.root:
            item.is_closed = False
    pdf.Root.PageMode = pikepdf.Name.UseOutlines


def _iso(pdf_date: str) -> str:
    """``D:20000101000000+00'00'`` as ISO 8601 (XMP dates)."""
    match = re.match(r"D:(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})([+\-Z])?(\d{2})?'?(\d{2})?", pdf_date)
    if not match:
        return "2000-01-01T00:00:00Z"
    y, mo, d, h, mi, s, sign, tzh, tzm = match.groups()
    zone = "Z" if sign in (None, "Z") or (tzh in (None, "00") and tzm in (None, "00")) else f"{sign}{tzh}:{tzm or '00'}"
    return f"{y}-{mo}-{d}T{h}:{mi}:{s}{zone}"


def xmp(meta: Metadata, created: str, modified: str) -> str:
    """XMP packet: Dublin Core title, language, creator, description; PDF/UA identification."""
    e = lambda value: escape(value, {'"': "&quot;"})  # noqa: E731
    author = f"<dc:creator><rdf:Seq><rdf:li>{e(meta.author)}</rdf:li></rdf:Seq></dc:creator>" if meta.author else ""
    subject = (f'<dc:description><rdf:Alt><rdf:li xml:lang="x-default">{e(meta.subject)}</rdf:li></rdf:Alt>'
               "</dc:description>") if meta.subject else ""
    return (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/">\n'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n'
        '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:pdf="http://ns.adobe.com/pdf/1.3/" xmlns:xmp="http://ns.adobe.com/xap/1.0/" '
        'xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/">\n'
        f'<dc:title><rdf:Alt><rdf:li xml:lang="x-default">{e(meta.title)}</rdf:li></rdf:Alt></dc:title>\n'
        f"<dc:language><rdf:Bag><rdf:li>{e(meta.lang)}</rdf:li></rdf:Bag></dc:language>\n"
        f"{author}{subject}\n"
        "<dc:format>application/pdf</dc:format>\n"
        f"<pdf:Producer>{e(meta.producer)}</pdf:Producer>\n"
        f"<pdf:Keywords>{e(meta.keywords)}</pdf:Keywords>\n"
        f"<xmp:CreatorTool>{e(meta.creator)}</xmp:CreatorTool>\n"
        f"<xmp:CreateDate>{created}</xmp:CreateDate>\n"
        f"<xmp:ModifyDate>{modified}</xmp:ModifyDate>\n"
        "<pdfuaid:part>1</pdfuaid:part>\n"
        "</rdf:Description>\n</rdf:RDF>\n</x:xmpmeta>\n"
        '<?xpacket end="w"?>'
    )
