"""book.yaml's text is set as the chapters are: a title typed with a straight apostrophe
prints with a curly one on every page and on the cover, and `--` is a dash in the EPUB's
metadata."""

from __future__ import annotations

import re

import pytest
from lxml import etree

from publish.build import build
from tests.conftest import STYLES
from tests.e2e.helpers import NS, pdf_text, read_epub

pytestmark = pytest.mark.slow

YAML = """\
title: The Keeper's Daughter
subtitle: A "Lighthouse" Story
author: Ann O'Hara
lang: en
identifier: urn:uuid:2f1c9a4e-8b7d-4c3a-9e21-5a6b7c8d9e0f
description: A tale of the sea -- and of the light that kept it...
rights: All rights reserved -- no part of this book may be copied.
"""


def test_book_yaml_text_is_smartened_everywhere_it_prints(make_book, tmp_path):
    root = make_book({"chapters/01.md": "# The Light\n\nThe lamp burned all night.\n",
                      "chapters/02.md": "# The Tide\n\n" + "The tide came in. " * 400 + "\n"},
                     yaml=YAML)
    result = build(root, tmp_path / "out", styles=STYLES)
    assert result.outputs["pdf"].name == "the-keeper-s-daughter.pdf"  # named as typed

    printed = pdf_text(result.outputs["pdf"])
    assert "The Keeper’s Daughter" in printed and "Keeper's" not in printed
    assert "Ann O’Hara" in printed and "“Lighthouse”" in printed
    assert "no part" in printed and " -- " not in printed
    # The running heads carry the title on the body's pages too.
    assert printed.count("The Keeper’s Daughter") >= 3
    cover = pdf_text(result.outputs["cover"])
    assert "Keeper’s" in cover and "Keeper's" not in cover

    package = etree.fromstring(read_epub(result.outputs["epub"])["EPUB/content.opf"])
    dc = {"dc": "http://purl.org/dc/elements/1.1/"}
    assert package.xpath("//dc:title/text()", namespaces=dc)[0] == "The Keeper’s Daughter"
    description = package.xpath("//dc:description/text()", namespaces=dc)[0]
    assert "sea – and" in description and description.endswith("kept it…")
    title_page = read_epub(result.outputs["epub"])["EPUB/titlepage.xhtml"].decode()
    assert "Keeper’s" in title_page and not re.search(r"Keeper's", title_page)
    assert etree.fromstring(title_page.encode()).xpath("//x:h1", namespaces=NS)
