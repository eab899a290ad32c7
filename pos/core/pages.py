"""Server-rendered pages: in the visitor's language and direction, with strict headers."""

from __future__ import annotations

from flask import make_response, render_template
from flask_babel import get_locale

from pos.core.i18n import direction

# Scripts and styles only from this server: no inline script can run on these pages.
PAGE_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; "
    "style-src 'self'; script-src 'self'; object-src 'none'; "
    "base-uri 'none'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}


def page(template: str, status: int = 200, **context):
    locale = str(get_locale())
    response = make_response(
        render_template(template, locale=locale, dir=direction(locale), **context), status
    )
    response.headers.update(PAGE_HEADERS)
    return response
