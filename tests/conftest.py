"""Shared fixtures: the sample book, Pride and Prejudice (when ../shared is present), a long
generated book, and a helper that writes small manuscripts for rule tests."""

from __future__ import annotations

import os
import random
import textwrap
from pathlib import Path

import pytest
from hypothesis import settings

# Property tests (tests/hostile/test_fuzz.py): a bounded run, larger in CI.
settings.register_profile("dev", max_examples=60, deadline=None)
settings.register_profile("ci", max_examples=1000, deadline=None, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI")
                                     else "dev"))

REPO = Path(__file__).resolve().parent.parent
STYLES = REPO / "styles"
SAMPLE = REPO / "manuscript"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
PRIDE = Path(os.environ.get("PUBLISH_CORPUS", REPO.parent / "shared" / "corpora")
             ) / "pride-and-prejudice"

MINIMAL_YAML = """\
title: A Small Book
author: Test Author
lang: en
identifier: urn:uuid:2f1c9a4e-8b7d-4c3a-9e21-5a6b7c8d9e0f
"""


@pytest.fixture
def make_book(tmp_path: Path):
    """Write a manuscript: `make_book({"chapters/01.md": "# One\\n\\nText."}, yaml=...)`."""

    def write(files: dict[str, str], yaml: str = MINIMAL_YAML, name: str = "book") -> Path:
        root = tmp_path / name
        root.mkdir()
        (root / "book.yaml").write_text(textwrap.dedent(yaml), encoding="utf-8")
        for rel, text in files.items():
            path = root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        return root

    return write


@pytest.fixture(scope="session")
def pride_dir() -> Path:
    if not (PRIDE / "book.yaml").is_file():
        pytest.skip(f"Pride and Prejudice corpus not found at {PRIDE} (it lives in ../shared)")
    return PRIDE


WORDS = ("the of and to a in that was her his it with as had for not be she he by on at "
         "which you all have from this were they been would their said could so my no an "
         "more very what one much must such when them there any only being some now than "
         "morning letter walk dance evening sister estate garden fortune family house").split()


@pytest.fixture(scope="session")
def long_book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated book of 120 chapters (about 130,000 words), for long-flow behaviour."""
    root = tmp_path_factory.mktemp("long") / "long-book"
    (root / "chapters").mkdir(parents=True)
    (root / "book.yaml").write_text(textwrap.dedent("""\
        title: A Very Long Generated Book
        author: Generator
        lang: en-GB
        identifier: urn:uuid:0b9e1f2a-3c4d-4e5f-8a6b-7c8d9e0f1a2b
        date: "2020-01-01"
    """), encoding="utf-8")
    rng = random.Random(1813)
    for number in range(1, 121):
        paragraphs = []
        for _ in range(24):
            words = [rng.choice(WORDS) for _ in range(rng.randint(20, 80))]
            paragraphs.append(" ".join(words).capitalize() + ".")
        if number == 120:
            paragraphs.append("And this is the very last sentence of the generated book.")
        text = f"# Chapter {number}\n\n" + "\n\n".join(paragraphs) + "\n"
        (root / "chapters" / f"{number:03d}.md").write_text(text, encoding="utf-8")
    return root
