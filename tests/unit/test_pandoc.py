"""Pandoc's Markdown, rendered as Pandoc renders it (the HTML Pandoc writes for each)."""

from __future__ import annotations

from publish.manuscript.markup import new_markdown
from publish.xhtml import parse_fragment, serialize_children


def render(text: str) -> str:
    """The chapter HTML as both outputs receive it (re-read as XML)."""
    return serialize_children(parse_fragment(new_markdown().convert(text)))


def test_backslash_at_line_end_is_a_line_break():
    html = render("“Gracechurch-street, Monday,\\\nMy dear niece,”\n")
    assert html == "<p>“Gracechurch-street, Monday,<br/>\nMy dear niece,”</p>"


def test_backslash_space_is_a_no_break_space():
    assert render("Mr.\\ Darcy\n") == "<p>Mr.\u00a0Darcy</p>"


def test_superscript_subscript_and_strikeout():
    assert render("H~2~O and 2^10^ and ~~struck~~\n") == (
        "<p>H<sub>2</sub>O and 2<sup>10</sup> and <del>struck</del></p>")


def test_bracketed_spans_take_ids_classes_and_attributes():
    html = render("A [dark and stormy]{.smallcaps} night, [here]{#here lang=fr}.\n")
    assert '<span class="smallcaps">dark and stormy</span>' in html
    assert '<span id="here" lang="fr">here</span>' in html


def test_fenced_divs_nest_and_hold_markdown():
    html = render("::: letter\nDear *Lizzy*,\n\n::: {.signature #sig}\nJane\n:::\n:::\n")
    root = parse_fragment(html)
    [letter] = root.findall("div")
    assert letter.get("class") == "letter" and letter.find("p/em").text == "Lizzy"
    [signature] = letter.findall("div")
    assert signature.get("class") == "signature" and signature.get("id") == "sig"
    assert signature.find("p").text == "Jane"
    assert "markdown" not in html


def test_line_blocks_keep_lines_and_indentation():
    html = render("| The owl and the pussy-cat went to sea\n|    In a *beautiful*\n"
                  "  pea-green boat,\n")
    root = parse_fragment(html)
    [block] = root.findall("div")
    assert block.get("class") == "line-block"
    text = "".join(block.itertext())
    assert text == ("The owl and the pussy-cat went to sea\n"
                    "\u00a0\u00a0\u00a0In a beautiful pea-green boat,")
    assert len(block.findall("br")) == 1 and block.find("em").text == "beautiful"


def test_a_pipe_table_is_still_a_table():
    assert "<table>" in render("| a | b |\n|---|---|\n| c | d |\n")


def test_newpage_is_a_page_break_and_code_is_left_alone():
    html = render("Before.\n\n\\newpage\n\nAfter.\n\n```\n::: not a div\n| not a line\n```\n")
    assert '<div class="newpage"> </div>' in html
    assert "::: not a div" in html and "| not a line" in html


def test_unnumbered_headings():
    assert render("## Preface {-}\n") == '<h2 class="unnumbered" id="preface">Preface</h2>'
    assert render("## Notes {.unnumbered}\n") == (
        '<h2 class="unnumbered" id="notes">Notes</h2>')
