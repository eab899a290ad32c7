from marshmallow import Schema, fields, validate


class TokenRequestSchema(Schema):
    # Not checked as an address: a typo is simply a failed sign-in. Case and spaces are ignored.
    email = fields.String(required=True, validate=validate.Length(1, 254))
    password = fields.String(required=True, validate=validate.Length(min=1, max=1024))


class TokenSchema(Schema):
    token = fields.String()
    role = fields.String()
    expires_at = fields.AwareDateTime()
    exhibitor_id = fields.Integer(allow_none=True)
