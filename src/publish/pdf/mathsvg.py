"""Math in print: each MathML formula drawn as an SVG image by ziamath (WeasyPrint sets no
MathML). The glyphs are outlines from ziamath's own math face (STIX Two Math), so the PDF
embeds no font for them; the image is sized in ems, so a formula grows with its text, and
sits on the text's baseline."""

from __future__ import annotations

import base64
from functools import lru_cache

import ziamath
from lxml import etree

from publish.xhtml import MATHML_NS

SIZE = 24.0
"""The font size (px) ziamath draws at; the image is scaled to the text's by its ems."""


def draw_math(root: etree._Element) -> None:
    """Replace each `math` element under `root` with an image of it (its TeX, kept as
    `alttext`, the image's alt)."""
    for math in list(root.iter(f"{{{MATHML_NS}}}math")):
        tail = math.tail
        math.tail = None
        image = etree.Element("img", image_attributes(_drawable(math),
                                                       math.get("display") == "block"))
        image.set("alt", math.get("alttext") or "")
        image.tail = tail
        math.getparent().replace(math, image)


def _drawable(math: etree._Element) -> str:
    """The formula's MathML without its TeX annotation (which ziamath would not draw)."""
    copy = etree.fromstring(etree.tostring(math))
    for semantics in copy.iter(f"{{{MATHML_NS}}}semantics"):
        kept = [child for child in semantics if child.tag != f"{{{MATHML_NS}}}annotation"]
        parent = semantics.getparent()
        at = parent.index(semantics)
        parent.remove(semantics)
        for offset, child in enumerate(kept):
            parent.insert(at + offset, child)
    return etree.tostring(copy, encoding="unicode")


@lru_cache(maxsize=2048)
def image_attributes(mathml: str, display: bool) -> dict[str, str]:
    """The `img` attributes that show `mathml`: an SVG data URL, its size in ems and how far
    below the baseline it reaches."""
    svg = ziamath.Math(mathml, size=SIZE).svg()
    # The drawing's box: its baseline is y = 0 of the view box, which starts above it.
    drawing = etree.fromstring(svg.encode())
    width, height = float(drawing.get("width")), float(drawing.get("height"))
    below = float(drawing.get("viewBox").split()[1]) + height
    style = (f"width: {width / SIZE:.3f}em; height: {height / SIZE:.3f}em; "
             f"vertical-align: {-below / SIZE:.3f}em")
    encoded = base64.b64encode(svg.encode()).decode("ascii")
    return {"class": "math display" if display else "math", "style": style,
            "src": f"data:image/svg+xml;base64,{encoded}"}
