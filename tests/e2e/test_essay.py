"""The sample is the author's essay word for word, with no title the author did not write;
a book may open untitled; and chapters may start on a recto, on the next page, or run on."""

from __future__ import annotations

import re
import subprocess
import unicodedata
from pathlib import Path

import pikepdf
import pytest
from lxml import etree

from publish.build import build, build_time, prepare
from publish.epub.validate import run_epubcheck
from publish.pdf import LayoutCache, write_pdf
from publish.pdf.edition import whole_book_layout
from tests.conftest import REPO, SAMPLE, STYLES
from tests.e2e.helpers import NS, read_epub, top_level_outline
from tests.e2e.test_units import page_texts

SEEDS = REPO.parent / "shared" / "seeds"
_WORD = re.compile(r"[^\W_]+(?:[’'][^\W_]+)*")


def words(text: str) -> list[str]:
    """The words of `text`, in order (punctuation, dashes and Markdown's marks are not
    words; an apostrophe inside a word is, whichever way it is written)."""
    return [w.replace("'", "’") for w in _WORD.findall(unicodedata.normalize("NFKC", text))]


def manuscript_words(book: Path) -> list[str]:
    """The book's title, then every word of its chapter files in reading order."""
    checked = prepare(book, STYLES)
    texts = dict.fromkeys(c.chapter.path for c in checked.chapters)
    return words(checked.book.metadata.title) + [
        w for path in texts for w in words(path.read_text(encoding="utf-8"))]


def printed_words(pdf: Path, vocabulary: set[str]) -> list[str]:
    """The words of the PDF's text blocks (5.5 × 8.5 in, no running heads or folios: they
    sit in the margins), a word hyphenated across a line end made whole again."""
    text = subprocess.run(["pdftotext", "-r", "72", "-x", "0", "-y", "54", "-W", "396",
                           "-H", "500", "-enc", "UTF-8", str(pdf), "-"],
                          capture_output=True, text=True, check=True).stdout

    def rejoin(match: re.Match[str]) -> str:
        whole = match.group(1) + match.group(2)
        return whole if whole in vocabulary else f"{match.group(1)} {match.group(2)}"

    return words(re.sub(r"(\w+)[-‐]\n(\w+)", rejoin, text))


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    out = tmp_path_factory.mktemp("essay")
    return build(SAMPLE, out, styles=STYLES, formats=["pdf", "epub"]).outputs


@pytest.mark.skipif(not SEEDS.is_dir(), reason="the author's seed text lives in ../shared")
def test_the_sample_is_the_seed_word_for_word():
    seed = next(SEEDS.glob("*.txt")).read_text(encoding="utf-8")
    assert manuscript_words(SAMPLE) == words(seed)


def test_the_epub_and_the_pdf_carry_the_manuscripts_words_and_no_other(sample):
    expected = manuscript_words(SAMPLE)
    files = read_epub(sample["epub"])
    chapters = sorted(name for name in files if re.fullmatch(r"EPUB/chapter-\d+\.xhtml", name))
    body = [w for name in chapters for w in words(" ".join(
        etree.fromstring(files[name]).xpath("//x:body//text()", namespaces=NS)))]
    assert words(files["EPUB/titlepage.xhtml"].decode()).count(expected[0]) >= 1
    assert body == expected[len(words(prepare(SAMPLE).book.metadata.title)):]
    printed = printed_words(sample["pdf"], set(expected))
    # The body pages: from the essay's first words to the end.
    start = next(i for i in range(len(printed)) if printed[i:i + 8] == body[:8])
    assert printed[start:] == body


def test_the_untitled_opening_is_listed_nowhere_and_opens_the_reading(sample):
    titles = ["Recognizing When It’s Time to Walk Away", "The Fear That Keeps Us Stuck",
              "Choosing Yourself With Compassion"]
    files = read_epub(sample["epub"])
    nav = etree.fromstring(files["EPUB/nav.xhtml"])
    assert nav.xpath("//x:nav[@epub:type='toc']//x:a/text()", namespaces=NS) == titles
    assert nav.xpath("//x:nav[@epub:type='landmarks']//x:a[@epub:type='bodymatter']/@href",
                     namespaces=NS) == ["chapter-01.xhtml"]
    opening = etree.fromstring(files["EPUB/chapter-01.xhtml"])
    assert opening.xpath("//x:title/text()", namespaces=NS) == [
        "The Courage to Leave When Love No Longer Serves You"]
    assert opening.xpath("//x:h1 | //x:h2 | //@aria-label[. != '1']", namespaces=NS) == []
    assert not any(b"Introduction" in data for data in files.values())
    with pikepdf.open(sample["pdf"]) as pdf:
        assert top_level_outline(pdf) == titles
    assert run_epubcheck(sample["epub"]) == []


def chapter(title: str, paragraphs: int) -> str:
    sentence = ("The tide came in over the flats while the gulls argued on the wall, and "
                "nobody in the village thought to look up from the nets. ")
    return (f"# {title}\n\n" if title else "") + "\n\n".join(
        sentence * 4 for _ in range(paragraphs)) + "\n"


@pytest.fixture(scope="module", params=["recto", "next-page", "continuous"])
def started(request, tmp_path_factory):
    """A book with an untitled opening of two pages and three chapters of five paragraphs
    (a page and a bit), typeset unit by unit and as one whole-book layout."""
    root = tmp_path_factory.mktemp(request.param)
    (root / "chapters").mkdir()
    (root / "chapters" / "01.md").write_text(chapter("", 9) + "\n" + chapter("Ebb", 5))
    (root / "chapters" / "02.md").write_text(chapter("Flood", 5))
    (root / "chapters" / "03.md").write_text(chapter("Slack Water", 5))
    (root / "book.yaml").write_text(
        "title: Tides\nauthor: A. Writer\nlang: en\n"
        "identifier: urn:uuid:2f1c9a4e-8b7d-4c3a-9e21-5a6b7c8d9e0f\n"
        f"print:\n  chapter-start: {request.param}\n", encoding="utf-8")
    checked = prepare(root, STYLES)
    created = build_time(checked.book)
    edition = write_pdf(checked.book, checked.chapters, root / "units.pdf", styles=STYLES,
                        created=created, cache=LayoutCache(root / "cache"))
    whole = whole_book_layout(checked.book, checked.chapters, styles=STYLES,
                              created=created, settings=checked.book.print_settings,
                              pages=edition.pages)
    return request.param, page_texts(root / "units.pdf"), page_texts(whole.write_pdf())


def test_each_way_of_starting_is_what_a_whole_book_layout_gives(started):
    _mode, units, whole = started
    assert units == whole


def test_chapters_start_where_the_book_says(started):
    mode, pages, _whole = started
    # A chapter's title is a line of its own; a running head has its folio beside it.
    opens = {title: next(i for i, page in enumerate(pages)
                         if any(line.strip() == title for line in page.splitlines()))
             for title in ("Ebb", "Flood", "Slack Water")}
    body = [i for i, page in enumerate(pages) if "The tide came in" in page]
    if mode == "recto":
        assert all(index % 2 == 0 for index in opens.values())  # page 1, 3, 5 …: rectos
    else:
        # No blank page inside the body: every page from the first to the last has text.
        assert body == list(range(body[0], body[-1] + 1))
    if mode == "continuous":
        # Each chapter after the first begins on the page where the one before it ends.
        assert opens["Flood"] == opens["Ebb"] + 1 and opens["Slack Water"] == opens["Flood"] + 1
    else:  # a chapter of a page and a bit has two pages of its own
        assert opens["Flood"] >= opens["Ebb"] + 2 and opens["Slack Water"] >= opens["Flood"] + 2


def test_the_opening_has_the_books_title_in_its_running_head(started):
    _mode, pages, _whole = started
    first = next(i for i, page in enumerate(pages) if "The tide came in" in page)
    second = pages[first + 1].strip().splitlines()[0]
    assert "Tides" in second or "TIDES" in second.upper()
