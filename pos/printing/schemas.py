from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validate

from pos.core.messages import N_
from pos.printing.connection_problems import connection_problem
from pos.printing.models import ON_DEVICE, PAPER_WIDTHS_MM, STATION_NAME_PATTERN
from printers.connections import BadConnectionURL, parse_connection
from printers.profiles import known_profiles


def _valid_connection(value: str) -> None:
    try:
        parse_connection(value)
    except BadConnectionURL as error:
        raise ValidationError(connection_problem(error)) from error


def _known_profile(value: str) -> None:
    if value not in known_profiles():
        raise ValidationError(N_('Unknown python-escpos profile, e.g. "TM-T20II" or "POS-5890".'))


class PrinterSettingsInSchema(Schema):
    connection = fields.String(required=True, validate=[validate.Length(1, 500), _valid_connection])
    profile = fields.String(required=True, validate=_known_profile)
    cash_drawer = fields.Boolean(load_default=False)
    compact = fields.Boolean(
        load_default=False,
        metadata={
            "description": "Receipts with the Arabic drawn smaller, in about half the bytes, "
            "for a printer on a slow Bluetooth link."
        },
    )
    paper_width_mm = fields.Integer(
        required=True, strict=True, validate=validate.OneOf(PAPER_WIDTHS_MM)
    )
    # The print station the printer hangs on (``pos print-worker --station NAME``); none:
    # the workers started without a station print it.
    station = fields.String(
        load_default=None,
        allow_none=True,
        validate=validate.Regexp(
            STATION_NAME_PATTERN,
            error="A station's name: lower-case letters, digits, '.', '_' or '-', e.g. "
            '"fair-office".',
        ),
    )


class PrinterSettingsSchema(Schema):
    exhibitor_id = fields.Integer()
    connection = fields.String()
    profile = fields.String()
    paper_width_mm = fields.Integer()
    cash_drawer = fields.Boolean()
    compact = fields.Boolean()
    station = fields.String(allow_none=True)
    # French's code page on this printer, chosen from the profile: CP858, CP850, CP1252 or
    # ASCII (accents folded).
    code_page = fields.String(allow_none=True)
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


class PhoneJobsClaimInSchema(Schema):
    limit = fields.Integer(load_default=20, strict=True, validate=validate.Range(1, 100))
    # The member asked to print what is waiting: the receipts that failed go again too.
    include_failed = fields.Boolean(load_default=False)


class PhoneJobsClaimSchema(Schema):
    items = fields.List(fields.Nested(PrintJobSchema))
    total = fields.Integer()


class PrintResultInSchema(Schema):
    # "sent": handed to an app that says nothing back (RawBT); "printed" once confirmed.
    state = fields.String(required=True, validate=validate.OneOf(("printed", "sent", "failed")))
    # What the phone saw go wrong ("the printer did not answer"), shown to the organiser.
    detail = fields.String(load_default="", validate=validate.Length(max=500))
