"""The words of a problem (an API error), in the asker's language.

Services and schemas write their messages in English as catalog entries: ``N_("text")``, or
``N_("text with %(name)s", name=value)``. Such a message is an English ``str`` that keeps
its entry and values, so that the one place answering problems (``pos.core.errors``)
translates it with the Flask-Babel catalogs, in the language of the request's
``Accept-Language`` (ar, fr, en; English when it names none of them). Field keys never
change; the detail names the fields in words.
"""

from __future__ import annotations

import re

from flask import current_app, request
from flask_babel import gettext


class Message(str):
    """An English message that can still be translated: its catalog entry and values."""

    msgid: str
    params: dict

    def __new__(cls, msgid: str, **params) -> Message:
        message = super().__new__(cls, msgid % params if params else msgid)
        message.msgid, message.params = msgid, params
        if _registering:
            _BY_TEXT.setdefault(str(message), message)
        return message


N_ = Message  # the name Babel's extraction looks for

# Messages made when the code is loaded (validators' errors, which marshmallow turns into
# plain strings): found again by their English text.
_BY_TEXT: dict[str, Message] = {}
_registering = True


def loaded() -> None:
    """The app is built: messages made from now on (with a request's values) are not kept."""
    global _registering
    _registering = False


def translate(text: str) -> str:
    """``text`` in the current locale: a ``Message``, one made at load time, one of
    marshmallow's validators' messages (read back into its entry and values), or a fixed text
    that is a catalog entry (marshmallow's own); anything else as it is."""
    message = as_message(text)
    # A message may hold messages (a field's name, a schema's problem): each in words too.
    params = {
        name: translate(value) if isinstance(value, Message) else value
        for name, value in message.params.items()
    }
    return gettext(message.msgid, **params)


def problem_language() -> str:
    """The language of a problem: the best of ``Accept-Language`` among the app's, else
    English (what scripts expect)."""
    return request.accept_languages.best_match(current_app.config["POS_LANGUAGES"]) or "en"


# A numbered field's key alone names its whole list ("payments": they do not add up).
LISTS_AS_A_WHOLE = {"lines": N_("the lines"), "payments": N_("the payments")}
# Field keys in words: "lines.2.quantity" -> "line 3: quantity".
FIELD_NAMES = {
    "lines": N_("line %(number)s"),
    "payments": N_("payment %(number)s"),
    "product_id": N_("product"),
    "quantity": N_("quantity"),
    "unit_price": N_("unit price"),
    "discount": N_("discount"),
    "method": N_("payment method"),
    "amount": N_("amount"),
    "tendered": N_("cash received"),
    "sold_at": N_("time of the sale"),
    "Device-Clock": N_("the phone's clock"),
    "Idempotency-Key": N_("the sale's key"),
    "email": N_("email"),
    "password": N_("password"),
    "code": N_("pairing code"),
    "reason": N_("reason"),
    "name": N_("name"),
    "name_ar": N_("name in Arabic"),
    "unit": N_("unit"),
    "sku": N_("reference"),
    "pin": N_("PIN"),
    "booth": N_("booth"),
    "date": N_("date"),
    "connection": N_("printer connection"),
    "legal_form": N_("legal form"),
    "province": N_("province"),
    "sector": N_("sector"),
    "president": N_("president"),
    "phone": N_("phone"),
    "members": N_("members"),
    "women_members": N_("women members"),
    "ice": N_("ICE"),
    "vat": N_("VAT status"),
    "vat_rate": N_("VAT rate"),
    "open_price": N_("open price"),
    "stock": N_("quantity brought"),
    "active": N_("on sale"),
    "address": N_("address or town"),
    "profile": N_("printer model"),
    "paper_width_mm": N_("paper width"),
    "cash_drawer": N_("cash drawer"),
    "compact": N_("compact receipts"),
    "station": N_("print station"),
}


def field_in_words(key: str) -> str:
    words, parts = [], key.split(".")
    for index, part in enumerate(parts):
        following = parts[index + 1] if index + 1 < len(parts) else None
        if part.isdigit():
            continue
        name = FIELD_NAMES.get(part)
        if name is None:
            words.append(part)
        elif following is not None and following.isdigit():
            words.append(gettext(name.msgid, number=int(following) + 1))
        elif part in LISTS_AS_A_WHOLE:  # "payments" alone: the list, not one of its items
            words.append(translate(LISTS_AS_A_WHOLE[part]))
        else:
            words.append(translate(name))
    if not words:  # an index alone: a body that is a list
        return key
    return gettext(": ").join(words)


def field_problem(key: str, problem: str) -> Message:
    """A schema's error on a top-level field as "field: problem", put in words when shown
    (where the problem, unlike an API's, is not answered with its field's key)."""
    name = FIELD_NAMES.get(key, key)
    return N_("%(field)s: %(problem)s", field=name, problem=as_message(problem))


def as_message(text: str) -> Message:
    """``text`` as its catalog entry and values: a ``Message`` as it is, one made at load
    time found by its text, a validator's message read back; else the text as its own
    entry (marshmallow's fixed messages are)."""
    if isinstance(text, Message):
        return text
    known = _BY_TEXT.get(text)
    if known is not None:
        return known
    for pattern, msgid in _VALIDATOR_MESSAGES:
        match = pattern.fullmatch(text)
        if match:
            return Message(msgid, **match.groupdict())
    return Message(text)


# marshmallow's and webargs' own messages, as catalog entries (they are found by text).
MARSHMALLOW = (
    N_("Missing data for required field."),
    N_("Unknown field."),
    N_("Field may not be null."),
    N_("Invalid value."),
    N_("Invalid input type."),
    N_("Not a valid integer."),
    N_("Not a valid string."),
    N_("Not a valid boolean."),
    N_("Not a valid datetime."),
    N_("Not a valid date."),
    N_("Not a valid list."),
    N_("Not a valid mapping type."),
    N_("Not a valid number."),
    N_("Invalid JSON body."),
)

# The titles of the problems this API answers (HTTP's phrases), as catalog entries.
HTTP_TITLES = (
    N_("Bad Request"),
    N_("Unauthorized"),
    N_("Forbidden"),
    N_("Not Found"),
    N_("Method Not Allowed"),
    N_("Conflict"),
    N_("Request Entity Too Large"),
    N_("Unsupported Media Type"),
    N_("Unprocessable Entity"),
    N_("Locked"),
    N_("Too Many Requests"),
    N_("Internal Server Error"),
    N_("Service Unavailable"),
)

# marshmallow's validators word their messages with the values in them: each is matched
# back to its catalog entry.
_VALIDATOR_MESSAGES = [
    (re.compile(pattern), message.msgid)
    for pattern, message in (
        (
            r"Length must be between (?P<min>\d+) and (?P<max>\d+)\.",
            N_("Length must be between %(min)s and %(max)s."),
        ),
        (r"Shorter than minimum length (?P<min>\d+)\.", N_("Shorter than minimum length %(min)s.")),
        (r"Longer than maximum length (?P<max>\d+)\.", N_("Longer than maximum length %(max)s.")),
        (r"Length must be (?P<equal>\d+)\.", N_("Length must be %(equal)s.")),
        (
            r"Must be greater than or equal to (?P<min>\S+)"
            r" and less than or equal to (?P<max>\S+)\.",
            N_("Must be greater than or equal to %(min)s and less than or equal to %(max)s."),
        ),
        (
            r"Must be greater than or equal to (?P<min>\S+)\.",
            N_("Must be greater than or equal to %(min)s."),
        ),
        (
            r"Must be less than or equal to (?P<max>\S+)\.",
            N_("Must be less than or equal to %(max)s."),
        ),
        (r"Must be one of: (?P<choices>.+)\.", N_("Must be one of: %(choices)s.")),
    )
]
