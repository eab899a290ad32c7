from marshmallow import Schema, fields, validate


class TokenRequestSchema(Schema):
    email = fields.Email(required=True, validate=validate.Length(max=254))
    password = fields.String(required=True, validate=validate.Length(min=1, max=1024))


class TokenSchema(Schema):
    token = fields.String()
    role = fields.String()
    expires_at = fields.AwareDateTime()
    exhibitor_id = fields.Integer(allow_none=True)
