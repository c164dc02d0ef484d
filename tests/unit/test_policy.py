"""`checks:` in book.yaml and inline `<!-- publish: ignore … -->` comments."""

from __future__ import annotations

from publish.build import check
from tests.conftest import MINIMAL_YAML, STYLES


def codes(root):
    _book, diagnostics = check(root, STYLES)
    return [(d.code, d.line, d.severity.value) for d in diagnostics]


def test_inline_comment_silences_its_own_line_only(make_book):
    root = make_book({"01.md": '# One\n\nIt is so . <!-- publish: ignore T006 -->\n\n'
                               'It is so .\n'})
    assert codes(root) == [("T006", 5, "warning")]


def test_comment_alone_silences_the_next_line_and_lists_several_codes(make_book):
    root = make_book({"01.md": "# One\n\n<!-- publish: ignore T006, T004 -->\n"
                               'It is so . Then. . . no.\n\nIt is so . Then. . . no.\n'})
    assert [c for c, _line, _sev in codes(root)] == ["T006", "T004"]
    assert {line for _c, line, _sev in codes(root)} == {6}


def test_checks_setting_turns_off_and_regrades(make_book):
    root = make_book({"01.md": '# One\n\nIt is so . Then. . . no.\n'},
                     yaml=MINIMAL_YAML + "checks:\n  T006: off\n  T004: error\n")
    assert codes(root) == [("T004", 3, "error")]
