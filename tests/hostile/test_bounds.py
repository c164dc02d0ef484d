"""Bounded work: whatever nesting of Markdown's constructs an author writes — quotes holding
code holding lists, fenced divs in notes, line blocks in quotes — loading, rendering and
checking it ends, and fast. A watchdog (SIGALRM, which interrupts a Python loop between
any two of its steps) turns a hang into a failure naming the manuscript; hypothesis's own
deadline cannot, since it measures an example only once the example has returned.
"""

from __future__ import annotations

import contextlib
import signal
from collections.abc import Iterator

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tests.hostile.test_fuzz import INLINE, _build

SECONDS = 20
"""Far beyond what any example takes (milliseconds): only a hang reaches it."""

PREFIXES = st.sampled_from(["> ", ">", ">     ", "    ", "  ", "\t", "- ", "* ", "1. ", "2) ",
                            ":   ", "| ", "::: ", "[^1]: ", "    > "])
LINES = st.one_of(
    INLINE,
    st.sampled_from(["```", "~~~", "```python", ":::", "::: letter", "::: {.verse #v}",
                     "sub status {", "    return 1;", "}", "---", "***", "===", "- - -",
                     "<div>", "</div>", "<div markdown=\"1\">", "<pre>", "</pre>",
                     "| a | b |", "|---|---|", "|:--|--:|", "+---+---+", "| x |",
                     "[^1]: a note", "Term", ":   Definition", "~ Definition", "#", "# Title",
                     "Title", "\\newpage", "<!--", "-->", "$x$", "$$", "%", "(@) item",
                     "#. item", "a) item", "[ ] task", "", "", ""]),
)
NESTED = st.lists(st.tuples(st.lists(PREFIXES, max_size=4).map("".join), LINES),
                  min_size=1, max_size=40).map(
    lambda lines: "\n".join(prefix + line for prefix, line in lines))


@contextlib.contextmanager
def watchdog(seconds: int, what: str) -> Iterator[None]:
    """Fail if the block runs longer than `seconds`."""
    def expire(_signum: int, _frame: object) -> None:
        raise AssertionError(f"still running after {seconds} s: {what!r}")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(NESTED)
@example("> [^1]: ")  # an empty note in a quotation: Python-Markdown's footnotes crashed
def test_any_nesting_of_constructs_ends(chapter: str):
    with watchdog(SECONDS, chapter):
        _build("# A Chapter\n\n" + chapter)


def test_an_indented_code_block_in_a_quotation_ends():
    """The hang found in a book nobody here wrote (`>     sub status {`)."""
    with watchdog(SECONDS, "quoted code"):
        _build("# Perl\n\n> A listing:\n>\n>     sub status {\n>         return 1;\n>     }\n")
