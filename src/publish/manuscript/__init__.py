"""Stages 1 and 2: the manuscript read into the model and rendered to XHTML.

    load.py       book.yaml and the chapter files → the Book (stage 1)
    metadata.py   book.yaml, parsed with positions and validated against its schema
    textfile.py   reading an author's file: UTF-8 text of a sane size, or a finding
    source.py     the line map every check uses (Python-Markdown keeps none)
    markup.py     Markdown → one well-formed XHTML fragment per chapter (stage 2)
    notes.py      footnotes restructured as pop-up notes
    links.py      links between and within chapters, resolved or reported
    resources.py  what the markup names besides words: files (contained), images, scripts
    cssrefs.py    every URL a piece of CSS names, with its place
"""
