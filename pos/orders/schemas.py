from __future__ import annotations

from marshmallow import Schema, fields, validate

from pos.catalogue.schemas import MAX_UNIT_PRICE
from pos.core.fields import PHONE, Money, Quantity, member_id_field, money_range, quantity_range
from pos.core.messages import N_
from pos.core.pagination import ListArgs
from pos.sales.schemas import LineSchema

MAX_LINES = 50
MAX_QUANTITY = 100_000_000  # 100,000 units, in thousandths: a hotel's year of couscous
MAX_AMOUNT = 10_000_000_000  # 100,000,000.00 MAD


class OrderLineInSchema(Schema):
    product_id = fields.Integer(
        required=True,
        strict=True,
        validate=validate.Range(1, 2**31 - 1, error=N_("Not a product of this booth.")),
    )
    quantity = Quantity(required=True, validate=quantity_range(1, MAX_QUANTITY))
    # The price agreed with the buyer; unsaid, the catalogue's.
    unit_price = Money(validate=money_range(0, MAX_UNIT_PRICE))
    discount = Money(load_default=0, validate=money_range(0, MAX_AMOUNT))


class OrderInSchema(Schema):
    buyer_name = fields.String(
        required=True, validate=validate.Length(1, 200, error=N_("From 1 to 200 characters."))
    )
    buyer_phone = fields.String(required=True, validate=PHONE)
    delivery_date = fields.Date(required=True)
    note = fields.String(
        allow_none=True, validate=validate.Length(0, 500, error=N_("At most 500 characters."))
    )
    lines = fields.List(
        fields.Nested(OrderLineInSchema),
        required=True,
        validate=validate.Length(
            1, MAX_LINES, error=N_("From 1 to %(most)s lines.", most=MAX_LINES)
        ),
    )
    # Paid now, recorded as a sale of its own (the booth's deposit product) under
    # ``deposit_key``, the Idempotency-Key the till sent that sale with.
    deposit = Money(load_default=0, validate=money_range(0, MAX_AMOUNT))
    deposit_key = fields.String(allow_none=True, validate=validate.Length(1, 255))
    made_at = fields.AwareDateTime(format="iso")
    member_id = member_id_field()


class OrderLineSchema(LineSchema):
    discount = Money()


class DepositSaleSchema(Schema):
    id = fields.Integer()
    receipt_number = fields.String()
    total = Money()
    status = fields.String()


class OrderSchema(Schema):
    id = fields.Integer()
    exhibitor_id = fields.Integer()
    buyer_name = fields.String()
    buyer_phone = fields.String()
    delivery_date = fields.Date()
    note = fields.String(allow_none=True)
    lines = fields.List(fields.Nested(OrderLineSchema))
    total = Money()
    deposit = Money()
    deposit_sale = fields.Nested(
        DepositSaleSchema,
        allow_none=True,
        metadata={"description": "The deposit's sale, once the server has it; else null."},
    )
    made_at = fields.AwareDateTime()
    recorded_at = fields.AwareDateTime()
    member_id = fields.Integer(allow_none=True)


class OrderListArgs(ListArgs):
    pass
