"""A spread no paragraph on it can even out is evened out from further back: the pages are
reckoned broken anew, as WeasyPrint breaks them, with a paragraph set a line longer or
shorter (publish.pdf.typeset.reachback)."""

from __future__ import annotations

import dataclasses

from publish.pdf.typeset.pagemap import Share, Space
from publish.pdf.typeset.paragraphs import Setting
from publish.pdf.typeset.reachback import reach
from tests.conftest import STYLES

LINE = 10.0
PAGE = 10 * LINE  # a page holds ten lines
HEADING = 2 * LINE

Pages = list[tuple[tuple[tuple[int, int, int], ...], tuple[float, ...]]]


def unit(pages: Pages, totals: dict[int, int]) -> list[Share]:
    """Shares for pages of ((paragraph, first line, end line), ...) with the space above
    each of those, the first page opening the unit."""
    made = []
    for index, (lines, gaps) in enumerate(pages):
        depth = sum(gaps) + LINE * sum(end - start for _n, start, end in lines)
        made.append(Share(
            index, frozenset(), frozenset(), frozenset(), lines,
            frozenset(n for n, start, _end in lines if start == 0),
            frozenset(n for n, _start, end in lines if end == totals[n]),
            depth, LINE, ("", ""), True, index == 0, PAGE, gaps, frozenset(),
            tuple(Space(gap, gap, False) for gap in gaps)))
    return made


# Paragraph lines: 0-4, 1-3, 2-3, 3-3, 4-2, 5-3, 6-3, 7-8, 8-3. Page 1 has room for two
# more lines, but paragraph 5 has three and may not leave one alone (widows): it goes on,
# and page 1 (a verso) ends two lines above page 2 facing it.
TOTALS = {0: 4, 1: 3, 2: 3, 3: 3, 4: 2, 5: 3, 6: 3, 7: 8, 8: 3}
PAGES: Pages = [
    (((0, 0, 4), (1, 0, 3)), (HEADING, 0.0)),
    (((2, 0, 3), (3, 0, 3), (4, 0, 2)), (0.0, 0.0, 0.0)),
    (((5, 0, 3), (6, 0, 3), (7, 0, 4)), (0.0, 0.0, 0.0)),
    (((7, 4, 8), (8, 0, 3)), (0.0, 0.0)),
]


LEFT = [(1, 2, 2)]  # page 1, two lines short of page 2, which nothing there can mend


def settings(table: dict[tuple[int, int], Setting]):
    """A `setting` for reach(): as set now, each paragraph has its own lines and no
    hyphen; any other way, only as `table` says."""
    def setting(number: int, change: int) -> Setting | None:
        if (number, change) in table:
            return table[number, change]
        return Setting(TOTALS[number], frozenset()) if change == 0 else None
    return setting


def test_the_paragraph_that_would_not_fit_set_a_line_longer_fills_the_short_page():
    # Set in four lines, paragraph 5 splits two and two: page 1 fills, page 2 takes a line
    # more of paragraph 7, and the unit's last page is a line shorter.
    found = unit(PAGES, TOTALS)
    table = {(5, 1): Setting(4, frozenset(), 10.0)}
    assert reach(found, True, LEFT, settings(table)) == [{5: 1}]


def test_nothing_is_tried_when_no_paragraph_near_it_can_change():
    assert reach(unit(PAGES, TOTALS), True, LEFT, settings({})) == []


def test_a_change_that_would_end_a_page_in_a_hyphen_is_not_tried():
    found = unit(PAGES, TOTALS)
    # The second line of paragraph 5, now ending page 1, would end in a hyphen.
    assert reach(found, True, LEFT, settings({(5, 1): Setting(4, frozenset({2}))})) == []
    # As would the fifth of paragraph 7, which would now end page 2.
    table = {(5, 1): Setting(4, frozenset()), (7, 0): Setting(8, frozenset({5}))}
    assert reach(found, True, LEFT, settings(table)) == []


def test_pages_with_matter_it_cannot_reckon_are_left_alone():
    # Something (a figure, a table) takes space on page 2 that no gap accounts for.
    found = unit(PAGES, TOTALS)
    odd = found[2]
    found[2] = dataclasses.replace(odd, depth=odd.depth + 3 * LINE)
    assert reach(found, True, LEFT, settings({(5, 1): Setting(4, frozenset(), 10.0)})) == []


SHEET = """
@font-face { font-family: "T"; src: url("FACE"); }
@page { size: 340px 210px; margin: 20px; }
html { font-family: "T"; font-size: 11px; line-height: 16px; orphans: 2; widows: 2; }
p { margin: 0; text-indent: 13px; text-align: justify; hyphens: manual; }
p:first-child, hr + p { text-indent: 0; }
hr { margin: 8px 0; height: 16px; border: 0; break-before: avoid; break-after: avoid; }
"""
WORDS = ("the tide came in over the flats while gulls argued on the harbour walls and "
         "nobody in the village looked up from their nets until evening brought a stranger "
         "along the shingle towards the keeper's cottage").split()


def test_pages_are_reckoned_as_weasyprint_breaks_them(tmp_path):
    """The reckoning's pages, for each change it could try, are the pages WeasyPrint lays
    out with that change made: speeches of a line or two, longer paragraphs, a scene
    break, on pages of ten lines."""
    import random

    from publish.pdf.render import Layout
    from publish.pdf.typeset.mending import render_mended
    from publish.pdf.typeset.pagemap import shares
    from publish.pdf.typeset.paragraphs import set_lines, settings_longer
    from publish.pdf.typeset.reachback import reckon
    from tests.unit.test_spreads import measure

    face = STYLES / "fonts/eb-garamond/EBGaramond-Regular.ttf"
    (tmp_path / "sheet.css").write_text(SHEET.replace("FACE", face.as_uri()), encoding="utf-8")
    rng = random.Random(5)
    body = []
    for number in range(50):
        words = [rng.choice(WORDS) for _ in range(rng.choice((6, 12, 20, 30, 45, 60)))]
        body.append(f"<p>{' '.join(words).capitalize()}.</p>")
        if number in (12, 31):
            body.append("<hr>")
    source = f'<html><body><section class="chapter">{"".join(body)}</section></body></html>'

    def pages(changes: dict[int, int]) -> list[tuple[tuple[int, int, int], ...]]:
        html = set_lines(source, measure(), looser=changes)
        document = render_mended(Layout(html, tmp_path, STYLES, (tmp_path / "sheet.css",),
                                        "", frozenset({"T"}), (STYLES,)), mending=False)
        return [share.lines for share in shares(document)], shares(document)

    def setting(number: int, lines: int) -> Setting | None:
        return settings_longer(source, measure(), [number], lines).get(number)

    now, found = pages({})
    assert len(now) >= 6
    tried = 0
    for number in range(50):
        for lines in (1, -1):
            if setting(number, lines) is None:
                continue
            reckoned = reckon(found, {number: lines}, setting)
            if reckoned is not None:
                assert list(reckoned) == pages({number: lines})[0], (number, lines)
                tried += 1
    assert tried >= 5
