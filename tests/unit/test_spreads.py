"""Facing pages are evened out as a typesetter would (publish.pdf.typeset.spreads), and a
paragraph can be set a line longer, or only part of it shown (publish.pdf.typeset.paragraphs)."""

from __future__ import annotations

import dataclasses
import re

from lxml import html as lxml_html

from publish.pdf.typeset.pagemap import Share
from publish.pdf.typeset.paragraphs import STRAINED, Measure, costs_longer, set_lines
from publish.pdf.typeset.spreads import fixes_for, page_markup
from tests.conftest import STYLES

LINE = 15.0
FULL = 30 * LINE


def share(index: int, lines: tuple[tuple[int, int, int], ...], *, depth: float = FULL,
          totals: dict[int, int] | None = None, alone: bool = True,
          starts_unit: bool = False, blocks: frozenset[int] = frozenset()) -> Share:
    """A page holding `lines` ((paragraph, first line, end line)); `totals` gives each
    paragraph's whole length where it runs on past this page."""
    totals = totals or {}
    return Share(index, blocks, frozenset(), frozenset(), lines,
                 frozenset(n for n, start, _end in lines if start == 0),
                 frozenset(n for n, _start, end in lines if end == totals.get(n, end)),
                 depth, LINE, ("first", "last"), alone, starts_unit)


def costs_of(table: dict[tuple[int, int], float]):
    """A cost function for fixes_for(): (paragraph, lines) → cost, absent where impossible."""
    asked = []

    def costs(numbers, lines, no_hyphen):
        asked.append((tuple(numbers), lines, dict(no_hyphen)))
        return {n: table[n, lines] for n in numbers if (n, lines) in table}

    costs.asked = asked  # type: ignore[attr-defined]
    return costs


def test_a_page_a_line_short_gains_it_from_its_cheapest_paragraph():
    # Pages 1 (verso) and 2 (recto) face each other; the recto is a line short.
    pages = [share(0, ((0, 0, 30),), starts_unit=True), share(1, ((1, 0, 30),)),
             share(2, ((2, 0, 4), (3, 0, 5), (4, 0, 20)), depth=FULL - LINE),
             share(3, ((5, 0, 10),))]
    fixes = fixes_for(pages, True, costs_of({(2, 1): 50.0, (3, 1): 10.0, (4, 1): 99.0}))
    assert [(fix.longer, [p.share.index for p in fix.pages]) for fix in fixes] == [((3,), [2])]
    assert fixes[0].pages[0].depth == FULL


def test_a_units_last_page_and_a_page_that_cannot_be_set_alone_are_left():
    last = [share(0, ((0, 0, 30),), starts_unit=True), share(1, ((1, 0, 30),)),
            share(2, ((2, 0, 5),), depth=FULL - LINE)]  # the unit's last page
    assert fixes_for(last, True, costs_of({(2, 1): 1.0})) == []
    alone = [share(0, ((0, 0, 30),), starts_unit=True), share(1, ((1, 0, 30),)),
             share(2, ((2, 0, 5),), depth=FULL - LINE, alone=False), share(3, ((3, 0, 9),))]
    assert fixes_for(alone, True, costs_of({(2, 1): 1.0})) == []


def test_a_paragraph_shared_with_the_next_page_takes_the_line_and_that_page_follows():
    # The verso is short; paragraph 7 runs from it onto the recto (lines 0-5 and 5-8).
    pages = [share(0, ((0, 0, 30),), starts_unit=True),
             share(1, ((6, 0, 25), (7, 0, 5)), depth=FULL - LINE, totals={7: 8}),
             share(2, ((7, 5, 8), (8, 0, 27))), share(3, ((9, 0, 30),))]
    costs = costs_of({(7, 1): 5.0})
    [fix] = fixes_for(pages, True, costs)
    assert fix.longer == (7,)
    keep = {p.share.index: p.keep for p in fix.pages}
    assert keep == {1: ((7, 0, 6),), 2: ((7, 6, 9),)}  # the recto's share starts a line on
    assert fix.page_ends == ((7, 6),)  # and the line now ending the verso has no hyphen
    assert ((7,), 1, {7: frozenset({6})}) in costs.asked


def test_when_no_paragraph_can_be_set_longer_the_facing_page_runs_a_line_short():
    pages = [share(0, ((0, 0, 30),), starts_unit=True),
             share(1, ((1, 0, 3), (2, 0, 26)), depth=FULL - LINE),
             share(2, ((3, 0, 10), (4, 0, 20))), share(3, ((5, 0, 30),))]
    [fix] = fixes_for(pages, True, costs_of({(4, -1): 7.0}))
    assert (fix.longer, fix.shorter) == ((), (4,))
    assert [(p.share.index, p.depth) for p in fix.pages] == [(1, FULL - LINE),
                                                             (2, FULL - LINE)]


def test_two_short_pages_do_not_both_take_the_paragraph_they_share():
    # Page 2 ends a spread a line short, page 3 begins the next one a line short, and
    # paragraph 5 runs from one onto the other: setting it longer cannot serve both.
    pages = [share(0, ((0, 0, 30),), starts_unit=True), share(1, ((1, 0, 30),)),
             share(2, ((2, 0, 20), (5, 0, 9)), depth=FULL - LINE, totals={5: 12}),
             share(3, ((5, 9, 12), (6, 0, 26)), depth=FULL - LINE), share(4, ((7, 0, 30),)),
             share(5, ((8, 0, 9),))]
    fixes = fixes_for(pages, True, costs_of({(5, 1): 1.0, (2, 1): 40.0, (6, 1): 30.0}))
    assert sorted((fix.longer, tuple(p.share.index for p in fix.pages)) for fix in fixes) \
        == [((2,), (2,)), ((6,), (3,))]


def test_a_page_shows_only_its_share_its_cut_margins_gone():
    html = ('<html><body><section class="chapter" data-block="0"><h1 data-block="1">T</h1>'
            '<p data-block="2">a</p><blockquote data-block="3"><p data-block="4">b</p>'
            '<p data-block="5">c</p></blockquote><p data-block="6">d</p></section>'
            '</body></html>')
    page = Share(1, frozenset({0, 3, 5, 6}), frozenset({0, 3}), frozenset({0, 6}), (), frozenset(),
                 frozenset(), 0.0, LINE, ("", ""), True, False)
    root = lxml_html.document_fromstring(page_markup(html, page))
    style = {e.get("data-block"): e.get("style", "") for e in root.iter() if e.get("data-block")}
    assert all("display: none" in style[n] for n in ("1", "2", "4"))
    assert "margin-top: 0" in style["5"] and "margin-top: 0" in style["3"]
    assert "padding-top: 0" in style["3"] and "bookmark-level: none" in style["0"]
    assert "margin-bottom: 0" in style["6"] and "display" not in style["6"]


def measure() -> Measure:
    face = str(STYLES / "fonts/eb-garamond/EBGaramond-Regular.ttf")
    italic = str(STYLES / "fonts/eb-garamond/EBGaramond-Italic.ttf")
    return Measure(300.0, 13.0, 11.0, ((False, False, face), (False, True, italic)),
                   (("kern", 1), ("liga", 1)), "en")


TEXT = ("It is a truth universally acknowledged, that a single man in possession of a good "
        "fortune, must be in want of a wife. However little known the feelings or views of "
        "such a man may be on his first entering a neighbourhood, this truth is so well fixed "
        "in the minds of the surrounding families, that he is considered the rightful "
        "property of some one or other of their daughters.")


def document(*paragraphs: str) -> str:
    body = "".join(f"<p>{text}</p>" for text in paragraphs)
    return f'<html><body><section class="chapter">{body}</section></body></html>'


def paragraph_lines(html: str) -> list[str]:
    """Each set paragraph's lines: its text split at the breaks (a plain space, a hyphen)."""
    found = []
    for element in lxml_html.document_fromstring(html).iter("p"):
        text = element.text_content()
        found.append([line for line in re.split(r"(?<=[ \u2010])", text) if line.strip()])
    return found


def test_a_paragraph_set_a_line_longer_and_what_it_costs():
    html = document(TEXT)
    [natural] = paragraph_lines(set_lines(html, measure()))
    [longer] = paragraph_lines(set_lines(html, measure(), looser={0: 1}))
    assert len(longer) == len(natural) + 1
    assert "".join(longer).replace("\u00a0", " ").replace("\u2010", "") \
        == "".join(natural).replace("\u00a0", " ").replace("\u2010", "")
    assert len(longer[-1].split()) >= 2  # its last line is never one word, nor empty
    costs = costs_longer(html, measure(), [0], 1)
    assert set(costs) == {0} and 0 < costs[0] < STRAINED  # no line stretched past its limit
    # Narrower, every setting a line longer leaves lines gaping: it is not offered.
    assert costs_longer(html, dataclasses.replace(measure(), width=280.0), [0], 1) == {}
    # One line of a few words cannot be set on two.
    assert costs_longer(document("Not at all."), measure(), [0], 1) == {}


def test_only_the_lines_a_page_shows_are_kept():
    html = document(TEXT)
    [lines] = paragraph_lines(set_lines(html, measure()))
    kept = set_lines(html, measure(), keep={0: (1, 3)})
    assert paragraph_lines(kept) == [lines[1:3]]
    element = lxml_html.document_fromstring(kept).find(".//p")
    assert "text-indent: 0" in element.get("style") and "continued" in element.get("class")
    assert "text-align-last: justify" in element.get("style")


def test_hyphens_are_drawn_not_left_to_the_soft_hyphen():
    narrow = Measure(120.0, 0.0, 11.0, measure().faces, measure().features, "en")
    html = set_lines(document(TEXT), narrow)
    assert "\u00ad" not in html and "\u2010" in html
