"""Every rule in the catalogue has a failing and a passing manuscript under
tests/fixtures/rules/<CODE>/{bad,good}; the failing one must report exactly the findings
in its expected.txt (`path:line:col: CODE`), the passing one none of that code."""

from __future__ import annotations

from pathlib import Path

import pytest

from publish.build import build, check
from publish.diagnostics import PublishError
from publish.rules import RULES
from tests.conftest import STYLES

RULE_FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "rules"
LAYOUT_RULES = frozenset({"P010", "P011", "P012", "P013", "P014"})
"""Found in the print edition's layout (publish.pdf.invariants): by a build, not a check."""


def findings(book_dir: Path, out: Path | None = None) -> set[str]:
    if out is None:
        _book, diagnostics = check(book_dir, STYLES)
    else:
        try:
            diagnostics = build(book_dir, out, styles=STYLES, formats=["pdf"]).diagnostics
        except PublishError as err:
            diagnostics = err.diagnostics
    return {f"{d.path.relative_to(book_dir).as_posix() if d.path != book_dir else '.'}"
            f":{d.line}:{d.col}: {d.code}" for d in diagnostics}


def expected(book_dir: Path) -> set[str]:
    return set((book_dir / "expected.txt").read_text().split("\n")) - {""}


def test_every_rule_has_both_fixtures():
    missing = [code for code in RULES
               if not (RULE_FIXTURES / code / "bad").is_dir()
               or not (RULE_FIXTURES / code / "good").is_dir()]
    assert missing == []


def test_every_fixture_names_a_rule():
    assert sorted(p.name for p in RULE_FIXTURES.iterdir()) == sorted(RULES)


def built(code: str, tmp_path: Path) -> Path | None:
    """Where a layout rule's fixture is built (None: the rule is a check's)."""
    return tmp_path / "out" if code in LAYOUT_RULES else None


@pytest.mark.parametrize("code", sorted(RULES))
def test_bad_fixture_reports_exact_place(code: str, tmp_path: Path):
    book_dir = RULE_FIXTURES / code / "bad"
    got = findings(book_dir, built(code, tmp_path))
    assert got == expected(book_dir)
    assert any(line.endswith(f": {code}") for line in got)


@pytest.mark.parametrize("code", sorted(RULES))
def test_good_fixture_is_clean_of_that_rule(code: str, tmp_path: Path):
    book_dir = RULE_FIXTURES / code / "good"
    got = findings(book_dir, built(code, tmp_path))
    assert got == expected(book_dir)
    assert not any(line.endswith(f": {code}") for line in got)


def test_glyph_check_covers_the_title_page(make_book):
    root = make_book({"01.md": "# One\n"}, yaml="""\
        title: Songs
        author: 李白
        lang: en
        identifier: urn:uuid:2f1c9a4e-8b7d-4c3a-9e21-5a6b7c8d9e0f
        """)
    _book, diagnostics = check(root, STYLES)
    assert [(d.code, d.line, d.col) for d in diagnostics] == [("P001", 2, 9), ("P001", 2, 9)]


def test_readme_lists_every_rule_as_the_catalogue_says():
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    from publish.rules import catalogue_markdown

    assert catalogue_markdown() in readme


def test_glyph_check_covers_code_headings_and_says_which_face(make_book):
    root = make_book({"01.md": "# One\n\nArrows: `a ⟶ b` and ⟶ in text.\n\n"
                               "## A reference ※ here\n"}, yaml="""\
        title: Songs
        author: A
        lang: en
        theme: modern
        identifier: urn:uuid:2f1c9a4e-8b7d-4c3a-9e21-5a6b7c8d9e0f
        """)
    _book, diagnostics = check(root, STYLES)
    # Charis SIL has both; IBM Plex Mono (code) lacks the arrow, Lato (headings) the mark.
    assert [(d.code, d.line, d.col, d.message.split(",")[0]) for d in diagnostics] == [
        ("P001", 3, 12, "IBMPlexMono-Regular"), ("P001", 5, 16, "Lato-Regular")]
