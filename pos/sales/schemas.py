from __future__ import annotations

from marshmallow import Schema, fields, missing, validate

from pos.catalogue.models import VAT_RATES
from pos.catalogue.schemas import MAX_UNIT_PRICE
from pos.core.fields import Money, Quantity, VatRate, member_id_field, money_range, quantity_range
from pos.core.messages import N_
from pos.core.pagination import ListArgs
from pos.sales.models import PAYMENT_METHODS

MAX_LINES = 200
MAX_PAYMENTS = 10
MAX_QUANTITY = 10_000_000  # 10,000 units, in thousandths
MAX_AMOUNT = MAX_UNIT_PRICE * 10_000 * MAX_LINES


class IdempotencyHeaderSchema(Schema):
    idempotency_key = fields.String(
        data_key="Idempotency-Key",
        required=True,
        validate=validate.Length(1, 255),
        metadata={"description": "A UUID the till made and stored before the first send."},
    )
    device_clock = fields.AwareDateTime(
        data_key="Device-Clock",
        format="iso",
        metadata={
            "description": "The till's clock when it sent this request; sold_at is corrected "
            "by the difference when it is off by more than 2 minutes."
        },
    )


class SaleLineInSchema(Schema):
    product_id = fields.Integer(
        required=True,
        strict=True,
        validate=validate.Range(1, 2**31 - 1, error=N_("Not a product of this booth.")),
    )
    quantity = Quantity(required=True, validate=quantity_range(1, MAX_QUANTITY))
    discount = Money(load_default=0, validate=money_range(0, MAX_AMOUNT))
    # Required for an open-price product; for others, absent or the catalogue price.
    unit_price = Money(validate=money_range(0, MAX_UNIT_PRICE))


class PaymentInSchema(Schema):
    method = fields.String(
        required=True,
        validate=validate.OneOf(
            PAYMENT_METHODS,
            error=N_("Must be one of: %(methods)s.", methods=", ".join(PAYMENT_METHODS)),
        ),
    )
    amount = Money(required=True, validate=money_range(1, MAX_AMOUNT))
    tendered = Money(validate=money_range(1, MAX_AMOUNT))


class SaleInSchema(Schema):
    lines = fields.List(
        fields.Nested(SaleLineInSchema),
        required=True,
        validate=validate.Length(
            1, MAX_LINES, error=N_("From 1 to %(most)s lines.", most=MAX_LINES)
        ),
    )
    payments = fields.List(
        fields.Nested(PaymentInSchema),
        required=True,
        validate=validate.Length(
            0, MAX_PAYMENTS, error=N_("At most %(most)s payments.", most=MAX_PAYMENTS)
        ),
    )
    sold_at = fields.AwareDateTime(format="iso")
    # The booth's member who sold (the till's member unlocked with a PIN), when it says.
    member_id = member_id_field()


class SetAsideInSchema(Schema):
    """A sale (an order, a contact) the server refused, set aside at the booth with a
    reason (never deleted silently): journaled, with the body the till kept."""

    idempotency_key = fields.String(required=True, validate=validate.Length(1, 255))
    reason = fields.String(
        required=True,
        validate=validate.Length(1, 500, error=N_("From 1 to 500 characters.")),
    )
    body = fields.Dict(load_default=None)
    # What was refused: a sale, or an order or contact taken at the booth.
    kind = fields.String(load_default="sale", validate=validate.OneOf(("sale", "order", "contact")))


class VoidInSchema(Schema):
    reason = fields.String(
        required=True,
        validate=validate.Length(1, 500, error=N_("From 1 to 500 characters.")),
    )


class SaleListArgs(ListArgs):
    date = fields.Date(metadata={"description": "The fair day (event time zone) of sold_at."})


class VatSchema(Schema):
    rate = VatRate(VAT_RATES, metadata={"description": "Percent."})
    base = Money()
    amount = Money()


class LineSchema(Schema):
    """A line as sold or ordered: the product's name, unit and price copied then."""

    product_id = fields.Integer()
    name = fields.String()
    name_ar = fields.String()
    unit = fields.String()
    quantity = Quantity()
    unit_price = Money()
    line_total = Money()


class SaleLineSchema(LineSchema):
    discount = Money()
    vat_rate = VatRate(
        VAT_RATES,
        allow_none=True,
        metadata={"description": "Percent of VAT in its price; null when the booth is exempt."},
    )


class PaymentSchema(Schema):
    method = fields.String()
    amount = Money()
    tendered = Money(allow_none=True)
    change = Money()


class VoidSchema(Schema):
    reason = fields.String()
    voided_at = fields.AwareDateTime()


class SaleSchema(Schema):
    id = fields.Integer()
    exhibitor_id = fields.Integer()
    receipt_number = fields.String()
    status = fields.String()
    sold_at = fields.AwareDateTime()
    device_sold_at = fields.AwareDateTime(
        attribute="as_sold_on_device",
        metadata={"description": "sold_at as the till's clock said it."},
    )
    clock_corrected = fields.Boolean(
        metadata={"description": "The till's clock was off: sold_at was moved by the difference."}
    )
    recorded_at = fields.AwareDateTime()
    member_id = fields.Integer(
        allow_none=True, metadata={"description": "The booth's member who sold, when said."}
    )
    lines = fields.List(fields.Nested(SaleLineSchema))
    total = Money()
    payments = fields.List(fields.Nested(PaymentSchema))
    vat = fields.Method(
        "_vat",
        metadata={"description": "VAT in the prices by rate; only when the booth is subject."},
    )
    void = fields.Nested(VoidSchema, allow_none=True)
    print_status = fields.String()
    # The fair day it is accounted in; late: made offline for a day already closed.
    period_date = fields.Date()
    late = fields.Boolean()
    hash_prefix = fields.String(metadata={"description": "First 4 characters of its hash."})

    def _vat(self, sale):
        rows = sale.vat
        return missing if rows is None else _VAT.dump(rows, many=True)


_VAT = VatSchema()
