"""The rule catalogue: every code `publish` can report, as data.

Families: M metadata (book.yaml), S structure and size, L links, resources and what a
manuscript may name (publish.sandbox), H headings, T typography, P print. A rule's message is a
`str.format` template filled from the keyword arguments given to :func:`finding`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from publish.diagnostics import Diagnostic, Severity

E = Severity.ERROR
W = Severity.WARNING


@dataclass(frozen=True)
class Rule:
    """One check: what it catches, how bad it is, and how to fix it."""

    code: str
    slug: str
    severity: Severity
    message: str
    hint: str


RULES: dict[str, Rule] = {
    rule.code: rule
    for rule in (
        Rule("M001", "yaml-syntax", E, "book.yaml cannot be read here: {problem}",
             "each line is `key: value`, indented with spaces; put a value in double quotes "
             "when it holds `: ` or ` #`, or begins with `*`, `@`, `[`, `{{` or a quote"),
        Rule("M002", "not-a-mapping", E, "book.yaml must be a mapping of keys to values",
             "write one `key: value` per line, starting with `title:`"),
        Rule("M003", "missing-key", E, "required key `{key}` is missing",
             "add `{key}: …` to book.yaml"),
        Rule("M004", "wrong-type", E, "`{key}` must be {expected}, not {actual}",
             "write `{key}` as {expected}"),
        Rule("M005", "bad-lang", E, "`lang: {value}` is not a valid BCP 47 language tag",
             "use a tag such as `en`, `en-GB` or `fr-CA`"),
        Rule("M006", "bad-isbn", E, "ISBN {value} has a wrong check digit (expected {expected})",
             "copy the ISBN again from your ISBN agency's record"),
        Rule("M007", "bad-identifier", E,
             "identifier `{value}` is not an ISBN-13, a `urn:uuid:` or a URL",
             "use your book's ISBN-13, or a UUID written as `urn:uuid:…`"),
        Rule("M008", "unknown-key", W, "unknown key `{key}` in book.yaml",
             "check its spelling: {suggestion}"),
        Rule("M009", "bad-date", E, "`date: {value}` is not an ISO 8601 date",
             "write the date as YYYY-MM-DD (or YYYY-MM, or YYYY), in quotes"),
        Rule("M010", "position-without-series", E,
             "`group-position` is set but `belongs-to-collection` is not",
             "add `belongs-to-collection: <series name>`, or remove `group-position`"),
        Rule("M011", "cover-missing", E,
             "cover image `{value}` does not exist in the book's folder",
             "put the cover image in the book's folder and give its path from there"),
        Rule("M012", "cover-format", E, "cover image `{value}` is not a JPEG or PNG image",
             "save the cover as JPEG (preferred by retailers) or PNG"),
        Rule("M013", "cover-small", W,
             "cover image is {width}×{height} px; retailers ask for at least 1600×2560",
             "export the cover at 1600×2560 px or larger"),
        Rule("M014", "cover-huge", E,
             "cover image is {size}; retailers refuse images over 10,000 px",
             "export the cover at no more than 10,000 px on its longer side"),
        Rule("M023", "cover-no-alt", W,
             "cover image `{value}` has no description for readers who cannot see it",
             "describe the cover in book.yaml: `cover-alt: A lighthouse at dusk; the title…`"),
        Rule("M024", "bad-notes", E, "`notes: {value}` is not a place for notes",
             "use footnotes (after each chapter, shown as pop-ups) or endnotes"),
        Rule("M015", "quote-turned-in-metadata", W, "in `{key}`, `{text}` prints an opening "
             "quote where an apostrophe is meant", "type ’ for the apostrophe (’Tis); the rest "
             "of book.yaml's quotes and dashes are set as the chapters' are"),
        Rule("M016", "unknown-rule", W, "`checks:` names `{rule}`, which is not a rule",
             "use a code from the README's rule list"),
        Rule("M017", "bad-check-setting", E,
             "`checks: {rule}: {value}` must be `off`, `warning` or `error`",
             "write `off`, `warning` or `error`"),
        Rule("M018", "bad-trim", E, "`trim: {value}` is not a trim size",
             "use 5x8, 5.25x8, 5.5x8.5, 6x9, A5, or a custom size such as 152x229mm"),
        Rule("M019", "bad-profile", E, "`profile: {value}` is not a printer profile",
             "use kdp, ingram, lulu or proof"),
        Rule("M020", "bad-paper", E, "`paper: {value}` is not a paper", "use white or cream"),
        Rule("M022", "bad-opening", E, "`opening: {value}` is not a chapter opening",
             "use small-caps, drop-cap or none"),
        Rule("M025", "bad-chapter-start", E,
             "`chapter-start: {value}` is not a place for a chapter to start",
             "use recto, next-page or continuous"),
        Rule("M026", "bad-line-breaks", E, "`line-breaks: {value}` is not a way to break lines",
             "use total-fit (each paragraph as a whole) or first-fit (a line at a time)"),
        Rule("M027", "unyielding-check", E,
             "`checks:` cannot switch `{rule}` off or down: without it the book would be made "
             "without the chapter it finds a problem in",
             "remove `{rule}` from `checks:` and mend what it reports"),
        Rule("M021", "unknown-theme", E, "there is no theme `{value}` in styles/themes/",
             "use classic or modern, or add styles/themes/{value}.css"),
        Rule("S001", "no-chapters", E, "no chapters found in {where}",
             "add Markdown files under `chapters/`, or list them under `chapters:` in book.yaml"),
        Rule("S002", "chapter-missing", E, "chapter file `{name}` does not exist",
             "fix the file name in `chapters:` or create the file"),
        Rule("S003", "unreadable", E, "cannot read this file as UTF-8 text: {problem}",
             "save the file as UTF-8"),
        Rule("S004", "bad-html", E, "raw HTML in this chapter is not well-formed: {problem}",
             "close every tag you open, and write `&amp;` for a literal ampersand"),
        Rule("S005", "bad-front-matter", E, "the chapter's front matter is not valid: {problem}",
             "write front matter as YAML between two `---` lines at the top of the file"),
        Rule("S006", "empty-chapter", E, "chapter file is empty",
             "write the chapter, or remove the file (or its line in `chapters:`)"),
        Rule("S007", "chapter-twice", E, "`{name}` is listed twice in `chapters:`",
             "list each chapter file once"),
        Rule("S008", "file-too-large", E, "this file is {size}; the limit is {limit}",
             "split the book into more chapter files, or the book into volumes"),
        Rule("S009", "too-deep", E, "{what} nested {depth} levels deep; the limit is {limit}",
             "flatten the nesting: no page can show quotes or lists this deep"),
        Rule("S010", "too-long", E, "the book would print about {pages} pages; the limit is "
             "{limit}", "split the book into volumes (printers bind at most 800 to 1,200 "
             "pages)"),
        Rule("S011", "chapter-not-listed", W, "`{name}` is in {folder}/ but not in `chapters:`; "
             "it is left out of the book",
             "add `- {name}` to `chapters:` in book.yaml where it belongs, or move the file out "
             "of {folder}/"),
        Rule("L001", "image-missing", E, "image `{src}` does not exist in the book's folder",
             "put the image inside the book's folder and give its path relative to this file"),
        Rule("L002", "remote-resource", E, "`{src}` is on the network; a book must carry its "
             "own files", "download the file into the book's folder and link to it there"),
        Rule("L003", "broken-link", E, "link target `{href}` does not exist in the book",
             "link to `other.md`, `other.md#id` or `#id` where the id is a heading's or "
             "one you set with `{{#id}}`"),
        Rule("L004", "image-without-alt", E, "image `{src}` has no alt text",
             "describe the image for readers who cannot see it: `![A gull over the sea](…)`"),
        Rule("L005", "footnote-undefined", E, "footnote `[^{label}]` has no definition",
             "add `[^{label}]: the note's text` at the end of the chapter"),
        Rule("L006", "footnote-unused", E, "footnote `[^{label}]` is defined but never referenced",
             "put `[^{label}]` where the note belongs, or delete the definition"),
        Rule("L007", "duplicate-id", E, "id `{id}` is already used (line {first} of {where})",
             "give each id you set a name of its own"),
        Rule("L008", "outside-book", E, "`{src}` lies outside the book's folder",
             "copy the file into the book's folder and give its path from there: a book "
             "may use only its own files"),
        Rule("L009", "script", E, "{what} would run a script; a book carries no code",
             "remove it: e-readers and printers do not run scripts, and stores refuse "
             "books that carry them"),
        Rule("L010", "not-an-image", E, "image `{src}` cannot be read: {problem}",
             "export the image again as JPEG, PNG, GIF or SVG"),
        Rule("L011", "image-too-large", E, "image `{src}` is {size}; the limit is {limit}",
             "export it smaller: 300 pixels to the inch at its printed size is enough"),
        Rule("L012", "note-defined-twice", E, "footnote `[^{label}]` is defined twice (first "
             "on line {first}): one of the two notes would be lost",
             "give each note a label of its own (`[^2]`), and call it where it belongs"),
        Rule("L013", "citation-unknown", E, "citation key `@{key}` is not in the bibliography",
             "check its spelling against the keys of {files}, or add the work there"),
        Rule("L014", "bibliography-unreadable", E, "the bibliography cannot be read: {problem}",
             "give `bibliography:` the path of a CSL JSON, BibTeX or BibLaTeX file in the "
             "book's folder (and `csl:` of a CSL style there), as Pandoc reads them"),
        Rule("I001", "index-see-unknown", W, "the index entry `{term}` refers to `{target}` "
             "({kind}), which no mark indexes",
             "mark a place `{{.index term=\"{target}\"}}`, or refer to a term the index has"),
        Rule("I002", "index-range-unclosed", W, "the index range `{term}` {problem}",
             "close a range with `[]{{.index term=\"{term}\" range=\"end\"}}` where it "
             "ends, after `range=\"start\"` where it begins"),
        Rule("I003", "index-empty-term", E, "an index mark with no term: nothing to index",
             "put the words in the brackets (`[lamp]{{.index}}`) or give `term=\"…\"`"),
        Rule("I004", "index-empty-level", E, "the index term `{term}` has an empty level",
             "write the levels between single `!` marks, as `term=\"Lamp!paraffin\"`"),
        Rule("H001", "no-leading-h1", E, "chapter does not start with a level-1 heading",
             "begin the chapter with a line such as `# Chapter One`"),
        Rule("H002", "several-h1", E,
             "second level-1 heading in one chapter (the first is on line {first})",
             "make it `##`, or move it into a chapter file of its own"),
        Rule("H003", "skipped-level", E,
             "heading level {level} follows level {previous}: level {expected} is skipped",
             "use `{marks}` for this heading"),
        Rule("H004", "empty-heading", E, "heading has no text",
             "write the heading's text after the `#` marks, or remove the line"),
        Rule("T001", "single-quote-turned", W, "`{text}`: this single quote prints as "
             "{printed}, where {meant} is meant",
             "type the quote you mean: ’ for an apostrophe (’tis, rock ’n’ roll), ‘ to open a "
             "quotation and ’ to close it"),
        Rule("T002", "double-quote-turned", W, "`{text}`: this double quote prints as "
             "{printed}, where {meant} is meant",
             "type the quote you mean: “ to open a quotation and ” to close it"),
        Rule("T003", "wrong-dash", W, "`{text}` makes {result}",
             "type `--` for an en dash (ranges), `---` for an em dash, or the dash itself"),
        Rule("T004", "three-dots", W, "spaced dots print as three periods, not an ellipsis",
             "type the dots together (`...`) or the ellipsis itself (…)"),
        Rule("T005", "double-space", W, "a no-break space beside another space prints as a "
             "wide gap between words", "keep one space: a no-break space alone, where the "
             "words must not part"),
        Rule("T006", "space-before-punctuation", W, "space before `{text}`",
             "remove the space"),
        Rule("T007", "unbalanced-quotes", W,
             "curly double quotes do not balance in this paragraph",
             "close the quotation with ”, or open the next paragraph with “ if the speech "
             "goes on"),
        Rule("T008", "repeated-word", W, "repeated word “{word}”", "delete one of them"),
        Rule("T009", "stray-attributes", W, "`{text}` is printed: it attached to nothing",
             "put the attribute block right after what it names: `[words]{{.class}}`, a "
             "heading's end, or a fenced div's opening `::: {{.class}}`"),
        Rule("T010", "stray-fence", W, "`{text}` is printed: no fenced div opens or closes "
             "here", "open a div with `::: class` (or `::: {{#id .class}}`) alone on a line, "
             "and close it with `:::` alone on a line"),
        Rule("T011", "stray-backslash", W, "a backslash ends a paragraph and is printed",
             "a backslash breaks the line only when more of the paragraph follows; remove it"),
        Rule("T012", "stray-span", W, "`{text}` is printed: no bracketed span was made",
             "write a span as `[words]{{#id .class key=value}}`, brace right after bracket, "
             "the braces closed"),
        Rule("T013", "stray-script-marks", W, "`{text}` is printed: no superscript or "
             "subscript", "write `^sup^` and `~sub~` without spaces inside (`^a\\ b^` for "
             "one), or escape the mark: `\\^`"),
        Rule("T014", "stray-bar", W, "a line begins with `|` in the printed text",
             "in a line block every line begins with `| ` (a bar and a space); a table needs "
             "a `|---|` row under its header"),
        Rule("T015", "stray-emphasis", W, "`{text}` is printed: an emphasis mark without its "
             "pair", "close the emphasis (`*word*`, `**word**`), or escape the mark: `\\*`"),
        Rule("T016", "tex-command", W, "TeX `{text}` is left out: it is LaTeX markup, and "
             "the EPUB and the PDF are not made by LaTeX (Pandoc's HTML leaves it out too)",
             "write it in Markdown (`*emphasis*`; a note for a citation), or `\\newpage` "
             "alone on its line for a page break; type `\\\\` for a backslash"),
        Rule("T017", "citation", W, "citation `{text}` is printed as typed: the book has "
             "no bibliography", "give book.yaml `bibliography:` (a CSL JSON or BibTeX file "
             "in the book's folder), or write the reference out"),
        Rule("T018", "chapter-metadata", W, "this metadata block (YAML, or a `%` title "
             "block) is left out and not read: a book's metadata is book.yaml",
             "move what it sets into book.yaml (`title:`, `author:`, `date:`), and delete the "
             "block"),
        Rule("T019", "unreadable-math", W, "math `{text}` is shown as TeX: {problem}",
             "write it with the commands of LaTeX's math mode that MathML has (`\\frac`, "
             "`\\sqrt`, `^`, `_`, Greek letters…), or escape the dollars: `\\$`"),
        Rule("T020", "broken-grid-table", W, "this grid table is printed as it is typed: "
             "its lines do not keep to the columns of its borders",
             "make every `|` and `+` of a column stand under the `+` of the border above it"),
        Rule("H005", "duplicate-title", W, "another chapter is also titled “{title}” ({where})",
             "give each chapter a title of its own"),
        Rule("H006", "numbering-gap", W, "“{title}” follows “{previous}”: expected {expected}",
             "renumber the chapters, or add the missing one"),
        Rule("H007", "heading-full-stop", W, "heading ends with a full stop",
             "remove the full stop at the end of the heading"),
        Rule("P002", "low-resolution-image", W,
             "image `{src}` prints at {dpi} DPI across the text ({inches} in wide); printers "
             "ask for 300", "use an image at least {needed} px wide"),
        Rule("P003", "synthetic-style", W,
             "{style} text: {face} has no {style} face, so the print edition would fake it",
             "add an @font-face rule for {face} in {style} to style.css, or do without the "
             "{style}"),
        Rule("P004", "face-not-shipped", E,
             "text in <{element}> is set in {family}, a face neither the theme nor style.css "
             "ships: the PDF would take it from the machine",
             "give {element} a font-family the theme or style.css declares with @font-face"),
        Rule("P010", "words-not-printed", E,
             "the print edition would not print these words, or print them twice or out of "
             "order ({page}): “{words}”",
             "look in style.css for a rule that takes this text out of the page (a running "
             "element never placed, say); if there is none, please report it"),
        Rule("P011", "drawn-over", E,
             "words {page} would be drawn over each other: “{words}”",
             "look in style.css for a negative word-spacing or letter-spacing; if there is "
             "none, please report it"),
        Rule("P012", "line-too-wide", E,
             "a line {page} runs {amount} pt past the text block: “{words}”",
             "let the long word break: put a zero-width space (&#8203;) or <wbr> where it "
             "may, or do not keep the line from wrapping in style.css"),
        Rule("P013", "word-spaces", E,
             "word spaces {page} would be {amount} em wide (the limits: {low}–{high} em): "
             "“{words}”",
             "look in style.css for a word-spacing or letter-spacing that sets them so"),
        Rule("P014", "off-the-page", E,
             "text {page} would be printed outside the page: “{words}”",
             "look in style.css for a position, margin or size that moves this text off the "
             "page"),
        Rule("P001", "glyph-missing", E,
             "{face}, the face that sets this text, has no glyph for “{char}” "
             "(U+{codepoint})",
             "use another character, or declare a face that has it in style.css"),
    )
}


def finding(code: str, path: Path, line: int = 0, col: int = 0, **fields: object) -> Diagnostic:
    """A diagnostic for rule `code`, its message and hint filled from `fields`."""
    rule = RULES[code]
    return Diagnostic(
        path=path,
        line=line,
        col=col,
        code=code,
        severity=rule.severity,
        message=rule.message.format(**fields),
        hint=rule.hint.format(**fields),
    )


def catalogue_markdown() -> str:
    """The rule list as a Markdown table (the README carries this; a test keeps them equal)."""
    def plain(text: str) -> str:
        return re.sub(r"\{(\w+)\}", "…", text).replace("{{", "{").replace("}}", "}").replace(
            "|", "\\|")

    rows = ["| code | severity | what it catches | how to fix |", "|---|---|---|---|"]
    families = "MSLIHTP"
    ordered = sorted(RULES.values(), key=lambda r: (families.index(r.code[0]), r.code))
    rows += [f"| {r.code} | {r.severity.value} | {plain(r.message)} | {plain(r.hint)} |"
             for r in ordered]
    return "\n".join(rows) + "\n"
