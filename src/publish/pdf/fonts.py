"""One font object per face in a PDF joined from separately written parts.

Each part embeds its own subset of every face it uses. WeasyPrint subsets with the glyph ids
of the whole font kept (HarfBuzz's RETAIN_GIDS), so the parts' text is drawn with the same
glyph ids throughout: the faces can be joined by cutting one subset of the original font
for the glyphs all parts use, with one width table and one ToUnicode map, and pointing every
part at it. The result embeds each face once, as a whole-book layout does.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping

import pikepdf
import uharfbuzz as hb

_SUBSET_TAG = re.compile(r"^[A-Z]{6}\+")
_BFCHAR = re.compile(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]*)>")


def font_holders(pdf: pikepdf.Pdf) -> Iterator[tuple[pikepdf.Dictionary, str]]:
    """(a /Font resource dictionary, a key in it) for every font every page uses, form
    XObjects (overlays) included, in a fixed order (pikepdf gives a dictionary's keys as a
    set, whose order changes with Python's hash seed: the joined file's would too)."""
    seen: set[tuple[int, int]] = set()

    def walk(resources: pikepdf.Object) -> Iterator[tuple[pikepdf.Dictionary, str]]:
        if not isinstance(resources, pikepdf.Dictionary):
            return
        if resources.is_indirect:
            if resources.objgen in seen:
                return
            seen.add(resources.objgen)
        fonts = resources.get("/Font")
        if isinstance(fonts, pikepdf.Dictionary):
            for key in sorted(fonts.keys()):
                yield fonts, key
        for _name, xobject in (resources.get("/XObject") or {}).items():
            if xobject.get("/Subtype") == "/Form":
                yield from walk(xobject.get("/Resources"))

    for page in pdf.pages:
        yield from walk(page.obj.get("/Resources"))


def merge_fonts(pdf: pikepdf.Pdf, originals: Mapping[str, bytes], *, subset: bool = True
                ) -> int:
    """Give each face (fonts of one BaseFont) one font object. `originals` maps a face's
    BaseFont (subset tag included) to the whole font file it was cut from; a face without
    one keeps its parts' fonts. Without `subset` the parts embed whole fonts, and one of them
    is kept. Returns the number of faces joined."""
    groups: dict[str, dict[tuple[int, int], pikepdf.Dictionary]] = {}
    holders: dict[str, list[tuple[pikepdf.Dictionary, str]]] = {}
    for fonts, key in font_holders(pdf):
        font = fonts[key]
        if font.get("/Subtype") != "/Type0":
            continue
        name = str(font.BaseFont).lstrip("/")
        groups.setdefault(name, {})[font.objgen] = font
        holders.setdefault(name, []).append((fonts, key))
    joined = 0
    for name, fonts in groups.items():
        if len(fonts) < 2 or (subset and name not in originals):
            continue
        merged = _merge(pdf, list(fonts.values()), originals.get(name), subset=subset)
        for fonts_dict, key in holders[name]:
            fonts_dict[key] = merged
        joined += 1
    return joined


def _merge(pdf: pikepdf.Pdf, fonts: list[pikepdf.Dictionary], original: bytes | None, *,
           subset: bool) -> pikepdf.Dictionary:
    widths: dict[int, float] = {}
    text: dict[int, bytes] = {}
    for font in fonts:
        widths.update(_widths(font.DescendantFonts[0].get("/W", pikepdf.Array())))
        text.update(_to_unicode(font.ToUnicode.read_bytes()))
    base = fonts[0]
    cid = base.DescendantFonts[0]
    descriptor = cid.FontDescriptor
    file_key = next(k for k in ("/FontFile3", "/FontFile2", "/FontFile") if k in descriptor)
    if subset and original is not None:
        program = _subset(original, set(widths) | set(text))
        extra = dict(descriptor[file_key].stream_dict)
        extra.pop("/Length", None)
        extra.pop("/Filter", None)
        if "/Length1" in extra:
            extra["/Length1"] = len(program)
        stream = pikepdf.Stream(pdf, program)
        for key, value in extra.items():
            stream[key] = value
        new_file = pdf.make_indirect(stream)
    else:
        new_file = descriptor[file_key]
    new_descriptor = pdf.make_indirect(pikepdf.Dictionary(
        {**{k: v for k, v in descriptor.items() if k != file_key}, file_key: new_file}))
    new_cid = pdf.make_indirect(pikepdf.Dictionary(
        {**{k: v for k, v in cid.items() if k not in ("/W", "/FontDescriptor")},
         "/W": _width_array(widths), "/FontDescriptor": new_descriptor}))
    to_unicode = pdf.make_indirect(pikepdf.Stream(pdf, _cmap(text)))
    return pdf.make_indirect(pikepdf.Dictionary(
        {**{k: v for k, v in base.items() if k not in ("/DescendantFonts", "/ToUnicode")},
         "/DescendantFonts": pikepdf.Array([new_cid]), "/ToUnicode": to_unicode}))


def _widths(array: pikepdf.Array) -> dict[int, float]:
    """A CIDFont's /W: `c [w1 w2 …]` and `c_first c_last w` runs."""
    found: dict[int, float] = {}
    items = list(array)
    index = 0
    while index < len(items):
        first = int(items[index])
        following = items[index + 1]
        if isinstance(following, pikepdf.Array):
            for offset, width in enumerate(following):
                found[first + offset] = float(width)
            index += 2
        else:
            for gid in range(first, int(following) + 1):
                found[gid] = float(items[index + 2])
            index += 3
    return found


def _width_array(widths: Mapping[int, float]) -> pikepdf.Array:
    runs: list = []
    for gid in sorted(widths):
        if runs and runs[-2] + len(runs[-1]) == gid:
            runs[-1].append(widths[gid])
        else:
            runs += [gid, [widths[gid]]]
    return pikepdf.Array([pikepdf.Array(item) if isinstance(item, list) else item
                          for item in runs])


def _to_unicode(cmap: bytes) -> dict[int, bytes]:
    """A ToUnicode CMap's bfchar entries: glyph id → UTF-16BE hex."""
    return {int(gid, 16): text for gid, text in _BFCHAR.findall(cmap)}


def _cmap(text: Mapping[int, bytes]) -> bytes:
    lines = [b"/CIDInit /ProcSet findresource begin", b"12 dict begin", b"begincmap",
             b"/CIDSystemInfo", b"<< /Registry (Adobe)", b"/Ordering (UCS)",
             b"/Supplement 0", b">> def", b"/CMapName /Adobe-Identity-UCS def",
             b"/CMapType 2 def", b"1 begincodespacerange", b"<0000> <ffff>",
             b"endcodespacerange"]
    items = sorted(text.items())
    for start in range(0, len(items), 100):
        batch = items[start:start + 100]
        lines.append(f"{len(batch)} beginbfchar".encode())
        lines += [b"<%04x> <%s>" % (gid, value) for gid, value in batch]
        lines.append(b"endbfchar")
    lines += [b"endcmap", b"CMapName currentdict /CMap defineresource pop", b"end", b"end"]
    return b"\n".join(lines)


_DROPPED_TABLES = (b"BASE", b"DSIG", b"EBDT", b"EBLC", b"EBSC", b"GPOS", b"GSUB", b"JSTF",
                   b"LTSH", b"PCLT", b"SVG ")


def _subset(original: bytes, glyphs: set[int]) -> bytes:
    """The original font cut to `glyphs`, glyph ids kept: HarfBuzz's subsetter run as
    WeasyPrint runs it (same flags, same tables dropped, then trailing empty glyphs cut), so
    the face is embedded as a whole-book layout would embed it."""
    wanted = hb.SubsetInput()
    for gid in sorted(glyphs | {0}):
        wanted.glyph_set.add(gid)
    wanted.flags = (hb.SubsetFlags.RETAIN_GIDS | hb.SubsetFlags.PASSTHROUGH_UNRECOGNIZED
                    | hb.SubsetFlags.DESUBROUTINIZE)
    for tag in _DROPPED_TABLES:
        wanted.drop_table_tag_set.add(int.from_bytes(tag, "big"))
    kept = hb.subset(hb.Face(original), wanted)
    trimmed = hb.SubsetInput()
    for gid in range(max(glyphs | {0}) + 1):
        trimmed.glyph_set.add(gid)
    trimmed.flags = (hb.SubsetFlags.PASSTHROUGH_UNRECOGNIZED | hb.SubsetFlags.DESUBROUTINIZE
                     | hb.SubsetFlags.NO_HINTING)
    return hb.subset(kept, trimmed).blob.data


def untag_font_names(pdf: pikepdf.Pdf) -> None:
    """Drop the subset tag (`ABCDEF+`) from font names: for whole fonts (KDP)."""
    for fonts, key in font_holders(pdf):
        font = fonts[key]
        for item in (font, *font.get("/DescendantFonts", [])):
            for name_key in ("/BaseFont",):
                value = str(item.get(name_key, ""))
                if _SUBSET_TAG.match(value.lstrip("/")):
                    item[name_key] = pikepdf.Name("/" + value.lstrip("/")[7:])
            descriptor = item.get("/FontDescriptor")
            if descriptor is not None and _SUBSET_TAG.match(str(descriptor.FontName)[1:]):
                descriptor.FontName = pikepdf.Name("/" + str(descriptor.FontName)[8:])
