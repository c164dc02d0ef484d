"""The time written into every output: SOURCE_DATE_EPOCH, else the book's date."""

from __future__ import annotations

import dataclasses
import datetime

from publish.build import build_time
from publish.manuscript.load import load_book
from tests.conftest import SAMPLE


def test_source_date_epoch_wins(monkeypatch):
    book, _ = load_book(SAMPLE)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert build_time(book) == datetime.datetime(2023, 11, 14, 22, 13, 20,
                                                 tzinfo=datetime.UTC)


def test_without_it_the_books_date_fixes_the_time(monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    book, _ = load_book(SAMPLE)
    assert build_time(book) == datetime.datetime(2026, 11, 28, tzinfo=datetime.UTC)
    year_only = dataclasses.replace(book, metadata=dataclasses.replace(book.metadata,
                                                                        date="1813"))
    assert build_time(year_only) == datetime.datetime(1813, 1, 1, tzinfo=datetime.UTC)
