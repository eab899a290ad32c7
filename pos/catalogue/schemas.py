from __future__ import annotations

from marshmallow import Schema, fields, validate

from pos.catalogue.models import KINDS, UNITS, VAT_RATES
from pos.core.fields import Money, Quantity, VatRate, money_range, quantity_range
from pos.core.pagination import MAX_LIMIT, ListArgs

MAX_UNIT_PRICE = 100_000_000  # 1,000,000.00 MAD in centimes
MAX_STOCK = 100_000_000  # 100,000 units brought, in thousandths


class ProductInSchema(Schema):
    name = fields.String(required=True, validate=validate.Length(1, 200))
    name_ar = fields.String(required=True, validate=validate.Length(1, 200))
    unit = fields.String(required=True, validate=validate.OneOf(UNITS))
    unit_price = Money(required=True, validate=money_range(0, MAX_UNIT_PRICE))
    open_price = fields.Boolean(load_default=False)
    sku = fields.String(allow_none=True, validate=validate.Length(1, 64))
    # The VAT in its price, used when its booth is subject to VAT; the standard rate unsaid.
    vat_rate = VatRate(VAT_RATES, load_default=20)
    # The quantity brought to the fair, when the booth counts it; null: not counted.
    stock = Quantity(allow_none=True, validate=quantity_range(0, MAX_STOCK))


class ProductPatchSchema(ProductInSchema):
    """Any of the fields, loaded with ``partial=True``."""

    open_price = fields.Boolean()
    active = fields.Boolean()
    vat_rate = VatRate(VAT_RATES)


class ProductSchema(Schema):
    id = fields.Integer()
    exhibitor_id = fields.Integer()
    name = fields.String()
    name_ar = fields.String()
    unit = fields.String()
    unit_price = Money()
    open_price = fields.Boolean()
    sku = fields.String(allow_none=True)
    active = fields.Boolean()
    vat_rate = VatRate(VAT_RATES)
    kind = fields.String(metadata={"enum": list(KINDS)})
    stock = Quantity(allow_none=True)
    # Changes with its picture (GET /products/{id}/picture); null: none.
    picture_version = fields.String(allow_none=True)
    updated_at = fields.AwareDateTime()


class PictureInSchema(Schema):
    # A photo as the phone's camera gives it (multipart/form-data).
    picture = fields.Raw(required=True, metadata={"type": "string", "format": "binary"})


class ProductListArgs(ListArgs):
    # A till loads its whole catalogue at once.
    limit = fields.Integer(load_default=MAX_LIMIT, validate=validate.Range(1, MAX_LIMIT))
    active = fields.Boolean()
    # The booth's goods unless asked: "deposit" its deposit product, "all" both (the till).
    kind = fields.String(load_default="goods", validate=validate.OneOf((*KINDS, "all")))
