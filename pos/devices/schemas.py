from marshmallow import Schema, fields, validate


class DeviceInSchema(Schema):
    label = fields.String(required=True, validate=validate.Length(1, 100))


class DeviceSchema(Schema):
    id = fields.Integer()
    exhibitor_id = fields.Integer()
    label = fields.String()
    created_at = fields.AwareDateTime()
    revoked_at = fields.AwareDateTime(allow_none=True)
    last_seen_at = fields.AwareDateTime(allow_none=True)


class DeviceTokenSchema(DeviceSchema):
    """Answer to creating a device: its cashier token, shown this once."""

    token = fields.String()
    expires_at = fields.AwareDateTime()
