"""The typographic report counts what a typesetter counts (publish.pdf.typeset.report)."""

from __future__ import annotations

from publish.pdf.typeset.report import LineStat, PageStat, report


def line(paragraph: int, *, first: bool = False, last: bool = False, hyphen: bool = False,
         words: int = 9, space: float = 2.5) -> LineStat:
    return LineStat(paragraph, first, last, hyphen, words, 0.0 if last else space)


def page(*lines: LineStat, chapter: str = "c1", depth: float = 500.0,
         figure_first: bool = False) -> PageStat:
    return PageStat(chapter, tuple(lines), depth, 500.0, 15.0, figure_first)


def test_hyphens_ladders_and_a_hyphen_at_the_page_end():
    pages = [page(line(0, first=True, hyphen=True), line(0, hyphen=True),
                  line(0, hyphen=True), line(0, hyphen=True)),
             page(line(0), line(0, last=True))]
    found = report(pages, [False, True]).book
    assert (found.lines, found.hyphenated, found.ladders) == (6, 4, 1)  # one ladder of four
    assert found.page_end_hyphens == 1


def test_widows_orphans_and_runts():
    pages = [page(line(0, first=True), line(0), line(1, first=True)),  # an orphan at the foot
             page(line(1), line(1, last=True, words=1),  # its last line alone: a runt
                  line(2, first=True), line(2)),
             page(line(2, last=True))]  # a widow at the head
    found = report(pages, [False, False, True]).book
    assert (found.orphans, found.widows, found.runts, found.paragraphs) == (1, 1, 1, 3)


def test_loose_lines_and_spread_are_read_against_the_books_median():
    spaces = [2.5] * 18 + [4.0, 6.0]
    pages = [page(*(line(i, first=True, space=s) for i, s in enumerate(spaces)))]
    found = report(pages, [True])
    assert found.median_space == 2.5
    assert found.book.loose == 2  # 4.0 and 6.0 are over 1.5 × 2.5
    assert found.book.figures(found.median_space)["spread"] > 1.35


def test_short_pages_uneven_spreads_and_figure_gaps():
    pages = [page(line(0, first=True)),  # page 1, a right-hand page
             page(line(0), depth=470.0),  # page 2 (left): a line short
             page(line(0), depth=500.0),  # page 3 (right), full: an uneven spread
             page(line(0), depth=300.0),  # page 4: the figure that follows did not fit
             page(line(0, last=True), figure_first=True)]
    found = report(pages, [False, False, False, False, True]).book
    assert (found.short_pages, found.uneven_spreads, found.figure_gaps) == (1, 1, 1)


def test_far_outside_a_target_is_judged_over_enough_lines_only():
    loose = [2.5] * 8 + [6.0, 6.0]  # a fifth of the lines loose
    few = report([page(*(line(i, first=True, space=s) for i, s in enumerate(loose)))], [True])
    assert few.book.figures(few.median_space)["loose"] > 0.1
    assert few.far() == []  # ten justified lines say nothing of a book
    many = report([page(*(line(i, first=True, space=s) for i, s in enumerate(loose * 40)))],
                  [True])
    assert "loose" in many.far()
