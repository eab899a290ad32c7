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
    paired_at = fields.AwareDateTime(allow_none=True)


class DeviceCreatedSchema(DeviceSchema):
    """Answer to creating a device: its token and pairing code, shown this once."""

    token = fields.String()
    expires_at = fields.AwareDateTime()
    pairing_code = fields.String(metadata={"description": "Typed on the phone, e.g. K7PM-4QXR"})
    pairing_url = fields.String()
    pairing_expires_at = fields.AwareDateTime()
    pairing_qr = fields.String(metadata={"description": "The pairing URL as a PNG data URL"})


class PairInSchema(Schema):
    code = fields.String(required=True, validate=validate.Length(1, 20))


class PairedSchema(Schema):
    token = fields.String()
    device_id = fields.Integer()
    exhibitor_id = fields.Integer()
