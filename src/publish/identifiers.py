"""Book identifiers: ISBN (checked with python-stdnum), `urn:uuid:` and URLs."""

from __future__ import annotations

import re
import uuid
from urllib.parse import urlparse

from stdnum import ean, isbn

_ISBN_LIKE = re.compile(r"^(?:urn:isbn:|isbn:?\s*)?([0-9][0-9\- ]{8,}[0-9Xx])$", re.IGNORECASE)


def isbn_digits(identifier: str) -> str | None:
    """The ISBN's digits when `identifier` is written as an ISBN (valid or not), else None."""
    match = _ISBN_LIKE.match(identifier)
    return isbn.compact(match.group(1)) if match else None


def isbn_of(identifier: str) -> str | None:
    """The ISBN-13 written with hyphens, when `identifier` is a valid ISBN."""
    digits = isbn_digits(identifier)
    if digits is None or not isbn.is_valid(digits):
        return None
    return isbn.format(isbn.to_isbn13(digits))


def expected_check_digit(digits: str) -> str:
    """The check digit an ISBN-10 or ISBN-13 with these first digits must end in."""
    if len(digits) == 13:
        return ean.calc_check_digit(digits[:12])
    # ISBN-10: weights 10 down to 2, modulo 11, with X for ten.
    total = sum((10 - i) * int(d) for i, d in enumerate(digits[:9]))
    check = (11 - total % 11) % 11
    return "X" if check == 10 else str(check)


def is_uuid_urn(value: str) -> bool:
    """True for `urn:uuid:` followed by a well-formed UUID."""
    if not value.lower().startswith("urn:uuid:"):
        return False
    try:
        uuid.UUID(value[len("urn:uuid:"):])
    except ValueError:
        return False
    return True


def is_url(value: str) -> bool:
    """True for an absolute http(s) URL."""
    parts = urlparse(value)
    return parts.scheme in ("http", "https") and bool(parts.netloc)
