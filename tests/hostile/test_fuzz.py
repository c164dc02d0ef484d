"""Property tests: whatever Markdown an author (or an attacker) writes, the pipeline gives
well-formed XHTML or diagnostics at real places in the book, never an exception.

Hypothesis draws chapters from the pieces Markdown books are made of — headings, lists,
quotes, notes, tables, raw HTML fragments (broken ones too), code, odd Unicode — and the
test loads, renders and checks each. How many examples run is the profile's business
(tests/conftest.py: more in CI).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from publish.build import prepare
from publish.checks import run_checks
from publish.checks.base import CheckInput
from publish.diagnostics import PublishError
from publish.manuscript.load import load_book
from publish.manuscript.markup import render_book
from tests.conftest import MINIMAL_YAML, STYLES

WORDS = st.sampled_from(["the", "letter", "Elizabeth", "walked", "and", "“quoted”", "it’s",
                         "a--b", "...", "&amp;", "&nbsp;", "&bogus;", "<", ">", "&", "'", '"',
                         "*", "**", "_", "`", "\\", "[", "]", "(", ")", "{#id}", "{: .verse}",
                         "[^1]", "[^2]", "<em>", "</em>", "<b>x</b>", "<span>", "<br/>",
                         "<!-- note -->", "<img src='x.png' alt='x'/>", "[a](#nowhere)",
                         "[b](other.md)", "[c](https://example.org)", "~~s~~", "^sup^"])
ODD_TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=12)
INLINE = st.lists(st.one_of(WORDS, ODD_TEXT), min_size=1, max_size=12).map(" ".join)

BLOCKS = st.one_of(
    INLINE,
    st.tuples(st.integers(1, 6), INLINE).map(lambda t: "#" * t[0] + " " + t[1]),
    st.lists(INLINE, min_size=1, max_size=4).map(lambda items: "\n".join(
        f"{'    ' * (i % 3)}- {item}" for i, item in enumerate(items))),
    st.lists(INLINE, min_size=1, max_size=3).map(lambda items: "\n".join(
        f"{i + 1}. {item}" for i, item in enumerate(items))),
    st.tuples(st.integers(1, 5), INLINE).map(lambda t: "> " * t[0] + t[1]),
    INLINE.map(lambda text: f"[^1]: {text}"),
    st.tuples(INLINE, INLINE).map(lambda t: f"| {t[0]} | b |\n|---|---|\n| {t[1]} | d |"),
    INLINE.map(lambda text: f"```\n{text}\n```"),
    INLINE.map(lambda text: f"    {text}"),
    st.sampled_from(["<div>", "</div>", "<div markdown=\"1\">", "<p>unclosed", "<table>",
                     "<!-- a comment\nover lines -->", "<script>x()</script>", "***", "---",
                     "<div><div><p>deep</p></div></div>", "<aside>", "<svg><circle/></svg>",
                     "Term\n: Definition", "Title\n=====", "<br>", "&#0;", "&#xD800;"]),
)
CHAPTERS = st.lists(BLOCKS, min_size=1, max_size=10).map(lambda blocks: "\n\n".join(blocks))


def _build(chapter: str) -> None:
    """Load, render and check `chapter` as a book's only chapter. Chapters that render are
    checked even when others have errors, so that every example exercises the renderer."""
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch) / "book"
        (root / "chapters").mkdir(parents=True)
        (root / "book.yaml").write_text(MINIMAL_YAML, encoding="utf-8")
        (root / "chapters" / "01.md").write_text(chapter, encoding="utf-8")
        try:
            book, problems = load_book(root)
        except PublishError as err:  # book.yaml itself is fine here, so this must not happen
            raise AssertionError(err.diagnostics) from None
        chapters, render_problems = render_book(book)
        findings = [*problems, *render_problems, *run_checks(CheckInput(book, chapters, STYLES))]
        for diag in findings:
            assert diag.path.is_relative_to(root), diag
            assert diag.line >= 0 and diag.col >= 0, diag
        if not chapters:
            assert any(d.is_error for d in findings), "a chapter vanished without a word"
        for rendered in chapters:
            section = etree.fromstring(
                '<section xmlns="http://www.w3.org/1999/xhtml" '
                f'xmlns:epub="http://www.idpf.org/2007/ops">{rendered.body}</section>')
            assert not section.xpath("//comment()"), "a comment reached the output"
            if section.xpath("//*[local-name()='script']"):  # kept only to be reported
                assert any(d.code == "L009" and d.is_error for d in findings)


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(CHAPTERS)
def test_any_chapter_renders_or_is_reported(chapter: str):
    _build("# A Chapter\n\n" + chapter)


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=400))
def test_any_text_at_all_renders_or_is_reported(chapter: str):
    _build(chapter)


@settings(max_examples=min(settings().max_examples, 60),
          suppress_health_check=[HealthCheck.too_slow])
@given(CHAPTERS)
def test_a_clean_chapter_makes_an_epub_of_well_formed_documents(chapter: str):
    """Where the checks pass, the EPUB's every document parses as XML (ebooklib re-parses
    content and silently empties what it cannot read: FIELD.md)."""
    import datetime
    import zipfile

    from publish.epub.package import write_epub

    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch) / "book"
        (root / "chapters").mkdir(parents=True)
        (root / "book.yaml").write_text(MINIMAL_YAML, encoding="utf-8")
        (root / "chapters" / "01.md").write_text("# A Chapter\n\n" + chapter, encoding="utf-8")
        try:
            checked = prepare(root, STYLES)
        except PublishError:
            return  # reported: the build stops here
        target = Path(scratch) / "book.epub"
        write_epub(checked.book, checked.chapters, target, styles=STYLES,
                   modified=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC))
        with zipfile.ZipFile(target) as archive:
            for name in archive.namelist():
                if name.endswith(".xhtml"):
                    document = etree.fromstring(archive.read(name))
                    assert document.xpath("//*[local-name()='body']/*"), f"{name} is empty"
