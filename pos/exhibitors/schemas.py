from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from pos.core.messages import N_
from pos.exhibitors.models import LEGAL_FORMS, VAT_STATUSES

BOOTH_PATTERN = r"\A[A-Za-z0-9][A-Za-z0-9-]{0,19}\Z"
# The ICE: 15 ASCII digits (no other digit, no space: it is copied onto receipts as is).
ICE_PATTERN = r"\A[0-9]{15}\Z"


class ExhibitorInSchema(Schema):
    name = fields.String(required=True, validate=validate.Length(1, 200))
    name_ar = fields.String(required=True, validate=validate.Length(1, 200))
    legal_form = fields.String(required=True, validate=validate.OneOf(LEGAL_FORMS))
    province = fields.String(required=True, validate=validate.Length(1, 100))
    sector = fields.String(required=True, validate=validate.Length(1, 100))
    booth = fields.String(
        required=True,
        validate=validate.Regexp(BOOTH_PATTERN, error=N_("Letters, digits and '-', at most 20.")),
    )
    president = fields.String(allow_none=True, validate=validate.Length(max=200))
    phone = fields.String(
        allow_none=True,
        validate=validate.Regexp(
            r"\A\+212[5-8][0-9]{8}\Z", error=N_("A Moroccan number as +212XXXXXXXXX.")
        ),
    )
    members = fields.Integer(allow_none=True, strict=True, validate=validate.Range(0, 1_000_000))
    women_members = fields.Integer(
        allow_none=True, strict=True, validate=validate.Range(0, 1_000_000)
    )
    ice = fields.String(
        allow_none=True,
        validate=validate.Regexp(ICE_PATTERN, error=N_("The ICE is 15 digits.")),
    )
    vat = fields.String(load_default="exempt", validate=validate.OneOf(VAT_STATUSES))
    address = fields.String(
        allow_none=True,
        validate=validate.Length(max=200),
        metadata={"description": "Its town, or street and town: printed on its receipts."},
    )

    @validates_schema
    def _women_within_members(self, data, **kwargs):
        members, women = data.get("members"), data.get("women_members")
        if members is not None and women is not None and women > members:
            raise ValidationError("Cannot exceed members.", "women_members")


class ExhibitorPatchSchema(ExhibitorInSchema):
    """Any of the fields, loaded with ``partial=True``."""


class ExhibitorSchema(Schema):
    id = fields.Integer()
    event_id = fields.Integer()
    booth = fields.String()
    name = fields.String()
    name_ar = fields.String()
    legal_form = fields.String()
    province = fields.String()
    sector = fields.String()
    members = fields.Integer(allow_none=True)
    women_members = fields.Integer(allow_none=True)
    president = fields.String(allow_none=True)
    phone = fields.String(allow_none=True)
    ice = fields.String(allow_none=True)
    vat = fields.String()
    address = fields.String(allow_none=True)
