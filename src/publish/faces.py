"""Which font file sets each run of a book's text, as the style sheets say.

Both outputs draw only on the faces the theme (or the book's own style.css) declares with
`@font-face`. This module reads those rules and computes, for every run of text in a chapter,
the family, weight and style the cascade gives it (tinycss2 and cssselect2, the parser and
selector engine WeasyPrint itself uses) and the face that CSS font matching then picks. The
checks use it to find glyphs and styles no shipped face can set; the EPUB uses it to carry
only the faces a book needs.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

import cssselect2
import tinycss2
from fontTools.ttLib import TTFont
from lxml import etree

from publish.files import stamps
from publish.model import Book
from publish.sandbox import contained

BOLD_FROM = 600
"""A face of this weight or more sets bold text; a lighter one asked for bold is faked."""

# The HTML standard's default rendering of the font properties (its "phrasing content" and
# "sections and headings" rules): what an element gets before any author sheet speaks.
_UA_BOLD = frozenset({"b", "strong", "th", "h1", "h2", "h3", "h4", "h5", "h6"})
_UA_ITALIC = frozenset({"i", "em", "cite", "dfn", "var", "address"})
_UA_MONOSPACE = frozenset({"code", "kbd", "samp", "pre", "tt", "listing", "xmp"})
_SKIPPED = frozenset({"script", "style", "head", "title"})
_PROPERTIES = ("font-family", "font-weight", "font-style", "display")


@dataclass(frozen=True)
class FontFace:
    """One `@font-face` rule: a family, the style and weights it covers, and its file."""

    family: str
    path: Path
    italic: bool
    weight: tuple[int, int]
    """The weights the face covers (one weight: both ends equal)."""
    url: str = ""
    """The file as the rule names it, relative to its sheet."""

    @property
    def bold(self) -> bool:
        """Whether this face sets bold text as bold."""
        return self.weight[1] >= BOLD_FROM


@dataclass(frozen=True)
class Run:
    """A run of text and what sets it."""

    text: str
    element: etree._Element
    families: tuple[str, ...]
    """The font-family list the cascade gives it, first choice first."""
    weight: int
    italic: bool
    faces: tuple[FontFace, ...]
    """For each family of the list the sheets declare, the face font matching picks."""

    @property
    def face(self) -> FontFace | None:
        """The face that sets the run (its first declared family's), if any."""
        return self.faces[0] if self.faces else None

    @property
    def synthetic(self) -> tuple[bool, bool]:
        """(bold, italic): the styles the face lacks, which the renderer would fake."""
        face = self.face
        if face is None:
            return False, False
        return self.weight >= BOLD_FROM and not face.bold, self.italic and not face.italic


@dataclass(frozen=True)
class _Rule:
    order: int
    important: bool
    values: dict[str, list[object]]


class FaceResolver:
    """The cascade of font properties (and `display`) for a set of style sheets (one medium),
    and `extra_css` after them."""

    def __init__(self, sheets: Sequence[Path], *, media: str = "print",
                 roots: Sequence[Path] = (), extra_css: str = "") -> None:
        self.media = media
        self.roots = tuple(roots)
        """The folders face files may lie in (the book's, the styles'): a face named
        outside them is not read, as the sandbox reads nothing there (L008 says so)."""
        self.faces: list[FontFace] = []
        self._matcher = cssselect2.Matcher()
        self._order = 0
        for sheet in sheets:
            if sheet.is_file():
                self._read(sheet, set())
        if extra_css:
            self._read_rules(tinycss2.parse_stylesheet(extra_css, skip_comments=True,
                                                       skip_whitespace=True), Path(), set())

    @property
    def families(self) -> frozenset[str]:
        """Every family the sheets declare with `@font-face`."""
        return frozenset(face.family for face in self.faces)

    def runs(self, root: etree._Element) -> Iterator[Run]:
        """Every run of non-blank text under `root` (an `html` element, or any element
        standing for one), with what sets it."""
        wrapper = cssselect2.ElementWrapper.from_html_root(root)
        yield from self._walk(wrapper, ("serif",), 400, False)

    def used_faces(self, root: etree._Element) -> set[FontFace]:
        """The faces that set some text under `root`."""
        return {face for run in self.runs(root) for face in run.faces[:1]}

    def hidden(self, root: etree._Element) -> set[etree._Element]:
        """The elements under `root` the sheets do not display (`display: none`): the
        first of each hidden subtree."""
        found: set[etree._Element] = set()
        self._hide(cssselect2.ElementWrapper.from_html_root(root), found)
        return found

    def _hide(self, element: cssselect2.ElementWrapper, found: set[etree._Element]) -> None:
        display = None
        for *_order, rule in sorted(self._matcher.match(element),
                                    key=lambda m: (m[3].important, m[0], m[3].order)):
            if "display" in rule.values:
                display = [getattr(t, "lower_value", "") for t in rule.values["display"]]
        if display == ["none"]:
            found.add(element.etree_element)
            return
        for child in element.iter_children():
            self._hide(child, found)

    # -- reading the sheets

    def _read(self, sheet: Path, seen: set[Path]) -> None:
        if sheet in seen:
            return
        seen.add(sheet)
        rules = tinycss2.parse_stylesheet(sheet.read_text(encoding="utf-8"),
                                          skip_comments=True, skip_whitespace=True)
        self._read_rules(rules, sheet, seen)

    def _read_rules(self, rules: list, sheet: Path, seen: set[Path]) -> None:
        for rule in rules:
            if rule.type == "qualified-rule":
                self._add_style_rule(rule)
            elif rule.type != "at-rule":
                continue
            elif rule.lower_at_keyword == "font-face":
                face = _font_face(rule, sheet.parent)
                if face is not None and (not self.roots or contained(face.path, self.roots)):
                    self.faces.append(face)
            elif rule.lower_at_keyword in ("media", "supports") and rule.content is not None:
                if rule.lower_at_keyword == "media" and not self._applies(rule.prelude):
                    continue
                inner = tinycss2.parse_rule_list(rule.content, skip_comments=True,
                                                 skip_whitespace=True)
                self._read_rules(inner, sheet, seen)
            elif rule.lower_at_keyword == "import":
                target = _url_of(rule.prelude)
                # A sheet imports from beside itself; the sandbox check has vetted the path.
                if target and not target.startswith(("http:", "https:", "data:", "/")):
                    path = (sheet.parent / target).resolve()
                    if path.is_file() and path.is_relative_to(sheet.parent.resolve()):
                        self._read(path, seen)

    def _applies(self, prelude: list) -> bool:
        text = tinycss2.serialize(prelude).lower()
        return self.media in text or "all" in text

    def _add_style_rule(self, rule: tinycss2.ast.QualifiedRule) -> None:
        values: dict[str, list[object]] = {}
        important = False
        for declaration in tinycss2.parse_blocks_contents(rule.content, skip_comments=True,
                                                          skip_whitespace=True):
            if declaration.type == "declaration" and declaration.lower_name in _PROPERTIES:
                values[declaration.lower_name] = [
                    token for token in declaration.value
                    if token.type not in ("whitespace", "comment")]
                important = important or declaration.important
        if not values:
            return
        try:
            selectors = cssselect2.compile_selector_list(rule.prelude)
        except cssselect2.SelectorError:
            return
        self._order += 1
        for selector in selectors:
            if selector.pseudo_element is None:
                self._matcher.add_selector(selector, _Rule(self._order, important, values))

    # -- the cascade

    def _walk(self, element: cssselect2.ElementWrapper, families: tuple[str, ...],
              weight: int, italic: bool) -> Iterator[Run]:
        node = element.etree_element
        tag = str(node.tag).rpartition("}")[2].lower()
        if tag in _SKIPPED or not isinstance(node.tag, str):
            return
        if tag in _UA_MONOSPACE:
            families = ("monospace",)
        if tag in _UA_BOLD:
            weight = _bolder(weight)
        if tag in _UA_ITALIC:
            italic = True
        matched = sorted(self._matcher.match(element),
                         key=lambda m: (m[3].important, m[0], m[3].order))
        for _specificity, _order, _pseudo, rule in matched:
            families, weight, italic = _apply(rule.values, families, weight, italic)
        if node.text and node.text.strip():
            yield self._run(node.text, node, families, weight, italic)
        for child in element.iter_children():
            yield from self._walk(child, families, weight, italic)
            tail = child.etree_element.tail
            if tail and tail.strip():
                yield self._run(tail, node, families, weight, italic)

    def _run(self, text: str, node: etree._Element, families: tuple[str, ...], weight: int,
             italic: bool) -> Run:
        faces = tuple(face for family in families
                      if (face := self.match(family, weight, italic)) is not None)
        return Run(text, node, families, weight, italic, faces)

    def space(self, families: Sequence[str], weight: int, italic: bool) -> float:
        """The word space, in ems, of the face these families set text in at that weight
        and style (a quarter of an em when none is declared)."""
        for family in families:
            face = self.match(family, weight, italic)
            if face is not None:
                return space_width(face.path)
        return 0.25

    def match(self, family: str, weight: int, italic: bool) -> FontFace | None:
        """The face CSS font matching picks in `family` for that weight and style."""
        candidates = [face for face in self.faces if face.family.lower() == family.lower()]
        if not candidates:
            return None
        styled = [face for face in candidates if face.italic == italic] or candidates
        return min(styled, key=lambda face: _weight_distance(face.weight, weight))


def _apply(values: dict[str, list[object]], families: tuple[str, ...], weight: int,
           italic: bool) -> tuple[tuple[str, ...], int, bool]:
    if "font-family" in values:
        named = _family_list(values["font-family"])
        if named:
            families = named
    if "font-weight" in values:
        weight = _weight(values["font-weight"], weight)
    if "font-style" in values:
        words = [getattr(t, "lower_value", "") for t in values["font-style"]]
        if words and words[0] in ("italic", "oblique", "normal"):
            italic = words[0] != "normal"
    return families, weight, italic


def _family_list(tokens: list) -> tuple[str, ...]:
    names: list[str] = []
    current: list[str] = []
    for token in tokens:
        if token.type == "literal" and token.value == ",":
            names.append(" ".join(current))
            current = []
        elif token.type == "string":
            current.append(token.value)
        elif token.type == "ident":
            if token.lower_value in ("inherit", "initial", "unset"):
                return ()
            current.append(token.value)
    names.append(" ".join(current))
    return tuple(name for name in names if name)


def _weight(tokens: list, inherited: int) -> int:
    if not tokens:
        return inherited
    token = tokens[0]
    if token.type == "number" and token.is_integer:
        return int(token.value)
    word = getattr(token, "lower_value", "")
    return {"normal": 400, "bold": 700, "bolder": _bolder(inherited),
            "lighter": _lighter(inherited)}.get(word, inherited)


def _bolder(weight: int) -> int:
    # CSS Fonts 4, "relative weights".
    return 400 if weight < 350 else 700 if weight < 550 else 900


def _lighter(weight: int) -> int:
    return 100 if weight < 550 else 400 if weight < 750 else 700


def _weight_distance(covered: tuple[int, int], wanted: int) -> tuple[int, int]:
    """How far a face's weights are from the one wanted, in CSS font matching's order of
    preference (a tuple: smaller is preferred)."""
    low, high = covered
    if low <= wanted <= high:
        return 0, 0
    if 400 <= wanted <= 500:  # first up to 500, then lighter, then heavier
        if wanted < low <= 500:
            return 1, low - wanted
        if high < wanted:
            return 2, wanted - high
        return 3, low - wanted
    if wanted < 400:  # lighter first, then heavier
        return (1, wanted - high) if high < wanted else (2, low - wanted)
    return (1, low - wanted) if low > wanted else (2, wanted - high)


def _font_face(rule: tinycss2.ast.AtRule, folder: Path) -> FontFace | None:
    family = ""
    italic = False
    weight = (400, 400)
    path: Path | None = None
    url = ""
    for declaration in tinycss2.parse_blocks_contents(rule.content or [], skip_comments=True,
                                                      skip_whitespace=True):
        if declaration.type != "declaration":
            continue
        tokens = [t for t in declaration.value if t.type not in ("whitespace", "comment")]
        name = declaration.lower_name
        if name == "font-family":
            family = " ".join(_family_list(tokens))
        elif name == "src" and path is None:
            url = _url_of(tokens) or ""
            if url and not url.startswith(("http:", "https:", "data:")):
                path = (folder / url).resolve()
        elif name == "font-style" and tokens:
            italic = getattr(tokens[0], "lower_value", "") in ("italic", "oblique")
        elif name == "font-weight" and tokens:
            numbers = [_weight([t], 400) for t in tokens[:2]]
            weight = (min(numbers), max(numbers))
    if not family or path is None or not path.is_file():
        return None  # a face with no file sets nothing: its family counts as not shipped
    return FontFace(family, path, italic, weight, url)


def _url_of(tokens: list) -> str | None:
    for token in tokens:
        if token.type == "url":
            return token.value
        if token.type == "string":
            return token.value
        if token.type == "function" and token.lower_name == "url":
            inner = [t for t in token.arguments if t.type == "string"]
            if inner:
                return inner[0].value
    return None


@cache
def space_width(path: Path) -> float:
    """The word space of the face in a font file, in ems."""
    font = TTFont(path, lazy=True)
    glyph = font.getBestCmap().get(0x20)
    return font["hmtx"][glyph][0] / font["head"].unitsPerEm if glyph else 0.25


@cache
def coverage(path: Path) -> frozenset[int]:
    """The code points a font file has glyphs for."""
    return frozenset(TTFont(path, lazy=True).getBestCmap())


def theme_css(styles: Path, theme: str) -> Path:
    """The stylesheet of theme `theme`."""
    return styles / "themes" / f"{theme}.css"


def book_sheets(book: Book, styles: Path, *names: str) -> list[Path]:
    """The sheets `names` from styles/, then the book's theme, then its own style.css."""
    sheets = [styles / name for name in names]
    sheets.append(theme_css(styles, book.theme))
    if book.style_override is not None:
        sheets.append(book.style_override)
    return sheets


def resolver_for(sheets: Sequence[Path], roots: Sequence[Path], media: str = "print",
                 extra_css: str = "") -> FaceResolver:
    """The resolver of these sheets (faces only from inside `roots`) and `extra_css` after
    them, made once per process and again when a sheet changes: the checks, each unit's
    layout and the EPUB all ask for the same book's."""
    return _resolver(tuple(sheets), stamps(sheets), tuple(roots), media, extra_css)


@lru_cache(maxsize=16)
def _resolver(sheets: tuple[Path, ...], _stamps: tuple[int, ...], roots: tuple[Path, ...],
              media: str, extra_css: str) -> FaceResolver:
    return FaceResolver(sheets, media=media, roots=roots, extra_css=extra_css)


def faces_digest(resolver: FaceResolver) -> str:
    """A digest of the font files `resolver`'s sheets load (a layout depends on their
    bytes, not only on their names)."""
    paths = sorted({face.path for face in resolver.faces})
    return _files_digest(tuple(paths), stamps(paths))


@lru_cache(maxsize=16)
def _files_digest(paths: tuple[Path, ...], _stamps: tuple[int, ...]) -> str:
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.name.encode() + b"\0" + hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def theme_faces(styles: Path, theme: str) -> list[FontFace]:
    """The faces the theme's `@font-face` rules declare, in their order."""
    return resolver_for([theme_css(styles, theme)], [styles]).faces


def theme_fonts(styles: Path, theme: str) -> list[Path]:
    """Every font file the theme loads, in the order it declares them."""
    return [face.path for face in theme_faces(styles, theme)]


def book_face(styles: Path, theme: str) -> Path | None:
    """The text face: the first upright, regular face the theme declares."""
    return next((face.path for face in theme_faces(styles, theme)
                 if not face.italic and not face.bold), None)
