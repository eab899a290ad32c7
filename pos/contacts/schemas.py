from __future__ import annotations

from marshmallow import Schema, fields, validate

from pos.contacts.models import CONTACT_KINDS
from pos.core.fields import PHONE, member_id_field
from pos.core.messages import N_
from pos.core.pagination import ListArgs


class ContactInSchema(Schema):
    kind = fields.String(
        required=True,
        validate=validate.OneOf(
            CONTACT_KINDS,
            error=N_("Must be one of: %(kinds)s.", kinds=", ".join(CONTACT_KINDS)),
        ),
    )
    name = fields.String(
        required=True, validate=validate.Length(1, 200, error=N_("From 1 to 200 characters."))
    )
    phone = fields.String(allow_none=True, validate=PHONE)
    interest = fields.String(
        allow_none=True, validate=validate.Length(0, 500, error=N_("At most 500 characters."))
    )
    made_at = fields.AwareDateTime(format="iso")
    member_id = member_id_field()


class ContactSchema(Schema):
    id = fields.Integer()
    exhibitor_id = fields.Integer()
    kind = fields.String(metadata={"enum": list(CONTACT_KINDS)})
    name = fields.String()
    phone = fields.String(allow_none=True)
    interest = fields.String(allow_none=True)
    made_at = fields.AwareDateTime()
    recorded_at = fields.AwareDateTime()
    member_id = fields.Integer(allow_none=True)


class ContactListArgs(ListArgs):
    pass
