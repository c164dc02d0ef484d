"""End to end: the sample book, Pride and Prejudice and a long generated book build into
an EPUB that EPUBCheck accepts without a single message and a PDF a printer can use."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pikepdf
import pytest
from lxml import etree

from publish.build import FORMATS, build
from publish.epub.validate import (
    FONT_FACE_USAGE,
    run_epubcheck,
)
from publish.manuscript.load import load_book
from tests.conftest import SAMPLE, STYLES
from tests.e2e.helpers import (
    NS,
    XML_LANG,
    ace_violations,
    embedded_font_programs,
    folio_one_page,
    last_sentence,
    letters,
    nav_titles,
    page_edges,
    page_markers_order,
    pdf_text,
    read_epub,
    squeeze,
    text_after,
    text_block,
    top_level_outline,
    unembedded_fonts,
)

pytestmark = pytest.mark.slow

TRIM_POINTS = (5.5 * 72, 8.5 * 72)


class Built:
    def __init__(self, book_dir: Path, out: Path, formats: tuple[str, ...]) -> None:
        self.book, _ = load_book(book_dir)
        result = build(book_dir, out, styles=STYLES, formats=formats)
        self.epub = result.outputs["epub"]
        self.kepub = result.outputs.get("kepub")
        self.screen = result.outputs.get("screen")
        self.pdf = result.outputs["pdf"]
        self.pages = result.pdf_pages
        self.files = read_epub(self.epub)
        # The titles the author wrote (an untitled opening has none, and gets none).
        self.titles = [_first_heading(c.text) for c in self.book.chapters if c.role.titled]


def _first_heading(markdown: str) -> str:
    line = next(line for line in markdown.splitlines() if line.startswith("# "))
    return line[2:].strip()


@pytest.fixture(scope="module", params=["sample", "pride", "long"])
def built(request, tmp_path_factory) -> Built:
    book_dir = {"sample": lambda: SAMPLE,
                "pride": lambda: request.getfixturevalue("pride_dir"),
                "long": lambda: request.getfixturevalue("long_book")}[request.param]()
    # The generated book is there for long flows: its Kobo and screen editions add nothing.
    formats = ("epub", "pdf") if request.param == "long" else FORMATS
    return Built(book_dir, tmp_path_factory.mktemp(request.param), formats)


def test_epubcheck_reports_nothing_but_the_embedded_fonts(built):
    messages = run_epubcheck(built.epub, font_faces=True)
    # EPUBCheck's one usage note we set aside (see publish.epub.validate.FONT_FACE_USAGE) must
    # point at the theme's sheet and nowhere else; there must be no other message at all.
    notes = {(m.code, m.document) for m in messages if m.code == FONT_FACE_USAGE}
    assert notes == {("CSS-028", "EPUB/css/classic.css")}
    assert [f"{m.code} {m.document}:{m.line} {m.message}" for m in messages
            if m.code != FONT_FACE_USAGE] == []


def test_theme_fonts_are_embedded_and_apple_books_told_to_use_them(built):
    opf = etree.fromstring(built.files["EPUB/content.opf"])
    fonts = {item.get("href"): item.get("media-type")
             for item in opf.xpath("//opf:item[starts-with(@media-type, 'font/')]",
                                   namespaces=NS)}
    # The faces the book's text is set in (none of these books has bold or code), no other.
    assert fonts == {"fonts/eb-garamond/EBGaramond-Regular.ttf": "font/ttf",
                     "fonts/eb-garamond/EBGaramond-Italic.ttf": "font/ttf"}
    for href in fonts:
        assert built.files[f"EPUB/{href}"] == (STYLES / href).read_bytes()
    first = next(name for name in built.files if name.startswith("EPUB/chapter-"))
    chapter = etree.fromstring(built.files[first])
    assert "css/classic.css" in chapter.xpath("//x:link/@href", namespaces=NS)
    options = etree.fromstring(
        built.files["META-INF/com.apple.ibooks.display-options.xml"])
    assert options.xpath("//option[@name='specified-fonts']/text()") == ["true"]


def test_daisy_ace_reports_no_violation(built, request):
    if "long" in request.node.callspec.id:
        pytest.skip("the generated book tests long flows; Ace's verdict on it adds nothing")
    assert ace_violations(built.epub) == []


def test_kobo_edition_wraps_every_sentence_and_stays_valid(built):
    if built.kepub is None:
        pytest.skip("not built for the generated book")
    assert run_epubcheck(built.kepub) == []
    kobo = read_epub(built.kepub)
    assert kobo.keys() == built.files.keys()
    for name, data in built.files.items():
        if not name.endswith(".xhtml") or name.endswith("nav.xhtml"):
            continue
        plain, wrapped = etree.fromstring(data), etree.fromstring(kobo[name])
        # Not a word changed, only wrapped.
        assert "".join(wrapped.find("x:body", NS).itertext()).split() == "".join(
            plain.find("x:body", NS).itertext()).split(), name
        assert wrapped.xpath("/x:html/x:body/x:div[@id='book-columns']/x:div[@id='book-inner']",
                             namespaces=NS), name
        spans = wrapped.xpath("//x:span[@class='koboSpan']", namespaces=NS)
        ids = [span.get("id") for span in spans]
        assert len(ids) == len(set(ids)) and all(re.fullmatch(r"kobo\.\d+\.\d+", i)
                                                 for i in ids)
        if name.startswith("EPUB/chapter-"):
            # Every piece of running text is inside a koboSpan.
            loose = wrapped.xpath("//x:p//text()[not(ancestor::x:span[@class='koboSpan'])]",
                                  namespaces=NS)
            assert [text for text in loose if text.strip()] == [], name


def test_kindle_conversion_keeps_every_chapter(built, request):
    from publish.build import prepare
    from publish.epub.validate import run_kindle_check
    from publish.pdf.preflight import last_words

    if "long" in request.node.callspec.id:
        pytest.skip("Calibre's conversion of the generated book adds nothing to the two books")
    chapters = [(c.title, last_words(c)) for c in prepare(built.book.root).chapters]
    assert run_kindle_check(built.epub, chapters) == []
    if "sample" not in request.node.callspec.id:
        return
    # And the check would notice a chapter that is not there.
    missing = run_kindle_check(built.epub, [*chapters, ("A Chapter Never Written", "Nor this.")])
    assert [(f.code, f.message) for f in missing] == [
        ("missing-chapter", "the AZW3 lacks chapter “A Chapter Never Written” (its title)")]


def test_nav_lists_every_chapter_title_in_order(built):
    assert nav_titles(built.files) == built.titles


def test_every_document_and_the_package_carry_the_language(built):
    lang = built.book.metadata.lang
    opf = etree.fromstring(built.files["EPUB/content.opf"])
    assert opf.get(XML_LANG) == lang
    assert opf.findtext("opf:metadata/{http://purl.org/dc/elements/1.1/}language",
                        namespaces=NS) == lang
    documents = [n for n in built.files if n.endswith(".xhtml")]
    # cover, title page, copyright, contents, and a document per chapter (titled or not)
    assert len(documents) == len(built.book.chapters) + 4
    for name in documents:
        html = etree.fromstring(built.files[name])
        assert (html.get("lang"), html.get(XML_LANG)) == (lang, lang), name


def test_chapters_are_sections_with_chapter_semantics(built):
    from publish.model import chapter_ids

    ids = chapter_ids(len(built.book.chapters))
    chapters = {f"EPUB/{i}.xhtml": c for i, c in zip(ids, built.book.chapters, strict=True)}
    for name, data in built.files.items():
        if name.startswith("EPUB/chapter-"):
            sections = etree.fromstring(data).xpath("//x:body/x:section", namespaces=NS)
            assert len(sections) == 1
            # An untitled section claims no role: a doc-chapter would want a name.
            titled = chapters[name].role.titled
            assert sections[0].get(f"{{{NS['epub']}}}type") == ("chapter" if titled else None)
            assert sections[0].get("role") == ("doc-chapter" if titled else None)


def test_landmarks_in_order(built):
    nav = etree.fromstring(built.files["EPUB/nav.xhtml"])
    assert nav.xpath("//x:nav[@epub:type='landmarks']//x:a/@epub:type", namespaces=NS) == [
        "cover", "titlepage", "copyright-page", "toc", "bodymatter"]


def test_page_list_links_every_marker_in_reading_order(built):
    nav = etree.fromstring(built.files["EPUB/nav.xhtml"])
    listed = [(a.get("href"), a.text) for a in nav.xpath(
        "//x:nav[@epub:type='page-list'][@role='doc-pagelist']//x:a", namespaces=NS)]
    markers = []
    for name in page_markers_order(built.files):
        document = etree.fromstring(built.files[name])
        for span in document.xpath("//x:span[@epub:type='pagebreak']", namespaces=NS):
            assert span.get("role") == "doc-pagebreak"
            markers.append((f"{name.removeprefix('EPUB/')}#{span.get('id')}",
                            span.get("aria-label")))
    assert listed == markers
    assert len(markers) > 0
    # Folios run in order: roman for the front matter, then arabic from 1.
    arabic = [int(label) for _href, label in markers if label.isdigit()]
    assert arabic == sorted(arabic) and arabic[0] == 1
    opf = etree.fromstring(built.files["EPUB/content.opf"])
    assert opf.xpath("//opf:meta[@property='pageBreakSource']/text()", namespaces=NS) == [
        f"{built.book.metadata.title}, print edition, 5.5 × 8.5 in"]
    features = opf.xpath("//opf:meta[@property='schema:accessibilityFeature']/text()",
                         namespaces=NS)
    assert "pageNavigation" in features and "pageBreakMarkers" in features


def test_words_after_page_marker_n_begin_pdf_page_n(built):
    """Sampled pages: the text after marker N in the EPUB is where PDF page N begins (a
    word hyphenated across the turn of the page counts from its next word)."""
    markers = []
    for name in page_markers_order(built.files):
        document = etree.fromstring(built.files[name])
        for span in document.xpath("//x:span[@epub:type='pagebreak']", namespaces=NS):
            markers.append((span.get("aria-label"), text_after(span)))
    arabic = [(int(label), after) for label, after in markers if label.isdigit()]
    step = max(1, len(arabic) // 20)
    sample = arabic[::step] + arabic[-1:]
    first_body = folio_one_page(built.pdf)
    for number, after in sample:
        page = first_body + number - 1
        assert str(number) in page_edges(built.pdf, page), f"page {page} is not folio {number}"
        printed = letters(text_block(built.pdf, page))
        epub = letters(after)[:30]
        assert len(epub) >= 10, f"page {number}: too little text after its marker"
        at = printed.find(epub)
        first_word = letters(text_block(built.pdf, page).split()[0])
        assert at == 0 or 0 < at <= len(first_word), (number, printed[:60], epub)
    # The front matter the EPUB has too (title page, copyright page, contents) is marked
    # with its roman folio, counted from the half-title as page i.
    roman = {label: after for label, after in markers if not label.isdigit()}
    assert list(roman) == ["iii", "iv", "v"]
    for label, after in roman.items():
        page = ROMAN.index(label)
        assert letters(text_block(built.pdf, page)).startswith(letters(after)[:12]), label


ROMAN = ["i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x"]


def test_cover_page_shows_a_typographic_cover_described_in_words(built):
    from PIL import Image

    opf = etree.fromstring(built.files["EPUB/content.opf"])
    covers = opf.xpath("//opf:item[@properties='cover-image']", namespaces=NS)
    assert [(c.get("href"), c.get("media-type")) for c in covers] == [
        ("images/cover.jpg", "image/jpeg")]
    assert opf.xpath("//opf:meta[@name='cover']/@content", namespaces=NS) == [
        covers[0].get("id")]
    with Image.open(io.BytesIO(built.files["EPUB/images/cover.jpg"])) as image:
        assert image.size == (1600, 2560)
    page = etree.fromstring(built.files["EPUB/cover.xhtml"])
    [img] = page.xpath("//x:section[@epub:type='cover']/x:img", namespaces=NS)
    assert img.get("src") == "images/cover.jpg"
    assert img.get("role") == "doc-cover"
    alt = img.get("alt")
    assert f"“{built.book.metadata.title}”" in alt and built.book.metadata.authors[0] in alt
    spine = opf.xpath("//opf:itemref/@idref", namespaces=NS)
    assert spine[0] == "cover"


def test_pdf_has_embedded_fonts_trim_size_and_metadata(built):
    with pikepdf.open(built.pdf) as pdf:
        assert len(pdf.pages) == built.pages
        assert unembedded_fonts(pdf) == []
        for page in pdf.pages:
            box = [float(v) for v in page.mediabox]
            assert (round(box[2] - box[0], 2), round(box[3] - box[1], 2)) == TRIM_POINTS
        info = pdf.docinfo
        assert str(info["/Title"]) == built.book.metadata.title
        assert str(info["/Author"]) == " and ".join(built.book.metadata.authors)
        assert str(pdf.Root.Lang) == built.book.metadata.lang
        # The files shipped in styles/fonts, not a same-named face found on the machine.
        assert embedded_font_programs(pdf) <= {"EBGaramond-Regular", "EBGaramond-Italic",
                                               "EBGaramond-Bold", "EBGaramond-BoldItalic"}


def test_pdf_outline_has_one_entry_per_chapter(built):
    with pikepdf.open(built.pdf) as pdf:
        assert top_level_outline(pdf) == built.titles


def test_pdf_is_not_truncated(built):
    text = squeeze(pdf_text(built.pdf))
    last = last_sentence(built.book.chapters[-1].text)
    assert len(last) > 20
    assert squeeze(last) in text


def test_pride_and_prejudice_has_61_outline_entries(built, request):
    # Spelled out because the issue names the number a reader can count in the corpus.
    if "pride" not in request.node.callspec.id:
        pytest.skip("only the novel has 61 chapters")
    with pikepdf.open(built.pdf) as pdf:
        assert len(top_level_outline(pdf)) == 61


def test_book_with_an_image_and_footnote_builds_clean(make_book, tmp_path):
    from PIL import Image

    root = make_book({"chapters/01.md": "# One\n\nA gull.[^1]\n\n![A grey gull over the sea]"
                                        "(images/gull.png)\n\n[^1]: Seen at dawn.\n",
                      "chapters/02.md": "# Two\n\nMore text.[^1]\n\n[^1]: Another note.\n"})
    (root / "chapters" / "images").mkdir()
    Image.new("RGB", (600, 400), (90, 120, 160)).save(root / "chapters" / "images" / "gull.png")
    Image.new("RGB", (1600, 2560), (60, 70, 80)).save(root / "cover.png")
    with (root / "book.yaml").open("a", encoding="utf-8") as yaml:
        yaml.write("cover-image: cover.png\ncover-alt: A grey gull on a slate sky.\n")
    result = build(root, tmp_path / "out", styles=STYLES)
    assert run_epubcheck(result.outputs["epub"]) == []
    files = read_epub(result.outputs["epub"])
    assert "EPUB/chapters/images/gull.png" in files
    # The author's own cover, with the author's description of it.
    assert files["EPUB/cover.png"] == (root / "cover.png").read_bytes()
    cover = etree.fromstring(files["EPUB/cover.xhtml"])
    assert cover.xpath("//x:img/@alt", namespaces=NS) == ["A grey gull on a slate sky."]
    opf = etree.fromstring(files["EPUB/content.opf"])
    assert opf.xpath("//opf:item[@properties='cover-image']/@href", namespaces=NS) == [
        "cover.png"]
    with pikepdf.open(result.outputs["pdf"]) as pdf:
        names = {str(n) for page in pdf.pages for n in page.get_images()}
        assert len(names) == 1
        drawn = [i for i, page in enumerate(pdf.pages)
                 if f"{next(iter(names))} Do".encode()
                 in page.Contents.read_bytes()]
        assert len(drawn) == 1


def test_same_manuscript_gives_same_bytes(tmp_path):
    first = build(SAMPLE, tmp_path / "a", styles=STYLES)
    second = build(SAMPLE, tmp_path / "b", styles=STYLES)
    assert sorted(first.outputs) == ["cover", "epub", "kepub", "pdf", "screen"]
    for fmt in first.outputs:
        assert first.outputs[fmt].read_bytes() == second.outputs[fmt].read_bytes(), fmt


def test_links_between_chapters_reach_the_right_file_and_page(make_book, tmp_path):
    filler = "\n\n".join(["Words upon words to fill a page of this book. " * 12] * 8)
    root = make_book({
        "chapters/01.md": "# One\n\nSee [the details](02.md#details) and [two](02.md).\n",
        "chapters/02.md": f"# Two\n\n{filler}\n\n## Details {{#details}}\n\nThe details.\n"})
    result = build(root, tmp_path / "out", styles=STYLES)
    assert run_epubcheck(result.outputs["epub"]) == []
    chapter = etree.fromstring(read_epub(result.outputs["epub"])["EPUB/chapter-01.xhtml"])
    assert chapter.xpath("//x:a/@href", namespaces=NS) == [
        "chapter-02.xhtml#details", "chapter-02.xhtml#chapter-02"]
    texts = pdf_text(result.outputs["pdf"]).split("\f")
    with pikepdf.open(result.outputs["pdf"]) as pdf:
        names = pikepdf.NameTree(pdf.Root.Names.Dests)
        pages = {page.objgen: index for index, page in enumerate(pdf.pages)}
        source = next(i for i, text in enumerate(texts) if "See the details" in text)
        targets = []
        for annot in pdf.pages[source].get("/Annots", []):
            dest = annot.get("/Dest") or annot.A.get("/D")
            targets.append(pages[names[str(dest)][0].objgen])
    assert len(targets) == 2
    assert "Details" in texts[targets[0]] and "Details" not in texts[targets[0] - 1]
    assert texts[targets[1]].lstrip().startswith("Two")


ROLE_BOOK = {
    "chapters/00-dedication.md": "---\nrole: dedication\n---\nFor everyone who waited.\n",
    "chapters/01-epigraph.md": "---\nrole: epigraph\n---\n> Begin at the beginning.\n",
    "chapters/02-foreword.md": "---\nrole: foreword\n---\n# Foreword\n\nA few words first.\n",
    "chapters/03-part.md": "---\nrole: part\n---\n# Part One\n",
    "chapters/04-chapter.md": "# Chapter One\n\nThe story starts.\n",
    "chapters/05-thanks.md": "---\nrole: acknowledgements\n---\n# Acknowledgements\n\n"
                             "Thank you.\n",
}


def test_front_body_and_back_matter_by_role(make_book, tmp_path):
    root = make_book(ROLE_BOOK)
    result = build(root, tmp_path / "out", styles=STYLES)
    assert run_epubcheck(result.outputs["epub"]) == []
    files = read_epub(result.outputs["epub"])
    assert nav_titles(files) == ["Foreword", "Part One", "Chapter One", "Acknowledgements"]
    opf = etree.fromstring(files["EPUB/content.opf"])
    spine = opf.xpath("//opf:spine/opf:itemref/@idref", namespaces=NS)
    assert spine[:6] == ["cover", "titlepage", "copyright", "chapter-01", "chapter-02", "nav"]
    semantics = {}
    for name, data in files.items():
        if name.startswith("EPUB/chapter-"):
            doc = etree.fromstring(data)
            section = doc.find(".//x:section", NS)
            semantics[section.get(f"{{{NS['epub']}}}type")] = (
                doc.find("x:body", NS).get(f"{{{NS['epub']}}}type"), section.get("role"))
    assert semantics == {
        "dedication": ("frontmatter", "doc-dedication"),
        "epigraph": ("frontmatter", "doc-epigraph"),
        "foreword": ("frontmatter", "doc-foreword"),
        "part": ("bodymatter", "doc-part"),
        "chapter": ("bodymatter", "doc-chapter"),
        "acknowledgments": ("backmatter", "doc-acknowledgments"),
    }
    nav = etree.fromstring(files["EPUB/nav.xhtml"])
    body_landmark = nav.xpath("//x:nav[@epub:type='landmarks']//x:a[@epub:type='bodymatter']"
                              "/@href", namespaces=NS)
    assert body_landmark == ["chapter-04.xhtml"]

    pages = pdf_text(result.outputs["pdf"]).split("\f")
    part_page = next(i for i, text in enumerate(pages) if text.strip() == "Part One\n\n1"
                     or text.strip().startswith("Part One"))
    assert pages[part_page].split()[-1] == "1"  # the body is numbered from its first page
    contents = next(text for text in pages if "Contents" in text.replace("C ontents",
                                                                         "Contents"))
    assert "Foreword" in contents and "Dedication" not in contents
    dedication = next(text for text in pages if "For everyone who waited." in text)
    assert dedication.split() == "For everyone who waited.".split()  # no folio, no head
    with pikepdf.open(result.outputs["pdf"]) as pdf:
        assert top_level_outline(pdf) == ["Foreword", "Part One", "Chapter One",
                                          "Acknowledgements"]


def test_footnotes_pop_up_in_the_epub_and_sit_at_the_foot_of_the_page(make_book, tmp_path):
    root = make_book({
        "chapters/01.md": "# One\n\nA claim.[^a] Another.[^b]\n\n[^a]: The first note.\n"
                          "[^b]: The second note.\n",
        "chapters/02.md": "# Two\n\nMore.[^x]\n\n[^x]: The third note.\n"})
    result = build(root, tmp_path / "out", styles=STYLES)
    assert run_epubcheck(result.outputs["epub"]) == []
    files = read_epub(result.outputs["epub"])
    one = etree.fromstring(files["EPUB/chapter-01.xhtml"])
    calls = one.xpath("//x:a[@epub:type='noteref'][@role='doc-noteref']", namespaces=NS)
    notes = one.xpath("//x:aside[@epub:type='footnote'][@role='doc-footnote']", namespaces=NS)
    assert [c.text for c in calls] == ["1", "2"]
    assert [c.get("href") for c in calls] == [f"#{n.get('id')}" for n in notes]
    backs = [n.xpath(".//x:a[@role='doc-backlink']", namespaces=NS)[0] for n in notes]
    assert [(b.text, b.get("href")) for b in backs] == [
        ("1.", f"#{calls[0].get('id')}"), ("2.", f"#{calls[1].get('id')}")]
    pages = pdf_text(result.outputs["pdf"]).split("\f")
    first = next(p for p in pages if "A claim." in p)
    assert "1. The first note." in " ".join(first.split())
    assert "2. The second note." in " ".join(first.split())
    third = next(p for p in pages if "More." in p)
    assert "1. The third note." in " ".join(third.split())  # numbered per chapter, as in EPUB


def test_endnotes_gather_every_note_in_one_back_matter_section(make_book, tmp_path):
    root = make_book({
        "chapters/01.md": "# One\n\nA claim.[^a] Another.[^b]\n\n[^a]: The first note.\n"
                          "[^b]: The second note.\n",
        "chapters/02.md": "# Two\n\nNo notes here.\n",
        "chapters/03.md": "# Three\n\nMore.[^x]\n\n[^x]: The third note.\n",
        "chapters/04.md": "---\nrole: acknowledgements\n---\n# Thanks\n\nTo all.\n"},
        yaml="title: Notes\nauthor: A\nlang: en\nidentifier: "
             "urn:uuid:2f1c9a4e-8b7d-4c3a-9e21-5a6b7c8d9e0f\nnotes: endnotes\n")
    result = build(root, tmp_path / "out", styles=STYLES)
    assert run_epubcheck(result.outputs["epub"]) == []
    files = read_epub(result.outputs["epub"])
    notes = etree.fromstring(files["EPUB/notes.xhtml"])
    [section] = notes.xpath("//x:section[@epub:type='endnotes'][@role='doc-endnotes']",
                            namespaces=NS)
    groups = section.xpath("x:section", namespaces=NS)
    assert [g.findtext("x:h2", namespaces=NS) for g in groups] == ["One", "Three"]
    listed = [[" ".join("".join(a.itertext()).split())
               for a in g.xpath(".//x:li/x:aside[@role='doc-footnote']", namespaces=NS)]
              for g in groups]
    assert listed == [["1. The first note.", "2. The second note."], ["1. The third note."]]
    for name in ("EPUB/chapter-01.xhtml", "EPUB/chapter-03.xhtml"):
        chapter = etree.fromstring(files[name])
        assert chapter.xpath("//x:aside", namespaces=NS) == []
        for call in chapter.xpath("//x:a[@role='doc-noteref']", namespaces=NS):
            target = call.get("href").removeprefix("notes.xhtml#")
            [note] = notes.xpath("//*[@id=$id]", id=target)
            back = note.xpath(".//x:a[@role='doc-backlink']/@href", namespaces=NS)
            assert back == [f"{name.removeprefix('EPUB/')}#{call.get('id')}"]
            assert note.xpath("string(.//x:a[@role='doc-backlink'])",
                              namespaces=NS) == f"{call.text}."
    # After the body, before the back matter, and in the contents.
    opf = etree.fromstring(files["EPUB/content.opf"])
    spine = opf.xpath("//opf:itemref/@idref", namespaces=NS)
    assert spine[-3:] == ["chapter-03", "endnotes", "chapter-04"]
    assert nav_titles(files) == ["One", "Two", "Three", "Notes", "Thanks"]
    # The print edition keeps its notes at the foot of the page, numbered the same.
    pages = pdf_text(result.outputs["pdf"]).split("\f")
    third = next(p for p in pages if "More." in p)
    assert "1. The third note." in " ".join(third.split())


def test_preflight_finds_nothing(built):
    from publish.build import prepare
    from publish.pdf.preflight import last_words, preflight

    checked = prepare(built.book.root)
    problems = preflight(built.pdf, built.book.print_settings, last_words(checked.chapters[-1]))
    assert problems == []


def test_no_paragraph_leaves_a_word_alone_mid_way(built):
    # WeasyPrint has been seen to break a justified line early ("three and twenty / years /
    # had been…"): a lone word whose paragraph goes on, lower-case, on the next line.
    # publish.pdf finds such paragraphs after layout and sets them again (in the novel,
    # six paragraphs; chapter LII's long letter twice).
    assert stranded_lines(built.pdf) == []


def test_screen_edition_leaves_no_word_alone_mid_way(built):
    if built.screen is None:
        pytest.skip("not built for the generated book")
    assert stranded_lines(built.screen) == []


def stranded_lines(pdf: Path) -> list[str]:
    """A lone short word on a line, between a full line and a lower-case continuation."""
    lines = [line.strip() for line in pdf_text(pdf).splitlines()]
    return [f"{a} / {b} / {c}" for a, b, c in zip(lines, lines[1:], lines[2:], strict=False)
            if len(a) > 40 and b and " " not in b and len(b) < 15 and b.isalpha()
            and c[:1].islower()]
