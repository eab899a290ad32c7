from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validate

from pos.printing.models import ON_DEVICE, PAPER_WIDTHS_MM
from printers.connections import BadConnectionURL, parse_connection
from printers.profiles import known_profiles


def _valid_connection(value: str) -> None:
    try:
        parse_connection(value)
    except BadConnectionURL as error:
        raise ValidationError(str(error)) from error


def _known_profile(value: str) -> None:
    if value not in known_profiles():
        raise ValidationError('Unknown python-escpos profile, e.g. "TM-T20II" or "POS-5890".')


class PrinterSettingsInSchema(Schema):
    connection = fields.String(required=True, validate=[validate.Length(1, 500), _valid_connection])
    profile = fields.String(required=True, validate=_known_profile)
    cash_drawer = fields.Boolean(load_default=False)
    paper_width_mm = fields.Integer(
        required=True, strict=True, validate=validate.OneOf(PAPER_WIDTHS_MM)
    )


class PrinterSettingsSchema(Schema):
    exhibitor_id = fields.Integer()
    connection = fields.String()
    profile = fields.String()
    paper_width_mm = fields.Integer()
    cash_drawer = fields.Boolean()
    updated_at = fields.AwareDateTime()


class PhoneJobsQuerySchema(Schema):
    state = fields.String(load_default="pending", validate=validate.OneOf(ON_DEVICE))


class PrintJobSchema(Schema):
    id = fields.Integer()
    sale_id = fields.Integer()
    kind = fields.String()
    created_at = fields.AwareDateTime()
    state = fields.String(attribute="status")
    detail = fields.String(attribute="last_error", allow_none=True)


class PrintResultInSchema(Schema):
    state = fields.String(required=True, validate=validate.OneOf(("printed", "failed")))
    # What the phone saw go wrong ("the printer did not answer"), shown to the organiser.
    detail = fields.String(load_default="", validate=validate.Length(max=500))
