"""Cut pages out of a finished handout PDF, keeping it a valid tagged PDF.

``build --only`` renders the full handout (the pages a string lands on
depend on everything before it) and keeps the pages that show the string.
Deleting pages alone would leave the structure tree, its ParentTree, the
outline and the link annotations pointing at pages that are gone (and
writing them out again through those references), so :func:`keep_pages`
prunes each of them to what is still on the kept pages, and labels the
pages with their numbers in the full handout.
"""

from __future__ import annotations

import io
from collections.abc import Iterable

import pikepdf


def keep_pages(data: bytes, pages: Iterable[int]) -> bytes:
    """The PDF ``data`` with only ``pages`` (numbered from 1, in order), tagged as before."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        count = len(pdf.pages)
        wanted = sorted(set(pages))
        if not wanted or wanted[0] < 1 or wanted[-1] > count:
            raise ValueError(f"pages {wanted} are not pages of a {count}-page document")
        kept = {pdf.pages[n - 1].obj.objgen for n in wanted}
        root = pdf.Root
        if "/StructTreeRoot" in root:
            title = str(pdf.docinfo.get("/Title", ""))
            _prune_structure(root.StructTreeRoot, kept, [pdf.pages[n - 1].obj for n in wanted], title)
        _prune_outline(pdf, kept)
        for index in range(count - 1, -1, -1):
            if index + 1 not in wanted:
                del pdf.pages[index]
        # viewers show each page's number in the full handout ("2", not "1")
        labels = pikepdf.Array()
        for index, number in enumerate(wanted):
            labels.extend([index, pikepdf.Dictionary(S=pikepdf.Name.D, St=number)])
        root.PageLabels = pikepdf.Dictionary(Nums=labels)
        out = io.BytesIO()
        pdf.save(out, deterministic_id=True, compress_streams=True)
        return out.getvalue()


def _on(obj, kept: set) -> bool:
    return obj is not None and obj.objgen in kept


def _prune_structure(tree, kept: set, pages: list, title: str) -> None:
    """Drop marked content, annotations and elements that were on removed pages.

    The document's title heading (H1) stays, empty, with the title as its
    ActualText: headings on the kept pages still nest under it (PDF/UA), and a
    screen reader still announces which handout the pages come from."""

    def prune(elem) -> bool:
        page = elem.get("/Pg")
        kids = elem.get("/K")
        if kids is None:
            return False
        items = list(kids) if isinstance(kids, pikepdf.Array) else [kids]
        out = []
        for kid in items:
            if isinstance(kid, int):  # marked content on the element's own page
                if _on(page, kept):
                    out.append(kid)
            elif isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") in (pikepdf.Name.MCR, pikepdf.Name.OBJR):
                if _on(kid.get("/Pg"), kept):
                    out.append(kid)
            elif isinstance(kid, pikepdf.Dictionary) and prune(kid):
                out.append(kid)
        if page is not None and not _on(page, kept):
            other = next((k.Pg for k in out if isinstance(k, pikepdf.Dictionary) and _on(k.get("/Pg"), kept)), None)
            if other is not None:
                elem.Pg = other
            else:
                del elem["/Pg"]
        elem.K = pikepdf.Array(out)
        if not out and elem.get("/S") == pikepdf.Name.H1 and title:
            elem.ActualText = pikepdf.String(title)
            return True
        return bool(out)

    document = tree.get("/K")
    if document is not None:
        prune(document)
    if "/IDTree" in tree:  # elements pruned away leave the IDTree too
        kept_ids = {str(elem.ID) for elem in _elements(document) if "/ID" in elem}
        names = list(tree.IDTree.get("/Names", []))
        tree.IDTree.Names = pikepdf.Array([item for key, value in zip(names[::2], names[1::2])
                                           if str(key) in kept_ids for item in (key, value)])
    parents = tree.get("/ParentTree")
    if parents is None or "/Nums" not in parents:
        return
    keys = {int(page.StructParents) for page in pages if "/StructParents" in page}
    keys |= {int(annot.StructParent) for page in pages for annot in page.get("/Annots", [])
             if "/StructParent" in annot}
    nums = list(parents.Nums)
    parents.Nums = pikepdf.Array([item for key, value in zip(nums[::2], nums[1::2]) if int(key) in keys
                                  for item in (key, value)])


def _elements(elem):
    """``elem`` and every structure element under it."""
    if not isinstance(elem, pikepdf.Dictionary) or elem.get("/Type") in (pikepdf.Name.MCR, pikepdf.Name.OBJR):
        return
    yield elem
    kids = elem.get("/K")
    for kid in (kids if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []):
        yield from _elements(kid)


def _prune_outline(pdf, kept: set) -> None:
    """Bookmarks of removed pages go; their children on kept pages move up a level."""
    if "/Outlines" not in pdf.Root:
        return

    def keep(items) -> list:
        out = []
        for item in items:
            children = keep(item.children)
            destination = item.destination
            page = destination[0] if isinstance(destination, pikepdf.Array) and len(destination) else None
            if page is not None and _on(page, kept):
                item.children[:] = children
                out.append(item)
            else:
                out += children
        return out

    with pdf.open_outline() as outline:
        outline.root[:] = keep(list(outline.root))
