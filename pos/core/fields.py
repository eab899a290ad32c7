"""marshmallow fields for money and quantities as decimal strings."""

from __future__ import annotations

from marshmallow import fields, validate

from pos.core import money
from pos.core.messages import N_


class Money(fields.Field):
    """'12.50' in JSON, 1250 centimes in Python."""

    default_error_messages = {
        "invalid": N_('Must be a decimal string with at most 2 decimals, e.g. "12.50".'),
    }

    def _serialize(self, value, attr, obj, **kwargs):
        return None if value is None else money.format_money(value)

    def _deserialize(self, value, attr, data, **kwargs):
        try:
            return money.parse_money(value)
        except ValueError as error:
            raise self.make_error("invalid") from error


class Quantity(fields.Field):
    """'0.250' in JSON, 250 thousandths in Python."""

    default_error_messages = {
        "invalid": N_('Must be a decimal string with at most 3 decimals, e.g. "0.250".'),
    }

    def _serialize(self, value, attr, obj, **kwargs):
        return None if value is None else money.format_quantity(value)

    def _deserialize(self, value, attr, data, **kwargs):
        try:
            return money.parse_quantity(value)
        except ValueError as error:
            raise self.make_error("invalid") from error


def money_range(minimum: int, maximum: int) -> validate.Range:
    """A Range on centimes whose message speaks in dirhams."""
    return validate.Range(
        minimum,
        maximum,
        error=N_(
            "Must be from %(low)s to %(high)s.",
            low=money.format_money(minimum),
            high=money.format_money(maximum),
        ),
    )


def quantity_range(minimum: int, maximum: int) -> validate.Range:
    return validate.Range(
        minimum,
        maximum,
        error=N_(
            "Must be from %(low)s to %(high)s.",
            low=money.format_quantity(minimum),
            high=money.format_quantity(maximum),
        ),
    )


class VatRate(fields.Field):
    """'20' in JSON (percent, one of Morocco's rates), 20 in Python."""

    default_error_messages = {"invalid": N_('One of "0", "7", "10", "14" or "20".')}

    def __init__(self, rates: tuple[int, ...], **kwargs):
        super().__init__(**kwargs)
        self.rates = {str(rate): rate for rate in rates}

    def _serialize(self, value, attr, obj, **kwargs):
        return None if value is None else str(value)

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, str) or value not in self.rates:
            raise self.make_error("invalid")
        return self.rates[value]


# A phone number as people type it: digits, spaces, +, dots, dashes, brackets.
PHONE = validate.Regexp(
    r"^\+?[0-9][0-9 .\-()]{5,38}$", error=N_("A phone number, e.g. 06 12 34 56 78.")
)


def member_id_field() -> fields.Integer:
    """The booth's member who did it (the till's member unlocked with a PIN), when it says;
    checked against the booth by the service."""
    return fields.Integer(
        allow_none=True,
        strict=True,
        validate=validate.Range(1, 2**31 - 1, error=N_("Not a member of this booth.")),
    )
