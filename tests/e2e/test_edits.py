"""Edits are safe: an author's day of writing — chapters added, deleted, renamed and
reordered, a word changed, the title, theme, trim, chapter start and opening changed, an
image added and taken away, book.yaml broken and mended — each step built into the same
folder as the day before, and every result byte for byte what a cold build of the same
manuscript gives (or the same findings).

A hypothesis state machine plays the day; each manuscript it reaches is also built cold,
into a folder of its own, and the two compared.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule
from PIL import Image

from publish.build import build
from publish.diagnostics import PublishError
from tests.conftest import STYLES

pytestmark = pytest.mark.slow

WORDS = ("the tide came in over the flats while the gulls argued on the wall and nobody in "
         "the village thought to look up from the nets they were mending").split()
TITLES = ("The Keeper", "The Keeper’s Daughter", "Salt", "A Light at Dusk")
THEMES = ("classic", "modern")
TRIMS = ("5x8", "5.5x8.5", "6x9")
STARTS = ("recto", "next-page", "continuous")
OPENINGS = ("none", "small-caps", "drop-cap")


def paragraph(seed: int, length: int = 60) -> str:
    return " ".join(WORDS[(seed * 7 + i * 3) % len(WORDS)] for i in range(length)).capitalize()


class AnAuthorsDay(RuleBasedStateMachine):
    """The manuscript as the author leaves it after each step, built each time."""

    def __init__(self) -> None:
        super().__init__()
        self.scratch = Path(tempfile.mkdtemp(prefix="edits-"))
        self.book = self.scratch / "book"
        self.out = self.scratch / "out"
        self.chapters: list[tuple[str, str]] = []  # (file name, text), in reading order
        self.meta = {"title": TITLES[0], "theme": "classic", "trim": "5.5x8.5",
                     "chapter-start": "recto", "opening": "none"}
        self.image = False
        self.broken = False
        self.made = 0
        self.cold: dict[str, object] = {}
        # Each step writes the book anew: its files' times, which date the outputs, are
        # the step's. The day is about what the outputs hold, so their date is fixed here,
        # as a reproducible build fixes it.
        self.epoch = os.environ.get("SOURCE_DATE_EPOCH")
        os.environ["SOURCE_DATE_EPOCH"] = "1714521600"

    def teardown(self) -> None:
        shutil.rmtree(self.scratch, ignore_errors=True)
        if self.epoch is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = self.epoch

    # -- the manuscript

    def write(self) -> None:
        if self.book.exists():
            shutil.rmtree(self.book)
        (self.book / "chapters").mkdir(parents=True)
        for name, text in self.chapters:
            (self.book / "chapters" / name).write_text(text, encoding="utf-8")
        if self.image:
            Image.new("RGB", (900, 600), (90, 110, 130)).save(
                self.book / "chapters" / "harbour.png")
        listed = "".join(f"  - chapters/{name}\n" for name, _text in self.chapters)
        yaml = (f"title: \"{self.meta['title']}\"\nauthor: A. Writer\nlang: en\n"
                "identifier: urn:uuid:2f1c9a4e-8b7d-4c3a-9e21-5a6b7c8d9e0f\n"
                f"date: \"2024-05-01\"\ntheme: {self.meta['theme']}\nprint:\n"
                f"  trim: {self.meta['trim']}\n  chapter-start: {self.meta['chapter-start']}\n"
                f"  opening: {self.meta['opening']}\nchapters:\n{listed}")
        if self.broken:
            yaml = yaml.replace("lang: en\n", "lang: [en\n")
        (self.book / "book.yaml").write_text(yaml, encoding="utf-8")

    def new_chapter(self) -> tuple[str, str]:
        self.made += 1
        number = self.made
        body = "\n\n".join(paragraph(number * 5 + k) for k in range(3))
        picture = "\n\n![The harbour at dusk](harbour.png)\n" if self.image and number % 2 else ""
        return f"c{number:03d}.md", f"# Chapter {number}\n\n{body}\n{picture}"

    # -- the build, warm and cold

    @staticmethod
    def outcome(book: Path, out: Path) -> object:
        """The outputs' digests, or the findings."""
        try:
            result = build(book, out, styles=STYLES, formats=["pdf", "epub"], workers=2)
        except PublishError as err:
            return ("findings", tuple((d.path.relative_to(book).as_posix(), d.line, d.col,
                                       d.code) for d in err.diagnostics))
        return {path.name: hashlib.sha256(path.read_bytes()).hexdigest()
                for path in result.outputs.values()}

    def manuscript_key(self) -> str:
        digest = hashlib.sha256()
        for path in sorted(self.book.rglob("*")):
            if path.is_file():
                digest.update(path.relative_to(self.book).as_posix().encode())
                digest.update(path.read_bytes())
        return digest.hexdigest()

    @invariant()
    def warm_is_cold(self) -> None:
        if not self.chapters:
            return
        self.write()
        warm = self.outcome(self.book, self.out)
        key = self.manuscript_key()
        if key not in self.cold:
            cold_out = self.scratch / f"cold-{len(self.cold)}"
            self.cold[key] = self.outcome(self.book, cold_out)
            shutil.rmtree(cold_out, ignore_errors=True)
        assert warm == self.cold[key]

    # -- the day

    @initialize()
    def start(self) -> None:
        self.chapters = [self.new_chapter(), self.new_chapter()]

    @rule()
    def add_a_chapter(self) -> None:
        self.chapters.append(self.new_chapter())

    @precondition(lambda self: len(self.chapters) > 1)
    @rule(data=st.data())
    def delete_a_chapter(self, data: st.DataObject) -> None:
        self.chapters.pop(data.draw(st.integers(0, len(self.chapters) - 1)))

    @rule(data=st.data())
    def rename_a_chapter(self, data: st.DataObject) -> None:
        index = data.draw(st.integers(0, len(self.chapters) - 1))
        self.made += 1
        self.chapters[index] = (f"r{self.made:03d}.md", self.chapters[index][1])

    @precondition(lambda self: len(self.chapters) > 1)
    @rule(data=st.data())
    def reorder_the_chapters(self, data: st.DataObject) -> None:
        self.chapters = data.draw(st.permutations(self.chapters))

    @rule(data=st.data())
    def change_a_word(self, data: st.DataObject) -> None:
        index = data.draw(st.integers(0, len(self.chapters) - 1))
        name, text = self.chapters[index]
        word = data.draw(st.sampled_from(WORDS))
        self.chapters[index] = (name, text.replace(f" {word} ", " lantern ", 1))

    @rule(title=st.sampled_from(TITLES))
    def change_the_title(self, title: str) -> None:
        self.meta["title"] = title

    @rule(theme=st.sampled_from(THEMES), trim=st.sampled_from(TRIMS))
    def change_theme_and_trim(self, theme: str, trim: str) -> None:
        self.meta["theme"], self.meta["trim"] = theme, trim

    @rule(start=st.sampled_from(STARTS), opening=st.sampled_from(OPENINGS))
    def change_chapter_start_and_opening(self, start: str, opening: str) -> None:
        self.meta["chapter-start"], self.meta["opening"] = start, opening

    @rule()
    def add_or_remove_the_image(self) -> None:
        self.image = not self.image
        figure = "\n\n![The harbour at dusk](harbour.png)\n"
        name, text = self.chapters[0]
        self.chapters[0] = (name, text + figure if self.image else text.replace(figure, ""))

    @rule()
    def break_or_mend_book_yaml(self) -> None:
        self.broken = not self.broken


AnAuthorsDay.TestCase.settings = settings(
    max_examples=int(os.environ.get("PUBLISH_EDIT_DAYS", "3")), stateful_step_count=6,
    deadline=None, suppress_health_check=[HealthCheck.too_slow])
test_an_authors_day = AnAuthorsDay.TestCase


def test_a_day_under_publish_watch_gives_what_cold_builds_give(tmp_path):
    """The same day, saved file by file while `publish watch` rebuilds into one folder."""
    import signal

    from tests.e2e.test_watch import Watcher

    day = AnAuthorsDay()
    day.book, day.out = tmp_path / "book", tmp_path / "out"
    day.chapters = [day.new_chapter(), day.new_chapter()]
    day.write()
    watcher = Watcher(day.book, day.out, formats=())  # every output
    edits = [lambda: day.chapters.append(day.new_chapter()),
             lambda: day.chapters.__setitem__(0, ("renamed.md", day.chapters[0][1])),
             lambda: day.meta.__setitem__("title", TITLES[1]),
             lambda: day.meta.update({"trim": "6x9", "chapter-start": "continuous"}),
             lambda: day.chapters.pop(1)]
    try:
        watcher.until("built")
        for edit in edits:
            edit()
            day.write()
            assert watcher.until("built")[-1].startswith("built in ")
            expected = AnAuthorsDay.outcome(day.book, tmp_path / f"cold-{edits.index(edit)}")
            assert {name: hashlib.sha256((day.out / name).read_bytes()).hexdigest()
                    for name in expected} == expected
    finally:
        watcher.process.send_signal(signal.SIGINT)
        watcher.process.wait(timeout=60)
        day.teardown()
