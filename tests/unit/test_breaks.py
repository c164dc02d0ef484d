"""The line breaker breaks only where Pango lets a line break (publish.pdf.pango), and closes
every other place Pango would break inside a chosen line."""

from __future__ import annotations

import re

from publish.pdf.pango import break_opportunities
from publish.pdf.typeset.knuthplass import INFINITE
from publish.pdf.typeset.measure import PLAIN, paragraph_items
from publish.pdf.typeset.paragraphs import WJ, set_lines
from tests.unit.test_spreads import document, measure

QUOTED = "she cried at the house!” (Which was very likely true.) and went on"


def test_pango_allows_no_break_between_a_closing_quote_and_an_opening_bracket():
    allowed = break_opportunities(QUOTED, "en")
    assert QUOTED.index("(") not in allowed
    assert QUOTED.index("and") in allowed


def test_the_breaker_never_chooses_a_break_pango_refuses():
    styles = [PLAIN] * len(QUOTED)
    items = paragraph_items(QUOTED, styles, measure(), None, 0.0)
    glue_at_bracket = next(i for i, item in enumerate(items)
                           if item.kind == "glue" and QUOTED[item.at + 1] == "(")
    before = items[glue_at_bracket - 1]
    assert before.kind == "penalty" and before.penalty >= INFINITE


def test_inside_a_chosen_line_every_other_break_is_closed():
    text = ("Once – twice – a third time – the keeper climbed the stair at dusk, as he had "
            "every evening for thirty years, and lit the lamp before the first boat rounded "
            "the point of the long grey harbour wall where the gulls argued.")
    html = set_lines(document(text), measure())
    paragraph = re.search(r"<p[^>]*>(.*?)</p>", html, re.DOTALL).group(1)
    plain = re.sub(r"<[^>]+>", "", paragraph)
    chosen = {m.end() for m in re.finditer(r"[ \u2010]", plain)}
    assert break_opportunities(plain, "en") <= chosen
    assert WJ in plain
