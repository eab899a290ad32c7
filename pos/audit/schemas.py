from __future__ import annotations

import json

from marshmallow import Schema, fields, validate

from pos.audit.services import KINDS


class JournalArgs(Schema):
    kind = fields.String(validate=validate.OneOf(KINDS))
    limit = fields.Integer(load_default=100, validate=validate.Range(1, 1000))
    offset = fields.Integer(load_default=0, validate=validate.Range(0, 10**9))


class AuditEventSchema(Schema):
    seq = fields.Integer()
    at = fields.AwareDateTime()
    kind = fields.String()
    user_id = fields.Integer(allow_none=True)
    device_id = fields.Integer(allow_none=True)
    actor_email = fields.String(allow_none=True)
    exhibitor_id = fields.Integer(allow_none=True)
    subject = fields.String(allow_none=True)
    details = fields.Function(lambda entry: json.loads(entry.details))
    hash = fields.String()
