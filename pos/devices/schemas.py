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


class HeartbeatInSchema(Schema):
    """What waits on the phone, as the till counts it; every field optional."""

    outbox = fields.Integer(strict=True, validate=validate.Range(0, 1_000_000))
    oldest_waiting_at = fields.AwareDateTime(format="iso", allow_none=True)
    refused = fields.Integer(strict=True, validate=validate.Range(0, 1_000_000))


class HeartbeatSchema(Schema):
    catalogue_changed_at = fields.AwareDateTime(
        allow_none=True,
        metadata={
            "description": "When the booth's products last changed (a price, a product "
            "withdrawn or added): a till showing an older catalogue reads it again."
        },
    )


class SyncDeviceSchema(Schema):
    id = fields.Integer()
    label = fields.String()
    last_seen_at = fields.AwareDateTime(allow_none=True)
    outbox = fields.Integer()
    oldest_waiting_at = fields.AwareDateTime(allow_none=True)
    refused = fields.Integer()


class SyncBoothSchema(Schema):
    exhibitor_id = fields.Integer()
    booth = fields.String()
    name = fields.String()
    devices = fields.List(fields.Nested(SyncDeviceSchema))


class SyncSchema(Schema):
    """Sales waiting on the booths' phones, fair-wide and per booth (most waiting first)."""

    waiting_sales = fields.Integer()
    booths_waiting = fields.Integer()
    refused_sales = fields.Integer()
    items = fields.List(fields.Nested(SyncBoothSchema))
    total = fields.Integer()
