"""A build keeps its output folder tidy: a retitled book's old files go, a file publish did
not write (or one changed since) stays, and a build inside the book's own folder does not
take its outputs for changes to the book."""

from __future__ import annotations

from publish.build import build
from tests.conftest import MINIMAL_YAML, STYLES


def test_retitling_removes_the_old_outputs_and_nothing_else(make_book, tmp_path):
    book = make_book({"chapters/01.md": "# One\n\nThe lamp was lit.\n"})
    out = tmp_path / "out"
    first = build(book, out, styles=STYLES, formats=["epub"])
    old = first.outputs["epub"]
    (out / "notes.txt").write_text("the author's own file")
    (book / "book.yaml").write_text(MINIMAL_YAML.replace("A Small Book", "The Keeper's Daughter"))
    second = build(book, out, styles=STYLES, formats=["epub"])
    assert second.outputs["epub"].name == "the-keeper-s-daughter.epub"
    assert second.removed == (old,)
    assert not old.exists()
    assert (out / "notes.txt").exists()


def test_an_old_output_changed_since_is_kept(make_book, tmp_path):
    book = make_book({"chapters/01.md": "# One\n\nThe lamp was lit.\n"})
    out = tmp_path / "out"
    old = build(book, out, styles=STYLES, formats=["epub"]).outputs["epub"]
    old.write_bytes(old.read_bytes() + b"\0")  # someone's edit: not ours to delete any more
    (book / "book.yaml").write_text(MINIMAL_YAML.replace("A Small Book", "Another Name"))
    assert build(book, out, styles=STYLES, formats=["epub"]).removed == ()
    assert old.exists()


def test_outputs_inside_the_book_folder_are_not_changes_to_the_book(make_book):
    book = make_book({"chapters/01.md": "# One\n\nThe lamp was lit.\n"})
    build(book, book / "build", styles=STYLES, formats=["epub"])
    assert build(book, book / "build", styles=STYLES, formats=["epub"]).up_to_date
