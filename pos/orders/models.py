from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pos.catalogue.models import Product, ProductPrice
from pos.core.db import UTCDateTime, utcnow
from pos.core.ownership import owned_by_exhibitor
from pos.exhibitors.models import Exhibitor
from pos.extensions import Model

# The product a booth's deposits are sold as: a sale of its own, at the amount paid.
DEPOSIT_NAME, DEPOSIT_NAME_AR = "Acompte sur commande", "عربون على طلبية"


@owned_by_exhibitor("order_id", "order")
class Order(Model):
    """Goods a buyer ordered at the booth, to be delivered after the fair. Not a sale: its
    deposit, when one is paid, is (``deposit_key`` names that sale's Idempotency-Key)."""

    __tablename__ = "orders"
    __table_args__ = (
        sa.CheckConstraint("total >= 0 AND deposit >= 0", name="amounts_not_negative"),
        sa.Index(None, "event_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id"))
    exhibitor_id: Mapped[int] = mapped_column(sa.ForeignKey("exhibitors.id"), index=True)
    buyer_name: Mapped[str] = mapped_column(sa.String(200))
    buyer_phone: Mapped[str] = mapped_column(sa.String(40))
    delivery_date: Mapped[date]
    note: Mapped[str | None] = mapped_column(sa.String(500))
    total: Mapped[int] = mapped_column(sa.BigInteger)
    deposit: Mapped[int] = mapped_column(sa.BigInteger, default=0)
    deposit_key: Mapped[str | None] = mapped_column(sa.String(255))
    # When the till took it, by its own clock; and when the server heard of it.
    made_at: Mapped[datetime] = mapped_column(UTCDateTime)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    device_id: Mapped[int | None] = mapped_column(sa.ForeignKey("devices.id"))
    member_id: Mapped[int | None] = mapped_column(sa.ForeignKey("members.id"))

    lines: Mapped[list[OrderLine]] = relationship(
        order_by="OrderLine.position", lazy="selectin", cascade="all, delete-orphan"
    )


class OrderLine(Model):
    """A line as ordered: name, unit and price copied from the product then, less the
    discount agreed with the buyer."""

    __tablename__ = "order_lines"
    __table_args__ = (
        sa.UniqueConstraint("order_id", "position"),
        sa.CheckConstraint("quantity > 0 AND line_total >= 0", name="amounts_valid"),
        sa.CheckConstraint("discount >= 0", name="discount_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(sa.ForeignKey("orders.id"))
    position: Mapped[int]
    product_id: Mapped[int] = mapped_column(sa.ForeignKey("products.id"), index=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    name_ar: Mapped[str] = mapped_column(sa.String(200))
    unit: Mapped[str] = mapped_column(sa.String(10))
    quantity: Mapped[int] = mapped_column(sa.BigInteger)  # thousandths of the unit
    unit_price: Mapped[int] = mapped_column(sa.BigInteger)
    # Taken off this line's amount, as on a sale's line; line_total is what is left.
    discount: Mapped[int] = mapped_column(sa.BigInteger, default=0, server_default="0")
    line_total: Mapped[int] = mapped_column(sa.BigInteger)


def deposit_product_values(exhibitor_id: int) -> dict:
    return {
        "exhibitor_id": exhibitor_id,
        "name": DEPOSIT_NAME,
        "name_ar": DEPOSIT_NAME_AR,
        "unit": "piece",
        "unit_price": 0,
        "open_price": True,
        "vat_rate": 20,
        "active": True,
        "kind": "deposit",
        "created_at": utcnow(),
        "updated_at": utcnow(),
    }


# Every booth has its deposit product from the start, so that a till offline can take a
# deposit on an order (the migration gave one to the booths of before).
@sa.event.listens_for(Exhibitor, "after_insert")
def _give_deposit_product(mapper, connection, exhibitor: Exhibitor) -> None:
    product_id = connection.execute(
        sa.insert(Product.__table__)
        .values(deposit_product_values(exhibitor.id))
        .returning(Product.__table__.c.id)
    ).scalar_one()
    connection.execute(
        sa.insert(ProductPrice.__table__).values(
            product_id=product_id, unit_price=0, set_at=utcnow()
        )
    )
