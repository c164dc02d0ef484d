"""The time written into every output: SOURCE_DATE_EPOCH, else the manuscript's last change
(never the publication date of a reissued classic)."""

from __future__ import annotations

import dataclasses
import datetime
import os
import shutil

from publish.build import build_time
from publish.manuscript.load import load_book
from tests.conftest import SAMPLE


def test_source_date_epoch_wins(monkeypatch):
    book, _ = load_book(SAMPLE)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert build_time(book) == datetime.datetime(2023, 11, 14, 22, 13, 20,
                                                 tzinfo=datetime.UTC)


def test_without_it_the_manuscripts_last_change_fixes_the_time(monkeypatch, tmp_path):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    book_dir = tmp_path / "book"
    shutil.copytree(SAMPLE, book_dir)
    for path in book_dir.rglob("*"):
        os.utime(path, (1_600_000_000, 1_600_000_000))
    chapter = sorted((book_dir / "chapters").glob("*.md"))[1]
    os.utime(chapter, (1_700_000_000, 1_700_000_000))
    book, _ = load_book(book_dir)
    made = build_time(book)
    assert made == datetime.datetime(2023, 11, 14, 22, 13, 20, tzinfo=datetime.UTC)
    # Not the publication date, which for a reissued classic is centuries back.
    classic = dataclasses.replace(book, metadata=dataclasses.replace(book.metadata,
                                                                      date="1813"))
    assert build_time(classic) == made
