"""Typography rules (T): what a copy-editor marks in prose. Code, tags and link targets are
never prose: the rules read the source's masked prose lines (see publish.manuscript.source)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from publish.checks.base import CheckInput
from publish.checks.syntax import reader_text
from publish.diagnostics import Diagnostic
from publish.manuscript.source import MASK
from publish.model import RenderedChapter, SourceLine
from publish.rules import finding

_PATTERNS = {
    # Three dots typed together print as an ellipsis (smart punctuation); spaced in a line of
    # text, they do not (alone on a line they are a pause, as Pandoc's slides have it).
    "T004": re.compile(r"(?<=\S)\s*\. \. \.|\. \. \.(?=\s*\S)"),
    # Spaces in a row print as one, unless one of them is a no-break space.
    "T005": re.compile(r"(?<=\S)(?=[ \u00a0]*\u00a0)[ \u00a0]{2,}(?=\S)"),
    "T006": re.compile(r"(?<=\w) +(?=[,.;:!?](?:\s|$))"),
}
# French sets a thin space before ; : ! ? — do not flag it there.
_SPACED_PUNCTUATION_LANGS = ("fr",)
_DOUBLE_QUOTES = re.compile("[\u201c\u201d]")
_REPEATED = re.compile(r"(?<![\w'’])([^\W\d_]+)\s+(\1)(?![\w'’])", re.IGNORECASE)
# Doubled words that English grammar allows.
_DOUBLES_ALLOWED = frozenset({"had", "that", "her", "is", "do", "bye", "very", "so", "ha", "no",
                              "blah", "yes", "well", "now", "come", "there", "go",
                              "in", "on"})  # "took the letters in in the morning"


_HYPHEN_RUN = re.compile(r"-{4,}")
_SPACED_EN = re.compile(r"(?<=\w) -- (?=\w)")
_EM_DASHES = re.compile(r"(?<!-)---(?!-)|\u2014")


def check_dashes(given: CheckInput) -> Iterator[Diagnostic]:
    """T003: dashes typed as Pandoc types them (`--` en, `---` em) are fine: the output has
    the dash. Flagged are runs that make no single dash (`----`), and a spaced `--` (a spaced
    en dash) in a book whose other dashes are em dashes, where an em dash was surely meant."""
    em_book = any(_EM_DASHES.search(line.prose) for chapter in given.chapters
                  for line in chapter.source.lines if line.prose)
    for chapter in given.chapters:
        for line in chapter.source.lines:
            if not line.prose:
                continue
            for match in _HYPHEN_RUN.finditer(line.prose):
                if line.kind == "table" and _touches_border(line.prose, match):
                    continue  # a grid table's inner border, where cells are joined
                yield finding("T003", chapter.chapter.path, line.number, match.start() + 1,
                              text=match.group(0), result="an em dash and hyphens")
            for match in _SPACED_EN.finditer(line.prose) if em_book else ():
                yield finding("T003", chapter.chapter.path, line.number, match.start() + 2,
                              text="--", result="a spaced en dash, in a book whose other "
                              "dashes are em dashes")


ELISION = re.compile(r"(?<![\w'’‘])['‘](?=(?:tis|twas|twere|twill|twould|em|n|cause|cos|"
                      r"til|round|bout|neath|gainst|ere)\b)", re.IGNORECASE)
"""A word whose first letters are left out: smart punctuation opens a quote there (‘tis)
where the apostrophe (’tis) is meant."""
_WRONG_WAY = re.compile(r"(?P<open>[“‘](?=\s|$|[)\]}])(?!\s+[“‘’]))|(?P<close>(?:(?<=\s)|^)”(?=\S))"
                        r"|(?P<straight>['\"])", re.MULTILINE)
"""In the text as printed: an opening quote with nothing after it (but another opening one,
`“ ‘The`, as old books space them), a closing double quote that opens a word, or a quote
smart punctuation left straight."""


def _touches_border(text: str, match: re.Match[str]) -> bool:
    before = text[match.start() - 1] if match.start() else ""
    after = text[match.end()] if match.end() < len(text) else ""
    return before in "+|:" and after in "+|:"


def check_quotes(given: CheckInput) -> Iterator[Diagnostic]:
    """T001, T002: a quote that prints turned the wrong way (or straight). Smart punctuation
    curls what is typed straight, and mostly guesses right; what it gets wrong is read from
    the printed text, and an elided word's apostrophe from the source."""
    for chapter in given.chapters:
        for line in chapter.source.lines:
            for match in ELISION.finditer(line.prose):
                yield finding("T001", chapter.chapter.path, line.number, match.start() + 1,
                              text=line.prose[match.start():match.start() + 4].strip(MASK),
                              printed="an opening quote", meant="an apostrophe (’)")
        text = reader_text(chapter.body, code_as="x")
        for match in _WRONG_WAY.finditer(text):
            char = match.group(0)
            code = "T002" if char in "“”\"" else "T001"
            block = text[text.rfind("\n", 0, match.start()) + 1:match.start()]
            if match.group("open") and {"“": "„", "‘": "‚"}[char] in block:
                continue  # German quotes: „ opens, “ closes
            start = max(text.rfind("\n", 0, match.start()) + 1, match.start() - 6)
            end = text.find("\n", match.end())
            context = text[start:min(match.end() + 6, end if end >= 0 else len(text))]
            line, col = _place_of(chapter, context, match.start() - start)
            typed = next((ln.raw for ln in chapter.source.lines if ln.number == line), "")
            if match.group("straight") and 1 < col <= len(typed) + 1 \
                    and typed[col - 2] == "\\":
                continue  # escaped: the author wants it straight
            if match.group("straight"):
                printed, meant = "a straight quote", "a curly one"
            elif match.group("open"):
                printed, meant = "an opening quote", "a closing one"
            else:
                printed, meant = "a closing quote", "an opening one"
            yield finding(code, chapter.chapter.path, line, col, text=context.strip(),
                          printed=printed, meant=meant)


_STRAIGHT = str.maketrans("“”‘’", "\"\"''")
_TYPED = (("…", "..."), ("—", "---"), ("–", "--"))
"""What smart punctuation prints for what is typed (besides the quotes)."""


def _as_typed(text: str) -> str:
    for printed, typed in _TYPED:
        text = text.replace(printed, typed)
    return text.translate(_STRAIGHT)


def _place_of(chapter: RenderedChapter, context: str, offset: int) -> tuple[int, int]:
    """Where the quote at `offset` of the printed `context` is typed: the first line that
    holds the context as it is typed (smart punctuation undone on both sides)."""
    typed, before = _as_typed(context.strip()), len(_as_typed(context[:offset]))
    lead = len(context) - len(context.lstrip())
    for candidate in (typed, typed[:4]):
        for line in chapter.source.lines:
            found = _as_typed(line.raw).find(candidate)
            if found >= 0 and line.kind != "code" and candidate.strip():
                return line.number, found + before - lead + 1
    return chapter.chapter.first_line, 0


def check_patterns(given: CheckInput) -> Iterator[Diagnostic]:
    """T004–T006: three dots, double spaces, spaced punctuation."""
    codes = list(_PATTERNS)
    if given.book.metadata.lang.lower().startswith(_SPACED_PUNCTUATION_LANGS):
        codes.remove("T006")
    for chapter in given.chapters:
        for line in chapter.source.lines:
            if not line.prose:
                continue
            for code in codes:
                if code == "T005" and line.kind == "table":
                    continue  # a table's cells are padded to line up: no reader sees it
                for match in _PATTERNS[code].finditer(line.prose):
                    yield finding(code, chapter.chapter.path, line.number, match.start() + 1,
                                  text=match.group(0).strip() or "spaces")


def _is_verse(paragraph: list[SourceLine]) -> bool:
    """Whether a paragraph is a stanza: a line block, in a quotation or not."""
    return all(_VERSE_LINE.match(line.raw) for line in paragraph if line.raw.strip())


_VERSE_LINE = re.compile(r"^\s*(?:>\s*)*\|")


def check_quote_balance(given: CheckInput) -> Iterator[Diagnostic]:
    """T007: double quotes are closed, and not closed before they are opened.

    As typesetters do, a speech may run over several paragraphs: a paragraph leaves its
    quotation open when the next one opens again with “ (or, as in letters, goes on and
    closes it with ”).
    """
    for chapter in given.chapters:
        carried: tuple[list[SourceLine], int] | None = None  # an open quotation, and where
        for paragraph in chapter.source.paragraphs():
            if _is_verse(paragraph):
                # A speech in verse runs over stanzas and headings unmarked, by the poet's
                # own rules: not a typesetter's to check.
                carried = None
                continue
            text = "\n".join(line.prose for line in paragraph)
            if "„" in text:  # German quotes: „ opens and “ closes
                text = text.replace("“", "”").replace("„", "“")
            lead = len(text) - len(text.lstrip(" \n" + MASK))
            depth, skip = 0, -1
            if carried is not None:
                rest = text[lead:]
                close, reopen = rest.find("\u201d"), rest.find("\u201c")
                if rest.startswith("\u201c"):
                    depth, skip = 1, lead  # the usual: each paragraph of a speech reopens
                elif close != -1 and (reopen == -1 or close < reopen):
                    depth = 1  # the speech goes on and closes here
                else:
                    yield _at(chapter, *carried, "T007")
            # Where this paragraph's open quotation starts (for carried speech: its start).
            opened_at, problem = (skip if skip >= 0 else lead) if depth else -1, None
            for quote in _DOUBLE_QUOTES.finditer(text):
                offset, char = quote.start(), quote.group(0)
                if char == "\u201c" and offset != skip:
                    if depth and problem is None:
                        problem = offset  # opened again before it was closed
                    depth, opened_at = 1, offset
                elif char == "\u201d":
                    if not depth and problem is None:
                        problem = offset  # closed but never opened
                    depth = 0
            if problem is not None:
                yield _at(chapter, paragraph, problem, "T007")
            carried = (paragraph, opened_at) if depth else None
        if carried is not None:
            yield _at(chapter, *carried, "T007")


def check_repeated_words(given: CheckInput) -> Iterator[Diagnostic]:
    """T008: the same word twice in a row ("the the"), across line ends too."""
    for chapter in given.chapters:
        for paragraph in chapter.source.paragraphs():
            text = "\n".join(line.prose for line in paragraph)
            for match in _REPEATED.finditer(text):
                word = match.group(2)
                if word.lower() not in _DOUBLES_ALLOWED:
                    yield _at(chapter, paragraph, match.start(2), "T008", word=word)


def _at(chapter: RenderedChapter, paragraph: list[SourceLine], offset: int, code: str,
        **fields: object) -> Diagnostic:
    """A finding at character `offset` of the paragraph's lines joined with newlines."""
    for line in paragraph:
        if offset <= len(line.prose):
            return finding(code, chapter.chapter.path, line.number, offset + 1, **fields)
        offset -= len(line.prose) + 1
    last = paragraph[-1]
    return finding(code, chapter.chapter.path, last.number, 1, **fields)
