"""The layout cache keeps what builds use and forgets the rest."""

from __future__ import annotations

import os
import time

from publish.pdf.cache import LayoutCache, prune


def test_the_layout_cache_forgets_what_no_build_used_for_a_month(tmp_path):
    cache = LayoutCache(tmp_path / "layout")
    cache.put("old", {"a": 1})
    cache.put("kept", {"b": 2})
    month_ago = time.time() - 31 * 86_400
    for name in ("old", "kept"):
        os.utime(tmp_path / "layout" / f"{name}.entry", (month_ago, month_ago))
    assert LayoutCache(tmp_path / "layout").get("kept", dict) == {"b": 2}  # used: touched
    assert prune(tmp_path) == 1
    assert sorted(p.name for p in (tmp_path / "layout").iterdir()) == ["kept.entry"]
