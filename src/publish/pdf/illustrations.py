"""Illustrations drawn once: each SVG the book shows is rasterised for print by resvg (a
native renderer) at 600 dots to the inch of its printed size, once per file and size, and
kept under build/.cache/images/ by its content.

WeasyPrint draws SVG itself, in Python, into every page's content stream on every write:
a book of detailed engravings spends most of its build there. A 600 dpi raster of line art
is what printers ask for (1,200 dpi would be needed only for the finest hairlines), the
file names nothing else (the checks refuse an SVG that does), and text in it is set in the
theme's own faces, never the machine's. The EPUB keeps the author's SVG as it is.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import re
from collections.abc import Sequence
from pathlib import Path

from lxml import etree
from PIL import Image, ImageChops

from publish.files import write_atomically

PRINT_DPI = 600
"""Dots to the inch at the printed size."""
CSS_DPI = 96
_LENGTH = re.compile(r"^\s*([0-9.]+)\s*(px|pt|pc|in|cm|mm)?\s*$")
_UNITS = {"px": 1.0, "pt": 96 / 72, "pc": 16.0, "in": 96.0, "cm": 96 / 2.54, "mm": 96 / 25.4}
_SVG_IMG = re.compile(r'<img\b([^>]*?)\bsrc="([^"]+\.svg)"([^>]*)>', re.IGNORECASE)


def intrinsic_size(svg: bytes) -> tuple[float, float] | None:
    """The SVG's width and height in CSS pixels, from its attributes or its viewBox."""
    try:
        root = etree.fromstring(svg, etree.XMLParser(resolve_entities=False, no_network=True,
                                                     huge_tree=True))
    except etree.XMLSyntaxError:
        return None
    sizes = [_css_px(root.get(name, "")) for name in ("width", "height")]
    box = [float(v) for v in re.split(r"[\s,]+", root.get("viewBox", "").strip()) if v]
    if None in sizes and len(box) == 4 and box[2] > 0 and box[3] > 0:
        width, height = sizes
        if width is None and height is None:
            return box[2], box[3]
        if width is None:
            return height * box[2] / box[3], height
        return width, width * box[3] / box[2]
    return (sizes[0], sizes[1]) if None not in sizes else None


def _css_px(value: str) -> float | None:
    match = _LENGTH.match(value)
    if not match:
        return None
    return float(match.group(1)) * _UNITS[match.group(2) or "px"]


def rasterise(svg: Path, width_px: int, fonts: Sequence[Path], cache: Path) -> Path:
    """A PNG of `svg` `width_px` pixels wide, from the cache or drawn now."""
    import resvg_py

    data = svg.read_bytes()
    key = hashlib.sha256(data + f"{width_px}".encode()).hexdigest()[:32]
    target = cache / f"{key}.png"
    if target.is_file():
        with contextlib.suppress(OSError):  # used now: the cache's pruning keeps it
            os.utime(target)
        return target
    # Crisp edges: at 600 dpi the printer's screen does what anti-aliasing would, and the
    # raster is a third of the size and drawn three times as fast.
    png = resvg_py.svg_to_bytes(svg_string=data.decode("utf-8"), width=width_px,
                                skip_system_fonts=True, shape_rendering="crisp_edges",
                                font_files=[str(f) for f in fonts])
    raster = io.BytesIO()
    _on_paper(bytes(png)).save(raster, "PNG", compress_level=6)
    write_atomically(target, raster.getvalue())
    return target


def _on_paper(png: bytes) -> Image.Image:
    """The raster flattened on white paper, in grey when it holds no colour."""
    with Image.open(io.BytesIO(png)) as drawn:
        paper = Image.new("RGBA", drawn.size, (255, 255, 255, 255))
        paper.alpha_composite(drawn.convert("RGBA"))
    colour = paper.convert("RGB")
    red, green, blue = colour.split()
    grey = ImageChops.difference(red, green).getbbox() is None and \
        ImageChops.difference(green, blue).getbbox() is None
    return colour.convert("L") if grey else colour


def svg_digest(markup: str, root: Path) -> str:
    """A digest of the SVG files `markup` shows (a layout depends on their bytes)."""
    digest = hashlib.sha256()
    for match in _SVG_IMG.finditer(markup):
        path = root / match.group(2)
        digest.update(match.group(2).encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest() if path.is_file() else b"")
    return digest.hexdigest()


def raster_markup(markup: str, root: Path, figure_width_in: float, fonts: Sequence[Path],
                  cache: Path) -> str:
    """`markup` with each SVG image replaced by its print raster: a figure (the width of the
    text) at PRINT_DPI across the text, any other image at PRINT_DPI of its own size, so
    that every image prints at the size the SVG would have."""
    def replace(match: re.Match[str]) -> str:
        before, src, after = match.groups()
        path = root / src
        size = intrinsic_size(path.read_bytes()) if path.is_file() else None
        if size is None:
            return match.group(0)  # left to WeasyPrint (the checks vetted it)
        css_width = size[0]
        across = round(figure_width_in * PRINT_DPI)  # the most any image prints at
        in_figure = markup.rfind("<figure", 0, match.start()) > markup.rfind(
            "</figure>", 0, match.start())
        pixels = across if in_figure else max(1, min(across, round(
            css_width * PRINT_DPI / CSS_DPI)))
        png = rasterise(path, pixels, fonts, cache)
        # Its resolution keeps the SVG's own size wherever the image is not a figure.
        resolution = pixels / (css_width / CSS_DPI)
        return (f'<img{before}src="{png.resolve().as_uri()}" style="image-resolution: '
                f'{resolution:.2f}dpi"{after}>')

    return _SVG_IMG.sub(replace, markup)
