from marshmallow import Schema, fields, validate

from pos.core.messages import N_

PIN = validate.Regexp(r"\A[0-9]{4,8}\Z", error=N_("4 to 8 digits."))


class MemberInSchema(Schema):
    name = fields.String(required=True, validate=validate.Length(1, 100))
    pin = fields.String(validate=PIN, load_default=None, allow_none=True)


class MemberPatchSchema(Schema):
    name = fields.String(validate=validate.Length(1, 100))
    pin = fields.String(validate=PIN, allow_none=True)
    active = fields.Boolean()


class MemberSchema(Schema):
    id = fields.Integer()
    exhibitor_id = fields.Integer()
    name = fields.String()
    has_pin = fields.Function(lambda member: member.pin_hash is not None)
    # For the booth's phone to check the PIN offline (``pos.members.verifier``).
    pin_verifier = fields.String(allow_none=True)
    active = fields.Boolean()


class UnlockInSchema(Schema):
    pin = fields.String(required=True, validate=validate.Length(1, 8))
