"""The language of pages: chosen in one tap, remembered per device in a cookie."""

from __future__ import annotations

from flask import current_app, has_request_context, request

LANGUAGE_COOKIE = "pos_lang"
RTL_LANGUAGES = frozenset({"ar"})


def select_locale() -> str:
    languages = current_app.config["POS_LANGUAGES"]
    if not has_request_context():
        return "fr"  # a command or a worker: French, the fair's working language
    chosen = request.cookies.get(LANGUAGE_COOKIE)
    if chosen is not None and chosen in languages:
        return chosen
    return request.accept_languages.best_match(languages) or "fr"


def direction(locale: str) -> str:
    return "rtl" if locale in RTL_LANGUAGES else "ltr"
