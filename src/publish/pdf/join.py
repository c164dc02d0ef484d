"""Joining laid-out units into one PDF: their pages in book order with the furniture layer
(running heads, folios) laid over each, blank versos where the furniture has them, one
font object per face, one outline, and every link — within a unit or across units — going
to its named destination.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence

import pikepdf

from publish.pdf.fonts import merge_fonts, untag_font_names
from publish.pdf.furniture import Slot
from publish.pdf.units import UnitLayout

CATALOG_KEYS_FROM_FURNITURE = ("/Lang", "/ViewerPreferences", "/PageMode", "/MarkInfo")


def join(units: Sequence[UnitLayout], furniture: bytes, slots: Sequence[Slot], *,
         originals: Mapping[str, bytes], whole_fonts: bool = False, even: bool = True
         ) -> bytes:
    """The book's PDF: furniture page i over page `slots[i]` of its unit (or alone, for a
    blank page); ending on an even page when `even`."""
    parts = [pikepdf.open(io.BytesIO(unit.pdf)) for unit in units]
    frame = pikepdf.open(io.BytesIO(furniture))
    out = pikepdf.new()
    for index, slot in enumerate(slots):
        if slot.unit is None:
            out.pages.append(frame.pages[index])
            continue
        out.pages.append(parts[slot.unit].pages[slot.page])
        _overlay(out, out.pages[-1], frame, frame.pages[index])
    if even and len(out.pages) % 2:
        blank = next((i for i, s in enumerate(slots) if s.unit is None), None)
        if blank is None:
            raise ValueError("no blank page to end the book on")
        out.pages.append(frame.pages[blank])
    _destinations(out, parts, units)
    _outline(out, parts)
    _catalog(out, frame)
    merge_fonts(out, originals, subset=not whole_fonts)
    if whole_fonts:
        untag_font_names(out)
    written = io.BytesIO()
    out.save(written, compress_streams=True,
             object_stream_mode=pikepdf.ObjectStreamMode.generate, deterministic_id=True)
    return written.getvalue()


def _overlay(out: pikepdf.Pdf, page: pikepdf.Page, frame: pikepdf.Pdf,
             furniture: pikepdf.Page) -> None:
    """Draw the furniture page over `page` (same size, so no scaling), under a fixed resource
    name so that the same book always gives the same bytes."""
    form = out.copy_foreign(frame.make_indirect(furniture.as_form_xobject()))
    # A unit's pages share one resource dictionary: each page gets its own copy.
    resources = pikepdf.Dictionary(page.obj.get("/Resources", pikepdf.Dictionary()))
    xobjects = pikepdf.Dictionary(resources.get("/XObject", pikepdf.Dictionary()))
    xobjects[pikepdf.Name.Furniture] = form
    resources[pikepdf.Name.XObject] = xobjects
    page.obj.Resources = resources
    page.contents_add(b"q\n", prepend=True)
    page.contents_add(b"\nQ q /Furniture Do Q\n")
    page.contents_coalesce()  # one content stream per page, as a whole-book layout has


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


def _catalog(out: pikepdf.Pdf, frame: pikepdf.Pdf) -> None:
    """Title, author, language and dates: the furniture was laid out from a document with the
    book's own head, so its metadata is the book's."""
    for key, value in frame.docinfo.items():
        out.docinfo[key] = value
    for key in CATALOG_KEYS_FROM_FURNITURE:
        if key in frame.Root:
            out.Root[key] = _copy(out, frame, frame.Root[key])
    if "/Outlines" in out.Root:
        out.Root.PageMode = pikepdf.Name.UseOutlines
