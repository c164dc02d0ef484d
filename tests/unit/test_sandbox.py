"""The book's folder is its sandbox: nothing outside it (or styles/) is read, nothing fetched."""

from __future__ import annotations

import pytest
from weasyprint.urls import FatalURLFetchingError

from publish.build import check
from publish.pdf.fetcher import SandboxFetcher


def test_fetcher_serves_the_book_and_refuses_the_rest(tmp_path):
    book = tmp_path / "book"
    book.mkdir()
    (book / "a.css").write_text("p {}")
    (tmp_path / "secret.txt").write_text("secret")
    fetcher = SandboxFetcher([book])
    assert fetcher.fetch((book / "a.css").as_uri()).read() == b"p {}"
    for url in [(tmp_path / "secret.txt").as_uri(), (book / ".." / "secret.txt").as_uri(),
                "https://example.org/font.woff2", "http://127.0.0.1/x.png"]:
        with pytest.raises(FatalURLFetchingError):
            fetcher.fetch(url)


def test_images_outside_the_book_or_remote_are_errors(make_book):
    root = make_book({"chapters/01.md": "# One\n\n<img src=\"/etc/hostname\" alt=\"x\"/>\n\n"
                                        "![far](../../outside.png)\n\n"
                                        "![web](http://example.org/x.png)\n"})
    _book, diagnostics = check(root)
    assert [(d.code, d.line) for d in diagnostics] == [("L008", 3), ("L008", 5), ("L002", 7)]


def test_any_remote_resource_in_raw_html_is_an_error(make_book):
    root = make_book({"chapters/01.md": '# One\n\n<audio src="https://example.org/a.mp3">'
                                        "</audio>\n\nA [web link](https://example.org) is "
                                        "fine.\n"})
    _book, diagnostics = check(root)
    assert [(d.code, d.line) for d in diagnostics] == [("L002", 3)]
