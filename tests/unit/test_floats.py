"""Moving a figure past the text that fills the gap it left: by letters, never so far that
the figure would follow a paragraph's tail on the next page when less would do."""

from __future__ import annotations

from lxml import html as lxml_html

from publish.pdf.typeset.floats import move_figures
from publish.pdf.typeset.titles import remarked

PARAGRAPH = "word " * 100  # 500 letters


def _order(html: str) -> list[str]:
    root = lxml_html.document_fromstring(html)
    return [element.get("id") for element in root.iter("p", "figure")]


def _page(*ids: str) -> str:
    parts = [f'<figure id="{i}" data-figure="0"></figure>' if i == "f" else
             f'<p id="{i}">{PARAGRAPH}</p>' for i in ids]
    return f"<!DOCTYPE html><html><body>{''.join(parts)}</body></html>"


def test_a_figure_passes_as_much_text_as_fills_its_gap():
    assert _order(move_figures(_page("f", "a", "b", "c"), {0: 1000})) == ["a", "b", "f", "c"]


def test_it_stops_short_of_a_paragraph_that_would_run_over_the_page():
    # 600 letters to fill: the second paragraph would leave 400 of its letters on the next
    # page, before the figure; 100 letters short of the gap is the lesser harm.
    assert _order(move_figures(_page("f", "a", "b", "c"), {0: 600})) == ["a", "f", "b", "c"]


def test_it_passes_a_long_paragraph_when_stopping_would_leave_most_of_the_gap():
    assert _order(move_figures(_page("f", "a", "b"), {0: 300})) == ["a", "f", "b"]


def test_titles_marked_wrongly_are_turned_over():
    html = ('<h1 data-title-lines="odd">One</h1><p>x</p>'
            '<h1 data-title-lines="even">Two</h1><h1 data-title-lines="odd">Three</h1>')
    assert remarked(html, {1, 2}) == html.replace('"even">Two', '"odd">Two').replace(
        '"odd">Three', '"even">Three')


def test_a_block_weasyprint_breaks_is_set_without_hyphens_by_its_number():
    from publish.pdf.typeset.pageends import unhyphenated
    from publish.pdf.typeset.paragraphs import number_blocks

    html = "<!DOCTYPE html><html><body><ol><li>one</li><li>two</li></ol><p>three</p></body></html>"
    root = lxml_html.document_fromstring(html)
    number_blocks(root)
    second = next(e.get("data-block") for e in root.iter("li") if e.text == "two")
    out = lxml_html.document_fromstring(unhyphenated(html, frozenset({int(second)})))
    styles = {e.text: e.get("style") for e in out.iter("li", "p")}
    assert styles["two"].startswith("hyphens: manual")
    assert styles["one"] is None and styles["three"] is None
