"""What every request is held to before a view reads it: ids within the columns' range,
JSON a parser can read, and no control characters in any text that comes in.

One place, at the door, so that no field, query argument or form input of any feature can
carry a NUL to PostgreSQL (a 500 there) or a BEL into an exported spreadsheet.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterator
from typing import Any

from flask import current_app, request
from flask.json.provider import DefaultJSONProvider
from werkzeug.routing import IntegerConverter

from pos.core.errors import fail
from pos.core.messages import N_

# Every id column is a 32-bit integer on PostgreSQL (and SQLite's are 64-bit): a larger id
# names nothing, so the route does not match and the answer is 404, not a database error.
MAX_ID = 2**31 - 1

# C0 controls but tab, line feed and carriage return; DEL and the C1 controls; lone
# surrogates (no UTF-8 encoding) and the two non-characters XML refuses.
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
CONTROL_MESSAGE = N_("Contains a control character; type the text again.")


class IdConverter(IntegerConverter):
    """``<int:...>`` in every route: a positive id no larger than the columns hold."""

    def __init__(self, url_map, fixed_digits=0, min=1, max=MAX_ID, signed=False):
        super().__init__(url_map, fixed_digits, min, max, signed)


class JSONProvider(DefaultJSONProvider):
    """Flask's JSON, where a body too deeply nested to parse is malformed JSON (400); Arabic
    as it is, and keys in the order the schemas give them."""

    ensure_ascii = False
    sort_keys = False

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        try:
            return super().loads(s, **kwargs)
        except RecursionError as error:
            raise ValueError("JSON nested too deeply") from error


def has_control_character(text: str) -> bool:
    return CONTROL_CHARACTERS.search(text) is not None


def _strings(value: Any, path: str) -> Iterator[tuple[str, str]]:
    """(dotted field name, text) for every key and string in a parsed JSON body."""
    stack = [(value, path)]
    while stack:
        value, path = stack.pop()
        if isinstance(value, str):
            yield path, value
        elif isinstance(value, dict):
            for key, item in value.items():
                name = f"{path}.{key}" if path else str(key)
                yield name, key
                stack.append((item, name))
        elif isinstance(value, list):
            stack.extend((item, f"{path}.{i}" if path else str(i)) for i, item in enumerate(value))


def body_limit(limit: int):
    """For a view (function or MethodView class) that takes a larger body than the app's
    ``MAX_CONTENT_LENGTH``: a photo. Applied by :func:`apply_body_limit`."""

    def mark(view):
        view.max_body_bytes = limit
        return view

    return mark


def apply_body_limit() -> None:
    """Before anything reads the body: the limit of the view it is for, where it has one."""
    view = current_app.view_functions.get(request.endpoint or "")
    limit = getattr(getattr(view, "view_class", view), "max_body_bytes", None)
    if limit is not None:
        request.max_content_length = limit


def refuse_control_characters() -> None:
    """422 naming each query argument, form input or JSON field with a control character."""
    found: dict[str, list[str]] = {}
    for values in (request.args, request.form):
        for key, value in values.items(multi=True):
            if has_control_character(key) or has_control_character(value):
                found[key] = [CONTROL_MESSAGE]
    if request.is_json:
        body = request.get_json(silent=True)  # malformed JSON is the parser's 400, later
        for name, text in _strings(body, ""):
            if has_control_character(text):
                found[name or "_schema"] = [CONTROL_MESSAGE]
    if found:
        fail(
            422,
            N_("Control characters are not accepted."),
            errors=found,
        )


def within(address: str, networks) -> bool:
    """Whether ``address`` (text) is an IP address in one of ``networks``."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


def client_address() -> str:
    """The address of whoever sent this request, for limits and the journal. Behind proxies
    listed in ``POS_TRUSTED_PROXIES`` (networks), the right-most address of
    X-Forwarded-For that is not one of them; a header from anyone else is ignored, so a
    client cannot choose its own address."""
    address = request.remote_addr or "unknown"
    trusted = current_app.config["POS_TRUSTED_PROXIES"]
    if not trusted or not within(address, trusted):
        return address
    forwarded = ",".join(request.headers.getlist("X-Forwarded-For"))
    for hop in reversed([part.strip() for part in forwarded.split(",") if part.strip()]):
        if not within(hop, trusted):
            return hop if within(hop, _ANY) else "unknown"
    return address


_ANY = (ipaddress.ip_network("0.0.0.0/0"), ipaddress.ip_network("::/0"))
