"""The cascade of font properties and CSS font matching in publish.faces."""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from publish.faces import FaceResolver, book_face, theme_fonts
from tests.conftest import STYLES

FONTS = STYLES / "fonts"


def sheet(tmp_path: Path, css: str) -> Path:
    path = tmp_path / "style.css"
    path.write_text(css, encoding="utf-8")
    return path


def runs(resolver: FaceResolver, html: str) -> dict[str, tuple[str | None, int, bool]]:
    root = etree.fromstring(f"<html><body>{html}</body></html>", etree.HTMLParser())
    return {run.text.strip(): (run.face.path.name if run.face else None, run.weight,
                               run.italic) for run in resolver.runs(root)}


def face_rules(folder: str, stem: str, family: str, styles=("Regular",)) -> str:
    kinds = {"Regular": ("normal", 400), "Italic": ("italic", 400), "Bold": ("normal", 700),
             "BoldItalic": ("italic", 700)}
    return "".join(
        f'@font-face {{ font-family: "{family}"; src: url("{FONTS}/{folder}/{stem}-{s}.ttf");'
        f" font-style: {kinds[s][0]}; font-weight: {kinds[s][1]}; }}\n" for s in styles)


def test_the_html_defaults_then_the_sheets_decide(tmp_path):
    css = face_rules("eb-garamond", "EBGaramond", "Text",
                     ("Regular", "Italic", "Bold", "BoldItalic")) + \
        face_rules("courier-prime", "CourierPrime", "Mono") + \
        'html { font-family: "Text"; } code { font-family: "Mono"; } h1 { font-weight: 400; }'
    found = runs(FaceResolver([sheet(tmp_path, css)]),
                 "<h1>Title</h1><h2>Sub</h2><p>a <strong>b <em>c</em></strong> <i>d</i> "
                 "<code>e</code></p>")
    assert found == {
        "Title": ("EBGaramond-Regular.ttf", 400, False),  # the sheet wins over the default
        "Sub": ("EBGaramond-Bold.ttf", 700, False),  # headings are bold by default
        "a": ("EBGaramond-Regular.ttf", 400, False),
        "b": ("EBGaramond-Bold.ttf", 700, False),
        "c": ("EBGaramond-BoldItalic.ttf", 700, True),
        "d": ("EBGaramond-Italic.ttf", 400, True),
        "e": ("CourierPrime-Regular.ttf", 400, False),
    }


def test_a_missing_style_is_matched_to_the_nearest_face_and_called_synthetic(tmp_path):
    css = face_rules("courier-prime", "CourierPrime", "Mono") + 'p { font-family: "Mono"; }'
    resolver = FaceResolver([sheet(tmp_path, css)])
    root = etree.fromstring("<html><body><p>a <b>b</b> <i>c</i></p></body></html>",
                            etree.HTMLParser())
    synthetic = {run.text.strip(): run.synthetic for run in resolver.runs(root)}
    assert synthetic == {"a": (False, False), "b": (True, False), "c": (False, True)}


def test_a_family_no_rule_declares_has_no_face(tmp_path):
    css = face_rules("courier-prime", "CourierPrime", "Mono") + \
        'p { font-family: "Georgia", "Mono"; } code { font-family: monospace; }'
    resolver = FaceResolver([sheet(tmp_path, css)])
    root = etree.fromstring("<html><body><p>a <code>b</code></p></body></html>",
                            etree.HTMLParser())
    found = {run.text.strip(): run for run in resolver.runs(root)}
    assert found["a"].families == ("Georgia", "Mono")
    assert found["a"].face.path.name == "CourierPrime-Regular.ttf"  # the first one shipped
    assert found["b"].faces == ()


def test_print_rules_count_for_print_and_not_for_the_screen(tmp_path):
    css = face_rules("courier-prime", "CourierPrime", "Mono") + \
        face_rules("lato", "Lato", "Sans") + \
        'p { font-family: "Sans"; } @media print { p { font-family: "Mono"; } }'
    path = sheet(tmp_path, css)
    html = "<p>a</p>"
    assert runs(FaceResolver([path], media="print"), html)["a"][0] == "CourierPrime-Regular.ttf"
    assert runs(FaceResolver([path], media="screen"), html)["a"][0] == "Lato-Regular.ttf"


def test_both_themes_ship_four_styles_of_every_family():
    for theme in ("classic", "modern"):
        fonts = theme_fonts(STYLES, theme)
        families = {path.parent.name for path in fonts}
        assert len(fonts) == 4 * len(families)
        assert all(path.is_file() for path in fonts)
        assert book_face(STYLES, theme) == fonts[0]


def test_a_face_outside_the_allowed_folders_is_never_read(tmp_path):
    book = tmp_path / "book"
    book.mkdir()
    css = face_rules("courier-prime", "CourierPrime", "Mono") + 'p { font-family: "Mono"; }'
    inside = FaceResolver([sheet(book, css)], roots=[book, STYLES])
    outside = FaceResolver([sheet(book, css)], roots=[book])  # the font lies in styles/
    assert [f.path.name for f in inside.faces] == ["CourierPrime-Regular.ttf"]
    assert outside.faces == [] and outside.families == frozenset()
