from __future__ import annotations

from zoneinfo import available_timezones

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from pos.core.messages import N_

_TIMEZONES = frozenset(available_timezones())


def _known_timezone(value: str) -> None:
    if value not in _TIMEZONES:
        raise ValidationError(N_('Unknown IANA time zone, e.g. "Africa/Casablanca".'))


class EventInSchema(Schema):
    name = fields.String(required=True, validate=validate.Length(1, 200))
    name_ar = fields.String(required=True, validate=validate.Length(1, 200))
    starts_on = fields.Date(required=True)
    ends_on = fields.Date(required=True)
    timezone = fields.String(load_default="Africa/Casablanca", validate=_known_timezone)
    currency = fields.String(load_default="MAD", validate=validate.OneOf(["MAD"]))
    place = fields.String(
        allow_none=True,
        validate=validate.Length(max=200),
        metadata={"description": "Where the fair is held, printed on every receipt."},
    )
    place_ar = fields.String(allow_none=True, validate=validate.Length(max=200))
    previous_event_id = fields.Integer(
        strict=True, allow_none=True, validate=validate.Range(1, 2**31 - 1)
    )

    @validates_schema
    def _dates_ordered(self, data, **kwargs):
        if "starts_on" in data and "ends_on" in data:
            if data["ends_on"] < data["starts_on"]:
                raise ValidationError(N_("Must not be before the first day."), "ends_on")
            if (data["ends_on"] - data["starts_on"]).days > 366:
                raise ValidationError(N_("A fair lasts at most a year."), "ends_on")


class EventCreateSchema(EventInSchema):
    organisation_id = fields.Integer(
        strict=True,
        allow_none=True,
        validate=validate.Range(1, 2**31 - 1),
        metadata={
            "description": "An admin's choice of organisation; an organiser's fair is its "
            "own organisation's."
        },
    )
    rehearsal = fields.Boolean(
        load_default=False,
        metadata={
            "description": "A rehearsal fair (pos drill): no report counts it, and "
            "DELETE removes it."
        },
    )


class EventPatchSchema(EventInSchema):
    """Any of the fields, loaded with ``partial=True``; a fair is a rehearsal or not from
    its creation."""

    timezone = fields.String(validate=_known_timezone)
    currency = fields.String(validate=validate.OneOf(["MAD"]))


class EventSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    name_ar = fields.String()
    starts_on = fields.Date()
    ends_on = fields.Date()
    timezone = fields.String()
    currency = fields.String()
    place = fields.String(allow_none=True)
    place_ar = fields.String(allow_none=True)
    previous_event_id = fields.Integer(allow_none=True)
    organisation_id = fields.Integer(allow_none=True)
    rehearsal = fields.Boolean()
    created_at = fields.AwareDateTime()
