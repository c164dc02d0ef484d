"""Metadata rules (M): what book.yaml says must make sense to a retailer."""

from __future__ import annotations

import datetime
import re
import warnings
from collections.abc import Iterator
from pathlib import Path

import langcodes
from PIL import Image, UnidentifiedImageError
from stdnum import isbn
from stdnum.exceptions import InvalidChecksum, ValidationError

from publish.checks.base import CheckInput
from publish.checks.typography import ELISION
from publish.diagnostics import Diagnostic
from publish.identifiers import expected_check_digit, is_url, is_uuid_urn, isbn_digits
from publish.limits import MAX_IMAGE_BYTES, megabytes
from publish.model import NOTE_PLACES
from publish.rules import finding
from publish.sandbox import Reference, classify, contained

_TAG_SHAPE = re.compile(r"^[A-Za-z]{2,8}(?:-[A-Za-z0-9]{1,8})*$")


def check_lang(given: CheckInput) -> Iterator[Diagnostic]:
    """M005: `lang` must be a well-formed, valid BCP 47 tag."""
    book = given.book
    lang = book.metadata.lang
    # langcodes also accepts `en_GB`; BCP 47 has hyphens only.
    if lang and not (_TAG_SHAPE.match(lang) and langcodes.tag_is_valid(lang)):
        pos = book.position_of("lang")
        yield finding("M005", book.config_path, pos.line, pos.col, value=lang)


def check_identifier(given: CheckInput) -> Iterator[Diagnostic]:
    """M006, M007: an ISBN with a right check digit, a `urn:uuid:` or a URL."""
    book = given.book
    value = book.metadata.identifier
    if not value:
        return
    pos = book.position_of("identifier")
    digits = isbn_digits(value)
    if digits is not None:
        try:
            isbn.validate(digits)
        except InvalidChecksum:
            yield finding("M006", book.config_path, pos.line, pos.col, value=value,
                          expected=expected_check_digit(digits))
        except ValidationError:
            yield finding("M007", book.config_path, pos.line, pos.col, value=value)
    elif not (is_uuid_urn(value) or is_url(value)):
        yield finding("M007", book.config_path, pos.line, pos.col, value=value)


_ISO_DATE = re.compile(
    r"^\d{4}(?:-\d{2}(?:-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2})?(?:Z|[+-]\d{2}:?\d{2})?)?)?)?$")


def check_date(given: CheckInput) -> Iterator[Diagnostic]:
    """M009: `date` is ISO 8601 (YYYY, YYYY-MM, YYYY-MM-DD, or a date and time)."""
    value = given.book.metadata.date
    if value and not (_ISO_DATE.match(value) and _real_date(value)):
        pos = given.book.position_of("date")
        yield finding("M009", given.book.config_path, pos.line, pos.col, value=value)


def _real_date(value: str) -> bool:
    parts = value[:10].split("-")
    try:
        datetime.date(int(parts[0]), int(parts[1]) if len(parts) > 1 else 1,
                      int(parts[2]) if len(parts) > 2 else 1)
    except ValueError:
        return False
    return True


def check_series(given: CheckInput) -> Iterator[Diagnostic]:
    """M010: a position in a series needs the series."""
    meta = given.book.metadata
    if meta.group_position and not meta.collection:
        pos = given.book.position_of("group-position")
        yield finding("M010", given.book.config_path, pos.line, pos.col)


MIN_COVER = (1600, 2560)
MAX_COVER_SIDE = 10_000


def check_cover(given: CheckInput) -> Iterator[Diagnostic]:
    """M011–M014, M023: the cover image exists, is JPEG or PNG, is a size retailers take,
    and is described."""
    book = given.book
    value = book.metadata.cover_image
    if not value:
        return
    pos = book.position_of("cover-image")
    path = book.root / value
    if classify(value) is not Reference.LOCAL or not contained(path, [book.root]):
        yield finding("L008", book.config_path, pos.line, pos.col, src=value)
        return
    if not path.is_file():
        yield finding("M011", book.config_path, pos.line, pos.col, value=value)
        return
    if not book.metadata.cover_alt:
        yield finding("M023", book.config_path, pos.line, pos.col, value=value)
    if path.stat().st_size > MAX_IMAGE_BYTES:
        yield finding("L011", book.config_path, pos.line, pos.col, src=value,
                      size=megabytes(path.stat().st_size), limit=megabytes(MAX_IMAGE_BYTES))
        return
    size = image_size(path)
    if size is None:
        yield finding("M012", book.config_path, pos.line, pos.col, value=value)
        return
    width, height = size
    if max(width, height) > MAX_COVER_SIDE:
        yield finding("M014", book.config_path, pos.line, pos.col,
                      size=f"{width}×{height} px" if width else "over 179 million pixels")
    elif width < MIN_COVER[0] or height < MIN_COVER[1]:
        yield finding("M013", book.config_path, pos.line, pos.col, width=width, height=height)


def image_size(path: Path) -> tuple[int, int] | None:
    """(width, height) of a JPEG or PNG, read from its header; None for anything else, and
    (0, MAX_COVER_SIDE + 1) for one too large for Pillow even to open."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(path) as image:
                return image.size if image.format in ("JPEG", "PNG") else None
    except Image.DecompressionBombError:
        return 0, MAX_COVER_SIDE + 1
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        return None


def check_metadata_quotes(given: CheckInput) -> Iterator[Diagnostic]:
    """M015: book.yaml's text is smartened as the chapters are (publish.manuscript.smart);
    what that turns the wrong way — an elided word's apostrophe, ‘Tis — is reported."""
    meta = given.book.metadata
    for key, value in (("title", meta.title), ("subtitle", meta.subtitle),
                       ("description", meta.description), ("rights", meta.rights)):
        for match in ELISION.finditer(value):
            pos = given.book.position_of(key)
            yield finding("M015", given.book.config_path, pos.line, pos.col, key=key,
                          text=value[match.start():match.start() + 4])


def check_notes(given: CheckInput) -> Iterator[Diagnostic]:
    """M024: `notes:` names a place for the notes."""
    if given.book.notes not in NOTE_PLACES:
        pos = given.book.position_of("notes")
        yield finding("M024", given.book.config_path, pos.line, pos.col, value=given.book.notes)
