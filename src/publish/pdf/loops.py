"""Every loop of the print stage that lays something out again, and its limit, in one place.

From the outside in:

- `PASSES` (publish.pdf.edition): the edition is typeset again while its page count moves the
  gutter into another of KDP's bands, a chapter opens on another side than it was laid out
  for, or the contents' page numbers change. Each pass lays out only the units whose key
  changed.
- `RESETS` (publish.pdf.typeset): a unit is laid out again while a page ends in a hyphen
  (that line is set without one), a paragraph is not laid out as chosen or breaks an
  invariant (it is left to WeasyPrint), a note is lost (its paragraph is kept whole) or a
  figure leaves its page a quarter empty (it floats on); then up to `MUST` more times for
  the three that must not ship (a hyphen or a gap may).
- `REACH_TRIES` (publish.pdf.typeset.evening): a unit is laid out again with a paragraph or
  two set a line longer or shorter, to even out facing pages that could not be evened out
  where they stand; `RECKONINGS` bounds the sets of changes weighed before that, reckoned
  from the lines without any layout (publish.pdf.typeset.reachback).
- `MENDS` (publish.pdf.typeset.mending): inside each of those layouts, the document is laid
  out again while WeasyPrint breaks a paragraph early.

When a loop reaches its limit, what it has is kept: each pass only ever improves on a layout
that was whole already.
"""

PASSES = 5
RESETS = 2
MUST = 2
REACH_TRIES = 2
RECKONINGS = 2000
MENDS = 4
