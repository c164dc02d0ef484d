"""Markdown → XHTML: well-formed, Unicode punctuation, ids unique across the book."""

from __future__ import annotations

import re

import pytest
from lxml import etree

from publish.manuscript.load import load_book
from publish.manuscript.markup import new_markdown, render_book
from publish.manuscript.source import scan_headings
from tests.conftest import MINIMAL_YAML


def render(make_book, files):
    book, problems = load_book(make_book(files))
    chapters, render_problems = render_book(book)
    assert problems == [] and render_problems == []
    return chapters


def as_xml(fragment: str) -> etree._Element:
    # Fragments are embedded in documents that declare the epub prefix.
    return etree.fromstring(f'<div xmlns:epub="http://www.idpf.org/2007/ops">{fragment}</div>')


def test_smart_punctuation_is_written_as_characters(make_book):
    (chapter,) = render(make_book, {"chapters/01.md": '# One\n\n"Quoted," she said -- and '
                                    "'then' --- he left...\n"})
    assert "&" not in chapter.body
    text = "".join(as_xml(chapter.body).itertext())
    assert "\u201cQuoted,\u201d she said \u2013 and \u2018then\u2019 \u2014 he left\u2026" in text


def test_chapter_with_entities_tables_and_notes_is_well_formed_xml(make_book):
    source = ("# One\n\nA&nbsp;note[^a] and &copy; and &amp;.\n\n| A | B |\n|---|---|\n"
              "| 1 | 2 |\n\nTerm\n:   Definition\n\n<div markdown=\"1\">\n*inside*\n</div>\n\n"
              "[^a]: The note.\n")
    (chapter,) = render(make_book, {"chapters/01.md": source})
    root = as_xml(chapter.body)  # raises if not well-formed
    assert root.find(".//table") is not None
    assert root.find(".//dl") is not None
    assert "\u00a9" in "".join(root.itertext())


def test_ids_are_unique_across_the_book_and_links_follow_renames(make_book):
    same = "# Notes\n\nText[^1].\n\n## Aside\n\n[^1]: A note.\n"
    chapters = render(make_book, {"chapters/01.md": same, "chapters/02.md": same})
    ids = [i for c in chapters for i in as_xml(c.body).xpath("//@id")]
    ids += [c.id for c in chapters]
    assert len(ids) == len(set(ids))
    for chapter in chapters:
        root = as_xml(chapter.body)
        local = set(root.xpath("//@id"))
        for href in root.xpath("//a/@href"):
            assert href.startswith("#") and href[1:] in local


def test_heading_scan_agrees_with_python_markdown():
    source = ("# Title\n\nPara\n\n    # indented code\n\n```\n# fenced\n```\n\n"
              "<div>\n# raw html\n</div>\n\nSetext\n------\n\n> # Quoted\n\n"
              "#No space\n\nline one\nline two\n---\n\n## Closed ##\n")
    html = new_markdown().convert(source)
    rendered = [(int(m.group(1)), re.sub(r"<[^>]+>", "", m.group(2)).strip())
                for m in re.finditer(r"<h([1-6])[^>]*>(.*?)</h\1>", html)]
    scanned = [(h.level, h.text) for h in scan_headings(source)]
    assert scanned == rendered
    # `#No space` is no heading, as in Pandoc (pymdownx.saneheaders); one in a `div` is
    # (Pandoc reads an HTML block's contents as Markdown).
    assert [h.line for h in scan_headings(source, first_line=3)] == [3, 14, 17, 20, 28]


@pytest.mark.parametrize("title", ["Recognizing When It’s Time to Walk Away", "Chapter I"])
def test_headings_do_not_end_on_a_lone_word(make_book, title):
    (chapter,) = render(make_book, {"chapters/01.md": f"# {title}\n\nText.\n"})
    heading = as_xml(chapter.body).find("h1")
    assert "".join(heading.itertext()).endswith("\u00a0" + title.split()[-1])
    assert chapter.title == title


def test_a_chapter_whose_html_is_not_well_formed_is_kept_when_s004_is_let_through(make_book):
    from publish.build import prepare

    root = make_book({"chapters/01.md": "# One\n\nFirst.\n",
                      "chapters/02.md": "# Two\n\n<div>\nBroken <b>bold\n</div>\n\nAfter.\n"},
                     yaml=MINIMAL_YAML + "checks:\n  S004: off\n")
    checked = prepare(root)
    assert [chapter.title for chapter in checked.chapters] == ["One", "Two"]
    assert "Broken" in checked.chapters[1].body and "After." in checked.chapters[1].body


def test_a_table_with_an_empty_header_row_has_no_header(make_book):
    from publish.build import prepare

    table = ("|  |  |\n|---|---|\n| Boards | $8.03½ |\n| Laths | 1.25 |\n\n"
             "| Item | Cost |\n|---|---|\n|  | $23.44 |\n")
    root = make_book({"chapters/01.md": f"# Accounts\n\n{table}"})
    body = prepare(root).chapters[0].body
    assert body.count("<thead>") == 1  # the second table keeps its header
    assert "<th></th>" not in body and "<th/>" not in body
