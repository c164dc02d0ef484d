"""Joining laid-out units into one PDF: their pages in book order with the furniture layer
(running heads, folios) laid over each, blank versos where the furniture has them, one
font object per face, one outline, and every link — within a unit or across units — going
to its named destination.
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Mapping, Sequence

import pikepdf

from publish.pdf.fonts import merge_fonts, untag_font_names
from publish.pdf.furniture import Slot
from publish.pdf.units import UnitLayout

CATALOG_KEYS_FROM_FURNITURE = ("/Lang", "/ViewerPreferences", "/PageMode", "/MarkInfo")


def join(units: Sequence[UnitLayout], furniture: bytes, slots: Sequence[Slot], *,
         originals: Mapping[str, bytes], whole_fonts: bool = False, even: bool = True,
         tagged: bool = False, dated: datetime.datetime | None = None) -> bytes:
    """The book's PDF: furniture page i over page `slots[i]` of its unit (or alone, for a
    blank page); ending on an even page when `even`. With `tagged`, the units were written
    as PDF/UA-1 and their structure trees are joined (the furniture is an artifact). With
    `dated`, that is the time its metadata gives for its making."""
    parts = [pikepdf.open(io.BytesIO(unit.pdf)) for unit in units]
    frame = pikepdf.open(io.BytesIO(furniture))
    out = pikepdf.new()
    placed: list[tuple[int, pikepdf.Page]] = []
    for index, slot in enumerate(slots):
        if slot.unit is None:
            out.pages.append(frame.pages[index])
            continue
        out.pages.append(parts[slot.unit].pages[slot.page])
        placed.append((slot.unit, out.pages[-1]))
        _overlay(out, out.pages[-1], frame, frame.pages[index], artifact=tagged)
    if tagged:
        _structure(out, parts, placed)
    if even and len(out.pages) % 2:
        blank = next((i for i, s in enumerate(slots) if s.unit is None), None)
        if blank is None:
            raise ValueError("no blank page to end the book on")
        out.pages.append(frame.pages[blank])
    _destinations(out, parts, units)
    _outline(out, parts)
    _catalog(out, frame, parts[0] if tagged and parts else None)
    if dated is not None:
        _date(out, dated)
    merge_fonts(out, originals, subset=not whole_fonts)
    if whole_fonts:
        untag_font_names(out)
    written = io.BytesIO()
    out.save(written, compress_streams=True,
             object_stream_mode=pikepdf.ObjectStreamMode.generate, deterministic_id=True)
    return written.getvalue()


def _overlay(out: pikepdf.Pdf, page: pikepdf.Page, frame: pikepdf.Pdf,
             furniture: pikepdf.Page, *, artifact: bool = False) -> None:
    """Draw the furniture page over `page` (same size, so no scaling), under a fixed resource
    name so that the same book always gives the same bytes; in a tagged PDF, as an artifact
    (running heads and folios are not the text)."""
    form = out.copy_foreign(frame.make_indirect(furniture.as_form_xobject()))
    # A unit's pages share one resource dictionary: each page gets its own copy.
    resources = pikepdf.Dictionary(page.obj.get("/Resources", pikepdf.Dictionary()))
    xobjects = pikepdf.Dictionary(resources.get("/XObject", pikepdf.Dictionary()))
    xobjects[pikepdf.Name.Furniture] = form
    resources[pikepdf.Name.XObject] = xobjects
    page.obj.Resources = resources
    page.contents_add(b"q\n", prepend=True)
    drawn = b"/Artifact BMC /Furniture Do EMC" if artifact else b"/Furniture Do"
    page.contents_add(b"\nQ q " + drawn + b" Q\n")
    page.contents_coalesce()  # one content stream per page, as a whole-book layout has


def _structure(out: pikepdf.Pdf, parts: Sequence[pikepdf.Pdf],
               placed: Sequence[tuple[int, pikepdf.Page]]) -> None:
    """One structure tree: the units' top elements under one Document element, their parent
    trees renumbered one after another (each page's StructParents and each annotation's
    StructParent moved by the same offset)."""
    document = out.make_indirect(pikepdf.Dictionary(
        {"/Type": pikepdf.Name.StructElem, "/S": pikepdf.Name.Document,
         "/K": pikepdf.Array()}))
    numbers = pikepdf.Array()
    offsets: list[int] = []
    offset = 0
    for part in parts:
        offsets.append(offset)
        tree = part.Root.get("/StructTreeRoot")
        if tree is None:
            continue
        kids = tree.get("/K")
        kids = list(kids) if isinstance(kids, pikepdf.Array) else [kids] if kids else []
        for kid in kids:
            copied = _copy(out, part, kid)
            inner = copied.get("/K") if copied.get("/S") == "/Document" else None
            for element in (inner if isinstance(inner, pikepdf.Array) else [copied]):
                if isinstance(element, pikepdf.Dictionary):
                    element.P = document
                document.K.append(element)
        parents = pikepdf.NumberTree(tree.ParentTree) if "/ParentTree" in tree else {}
        largest = -1
        for key, value in parents.items():
            numbers.append(key + offset)
            numbers.append(_copy(out, part, value) if isinstance(
                value, pikepdf.Array | pikepdf.Dictionary) else value)
            largest = max(largest, key)
        offset += largest + 1
    for unit, page in placed:
        for holder in (page.obj, *page.obj.get("/Annots", [])):
            for key in ("/StructParents", "/StructParent"):
                if key in holder:
                    holder[key] = int(holder[key]) + offsets[unit]
    parent_tree = out.make_indirect(pikepdf.Dictionary({"/Nums": numbers}))
    root = {"/Type": pikepdf.Name.StructTreeRoot, "/K": pikepdf.Array([document]),
            "/ParentTree": parent_tree, "/ParentTreeNextKey": offset}
    first = parts[0].Root.get("/StructTreeRoot") if parts else None
    if first is not None and "/RoleMap" in first:
        root["/RoleMap"] = _copy(out, parts[0], first.RoleMap)
    structure = out.make_indirect(pikepdf.Dictionary(root))
    document.P = structure
    out.Root.StructTreeRoot = structure


def _destinations(out: pikepdf.Pdf, parts: Sequence[pikepdf.Pdf],
                  units: Sequence[UnitLayout]) -> None:
    """One name tree of every anchor, each from the unit that holds it (a unit's ghosts of
    other units' anchors are dropped)."""
    merged: dict[str, pikepdf.Object] = {}
    for part, unit in zip(parts, units, strict=True):
        names = part.Root.get("/Names")
        if names is None or "/Dests" not in names:
            continue
        ghosts = set(unit.ghosts)
        for name, destination in pikepdf.NameTree(names.Dests).items():
            if name not in ghosts:
                merged[name] = _copy(out, part, destination)
    if not merged:
        return
    tree = pikepdf.NameTree.new(out)
    for name in sorted(merged):
        tree[name] = merged[name]
    out.Root.Names = pikepdf.Dictionary({"/Dests": tree.obj})


def _outline(out: pikepdf.Pdf, parts: Sequence[pikepdf.Pdf]) -> None:
    """The units' outlines, one after another."""
    items = []
    for part in parts:
        with part.open_outline() as outline:
            items += [_copy_item(out, part, item) for item in outline.root]
    if not items:
        return
    with out.open_outline() as outline:
        outline.root.extend(items)


def _copy_item(out: pikepdf.Pdf, part: pikepdf.Pdf, item: pikepdf.OutlineItem
               ) -> pikepdf.OutlineItem:
    destination = item.destination
    if isinstance(destination, pikepdf.Array):
        destination = _copy(out, part, destination)
    copy = pikepdf.OutlineItem(item.title, destination=destination)
    copy.is_closed = item.is_closed
    copy.children.extend(_copy_item(out, part, child) for child in item.children)
    return copy


def _copy(out: pikepdf.Pdf, part: pikepdf.Pdf, value: pikepdf.Object) -> pikepdf.Object:
    """`value` of `part` in `out`, its page references pointing at the pages copied over."""
    if not value.is_indirect:
        value = part.make_indirect(value)
    return out.copy_foreign(value)


def _date(out: pikepdf.Pdf, dated: datetime.datetime) -> None:
    """`dated` as the PDF's creation and modification time, in its information dictionary
    and in its XMP metadata where it has some (the two must agree)."""
    stamp = dated.astimezone(datetime.UTC)
    out.docinfo["/CreationDate"] = out.docinfo["/ModDate"] = stamp.strftime("D:%Y%m%d%H%M%SZ")
    if "/Metadata" in out.Root:
        with out.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as meta:
            for key in ("xmp:CreateDate", "xmp:ModifyDate", "xmp:MetadataDate"):
                if key in meta:
                    meta[key] = stamp.isoformat()


def _catalog(out: pikepdf.Pdf, frame: pikepdf.Pdf, tagged: pikepdf.Pdf | None) -> None:
    """Title, author, language and dates: the furniture was laid out from a document with the
    book's own head, so its metadata is the book's. A tagged book takes its marks and its
    XMP metadata (which declares PDF/UA) from a tagged unit."""
    for key, value in frame.docinfo.items():
        out.docinfo[key] = value
    source = tagged or frame
    for key in (*CATALOG_KEYS_FROM_FURNITURE, *(("/Metadata",) if tagged else ())):
        if key in source.Root:
            out.Root[key] = _copy(out, source, source.Root[key])
    if "/Outlines" in out.Root:
        out.Root.PageMode = pikepdf.Name.UseOutlines
