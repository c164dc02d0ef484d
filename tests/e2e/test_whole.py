"""Whole on every book: the defects found building books nobody here wrote, each built again
here — lines drawn over lines (a break Pango does not allow, a small-caps opening, spaced
dashes), words lost (the copyright page at 5 x 8 in, a quotation inside a note), a play's
speaker left at a page's foot — and read back from the PDF as preflight reads any PDF."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from publish.build import build, prepare
from publish.pdf.preflight import front_matter_texts, last_words, notes_of, preflight, running_text
from tests.conftest import STYLES
from tests.e2e.helpers import pdf_text

pytestmark = pytest.mark.slow

WORDS = ("the of and to a in that was her his it with as had for not be she he by on at which "
         "you all have from this were they been would their said could so my no an more very "
         "what one much must such when them there any only being some now than morning letter "
         "walk dance evening sister estate garden fortune family house").split()
YAML = ("title: Whole\nauthor: A. Writer\nlang: en\npublisher: The Harbour Press\n"
        "date: \"1865\"\nidentifier: urn:uuid:2f1c9a4e-8b7d-4c3a-9e21-5a6b7c8d9e0f\n")


def words(rng: random.Random, count: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(count))


def write(root: Path, yaml: str, chapters: dict[str, str]) -> Path:
    (root / "chapters").mkdir(parents=True)
    (root / "book.yaml").write_text(yaml, encoding="utf-8")
    for name, text in chapters.items():
        (root / "chapters" / name).write_text(text, encoding="utf-8")
    return root


def read_back(book: Path, pdf: Path, trim: str | None = None) -> list[str]:
    """What preflight finds in `pdf` against `book`'s manuscript."""
    import dataclasses

    from publish.printing import parse_trim

    checked = prepare(book, STYLES)
    settings = checked.book.print_settings
    if trim:
        settings = dataclasses.replace(settings, trim=parse_trim(trim))
    texts = [*front_matter_texts(checked.book),
             *((str(c.chapter.path), running_text(c)) for c in checked.chapters)]
    notes = [(str(c.chapter.path), note) for c in checked.chapters for note in notes_of(c)]
    return preflight(pdf, settings, last_words(checked.chapters[-1]), texts, notes)


def test_quotes_before_brackets_dashes_and_a_small_caps_opening_are_never_overprinted(
        tmp_path):
    rng = random.Random(3)
    paragraphs = [f"{words(rng, rng.randint(3, 40)).capitalize()} “the house!” (Which was "
                  f"very likely true.) {words(rng, 20)}, once -- twice -- a third time -- "
                  f"and {words(rng, rng.randint(10, 40))}." for _ in range(30)]
    book = write(tmp_path / "book", YAML + "print:\n  opening: small-caps\n",
                 {"01.md": "# Quotes\n\n" + "\n\n".join(paragraphs) + "\n",
                  "02.md": "# Again\n\n" + "\n\n".join(paragraphs[::-1]) + "\n"})
    pdf = build(book, tmp_path / "out", styles=STYLES, formats=["pdf"]).outputs["pdf"]
    assert read_back(book, pdf) == []
    lines = [line for line in pdf_text(pdf).splitlines() if line.strip()]
    assert not [line for line in lines if line.startswith((" ", "\u00a0"))]
    assert not [line for line in lines if line.strip() in ("–", "—")]
    opening = next(line for line in lines if line.lower().startswith(
        paragraphs[0].split()[0].lower()))
    assert " " in opening  # the small-caps first line keeps its word spaces


def test_the_copyright_page_keeps_every_line_at_five_by_eight(tmp_path):
    book = write(tmp_path / "book", YAML, {"01.md": "# One\n\nThe first chapter.\n"})
    pdf = build(book, tmp_path / "out", styles=STYLES, formats=["pdf"],
                trim="5x8").outputs["pdf"]
    text = " ".join(pdf_text(pdf).split())
    assert "Published by The Harbour Press." in text and "First published 1865." in text
    assert read_back(book, pdf, "5x8") == []


def test_a_quotation_inside_a_note_is_printed_at_the_foot_of_the_page(tmp_path):
    note = ("[^1]: Cf. the chronicle:\n\n    > “King Charles had conquered the realm of Naples, "
            "and lost it again, in a kind of a felicity of a dream.”\n\n    So it was said.\n")
    book = write(tmp_path / "book", YAML,
                 {"01.md": f"# One\n\nThe French came with chalk in hand.[^1]\n\n{note}"})
    pdf = build(book, tmp_path / "out", styles=STYLES, formats=["pdf"]).outputs["pdf"]
    text = " ".join(pdf_text(pdf).split())
    assert "in a kind of a felicity of a dream" in text and "So it was said." in text
    assert read_back(book, pdf) == []


def test_a_play_keeps_each_speaker_with_the_speech_and_no_page_ends_in_a_hyphen(tmp_path):
    rng = random.Random(7)
    speakers = ("Algernon", "Jack", "Gwendolen", "Lady Bracknell")
    speeches = [f"{rng.choice(speakers)}\n:   *{words(rng, 3).capitalize()}.* "
                f"{words(rng, rng.choice((4, 9, 20, 45, 80))).capitalize()}."
                for _ in range(260)]
    book = write(tmp_path / "book", YAML, {"01.md": "# Act I\n\n" + "\n\n".join(speeches)})
    result = build(book, tmp_path / "out", styles=STYLES, formats=["pdf"])
    assert result.report.book.page_end_hyphens == 0
    for page in pdf_text(result.outputs["pdf"]).split("\f"):
        lines = [line.strip() for line in page.splitlines() if line.strip()]
        body = [line for line in lines if not line.isdigit()]  # the folio aside
        assert not body or body[-1] not in speakers, body[-3:]
