"""The line map: findings keep the author's line and column through front matter, fenced
and indented code, raw HTML and inline markup."""

from __future__ import annotations

from publish.build import check
from publish.manuscript.source import MASK, scan

CHAPTER = """\
---
role: chapter
---
# A Title

Prose with "straight" quotes, and 'tis the wrong way.

```
code with "quotes" -- and ... dots
```

    indented code with "quotes"

<div class="note">
<p>Raw HTML with 'twas quotes.</p>
</div>

- A list item
  with `"code"` and a [link](http://example.org/a--b "t") here. . .

    A list item's indented continuation ---- still prose.
"""


def test_findings_keep_source_positions(make_book):
    root = make_book({"chapters/01.md": CHAPTER})
    _book, diagnostics = check(root)
    assert [(d.line, d.col, d.code) for d in diagnostics] == [
        (6, 35, "T001"), (15, 18, "T001"), (19, 63, "T004"), (21, 41, "T003"),
    ]


def test_masked_prose_keeps_columns():
    source = scan('See `a  b` and <b class="x">bold</b> [link](u.md) ok.', 1)
    (line,) = source.lines
    assert len(line.prose) == len(line.raw)
    assert line.prose.replace(MASK, "") == "See  and bold [link] ok."


def within(seconds: float, work):
    """What `work()` returns, or a failure if it takes longer than `seconds` (a hang)."""
    import threading

    done: list = []
    thread = threading.Thread(target=lambda: done.append(work()), daemon=True)
    thread.start()
    thread.join(seconds)
    assert done, f"still running after {seconds} s"
    return done[0]


def test_indented_code_inside_a_block_quote_is_code_and_the_scan_ends():
    text = ("# Perl\n\n> A quotation:\n>\n>     sub status {\n>         return 1;\n>     }\n"
            "\nAfter.\n")
    source = within(5, lambda: scan(text))
    kinds = {line.number: line.kind for line in source.lines}
    assert [kinds[n] for n in (5, 6, 7)] == ["code", "code", "code"]
    assert kinds[9] == "text"
