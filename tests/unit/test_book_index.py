"""The index built from the author's marks: entries sorted as the Unicode Collation Algorithm
sorts them, sub-entries, cross-references, ranges; and folios merged as indexes print them."""

from __future__ import annotations

from pathlib import Path

from publish.bookindex import Locator, gather, page_runs, reference, title
from publish.manuscript.load import load_book
from publish.manuscript.markup import render_book
from publish.model import IndexMark


def _mark(anchor: str, term: str, **fields: str) -> IndexMark:
    return IndexMark(anchor=anchor, levels=tuple(term.split("!")), line=1, col=1, **fields)


def _folios(*pairs: tuple[str, str]) -> dict[str, str]:
    return dict(pairs)


def test_three_or_more_successive_pages_make_a_range_two_do_not():
    locators = [Locator(f"m{n}") for n in range(7)]
    folios = _folios(("m0", "12"), ("m1", "13"), ("m2", "14"), ("m3", "14"), ("m4", "20"),
                     ("m5", "21"), ("m6", "3"))
    assert [text for text, _ in page_runs(locators, folios)] == ["3", "12–14", "20", "21"]


def test_a_marked_range_prints_as_one_and_absorbs_pages_inside_it():
    locators = [Locator("a", "b"), Locator("c"), Locator("d")]
    folios = _folios(("a", "40"), ("b", "44"), ("c", "42"), ("d", "45"))
    assert page_runs(locators, folios) == [("40–45", "a")]
    # A range that opens and closes on one page is that page.
    assert page_runs([Locator("a", "b")], _folios(("a", "7"), ("b", "7"))) == [("7", "a")]


def test_front_matter_folios_come_before_the_body_and_unplaced_marks_are_left_out():
    locators = [Locator("a"), Locator("b"), Locator("c")]
    assert [text for text, _ in page_runs(locators, _folios(("a", "2"), ("b", "ix")))] == [
        "ix", "2"]


def test_entries_sort_by_collation_and_group_by_base_letter():
    marks = [_mark("1", "zinc"), _mark("2", "Óbidos"), _mark("3", "Oil"), _mark("4", "Æsir"),
             _mark("5", "apple"), _mark("6", "éclair"), _mark("7", "Eagle"),
             _mark("8", "1984"), _mark("9", "Ångström")]
    groups = gather(marks)
    assert [g.letter for g in groups] == ["", "A", "E", "O", "Z"]
    assert {g.letter: [e.term for e in g.entries] for g in groups} == {
        "": ["1984"], "A": ["Æsir", "Ångström", "apple"], "E": ["Eagle", "éclair"],
        "O": ["Óbidos", "Oil"], "Z": ["zinc"]}


def test_sort_keys_sub_entries_cross_references_and_ranges():
    marks = [_mark("a", "Lamp"), _mark("b", "Lamp!wick"), _mark("c", "Lamp!paraffin"),
             _mark("d", "Lamp!wick!trimming"), _mark("e", "Oil", see="Lamp!paraffin"),
             _mark("f", "Fog", see_also="Lamp"), _mark("g", "Storms", range="start"),
             _mark("h", "Storms", range="end"), _mark("i", "Gale", range="start"),
             _mark("j", "The Tempest", sort="Tempest"), _mark("k", "A!b!c!d!e")]
    groups = {g.letter: g.entries for g in gather(marks)}
    lamp = groups["L"][0]
    assert [e.term for e in lamp.sub_entries] == ["paraffin", "wick"]
    assert [e.term for e in lamp.sub_entries[1].sub_entries] == ["trimming"]
    assert groups["O"][0].see == ["Lamp!paraffin"] and not groups["O"][0].locators
    assert reference("Lamp!paraffin") == "Lamp: paraffin"
    assert groups["F"][0].see_also == ["Lamp"]
    assert groups["S"][0].locators == [Locator("g", "h")]
    assert groups["G"][0].locators == [Locator("i")]  # never closed: its first page
    assert [e.term for e in groups["T"]] == ["The Tempest"]  # sorted under T by its key
    deep = groups["A"][0].sub_entries[0].sub_entries[0]
    assert deep.term == "c, d, e" and not deep.children  # three levels at most


def test_the_title_is_the_books_language(tmp_path: Path):
    assert title("de-AT") == "Register" and title("en-GB") == "Index"
    assert title("xx") == "Index" and title("fr", "Index des noms") == "Index des noms"


def test_marks_are_read_with_their_place_and_keep_their_words(tmp_path: Path):
    (tmp_path / "chapters").mkdir()
    (tmp_path / "book.yaml").write_text("title: T\nauthor: A\nlang: en\n", encoding="utf-8")
    (tmp_path / "chapters" / "01.md").write_text(
        '# One\n\nThe [brass lamp]{.index term="Lamp"} and `[x]{.index}` in code.\n\n'
        "[]{.index term=\"Oil\" see=\"Lamp\"} [wick]{#w .index}\n", encoding="utf-8")
    book, _ = load_book(tmp_path)
    chapters, problems = render_book(book)
    assert problems == []
    marks = chapters[0].index_marks
    assert [(m.levels, m.line, m.col, m.see) for m in marks] == [
        (("Lamp",), 3, 5, ""), (("Oil",), 5, 1, "Lamp"), (("wick",), 5, 34, "")]
    body = chapters[0].body
    assert '<span class="index" id="ix-01-1">brass lamp</span>' in body
    assert 'id="w"' in body and "data-term" not in body


def test_a_language_that_has_letters_of_its_own_sorts_them_as_its_readers_expect():
    terms = ["Zealand", "Ærø", "Aalborg", "Øresund", "Åbo", "Odense", "Ørsted", "apple"]
    marks = [_mark(str(n), term) for n, term in enumerate(terms)]
    english = gather(marks, "en")
    assert [(g.letter, [e.term for e in g.entries]) for g in english] == [
        ("A", ["Aalborg", "Åbo", "Ærø", "apple"]), ("O", ["Odense", "Øresund", "Ørsted"]),
        ("Z", ["Zealand"])]
    danish = gather(marks, "da-DK")  # Æ, Ø, Å after Z, and Aa as Å
    assert [(g.letter, [e.term for e in g.entries]) for g in danish] == [
        ("A", ["apple"]), ("O", ["Odense"]), ("Z", ["Zealand"]), ("Æ", ["Ærø"]),
        ("Ø", ["Øresund", "Ørsted"]), ("Å", ["Åbo", "Aalborg"])]  # Ålborg after Åbo
    spanish = gather([_mark("1", "nube"), _mark("2", "ñandú"), _mark("3", "oso")], "es")
    assert [e.term for g in spanish for e in g.entries] == ["nube", "ñandú", "oso"]
    assert [g.letter for g in spanish] == ["N", "Ñ", "O"]
