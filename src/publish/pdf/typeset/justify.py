"""Justification as the line breaker meant it, for the lines it chose.

WeasyPrint justifies a line by widening its word spaces, and only widening them: a line the
breaker set tight would run past the measure. For a paragraph whose lines
publish.pdf.typeset.paragraphs chose (class `set-lines`), each line is justified here instead
as the breaker reckoned it:
its word spaces take the slack first, within `SPACES_FIRST` of their width, its letters the
rest, within `LETTER_STRETCH` and `LETTER_SHRINK`, and its spaces again whatever is left —
narrowing as well as widening. The spacing is thus worked out from the line as WeasyPrint
measured it, and the markup needs no span per line to carry it: WeasyPrint spends about a
millisecond laying out each inline element, and a span on half the lines of a novel made
its layout half as slow again (the profile's lesson).

The hook is WeasyPrint's `layout.inline.text_align`, which it calls once per line; it is put
in place once per process (`install`), and leaves every other line to WeasyPrint's own.
"""

from __future__ import annotations

from weasyprint.layout import inline
from weasyprint.text.line_break import create_layout, line_size

from publish.pdf import boxes
from publish.pdf.typeset.measure import LETTER_SHRINK, LETTER_STRETCH
from publish.pdf.typeset.paragraphs import SPACES_FIRST

_WEASYPRINT_TEXT_ALIGN = inline.text_align


def install() -> None:
    """Justify the lines of paragraphs set here as they were reckoned (idempotent)."""
    inline.text_align = _text_align


def _text_align(context: object, line: boxes.LineBox, available_width: float,
                last: bool) -> float:
    element = getattr(line, "element", None)
    if element is None or "set-lines" not in (element.get("class") or "").split():
        return _WEASYPRINT_TEXT_ALIGN(context, line, available_width, last)
    extra = available_width - line.width
    # The last line is set flush left, unless it must narrow to fit or is not the
    # paragraph's last (a page's share of one: publish.pdf.typeset.spreads).
    justified = not last or line.style["text_align_last"] == "justify"
    if not justified and extra >= 0:
        return _WEASYPRINT_TEXT_ALIGN(context, line, available_width, last)
    texts = [box for box in line.descendants() if boxes.is_text(box)]
    spaces = inline.count_expandable_spaces(line)
    if not texts or not spaces:
        return _WEASYPRINT_TEXT_ALIGN(context, line, available_width, last)
    size = texts[0].style["font_size"]
    room = spaces * _space(context, texts[0].style)
    low, high = (share * room for share in SPACES_FIRST)
    letters = sum(len(box.text) for box in texts)
    spacing = 0.0
    if justified and extra > high:
        spacing = min((extra - high) / letters, LETTER_STRETCH * size)
    elif extra < low:  # narrowing, a last line too: its letters take their share
        spacing = max((extra - low) / letters, -LETTER_SHRINK * size)
    if spacing:
        _letter_space(context, line, spacing, 0.0)
    inline.justify_line(context, line, available_width - line.width)
    return 0


def _letter_space(context: object, box: boxes.Box, spacing: float, x_advance: float
                  ) -> float:
    """Give `box`'s text `spacing` between its letters (its boxes moved along and widened
    to match); how far the boxes after it move."""
    box.position_x += x_advance
    if boxes.is_text(box):
        style = box.style.copy()
        style["letter_spacing"] = spacing
        box.style = style
        layout = create_layout(box.text, style, context, max_width=None,
                               justification_spacing=box.justification_spacing)
        width, _height = line_size(layout.get_first_line()[0], style)
        layout.deactivate()
        box.pango_layout = layout
        grown = width - box.width
        box.width = width
        return x_advance + grown
    if isinstance(box, boxes.LineBox | boxes.InlineBox):
        start = x_advance
        for child in box.children:
            if child.is_in_normal_flow():
                x_advance = _letter_space(context, child, spacing, x_advance)
        box.width += x_advance - start
        return x_advance
    box.translate(x_advance, 0)  # an atomic inline: moved, not spaced
    return x_advance


def _space(context: object, style: object) -> float:
    """The width of a word space in `style`'s face and size, in CSS pixels."""
    key = (tuple(style["font_family"]), style["font_weight"], style["font_style"],
           style["font_stretch"], style["font_size"], style["lang"])
    if key not in _SPACES:
        def width(text: str) -> float:
            layout = create_layout(text, style, context, max_width=None,
                                   justification_spacing=0)
            return line_size(layout.get_first_line()[0], style)[0]
        _SPACES[key] = width("n n") - width("nn")
    return _SPACES[key]


_SPACES: dict[tuple, float] = {}
"""Word-space widths by face and size: a cache, like WeasyPrint's own font caches."""
