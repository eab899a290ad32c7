from __future__ import annotations

import json

from marshmallow import Schema, fields, validate

from pos.audit.services import KINDS
from pos.core.pagination import ListArgs


class JournalArgs(ListArgs):
    kind = fields.String(validate=validate.OneOf(KINDS))


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
