"""Books nobody here wrote come out whole: the short books of ../shared/corpora (a play set as
definition lists, nonfiction with long notes holding quotations) build with every invariant
on (publish.pdf.invariants: a build that breaks one fails), EPUBCheck finds nothing in their
EPUBs, and preflight reads every word of the manuscript back from their PDFs. The whole
corpus, in four editions each, is `make corpus`."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from publish.build import build, prepare
from publish.epub.validate import run_epubcheck
from publish.pdf.preflight import front_matter_texts, last_words, notes_of, preflight, running_text
from tests.conftest import REPO, STYLES

pytestmark = pytest.mark.slow

CORPUS = Path(os.environ.get("PUBLISH_CORPUS", REPO.parent / "shared" / "corpora"))
SHORT = ("earnest", "the-prince")


@pytest.fixture(scope="module", params=SHORT)
def built(request, tmp_path_factory):
    book = CORPUS / request.param
    if not (book / "book.yaml").is_file():
        pytest.skip(f"the corpus is not at {CORPUS} (it lives in ../shared)")
    out = tmp_path_factory.mktemp(request.param)
    return book, build(book, out, styles=STYLES, formats=["pdf", "epub"])


def test_the_book_builds_whole_and_its_report_is_in_the_result(built):
    _book, result = built
    assert result.report is not None
    assert result.report.far() == []
    assert result.report.book.page_end_hyphens == 0


def test_epubcheck_finds_nothing(built):
    _book, result = built
    assert run_epubcheck(result.outputs["epub"]) == []


def test_preflight_reads_every_word_back(built):
    book, result = built
    checked = prepare(book, STYLES)
    texts = [*front_matter_texts(checked.book),
             *((str(c.chapter.path), running_text(c)) for c in checked.chapters)]
    notes = [(str(c.chapter.path), note) for c in checked.chapters for note in notes_of(c)]
    assert preflight(result.outputs["pdf"], checked.book.print_settings,
                     last_words(checked.chapters[-1]), texts, notes) == []
