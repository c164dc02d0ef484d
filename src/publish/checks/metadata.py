"""Metadata rules (M): what book.yaml says must make sense to a retailer."""

from __future__ import annotations

import re
from collections.abc import Iterator

import langcodes
from stdnum import isbn
from stdnum.exceptions import InvalidChecksum, ValidationError

from publish.checks.base import CheckInput
from publish.diagnostics import Diagnostic
from publish.identifiers import expected_check_digit, is_url, is_uuid_urn, isbn_digits
from publish.rules import finding

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
