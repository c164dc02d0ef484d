"""Write a generated illustrated book: chapters of prose, each with engravings — SVG line
art procedurally drawn as hatching, about `points` path points each — for the benchmark
and the tests of illustrations.

    python scripts/illustrated.py OUT_DIR [--chapters N] [--figures N] [--points N]
"""

from __future__ import annotations

import argparse
import math
import random
import sys
from pathlib import Path

WORDS = ("the of and to a in that was her his it with as had for not be she he by on at "
         "which you all have from this were they been would their said could so my no an "
         "more very what one much must such when them there any only being some now than "
         "morning letter walk dance evening sister estate garden fortune family house").split()


def engraving(rng: random.Random, points: int) -> str:
    """Hatched hills under a sky: about `points` points in polylines of 200."""
    width, height = 800, 520
    lines = []
    per_line = 200
    for index in range(max(1, points // per_line)):
        y0 = height * (index / max(1, points // per_line))
        phase, amplitude = rng.uniform(0, 6.3), rng.uniform(4, 18)
        coords = []
        for step in range(per_line):
            x = width * step / (per_line - 1)
            y = y0 + amplitude * math.sin(x / 37 + phase) + rng.uniform(-1.2, 1.2)
            coords.append(f"{x:.1f},{y:.1f}")
        lines.append(f'<polyline points="{" ".join(coords)}"/>')
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}"><g fill="none" stroke="#1a1a1a" '
            f'stroke-width="0.6">{"".join(lines)}</g></svg>\n')


def write_book(out: Path, chapters: int = 14, figures: int = 3, points: int = 100_000,
               seed: int = 1865) -> Path:
    """Write the book into `out` (created); return it."""
    rng = random.Random(seed)
    (out / "chapters" / "images").mkdir(parents=True, exist_ok=True)
    (out / "book.yaml").write_text(
        "title: An Illustrated Generated Book\nauthor: Generator\nlang: en-GB\n"
        "identifier: urn:uuid:7d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6\ndate: \"2020-01-01\"\n",
        encoding="utf-8")
    for number in range(1, chapters + 1):
        parts = [f"# Chapter {number}\n"]
        for figure in range(1, figures + 1):
            for _ in range(4):
                words = [rng.choice(WORDS) for _ in range(rng.randint(40, 90))]
                parts.append(" ".join(words).capitalize() + ".\n")
            name = f"engraving-{number:02d}-{figure}.svg"
            (out / "chapters" / "images" / name).write_text(engraving(rng, points),
                                                            encoding="utf-8")
            parts.append(f"![An engraving of hills, plate {number}.{figure}](images/{name} "
                         f'"Plate {number}.{figure}")\n')
        (out / "chapters" / f"{number:02d}.md").write_text("\n".join(parts), encoding="utf-8")
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--chapters", type=int, default=14)
    parser.add_argument("--figures", type=int, default=3)
    parser.add_argument("--points", type=int, default=100_000)
    args = parser.parse_args()
    write_book(args.out, args.chapters, args.figures, args.points)
    return 0


if __name__ == "__main__":
    sys.exit(main())
