"""Every URL a piece of CSS names (`@import`, `url()`, `src()`, `@font-face`), with the line
and column where it is written, read with tinycss2 (WeasyPrint's own CSS parser)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import tinycss2
from tinycss2 import ast


@dataclass(frozen=True)
class CSSReference:
    """One URL as written in CSS; `line` and `col` are 1-based, within the CSS text."""

    url: str
    line: int
    col: int
    is_import: bool = False


def css_references(text: str) -> list[CSSReference]:
    """The URLs `text` names, in order: a whole sheet or a `style` attribute's declarations
    (both are read as plain component values, so neither needs to be a valid rule)."""
    return list(_walk(tinycss2.parse_component_value_list(text, skip_comments=True)))


def _walk(nodes: Iterable[ast.Node]) -> Iterator[CSSReference]:
    importing = False  # just after `@import`: the next string or URL is a sheet
    for node in nodes:
        if isinstance(node, ast.WhitespaceToken):
            continue
        if isinstance(node, ast.URLToken | ast.StringToken) and (
                importing or isinstance(node, ast.URLToken)):
            yield CSSReference(node.value, node.source_line, node.source_column, importing)
        elif isinstance(node, ast.FunctionBlock):
            strings = [a for a in node.arguments if isinstance(a, ast.StringToken)]
            if node.lower_name in ("url", "src") and strings:
                yield CSSReference(strings[0].value, node.source_line, node.source_column,
                                   importing)
            else:
                yield from _walk(node.arguments)
        elif isinstance(node, ast.ParenthesesBlock | ast.SquareBracketsBlock
                        | ast.CurlyBracketsBlock):
            yield from _walk(node.content)
        importing = isinstance(node, ast.AtKeywordToken) and node.lower_value == "import"


def without_comments(text: str) -> str:
    """The CSS with its comments removed (they may hold notes not meant for readers)."""
    return tinycss2.serialize(tinycss2.parse_component_value_list(text, skip_comments=True))
