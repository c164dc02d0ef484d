"""A generated nonfiction book: several chapters of prose with terms marked for the index on
many pages — sub-entries, a range over a chapter turn, see and see-also, accented terms and
one sorted by a key of its own — and page references. Deterministic: the same book every time.
"""

from __future__ import annotations

import random
from pathlib import Path

SENTENCES = (
    "The keepers logged the weather at every change of watch, and the log survives.",
    "Supplies came by boat when the sea allowed it, which was seldom in winter.",
    "A second keeper arrived in the spring and stayed until the station closed.",
    "Visitors remarked on the brass, which was polished every morning without fail.",
    "The light could be seen for twenty miles on a clear night, or so the charts said.",
    "Every repair was written down, with the cost and the name of whoever made it.",
    "The tower itself was built of granite quarried on the mainland and shipped across.",
    "Fog was the keepers' worst enemy, worse than any gale that winter brought.",
)
"""Filler, in the keepers' plain style."""

MARKS = (
    ('[the lamp]{.index term="Lamp"}', 1),
    ('[paraffin]{.index term="Lamp!paraffin"}', 2),
    ('[the wick]{.index term="Lamp!wick"}', 3),
    ('[trimming]{.index term="Lamp!wick!trimming"}', 4),
    ("[Óbidos]{.index}", 2),
    ('[the Æsir]{.index term="Æsir" sort="Aesir"}', 3),
    ("[Ångström]{.index}", 5),
    ("[éclair]{.index}", 1),
    ("[zinc]{.index}", 2),
    ('[]{.index term="Oil" see="Lamp!paraffin"}', 1),
    ('[]{.index term="Fog" see-also="Lamp"}', 1),
    ("[fog]{.index term=\"Fog\"}", 3),
)
"""Each mark, and in how many chapters it is made."""


def make_nonfiction(root: Path, chapters: int = 5, paragraphs: int = 14) -> Path:
    """Write the book into `root` and return it."""
    rng = random.Random(22)
    (root / "chapters").mkdir(parents=True, exist_ok=True)
    (root / "book.yaml").write_text(
        "title: Keepers of the Light\nauthor: A. Historian\nlang: en\n"
        "identifier: urn:uuid:6b1d3c2a-0f4e-4d8b-9a7c-1e2f3a4b5c6d\n", encoding="utf-8")
    for number in range(1, chapters + 1):
        lines = [f"# Station {number} {{#station-{number}}}", ""]
        for paragraph in range(paragraphs):
            words = [rng.choice(SENTENCES) for _ in range(5)]
            for mark, spread in MARKS:
                if number <= spread and paragraph == (hash_of(mark) + number) % paragraphs:
                    words.insert(2, f"Here {mark} matters.")
            if number == 2 and paragraph == paragraphs - 2:
                words.insert(1, "[Storms]{.index range=\"start\"} began to come more often.")
            if number == 3 and paragraph == 3:
                words.append('They ended that year.[]{.index term="Storms" range="end"}')
            if number == 4 and paragraph == 1:
                words.append("On storms, see [the second station](#station-2){.page-ref}.")
            lines += [" ".join(words), ""]
        (root / "chapters" / f"{number:02d}.md").write_text("\n".join(lines), encoding="utf-8")
    return root


def hash_of(text: str) -> int:
    """A stable small number for `text` (Python's hash() changes from run to run)."""
    return sum(map(ord, text))
