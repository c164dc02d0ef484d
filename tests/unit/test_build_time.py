"""The time written into every output's metadata: SOURCE_DATE_EPOCH, else when the
manuscript last changed — never the book's `date:` (when the work was first published)."""

from __future__ import annotations

import datetime
import os
import re
import shutil

from publish.build import build_time
from publish.manuscript.load import load_book
from tests.conftest import SAMPLE


def test_source_date_epoch_wins(monkeypatch):
    book, _ = load_book(SAMPLE)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert build_time(book) == datetime.datetime(2023, 11, 14, 22, 13, 20,
                                                 tzinfo=datetime.UTC)


def test_without_it_the_manuscripts_last_change_dates_the_outputs(monkeypatch, tmp_path):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    root = tmp_path / "book"
    shutil.copytree(SAMPLE, root)
    book_yaml = root / "book.yaml"
    book_yaml.write_text(re.sub(
        r"(?m)^date:.*$", 'date: "1865-01-01"', book_yaml.read_text(encoding="utf-8")),
        encoding="utf-8")
    for path in root.rglob("*"):
        os.utime(path, (1_600_000_000, 1_600_000_000))
    chapter = sorted((root / "chapters").glob("*.md"))[0]
    os.utime(chapter, (1_750_000_000, 1_750_000_000))
    out = root / "build"  # an output folder inside the book does not count
    out.mkdir()
    (out / "book.pdf").write_bytes(b"%PDF")
    os.utime(out / "book.pdf", (1_800_000_000, 1_800_000_000))
    book, _ = load_book(root)
    assert book.metadata.date.startswith("1865")
    assert build_time(book, out) == datetime.datetime.fromtimestamp(1_750_000_000,
                                                                    tz=datetime.UTC)
