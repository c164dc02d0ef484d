"""Proof spreads pair pages as a book opens."""

from __future__ import annotations

from publish.proof import spreads


def test_first_page_alone_on_the_right_then_facing_pairs():
    assert spreads(5) == [(None, 1), (2, 3), (4, 5)]
    assert spreads(4) == [(None, 1), (2, 3), (4, None)]
    assert spreads(0) == []
