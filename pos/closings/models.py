from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from pos.core.db import UTCDateTime
from pos.core.ownership import owned_by_exhibitor
from pos.extensions import Model


@owned_by_exhibitor("closing_id", "closing")
class Closing(Model):
    """A booth's daily closing (Z): the period's totals, sealed and chained.

    A closing covers every sale accounted in the days after the previous
    closing up to ``business_date``; ``chain_seq``/``chain_hash`` anchor the
    sales chain's head at that moment, so records removed later are noticed.
    """

    __tablename__ = "closings"
    __table_args__ = (
        sa.UniqueConstraint("exhibitor_id", "number"),
        sa.UniqueConstraint("exhibitor_id", "business_date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    exhibitor_id: Mapped[int] = mapped_column(sa.ForeignKey("exhibitors.id"))
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id"))
    number: Mapped[int]
    business_date: Mapped[date]
    period_from: Mapped[date | None]  # first day covered; None: from the start
    sales_count: Mapped[int]
    voided_count: Mapped[int]
    late_count: Mapped[int]
    gross: Mapped[int] = mapped_column(sa.BigInteger)
    voided: Mapped[int] = mapped_column(sa.BigInteger)
    net: Mapped[int] = mapped_column(sa.BigInteger)
    # {"cash": 12500, ...}: net of voids, canonical JSON
    by_method: Mapped[str] = mapped_column(sa.Text)
    cash_expected: Mapped[int] = mapped_column(sa.BigInteger)
    cash_counted: Mapped[int | None] = mapped_column(sa.BigInteger)
    cash_difference: Mapped[int | None] = mapped_column(sa.BigInteger)
    grand_total: Mapped[int] = mapped_column(sa.BigInteger)
    chain_seq: Mapped[int]
    chain_hash: Mapped[str] = mapped_column(sa.String(64))
    closed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    device_id: Mapped[int | None] = mapped_column(sa.ForeignKey("devices.id"))
    prev_hash: Mapped[str] = mapped_column(sa.String(64))
    hash: Mapped[str] = mapped_column(sa.String(64))
