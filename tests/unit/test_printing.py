"""Trim sizes, KDP's gutter table and the cover wrap's size, to the point."""

from __future__ import annotations

import pytest

from publish.pdf.cover import cover_size
from publish.printing import PrintSettings, kdp_gutter, parse_trim


@pytest.mark.parametrize(("value", "inches"), [
    ("6x9", (6.0, 9.0)), ("A5", (5.83, 8.27)), ("152x229mm", (5.984, 9.016)),
    ("6.14x9.21in", (6.14, 9.21)), ("9x6", None), ("big", None),
])
def test_trim_sizes(value, inches):
    assert parse_trim(value) == inches


@pytest.mark.parametrize(("pages", "gutter"), [
    (24, 0.375), (150, 0.375), (151, 0.5), (300, 0.5), (301, 0.625), (500, 0.625),
    (501, 0.75), (700, 0.75), (701, 0.875), (828, 0.875),
])
def test_kdp_gutter_table(pages, gutter):
    assert kdp_gutter(pages) == gutter


def test_cover_wrap_size_for_a_known_page_count():
    # 6 × 9 in, 300 pages on white paper: spine 300 × 0.002252 = 0.6756 in;
    # width 2 × 6 + 0.6756 + 2 × 0.125 = 12.9256 in = 930.64 pt; height 9.25 in = 666 pt.
    size = cover_size(PrintSettings(trim=(6.0, 9.0), paper="white"), 300)
    assert round(size.width * 72, 2) == 930.64
    assert round(size.height * 72, 2) == 666.0
    cream = cover_size(PrintSettings(trim=(6.0, 9.0), paper="cream"), 300)
    assert round(cream.spine, 4) == 0.75
