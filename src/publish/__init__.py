"""publish: a Markdown book in, a checked EPUB 3 and a print-ready PDF out."""

__version__ = "0.1.0"
