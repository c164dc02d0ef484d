"""Proof spreads: the PDF as facing pages, one PNG per spread, to look at without a viewer.

Pages are drawn by poppler's `pdftoppm` (Debian's poppler-utils) and set side by side with
Pillow: the first page alone on the right, as a book opens, then each verso with its recto.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from PIL import Image

from publish.diagnostics import ToolError

GUTTER_PX = 4
BACKGROUND = (128, 128, 128)


def spread_pages(page_count: int) -> list[tuple[int | None, int | None]]:
    """(left page, right page) numbers for each spread: (None, 1), (2, 3), (4, 5) …"""
    pairs: list[tuple[int | None, int | None]] = [(None, 1)] if page_count else []
    for left in range(2, page_count + 1, 2):
        pairs.append((left, left + 1 if left + 1 <= page_count else None))
    return pairs


def make_proof(pdf: Path, out_dir: Path, dpi: int = 60) -> list[Path]:
    """Write `out_dir/spread-NNN.png` for every spread of `pdf`; return their paths."""
    if shutil.which("pdftoppm") is None:
        raise ToolError("proofs need pdftoppm: apt-get install poppler-utils")
    out_dir.mkdir(parents=True, exist_ok=True)
    for old in out_dir.glob("spread-*.png"):
        old.unlink()
    with tempfile.TemporaryDirectory() as scratch:
        subprocess.run(["pdftoppm", "-r", str(dpi), "-png", str(pdf), f"{scratch}/p"],
                       check=True, capture_output=True)
        pages = sorted(Path(scratch).glob("p-*.png"), key=lambda p: int(p.stem.split("-")[1]))
        images = {number: path for number, path in enumerate(pages, 1)}
        written = []
        for index, (left, right) in enumerate(spread_pages(len(pages)), 1):
            written.append(_compose(images, left, right, out_dir / f"spread-{index:03d}.png"))
    return written


def _compose(images: dict[int, Path], left: int | None, right: int | None, target: Path
             ) -> Path:
    opened = {n: Image.open(images[n]) for n in (left, right) if n is not None}
    width = max(im.width for im in opened.values())
    height = max(im.height for im in opened.values())
    sheet = Image.new("RGB", (2 * width + GUTTER_PX, height), BACKGROUND)
    if left is not None:
        sheet.paste(opened[left], (0, 0))
    if right is not None:
        sheet.paste(opened[right], (width + GUTTER_PX, 0))
    sheet.save(target)
    for image in opened.values():
        image.close()
    return target
