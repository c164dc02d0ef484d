"""The joined PDF is the same bytes whatever Python's hash seed: its fonts are visited in a
fixed order (pikepdf hands a dictionary's keys over as a set)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pikepdf

VISIT = """
import sys
import pikepdf
from publish.pdf.fonts import font_holders
with pikepdf.open(sys.argv[1]) as pdf:
    print(" ".join(str(key) for _fonts, key in font_holders(pdf)))
"""


def test_fonts_are_visited_in_the_same_order_under_every_hash_seed(tmp_path: Path):
    pdf = pikepdf.new()
    pdf.add_blank_page()
    fonts = pikepdf.Dictionary({f"/F{n}": pikepdf.Dictionary({"/Type": pikepdf.Name.Font})
                                for n in range(12)})
    pdf.pages[0].obj.Resources = pikepdf.Dictionary({"/Font": fonts})
    pdf.save(tmp_path / "fonts.pdf")
    orders = {subprocess.run([sys.executable, "-c", VISIT, str(tmp_path / "fonts.pdf")],
                             capture_output=True, text=True, check=True,
                             env={**os.environ, "PYTHONHASHSEED": str(seed)}).stdout
              for seed in range(6)}
    assert len(orders) == 1
