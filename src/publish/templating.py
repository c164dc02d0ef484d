"""Markup lives in Jinja templates (templates/); this module renders them."""

from __future__ import annotations

from functools import cache

import jinja2


@cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("publish", "templates"),
        autoescape=jinja2.select_autoescape(["html", "xhtml"]),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def render(name: str, **context: object) -> str:
    """Render template `name` (a path under templates/) with `context`."""
    return _environment().get_template(name).render(**context)
