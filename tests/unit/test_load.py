"""Finding books and chapters."""

from __future__ import annotations

from publish.manuscript.load import find_books, load_book
from tests.conftest import MINIMAL_YAML


def test_chapters_folder_sorted_by_name(make_book):
    root = make_book({"chapters/10.md": "# Ten\n", "chapters/02.md": "# Two\n",
                      "chapters/01.md": "# One\n", "notes.md": "# Not a chapter\n"})
    book, problems = load_book(root)
    assert problems == []
    assert [c.path.name for c in book.chapters] == ["01.md", "02.md", "10.md"]


def test_root_markdown_files_when_no_chapters_folder_readme_excluded(make_book):
    root = make_book({"b.md": "# B\n", "a.md": "# A\n", "README.md": "notes"})
    book, _ = load_book(root)
    assert [c.path.name for c in book.chapters] == ["a.md", "b.md"]


def test_chapters_listed_in_book_yaml_keep_their_order(make_book):
    root = make_book({"x/z.md": "# Z\n", "x/a.md": "# A\n"},
                     yaml=MINIMAL_YAML + "chapters:\n  - x/z.md\n  - x/a.md\n")
    book, _ = load_book(root)
    assert [c.path.name for c in book.chapters] == ["z.md", "a.md"]


def test_front_matter_moves_the_first_line(make_book):
    root = make_book({"chapters/01.md": "---\nrole: chapter\n---\n# One\n"})
    book, _ = load_book(root)
    assert book.chapters[0].first_line == 4
    assert book.chapters[0].text.startswith("# One")


def test_folder_of_books(tmp_path, make_book):
    make_book({"01.md": "# A\n"}, name="first")
    make_book({"01.md": "# B\n"}, name="second")
    assert [p.name for p in find_books(tmp_path)] == ["first", "second"]


def test_author_list_and_output_name(make_book):
    root = make_book({"01.md": "# A\n"}, yaml=MINIMAL_YAML.replace(
        "author: Test Author", "author:\n  - Ann Writer\n  - Bo Scribe"))
    book, problems = load_book(root)
    assert problems == []
    assert book.metadata.authors == ("Ann Writer", "Bo Scribe")
    assert book.name == "a-small-book"


def test_text_before_the_first_heading_is_an_untitled_opening(make_book):
    root = make_book({"chapters/01.md": "An opening paragraph.\n\nAnother.\n\n# One\n\nText.\n",
                      "chapters/02.md": "# Two\n\nMore.\n"})
    book, problems = load_book(root)
    assert problems == []
    opening, one, two = book.chapters
    assert (opening.role.titled, opening.first_line, opening.text.split()) == (
        False, 1, ["An", "opening", "paragraph.", "Another."])
    assert (one.role.titled, one.first_line, one.text.split()[:2]) == (True, 5, ["#", "One"])
    assert two.role.titled and [c.path.name for c in book.chapters] == ["01.md", "01.md",
                                                                         "02.md"]


def test_a_first_file_with_no_heading_is_all_opening_and_only_the_first_is(make_book):
    root = make_book({"chapters/01.md": "<!-- a note -->\nJust text.\n",
                      "chapters/02.md": "No heading here either.\n"})
    book, _ = load_book(root)
    assert [c.role.titled for c in book.chapters] == [False, True]  # 02 is H001's business


def test_a_chapter_may_declare_itself_untitled(make_book):
    root = make_book({"chapters/01.md": "# One\n", "chapters/02.md": "---\nuntitled: true\n"
                      "---\nA section with no title.\n",
                      "chapters/03.md": "---\nuntitled: maybe\n---\nText.\n"})
    book, problems = load_book(root)
    assert [(c.path.name, c.role.titled, c.role.label) for c in book.chapters] == [
        ("01.md", True, "Chapter"), ("02.md", False, "")]
    assert [(p.code, p.path.name) for p in problems] == [("S005", "03.md")]


def test_a_comment_before_the_first_heading_makes_no_opening(make_book):
    root = make_book({"chapters/01.md": "<!-- draft 3 -->\n\n# One\n\nText.\n"})
    book, _ = load_book(root)
    assert [c.role.titled for c in book.chapters] == [True]
