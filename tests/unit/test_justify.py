"""Lines whose breaks were chosen here are justified as the breaker reckoned them
(publish.pdf.typeset.justify): a tight line narrows to the measure, a loose one takes letter spacing
before its word spaces gape, and other paragraphs are WeasyPrint's to justify."""

from __future__ import annotations

from weasyprint.formatting_structure import boxes

from publish.pdf.render import Layout
from publish.pdf.typeset.mending import render_mended
from tests.conftest import STYLES

NBSP = "\u00a0"
SHEET = """
@font-face { font-family: "T"; src: url("FACE"); }
@page { size: 320px 400px; margin: 0; }
html { font-family: "T"; font-size: 16px; line-height: 1.4; }
p { margin: 0; text-align: justify; hyphens: manual; width: 285px; }
"""


def lines_of(tmp_path, paragraph: str) -> list[boxes.LineBox]:
    face = STYLES / "fonts/eb-garamond/EBGaramond-Regular.ttf"
    (tmp_path / "sheet.css").write_text(SHEET.replace("FACE", face.as_uri()), encoding="utf-8")
    html = f'<html><body><section class="chapter">{paragraph}</section></body></html>'
    document = render_mended(Layout(html, tmp_path, STYLES, (tmp_path / "sheet.css",), "",
                                    frozenset({"T"}), (STYLES,)), mending=False)
    return [box for box in document.pages[0]._page_box.descendants()
            if isinstance(box, boxes.LineBox) and box.element_tag == "p"]


def right_edge(line: boxes.LineBox) -> float:
    return max(box.position_x + box.width for box in line.descendants()
               if isinstance(box, boxes.TextBox))


def chosen(*lines: str) -> str:
    """A paragraph of `lines` as the breaker writes it: no-break spaces inside a line."""
    return '<p class="set-lines">' + " ".join(line.replace(" ", NBSP) for line in lines) + "</p>"


def test_a_tight_line_narrows_to_the_measure_and_a_loose_one_fills_it(tmp_path):
    tight = "the quick brown fox jumps over the lazy dog and"  # 295 px at its spacing
    loose = "then the cat sat on the mat by the old door"  # 257 px
    found = lines_of(tmp_path, chosen(tight, loose, "and the end of the story is here"))
    assert len(found) == 3
    for line in found[:2]:  # both reach the measure exactly, neither runs past it
        assert abs(right_edge(line) - (line.position_x + 285)) < 0.5
    assert right_edge(found[2]) < found[2].position_x + 200  # the last line is not spread
    loose_text = [box for box in found[1].descendants() if isinstance(box, boxes.TextBox)]
    assert all(box.style["letter_spacing"] > 0 for box in loose_text)


def test_other_paragraphs_are_left_to_weasyprint(tmp_path):
    text = "the quick brown fox jumps over the lazy dog " * 3
    found = lines_of(tmp_path, f"<p>{text}</p>")
    assert len(found) > 1
    texts = [box for line in found for box in line.descendants()
             if isinstance(box, boxes.TextBox)]
    assert all(box.style["letter_spacing"] in ("normal", 0) for box in texts)
