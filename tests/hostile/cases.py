"""The hostile manuscripts: each a small book that tries to make `publish` read a file outside
the book, reach the network, crash, hang or ship something private, with what must happen.

Text may hold `{OUTSIDE}` (a folder beside the book holding planted files whose bytes must
never reach an output) and `{PORT}` (a loopback HTTP server that counts requests). A `Case`
either fails with exactly the errors it lists, or builds (`errors=()`) with exit status 0.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

MARKER = "PLANTED-7f3a9c-outside-the-book"
"""Text every planted file carries; no output may hold it."""

YAML = """\
title: A Hostile Book
author: Test Author
lang: en
identifier: urn:uuid:2f1c9a4e-8b7d-4c3a-9e21-5a6b7c8d9e0f
"""
CHAPTER = "# One\n\nAn ordinary opening paragraph.\n"


def png(width: int, height: int, text: str = "") -> bytes:
    """A PNG that claims `width` × `height` (only its first rows are data: readers of the
    header see the full size), with `text` in a tEXt chunk."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = b"".join(b"\x00" + b"\xff" * ((width + 7) // 8) for _ in range(min(height, 8)))
    extra = chunk(b"tEXt", b"Comment\x00" + text.encode()) if text else b""
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 1, 0,
                                                             0, 0, 0))
            + extra + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def plant(outside: Path) -> None:
    """The files a hostile manuscript would like to read."""
    outside.mkdir(parents=True, exist_ok=True)
    (outside / "planted.md").write_text(f"# Planted chapter\n\n{MARKER} in a chapter.\n")
    (outside / "planted.css").write_text(f"p::after {{ content: '{MARKER}'; }}\n")
    (outside / "planted.png").write_bytes(png(64, 64, MARKER))
    (outside / "planted.svg").write_text(
        f'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><title>{MARKER}'
        "</title></svg>\n")


Files = dict[str, str | bytes]


@dataclass(frozen=True)
class Case:
    """One hostile manuscript and the errors (`path:line:col: CODE`, the path relative to the
    book's folder) it must give; none means it must build."""

    name: str
    files: Files
    errors: tuple[str, ...] = ()
    yaml: str = YAML
    setup: Callable[[Path, Path], None] | None = None
    """Called with (book folder, outside folder) after the files are written."""
    exit_status: int | None = None
    """Defaults to 1 when there are errors, else 0."""
    message: str = ""
    """Text the error output must hold (for failures that are not a rule's)."""
    slow: bool = False
    tags: tuple[str, ...] = field(default=())

    @property
    def status(self) -> int:
        if self.exit_status is not None:
            return self.exit_status
        return 1 if self.errors else 0


def _symlink(link: str, target: str) -> Callable[[Path, Path], None]:
    """Make `link` (in the book) a symlink to `target` (`{OUTSIDE}/…` or a path in the book)."""
    def make(book: Path, outside: Path) -> None:
        path = book / link
        path.parent.mkdir(parents=True, exist_ok=True)
        path.symlink_to(target.replace("{OUTSIDE}", str(outside)))
    return make


def _big_file(name: str, size: int) -> Callable[[Path, Path], None]:
    def make(book: Path, _outside: Path) -> None:
        path = book / name
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as stream:  # sparse: costs no disk, and is never read
            stream.truncate(size)
    return make


def _no_book_yaml(book: Path, _outside: Path) -> None:
    (book / "book.yaml").unlink()


LISTED = YAML + "chapters:\n  - chapters/01.md\n  - {path}\n"
PARA = "Word after word makes a long and patient book that never seems to end. " * 12

CASES: tuple[Case, ...] = (
    # Paths that leave the book: book.yaml
    Case("chapter-absolute-path", {"chapters/01.md": CHAPTER},
         ("book.yaml:7:5: L008",), yaml=LISTED.format(path="{OUTSIDE}/planted.md")),
    Case("chapter-climbing-path", {"chapters/01.md": CHAPTER},
         ("book.yaml:7:5: L008",),
         yaml=LISTED.format(path="../../../../../../../../../{OUTSIDE}/planted.md")),
    Case("chapter-symlink-outside", {"chapters/01.md": CHAPTER}, ("chapters/02.md:1:1: L008",),
         setup=_symlink("chapters/02.md", "{OUTSIDE}/planted.md")),
    Case("chapter-symlink-inside", {"chapters/01.md": CHAPTER,
                                    "drafts/two.md": "# Two\n\nA second chapter.\n"},
         setup=_symlink("chapters/02.md", "../drafts/two.md"), slow=True),
    Case("book-yaml-symlink-outside", {"chapters/01.md": CHAPTER}, ("book.yaml:1:1: L008",),
         setup=lambda book, outside: ((book / "book.yaml").unlink(),
                                      (book / "book.yaml").symlink_to(outside / "planted.md"))),
    Case("cover-absolute-path", {"chapters/01.md": CHAPTER}, ("book.yaml:5:14: L008",),
         yaml=YAML + "cover-image: {OUTSIDE}/planted.png\ncover-alt: A cover.\n"),
    Case("cover-symlink-outside", {"chapters/01.md": CHAPTER}, ("book.yaml:5:14: L008",),
         yaml=YAML + "cover-image: cover.png\ncover-alt: A cover.\n",
         setup=_symlink("cover.png", "{OUTSIDE}/planted.png")),
    # Paths that leave the book: the bibliography and its style (read by Pandoc)
    Case("bibliography-absolute-path", {"chapters/01.md": "# One\n\nAs cited [@a].\n"},
         ("book.yaml:5:15: L014",), yaml=YAML + "bibliography: {OUTSIDE}/planted.md\n"),
    Case("bibliography-symlink-outside", {"chapters/01.md": "# One\n\nAs cited [@a].\n"},
         ("book.yaml:5:15: L014",), yaml=YAML + "bibliography: works.json\n",
         setup=_symlink("works.json", "{OUTSIDE}/planted.md")),
    Case("csl-over-http", {"chapters/01.md": "# One\n\nAs cited [@a].\n",
                           "works.json": '[{"id": "a", "type": "book", "title": "A"}]'},
         ("book.yaml:6:6: L014",),
         yaml=YAML + "bibliography: works.json\ncsl: http://127.0.0.1:{PORT}/style.csl\n"),
    Case("index-term-markup", {"chapters/01.md": '# One\n\nThe [lamp]{.index term="<script>'
                                                 'x</script>!<b>"} burned.\n'}, slow=True),
    # Paths that leave the book: CSS
    Case("css-import-file-url", {"chapters/01.md": CHAPTER,
                                 "style.css": '@import url("file://{OUTSIDE}/planted.css");\n'},
         ("style.css:1:9: L008",)),
    Case("css-url-climbing", {"chapters/01.md": CHAPTER, "style.css":
                              'p { color: black; }\nh1 { background: url("../../../../../../..'
                              '{OUTSIDE}/planted.png"); }\n'},
         ("style.css:2:18: L008",)),
    Case("css-font-face-absolute", {"chapters/01.md": CHAPTER, "style.css":
                                    "@font-face {\n  font-family: Stolen;\n"
                                    "  src: url({OUTSIDE}/planted.png);\n}\n"},
         ("style.css:3:8: L008",)),
    Case("css-import-http", {"chapters/01.md": CHAPTER,
                             "style.css": '@import "http://127.0.0.1:{PORT}/x.css";\n'},
         ("style.css:1:9: L002",)),
    Case("css-imported-sheet-climbs", {"chapters/01.md": CHAPTER,
                                       "style.css": '@import "more.css";\n',
                                       "more.css": "\n\n@import url('../../../../..{OUTSIDE}"
                                                   "/planted.css');\n"},
         ("more.css:3:9: L008",)),
    # Paths that leave the book: Markdown and raw HTML
    Case("image-file-url", {"chapters/01.md": CHAPTER + "\n![A gull](file://{OUTSIDE}/planted"
                                                        ".png)\n"},
         ("chapters/01.md:5:11: L008",)),
    Case("image-climbing-path", {"chapters/01.md": CHAPTER + "\n![A gull](../../../../../../../"
                                                             "..{OUTSIDE}/planted.png)\n"},
         ("chapters/01.md:5:11: L008",)),
    Case("image-symlink-outside", {"chapters/01.md": CHAPTER + "\n![A gull](gull.png)\n"},
         ("chapters/01.md:5:11: L008",),
         setup=_symlink("chapters/gull.png", "{OUTSIDE}/planted.png")),
    Case("image-http", {"chapters/01.md": CHAPTER + "\n![A gull](http://127.0.0.1:{PORT}/g.png)\n"},
         ("chapters/01.md:5:11: L002",)),
    Case("raw-img-absolute", {"chapters/01.md": CHAPTER + '\n<img src="{OUTSIDE}/planted.png" '
                                                          'alt="A gull"/>\n'},
         ("chapters/01.md:5:11: L008",)),
    Case("raw-style-attribute", {"chapters/01.md": CHAPTER + '\n<p style="background: url('
                                                             "'file://{OUTSIDE}/planted.png')"
                                                             '">Text.</p>\n'},
         ("chapters/01.md:5:28: L008",)),
    Case("raw-iframe-http", {"chapters/01.md": CHAPTER + '\n<iframe src="http://127.0.0.1:'
                                                         '{PORT}/frame"></iframe>\n'},
         ("chapters/01.md:5:14: L002",)),
    Case("svg-names-outside-file", {"chapters/01.md": CHAPTER + "\n![A drawing](d.svg)\n",
                                    "chapters/d.svg": '<svg xmlns="http://www.w3.org/2000/svg" '
                                    'xmlns:xlink="http://www.w3.org/1999/xlink"><image xlink:href='
                                    '"file://{OUTSIDE}/planted.png" width="9" height="9"/></svg>'},
         ("chapters/01.md:5:14: L010",)),
    Case("link-file-url", {"chapters/01.md": CHAPTER + "\nSee [the file](file://{OUTSIDE}/"
                                                       "planted.md).\n"},
         ("chapters/01.md:5:16: L008",)),
    Case("link-climbing-path", {"chapters/01.md": CHAPTER + "\nSee [the file](../../../../../.."
                                                            "/../..{OUTSIDE}/planted.md).\n"},
         ("chapters/01.md:5:16: L008",)),
    # Code
    Case("script-element", {"chapters/01.md": CHAPTER + "\n<script>alert('hello')</script>\n"},
         ("chapters/01.md:5:1: L009",)),
    Case("event-handler", {"chapters/01.md": CHAPTER + '\n<p onclick="steal()">Click.</p>\n'},
         ("chapters/01.md:5:4: L009",)),
    Case("javascript-link", {"chapters/01.md": CHAPTER + "\n[Press](javascript:alert(1)).\n"},
         ("chapters/01.md:5:9: L009",)),
    # Images that are not what they claim, or too much
    Case("decompression-bomb", {"chapters/01.md": CHAPTER + "\n![A field](field.png)\n",
                                "chapters/field.png": png(40000, 40000)},
         ("chapters/01.md:5:12: L011",)),
    Case("data-url-bomb", {"chapters/01.md": CHAPTER + "\n<img alt='A field' src='data:image/png;"
                                                       "base64,{BOMB}'/>\n"},
         ("chapters/01.md:5:25: L011",)),
    Case("zero-byte-image", {"chapters/01.md": CHAPTER + "\n![A gull](gull.png)\n",
                             "chapters/gull.png": b""}, ("chapters/01.md:5:11: L010",)),
    Case("not-an-image", {"chapters/01.md": CHAPTER + "\n![A gull](gull.png)\n",
                          "chapters/gull.png": "This is a letter, not a picture.\n"},
         ("chapters/01.md:5:11: L010",)),
    Case("missing-image", {"chapters/01.md": CHAPTER + "\n![A gull](gull.png)\n"},
         ("chapters/01.md:5:11: L001",)),
    # Too big, too deep
    Case("nested-quotes-10000", {"chapters/01.md": CHAPTER + "\n" + ">" * 10000 + " Deep.\n"},
         ("chapters/01.md:5:1: S009",)),
    Case("nested-lists-200", {"chapters/01.md": CHAPTER + "\n" + "\n".join(
        "    " * level + "- item" for level in range(200)) + "\n"},
         ("chapters/01.md:69:1: S009",)),
    Case("nested-html-300", {"chapters/01.md": CHAPTER + "\n<div>\n" + "<div>" * 300 + "Deep"
                             + "</div>" * 300 + "\n</div>\n"},
         ("chapters/01.md:6:316: S009",)),
    Case("chapter-over-limit", {"chapters/01.md": CHAPTER}, ("chapters/02.md:1:1: S008",),
         setup=_big_file("chapters/02.md", 9 * 2**20)),
    Case("too-many-pages", {"chapters/01.md": "# One\n\n" + "\n\n".join([PARA] * 700)},
         ("book.yaml:1:1: S010",), yaml=YAML + "print:\n  trim: 3x4in\n"),
    Case("megabyte-line", {"chapters/01.md": "# One\n\n" + " ".join(
        ("alpha", "beta", "gamma", "delta", "house", "garden")[i % 6] for i in range(180_000))
        + ".\n"}, slow=True),
    # Text that is not text
    Case("invalid-utf8", {"chapters/01.md": b"# One\n\nCaf\xe9 au lait.\n"},
         ("chapters/01.md:3:4: S003",)),
    Case("utf16-with-bom", {"chapters/01.md": "\ufeff# One\n\nText.\n".encode("utf-16")},
         ("chapters/01.md:1:1: S003",)),
    Case("nul-byte", {"chapters/01.md": "# One\n\nA sentence with a \x00 in it.\n"},
         ("chapters/01.md:3:19: S003",)),
    Case("nul-byte-in-book-yaml", {"chapters/01.md": CHAPTER}, ("book.yaml:2:13: S003",),
         yaml=YAML.replace("Test Author", "Test\x00Author")),
    Case("crlf-line-ends", {"chapters/01.md": "# One\r\n\r\nWindows line ends.\r\n\r\n"
                                              "A second paragraph.\r\n"}, slow=True),
    # What the author keeps private
    Case("html-comments", {"chapters/01.md": CHAPTER + "\n<!-- ask the editor: " + MARKER
                           + " -->\n\nA line with <!-- " + MARKER + " --> a note.\n",
                           "style.css": "/* " + MARKER + " */\np { color: black; }\n"},
         slow=True),
    # book.yaml and the structure
    Case("malformed-yaml", {"chapters/01.md": CHAPTER}, ("book.yaml:1:8: M001",),
         yaml="title: [A Book\nauthor: Someone\n"),
    Case("wrong-types", {"chapters/01.md": CHAPTER}, ("book.yaml:1:8: M004",
                                                      "book.yaml:5:11: M004"),
         yaml=YAML.replace("title: A Hostile Book", "title: [A, B]") + "chapters: 7\n"),
    Case("empty-book-yaml", {"chapters/01.md": CHAPTER}, ("book.yaml:1:1: M002",), yaml=""),
    Case("missing-book-yaml", {"chapters/01.md": CHAPTER}, exit_status=2,
         message="no book.yaml", setup=_no_book_yaml),
    Case("empty-chapter", {"chapters/01.md": CHAPTER, "chapters/02.md": ""},
         ("chapters/02.md:1:1: S006",)),
    Case("chapter-listed-twice", {"chapters/01.md": CHAPTER}, ("book.yaml:7:5: S007",),
         yaml=LISTED.format(path="chapters/01.md")),
    Case("unclosed-raw-html", {"chapters/01.md": CHAPTER + "\n<div>\n<p>Never closed.\n</div>\n"},
         ("chapters/01.md:7:7: S004",)),
    Case("duplicate-ids", {"chapters/01.md": CHAPTER + "\n## Twice {#same}\n\n## Again {#same}\n"},
         ("chapters/01.md:7:10: L007",)),
    Case("bad-front-matter-role", {"chapters/01.md": "---\nrole: villain\n---\n" + CHAPTER},
         ("chapters/01.md:2:1: S005",)),
)
