"""The furniture layer: running heads and folios for the whole book, laid out in one cheap
pass over empty pages.

Units are laid out without heads or folios, since those depend on where a unit falls in the
book. Here every unit becomes a shell — its own element, classes and page name, holding only
what sets the running heads (its title, the book's title) made invisible, and one empty slot
per page it filled — so WeasyPrint, with the book's own style sheets, numbers the pages,
inserts the blank versos and prints heads and folios exactly as a whole-book layout would.
The join (publish.pdf.join) lays each furniture page over the unit page it stands for.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from dataclasses import dataclass

from lxml import etree
from lxml import html as lxml_html

from publish.pdf.html import Unit

FURNITURE_CSS = """
.furniture-shell { display: block !important; height: auto !important; }
.furniture-slot { display: block; height: 0; margin: 0; padding: 0; }
.furniture-slot + .furniture-slot { break-before: page; }
.furniture-text { visibility: hidden; }
.furniture-head { string-set: chapter-title attr(data-head); }
"""
# (A shell is a plain block, whatever its unit is: a flex container, the copyright page,
# would keep its slots on one page. `chapter-title` is the string print.css sets from a
# chapter's title: a continuous run's shell sets it page by page, where each of its chapters
# opens.)


@dataclass(frozen=True)
class Slot:
    """A page of the joined book: page `page` of unit `unit`, or a blank page (None)."""

    unit: int | None
    page: int = 0


def shells(units: Sequence[Unit], counts: Sequence[int],
           openings: Sequence[Sequence[tuple[str, int]]] = ()) -> list[str]:
    """Each unit as its shell: its element, what sets the running heads (hidden), and one
    slot per page. `openings` (per unit: each chapter it sets and the page it opens on)
    places the heads of a continuous run's chapters on their pages."""
    made = []
    for number, (unit, count) in enumerate(zip(units, counts, strict=True)):
        if not count:
            continue  # a unit the sheets do not show (the half-title, on a screen)
        element = lxml_html.fragment_fromstring(unit.markup)
        if "run" in element.get("class", "").split():
            made.append(_run_shell(element, number, count,
                                   openings[number] if openings else ()))
            continue
        # What a string-set in the sheets reads: a chapter's opening title, the book title.
        setters = element.xpath("./h1[1] | ./span[@class='running-head'] | "
                                ".//*[contains(concat(' ', @class, ' '), ' book-title ')]")
        shell = copy.deepcopy(element)
        shell.set("class", f"{shell.get('class', '')} furniture-shell".strip())
        shell.text = None
        for child in list(shell):
            shell.remove(child)
        for setter in setters:
            setter.tail = None
            setter.set("class", f"{setter.get('class', '')} furniture-text".strip())
            setter.attrib.pop("id", None)
            shell.append(setter)
        for page in range(count):
            etree.SubElement(shell, "div", {"class": "furniture-slot",
                                            "id": f"slot-{number}-{page}"})
        made.append(etree.tostring(shell, encoding="unicode", method="html"))
    return made


def _run_shell(element: etree._Element, number: int, count: int,
               openings: Sequence[tuple[str, int]]) -> str:
    """A continuous run's shell: its `div.run`, and in each page's slot the running head of
    each chapter that opens on that page."""
    heads = {}
    for section in element.iterchildren("section"):
        title = section.find("h1")
        untitled = section.find("span[@class='running-head']")
        heads[section.get("id")] = (
            " ".join("".join(title.itertext()).split()) if title is not None
            else untitled.get("data-head") if untitled is not None else "")
    shell = etree.Element("div", {**element.attrib,
                                  "class": f"{element.get('class', '')} furniture-shell"})
    for page in range(count):
        slot = etree.SubElement(shell, "div", {"class": "furniture-slot",
                                               "id": f"slot-{number}-{page}"})
        for section, opens in openings:
            if opens == page and heads.get(section):
                etree.SubElement(slot, "span", {"class": "furniture-head",
                                                "data-head": heads[section]})
    return etree.tostring(shell, encoding="unicode", method="html")


def slots_of(pages: Sequence[dict]) -> list[Slot]:
    """Which unit page each furniture page stands for, read off the pages' anchors."""
    found = []
    for anchors in pages:
        names = [name for name in anchors if name.startswith("slot-")]
        if not names:
            found.append(Slot(None))
            continue
        _slot, unit, page = min(names, key=lambda n: int(n.rsplit("-", 1)[1])).split("-")
        found.append(Slot(int(unit), int(page)))
    return found
