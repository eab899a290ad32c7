from __future__ import annotations

from marshmallow import Schema, fields


class ReprintSchema(Schema):
    """A copy of the receipt, queued."""

    job_id = fields.Integer()
    print_status = fields.String()
