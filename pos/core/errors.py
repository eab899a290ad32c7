"""Every error leaves as application/problem+json (RFC 9457).

Services refuse by raising :class:`Problem` (through :func:`fail`, :func:`invalid`,
:func:`not_found`), an error of the domain, not of HTTP: one handler answers it as
problem+json, a set-up page shows its messages beside the fields, the command line prints
its detail. webargs' validation errors arrive as HTTP exceptions and leave the same way.
``errors`` always maps a dotted field name (``lines.2.quantity``) to a list of messages.
"""

from __future__ import annotations

from http import HTTPStatus
from typing import Any, NoReturn

from flask import current_app, g, jsonify
from flask_babel import force_locale, gettext
from werkzeug.exceptions import HTTPException

from pos.core.messages import N_, field_in_words, problem_language, translate

PROBLEM_MIMETYPE = "application/problem+json"

# webargs nests errors under the location they came from; the body is the default.
_LOCATION_PREFIX = {
    "json": "",
    "query": "",
    "headers": "",
    "view_args": "",
    "form": "",
    "files": "",
}


class Problem(Exception):
    """What a service refuses, and why: ``status`` as HTTP would say it, ``detail`` and
    field ``errors`` as messages of the catalogs (translated when shown)."""

    def __init__(
        self,
        status: int,
        detail: str,
        *,
        errors: dict | None = None,
        type_: str | None = None,
        headers: dict | None = None,
    ):
        super().__init__(detail)
        self.status, self.detail, self.errors = status, detail, errors
        self.type_, self.headers = type_, headers

    def field_errors(self) -> dict[str, list[str]]:
        """Messages by dotted field name; one without a field under ``_schema``."""
        return flatten_errors(self.errors or {"_schema": [self.detail]})


def fail(
    status: int,
    detail: str,
    *,
    errors: dict | None = None,
    type_: str | None = None,
    headers: dict | None = None,
) -> NoReturn:
    raise Problem(status, detail, errors=errors, type_=type_, headers=headers)


def invalid(field: str, message: str, *, status: int = 422) -> NoReturn:
    fail(status, N_("Invalid value for %(field)s.", field=field), errors={field: [message]})


def not_found(what: str = "resource") -> NoReturn:
    fail(404, N_("No such %(what)s.", what=what))


def flatten_errors(messages: Any, prefix: str = "") -> dict[str, list[str]]:
    """{'lines': {0: {'quantity': ['x']}}} -> {'lines.0.quantity': ['x']}."""
    flat: dict[str, list[str]] = {}
    if isinstance(messages, dict):
        for key, value in messages.items():
            name = str(key)
            if not prefix and name in _LOCATION_PREFIX and isinstance(value, dict):
                flat.update(flatten_errors(value, ""))
                continue
            flat.update(flatten_errors(value, f"{prefix}.{name}" if prefix else name))
    elif isinstance(messages, list) and all(isinstance(m, str) for m in messages):
        flat[prefix or "_schema"] = list(messages)
    elif isinstance(messages, list):
        for index, value in enumerate(messages):
            flat.update(flatten_errors(value, f"{prefix}.{index}" if prefix else str(index)))
    else:
        flat[prefix or "_schema"] = [str(messages)]
    return flat


def problem_response(
    status: int,
    detail: str | None = None,
    *,
    errors: dict | None = None,
    type_: str | None = None,
    headers: dict | None = None,
):
    # In the asker's language (Accept-Language), from the catalogs; field keys as they are.
    with force_locale(problem_language()):
        title = gettext(HTTPStatus(status).phrase)
        flat = flatten_errors(errors) if errors else None
        if flat:
            fields = gettext("; ").join(field_in_words(key) for key in sorted(flat))
            detail = gettext("Please check: %(fields)s.", fields=fields)
        else:
            detail = translate(detail) if detail else title
        if flat:
            flat = {
                key: [translate(message) for message in messages] for key, messages in flat.items()
            }
    body: dict[str, Any] = {
        "type": type_ or "about:blank",
        "title": title,
        "status": status,
        "detail": detail,
    }
    if flat:
        body["errors"] = flat
    if (request_id := g.get("request_id")) is not None:
        body["request_id"] = request_id  # the answer's line in the log
    response = jsonify(body)
    response.status_code = status
    response.mimetype = PROBLEM_MIMETYPE
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def problem_from_domain(problem: Problem):
    return problem_response(
        problem.status,
        problem.detail,
        errors=problem.errors,
        type_=problem.type_,
        headers=problem.headers,
    )


def problem_from_http_exception(error: HTTPException):
    data = getattr(error, "data", None) or {}
    errors = data.get("errors") or data.get("messages")
    # With field errors, the detail names the fields in words (``problem_response``).
    detail = data.get("message") or (None if errors else error.description)
    headers = dict(data.get("headers") or {})
    # 405 must keep its Allow header, 401 its WWW-Authenticate.
    for name, value in error.get_headers():
        if name in ("Allow", "WWW-Authenticate", "Retry-After"):
            headers.setdefault(name, value)
    return problem_response(
        error.code or 500, detail, errors=errors, type_=data.get("type"), headers=headers
    )


def handle_unexpected(error: Exception):
    current_app.logger.exception("unhandled error", exc_info=error)
    return problem_response(500, "The server could not complete the request.")
