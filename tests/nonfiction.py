"""A generated nonfiction book: several chapters of prose with terms marked for the index on
many pages — sub-entries, a range over a chapter turn, see and see-also, accented terms and
one sorted by a key of its own —, page references, and citations of every form Pandoc reads,
from a CSL JSON bibliography. Deterministic: the same book every time.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

WORKS = [
    {"id": "doe2020", "type": "book", "title": "Keepers of the Light",
     "author": [{"family": "Doe", "given": "Jane"}], "issued": {"date-parts": [[2020]]},
     "publisher": "Harbour Press", "publisher-place": "Falmouth"},
    {"id": "roe2018", "type": "article-journal", "title": "Fog signals on the Cornish coast",
     "author": [{"family": "Roe", "given": "Richard"}, {"family": "Smith", "given": "Anna"}],
     "issued": {"date-parts": [[2018]]}, "container-title": "Maritime History",
     "volume": "12", "issue": "3", "page": "45-67"},
    {"id": "poe1999", "type": "chapter", "title": "Lamps and oil",
     "author": [{"family": "Poe", "given": "Edgar"}],
     "editor": [{"family": "Lee", "given": "Ann"}], "container-title": "Light at Sea",
     "issued": {"date-parts": [[1999]]}, "publisher": "Sea Books",
     "publisher-place": "London", "page": "10-20"},
    {"id": "ostergaard2011", "type": "book", "title": "Fyrtårne i Danmark",
     "author": [{"family": "Østergaard", "given": "Søren"}],
     "issued": {"date-parts": [[2011]]}, "publisher": "Gyldendal"},
    {"id": "lee2001", "type": "book", "title": "A History of the Lighthouse Service",
     "author": [{"family": "Lee", "given": "Ann"}], "issued": {"date-parts": [[2001]]},
     "publisher": "Trinity Press"},
]
"""The bibliography (CSL JSON): a book, an article by two authors, a chapter in an edited
book, a book by an author whose name is not ASCII, and one cited only by `nocite:`."""

CITATIONS = (
    "[@doe2020]", "[@doe2020, p. 12]", "[see @roe2018; @poe1999, chap. 2]",
    "@doe2020 says as much", "@roe2018 [p. 50] disagrees", "[-@poe1999]",
    "[@ostergaard2011, 33-35]", "[cf. @roe2018, 47; also @doe2020]",
)
"""One of each form, in Pandoc's syntax."""

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
        "identifier: urn:uuid:6b1d3c2a-0f4e-4d8b-9a7c-1e2f3a4b5c6d\n"
        "bibliography: works.json\nnocite: |\n  @lee2001\n", encoding="utf-8")
    (root / "works.json").write_text(json.dumps(WORKS, ensure_ascii=False, indent=1),
                                     encoding="utf-8")
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
            if paragraph % 4 == 2:
                cited = CITATIONS[(number * 3 + paragraph) % len(CITATIONS)]
                words.insert(3, f"The record is plain {cited}.")
            lines += [" ".join(words), ""]
        (root / "chapters" / f"{number:02d}.md").write_text("\n".join(lines), encoding="utf-8")
    return root


def hash_of(text: str) -> int:
    """A stable small number for `text` (Python's hash() changes from run to run)."""
    return sum(map(ord, text))
