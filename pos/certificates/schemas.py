from __future__ import annotations

from marshmallow import Schema, fields, validate


class CertificateArgs(Schema):
    lang = fields.String(
        load_default="fr",
        validate=validate.OneOf(["ar", "fr"]),
        metadata={"description": "The certificate's language (it prints both names)."},
    )


class CertificateSchema(Schema):
    id = fields.Integer()
    public_id = fields.String()
    exhibitor_id = fields.Integer()
    issued_at = fields.AwareDateTime()
    url = fields.String(metadata={"description": "The public page its QR code carries"})
    payload = fields.String(metadata={"description": "The canonical JSON, exactly as signed"})
    signature = fields.String(metadata={"description": "Ed25519 over the payload, base64"})
    holds = fields.Boolean(metadata={"description": "Whether it still holds, checked now"})
