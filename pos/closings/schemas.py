from __future__ import annotations

import json

from marshmallow import Schema, fields

from pos.core.fields import Money, money_range
from pos.sales.schemas import MAX_AMOUNT


class ClosingInSchema(Schema):
    date = fields.Date(required=True, metadata={"description": "The fair day to close."})
    cash_counted = Money(
        validate=money_range(0, MAX_AMOUNT), metadata={"description": "Cash counted in the drawer."}
    )


class ClosingSchema(Schema):
    id = fields.Integer()
    exhibitor_id = fields.Integer()
    number = fields.Integer()
    date = fields.Date(attribute="business_date")
    period_from = fields.Date(allow_none=True)
    sales_count = fields.Integer()
    voided_count = fields.Integer()
    late_count = fields.Integer()
    gross = Money()
    voided = Money()
    net = Money()
    by_method = fields.Function(
        lambda closing: {
            method: Money()._serialize(amount, None, None)
            for method, amount in json.loads(closing.by_method).items()
        }
    )
    cash_expected = Money()
    cash_counted = Money(allow_none=True)
    cash_difference = Money(allow_none=True)
    grand_total = Money()
    closed_at = fields.AwareDateTime()
    hash = fields.String()


class CloseEventInSchema(Schema):
    date = fields.Date(required=True)
