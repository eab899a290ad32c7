from __future__ import annotations

from marshmallow import Schema, fields

from pos.core.fields import Quantity


class StockRowSchema(Schema):
    product_id = fields.Integer()
    name = fields.String()
    name_ar = fields.String()
    unit = fields.String()
    active = fields.Boolean()
    brought = Quantity()
    sold = Quantity(metadata={"description": "Taken by sales not voided."})
    left = Quantity(metadata={"description": "Brought less sold; below zero if undercounted."})
    low = fields.Boolean(metadata={"description": "At most a fifth of what was brought is left."})


class StockSchema(Schema):
    items = fields.List(fields.Nested(StockRowSchema))
