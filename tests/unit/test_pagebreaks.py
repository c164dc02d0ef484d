"""Page markers go where the printed pages begin, found by their letters alone."""

from __future__ import annotations

from lxml import etree

from publish.epub.pagebreaks import mark_pages
from publish.letters import squeeze
from publish.manuscript.load import load_book
from publish.manuscript.markup import render_book
from publish.model import PageStart
from publish.xhtml import parse_fragment

EPUB_TYPE = "{http://www.idpf.org/2007/ops}type"


def chapters_of(make_book, text: str):
    book, _ = load_book(make_book({"chapters/01.md": text}))
    chapters, _ = render_book(book)
    return chapters


def markers(body: str) -> list[tuple[str, str, str]]:
    """(label, tag of the marker's parent, text right after the marker)."""
    root = parse_fragment(body)
    return [(span.get("aria-label"), span.getparent().tag,
             "".join(span.xpath("following::text()"))[:20].strip())
            for span in root.iter("span") if span.get(EPUB_TYPE) == "pagebreak"]


def test_a_page_that_opens_with_the_heading_gets_its_marker_before_it(make_book):
    [chapter] = chapters_of(make_book, "# One\n\nThe first words.\n")
    pages = [PageStart("1", chapter.id, squeeze("One The first words."))]
    result = mark_pages([chapter], pages)
    root = parse_fragment(result.chapters[0].body)
    first = root[0]
    assert first.tag == "span" and first.get("role") == "doc-pagebreak"
    assert first.getnext().tag == "h1"  # not inside it: the heading's name stays "One"
    assert [(t.label, t.href) for t in result.pages] == [("1", "chapter-01.xhtml#page-1")]


def test_a_page_that_opens_mid_word_gets_its_marker_before_the_next_word(make_book):
    [chapter] = chapters_of(make_book, "# One\n\nThey spoke of relationships and of "
                                       "other things entirely.\n")
    # The printed page begins "ships and of other…" (relation-/ships hyphenated).
    pages = [PageStart("2", chapter.id, squeeze("ships and of other things"))]
    result = mark_pages([chapter], pages)
    assert markers(result.chapters[0].body) == [("2", "p", "and of other things")]
    assert result.missed == ()


def test_notes_and_note_calls_are_not_part_of_the_running_text(make_book):
    [chapter] = chapters_of(make_book, "# One\n\nA claim.[^a] Then the page turns here.\n\n"
                                       "[^a]: A note that says here too.\n")
    pages = [PageStart("3", chapter.id, squeeze("Then the page turns here."))]
    result = mark_pages([chapter], pages)
    assert markers(result.chapters[0].body) == [("3", "p", "Then the page turns")]


def test_a_page_whose_text_is_not_in_the_chapter_is_reported_missed(make_book):
    [chapter] = chapters_of(make_book, "# One\n\nSome words.\n")
    page = PageStart("4", chapter.id, squeeze("Words that are nowhere in this chapter"))
    result = mark_pages([chapter], [page])
    assert result.missed == (page,) and result.pages == ()
    assert etree.tostring(parse_fragment(result.chapters[0].body)).count(b"pagebreak") == 0
