"""The half-title and the title page break a long title into even lines, and a running
head never runs over its line."""

from __future__ import annotations

import dataclasses

import pytest

from publish.frontmatter import (
    HALF_TITLE_SIZE,
    HALF_TITLE_SPACING,
    TITLE_SIZE,
    TITLE_SPACING,
    balanced,
    running_title,
)
from publish.model import Metadata
from publish.printing import TRIMS, PrintSettings, text_width

SAMPLE_TITLE = "The Courage to Leave When Love No Longer Serves You"


def _lines(markup: str) -> list[str]:
    return [line.strip() for line in str(markup).split("<br/>")]


@pytest.mark.parametrize("trim", sorted(TRIMS))
def test_a_long_title_is_broken_evenly_at_every_trim(trim):
    width = text_width(PrintSettings(TRIMS[trim])) * 72
    for size, spacing in ((HALF_TITLE_SIZE, HALF_TITLE_SPACING), (TITLE_SIZE, TITLE_SPACING)):
        lines = _lines(balanced(SAMPLE_TITLE, width / size, spacing))
        assert " ".join(lines) == SAMPLE_TITLE  # not a word lost or added
        assert len(lines) >= 2
        lengths = [len(line) for line in lines]
        assert max(lengths) - min(lengths) <= max(len(w) for w in SAMPLE_TITLE.split())
        assert lines[-1] != "You"  # the break the half-title used to make: a lone word


def test_a_short_title_stays_on_one_line():
    assert _lines(balanced("Walden", 20)) == ["Walden"]


def test_the_running_head_is_the_title_when_it_fits_else_its_short_form_else_the_author():
    meta = Metadata(title="Walden", authors=("Henry David Thoreau",), lang="en",
                    identifier="urn:uuid:2f1c9a4e-8b7d-4c3a-9e21-5a6b7c8d9e0f")
    assert running_title(meta, 30) == "Walden"
    long = dataclasses.replace(meta, title="Frankenstein; or, The Modern Prometheus of Geneva")
    assert running_title(long, 30) == "Frankenstein"
    assert running_title(dataclasses.replace(meta, title=SAMPLE_TITLE), 30) \
        == "Henry David Thoreau"
