"""Proof spreads pair pages as a book opens."""

from __future__ import annotations

from publish.pdf.proof import spread_pages


def test_first_page_alone_on_the_right_then_facing_pairs():
    assert spread_pages(5) == [(None, 1), (2, 3), (4, 5)]
    assert spread_pages(4) == [(None, 1), (2, 3), (4, None)]
    assert spread_pages(0) == []


def test_preflight_sees_a_scene_break_alone_at_a_page_edge(monkeypatch, tmp_path):
    from publish.pdf import preflight as module

    # pdftotext's way: each star of the ornament on a line of its own.
    pages = ["Head\n*\n\n*\n\n*\nText goes on.\n12\n",
             "Head\nText.\n*\n\n*\n\n*\nMore text.\n13\n"]
    monkeypatch.setattr(module, "page_texts", lambda _path: pages)
    monkeypatch.setattr(module.pikepdf, "open", _FakePdf)
    # The same two pages read word by word, in the text block of a 5.5 × 8.5 in page.
    words = [[module.readback.Word(text, 100 + 20 * n, 300, 115 + 20 * n, 312)
              for n, text in enumerate(page.split()) if text not in ("Head", "12", "13")]
             for page in pages]
    monkeypatch.setattr(module.readback, "read", lambda _path: [
        module.readback.Page(396.0, 612.0, tuple(line)) for line in words])
    problems = module.preflight(tmp_path / "x.pdf", module.PrintSettings(), "More text.")
    assert problems == ["page 1: a scene break stands alone at its top or foot"]


class _FakePdf:
    """Stands in for a two-page PDF whose boxes and fonts are right."""

    def __init__(self, _path):
        self.pages = []

    def __enter__(self):
        return self

    def __exit__(self, *_exc):
        return False


def _page(*lines: str):
    from publish.pdf import readback

    words = [readback.Word(text, 100 + 40 * n, 100 + 14 * row, 130 + 40 * n, 110 + 14 * row)
             for row, line in enumerate(lines) for n, text in enumerate(line.split())]
    return readback.Page(396.0, 612.0, tuple(words))


def test_a_word_split_over_a_page_turn_is_read_before_its_next_whole_copy():
    from publish.pdf import readback
    from publish.printing import Geometry

    geo = Geometry(5.5, 8.5, 0.75, 0.75, 0.75, 0.625, "")
    # Stream order as WeasyPrint draws it: a list's numbers come after the page's text.
    pages = [_page("razed all the fort‐", "5.", "6."),
             _page("resses in that province, and such fortresses fell.")]
    text = "razed all the fortresses in that province, and such fortresses fell."
    assert readback.missing_words(pages, geo, [("23.md", text)]) == []
    lost = "razed all the fortresses in that town, and such fortresses fell."
    assert readback.missing_words(pages, geo, [("23.md", lost)]) == [
        "23.md: the words “town, and such fortresses fell.” are not printed where the "
        "manuscript has them"]
