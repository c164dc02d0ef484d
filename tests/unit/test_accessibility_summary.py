"""The accessibility summary a store shows counts the book's parts as a reader would."""

from __future__ import annotations

from publish.epub.accessibility import summary


def test_a_novella_with_a_dedication_and_an_epigraph_is_three_chapters_and_those_two():
    text = summary(["dedication", "epigraph", "chapter", "chapter", "chapter"], 1, cover=True)
    assert text.startswith("This book is text: 3 chapters, a dedication and an epigraph, ")
    assert "Its one image has a text description, as does the cover." in text
    assert "Each of its 1" not in text


def test_parts_are_named_in_english():
    text = summary(["chapter", "appendix", "appendix", "acknowledgements"], 2)
    assert "2 appendices" in text and "acknowledgements" in text
    assert "Each of its 2 images has a text description." in text
