from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, column_property, mapped_column

from pos.core.db import UTCDateTime, utcnow
from pos.core.ownership import owned_by_exhibitor
from pos.extensions import Model

UNITS = ("piece", "kg", "g", "l")
# What a product is: goods of the booth, or the booth's one deposit on an order (a sale of
# its own at the price paid, made by the till with the order; never in the grid).
KINDS = ("goods", "deposit")
# Morocco's VAT rates, in percent; 20 is the standard one.
VAT_RATES = (0, 7, 10, 14, 20)


class ProductPicture(Model):
    """A product's photo as the till shows it: small (``pos.catalogue.pictures``), kept
    apart so that a catalogue read carries only its version."""

    __tablename__ = "product_pictures"

    product_id: Mapped[int] = mapped_column(sa.ForeignKey("products.id"), primary_key=True)
    content_type: Mapped[str] = mapped_column(sa.String(40))
    data: Mapped[bytes] = mapped_column(sa.LargeBinary)
    # Changes with the picture: the till fetches it again only when this differs.
    version: Mapped[str] = mapped_column(sa.String(16))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


@owned_by_exhibitor("product_id", "product")
class Product(Model):
    """An item of one booth's catalogue. Sale lines copy what they need of it."""

    __tablename__ = "products"
    __table_args__ = (
        sa.UniqueConstraint("exhibitor_id", "sku"),
        sa.CheckConstraint("unit_price >= 0", name="price_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    exhibitor_id: Mapped[int] = mapped_column(sa.ForeignKey("exhibitors.id"), index=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    name_ar: Mapped[str] = mapped_column(sa.String(200))
    unit: Mapped[str] = mapped_column(sa.String(10))
    unit_price: Mapped[int] = mapped_column(sa.BigInteger)
    # Crafts priced with the buyer: the sale line carries the agreed unit price.
    open_price: Mapped[bool] = mapped_column(default=False)
    # The VAT in its price when its booth is subject to VAT (percent, one of VAT_RATES).
    vat_rate: Mapped[int] = mapped_column(sa.SmallInteger, default=20, server_default="20")
    sku: Mapped[str | None] = mapped_column(sa.String(64))
    active: Mapped[bool] = mapped_column(default=True)
    kind: Mapped[str] = mapped_column(sa.String(10), default="goods", server_default="goods")
    # The quantity the booth brought to the fair (thousandths of its unit); None: not counted.
    stock: Mapped[int | None] = mapped_column(sa.BigInteger)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    # When it was withdrawn (active set false): a till that was offline may still record a
    # sale of it made before that moment.
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Its picture's version, read with it; the picture itself is fetched apart.
    picture_version: Mapped[str | None] = column_property(
        sa.select(ProductPicture.version)
        .where(ProductPicture.product_id == id)
        .correlate_except(ProductPicture)
        .scalar_subquery()
    )


class ProductPrice(Model):
    """Every price a product has had, from when: a till that was offline sends the price
    it showed, and the sale is recorded at it if the product had it during the fair."""

    __tablename__ = "product_prices"
    __table_args__ = (sa.Index(None, "product_id", "set_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(sa.ForeignKey("products.id"))
    unit_price: Mapped[int] = mapped_column(sa.BigInteger)
    set_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


# Whatever writes a product (the API, the set-up pages, the import), in the same flush: a
# new price is kept in the history, and a withdrawal is dated.
def _record_price(connection, product: Product) -> None:
    connection.execute(
        sa.insert(ProductPrice.__table__).values(
            product_id=product.id, unit_price=product.unit_price, set_at=utcnow()
        )
    )


@sa.event.listens_for(Product, "after_insert")
def _first_price(mapper, connection, product: Product) -> None:
    _record_price(connection, product)


@sa.event.listens_for(Product, "before_update")
def _date_withdrawal(mapper, connection, product: Product) -> None:
    if sa.inspect(product).attrs.active.history.has_changes():
        product.withdrawn_at = None if product.active else utcnow()


@sa.event.listens_for(Product, "after_update")
def _new_price(mapper, connection, product: Product) -> None:
    if sa.inspect(product).attrs.unit_price.history.has_changes():
        _record_price(connection, product)
