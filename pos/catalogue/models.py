from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from pos.core.db import UTCDateTime, utcnow
from pos.extensions import db

UNITS = ("piece", "kg", "g", "l")


class Product(db.Model):
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
    sku: Mapped[str | None] = mapped_column(sa.String(64))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
