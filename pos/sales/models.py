from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pos.core.db import UTCDateTime, utcnow
from pos.core.ownership import owned_by_exhibitor
from pos.extensions import Model
from pos.printing.models import PrintJob
from pos.sales.vat import breakdown as vat_breakdown

PAYMENT_METHODS = ("cash", "card", "mobile", "transfer", "cheque")


def receipt_number(booth: str, number: int) -> str:
    """What receipts, answers and ``pos verify`` call a sale: "A01-000042"."""
    return f"{booth}-{number:06d}"


class SaleFacts:
    """What a sale tells from its columns, for the stored ``Sale`` and for the sale being
    recorded (``pos.sales.recording.draft.NewSale``) alike: its answer reads the same."""

    __slots__ = ()

    if TYPE_CHECKING:
        sold_at: datetime
        device_sold_at: datetime | None
        hash: str
        lines: Any
        void: Any

    @property
    def status(self) -> str:
        return "voided" if self.void is not None else "completed"

    @property
    def clock_corrected(self) -> bool:
        return self.device_sold_at is not None

    @property
    def as_sold_on_device(self) -> datetime:
        """sold_at as the till's clock said it."""
        return self.device_sold_at or self.sold_at

    @property
    def hash_prefix(self) -> str:
        """Printed on the receipt, to match a paper receipt with its sealed record."""
        return self.hash[:4]

    @property
    def vat(self) -> list[dict] | None:
        """The VAT in its prices, rate by rate; None when its booth was exempt."""
        return vat_breakdown(self.lines)


@owned_by_exhibitor("sale_id", "sale")
class Sale(SaleFacts, Model):
    """A recorded sale. Never updated: a void is a separate record pointing at it."""

    __tablename__ = "sales"
    __table_args__ = (
        sa.UniqueConstraint("exhibitor_id", "receipt_seq"),
        sa.UniqueConstraint("exhibitor_id", "chain_seq"),
        sa.Index(None, "exhibitor_id", "local_date"),
        sa.Index(None, "exhibitor_id", "period_date"),
        sa.Index(None, "event_id", "local_date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Unguessable id for the public receipt page; the numeric id stays internal.
    public_id: Mapped[str] = mapped_column(sa.String(32), unique=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id"))
    exhibitor_id: Mapped[int] = mapped_column(sa.ForeignKey("exhibitors.id"))
    receipt_seq: Mapped[int]
    receipt_number: Mapped[str] = mapped_column(sa.String(40))
    total: Mapped[int] = mapped_column(sa.BigInteger)
    sold_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # The till's own sold_at when its clock was off and sold_at was corrected; else None.
    device_sold_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # The fair day (event time zone) of sold_at, so reports group by it in SQL.
    local_date: Mapped[date]
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    device_id: Mapped[int | None] = mapped_column(sa.ForeignKey("devices.id"))
    # The booth's member who sold, when the till says (members with PINs); sealed in its hash.
    member_id: Mapped[int | None] = mapped_column(sa.ForeignKey("members.id"))
    # The open day it is accounted in: its own day, or the next open one when its
    # day was already closed (an offline till's late sale), then marked late.
    period_date: Mapped[date]
    late: Mapped[bool] = mapped_column(default=False)
    # Its link in the exhibitor's hash chain of sales and voids (pos.core.chain).
    chain_seq: Mapped[int]
    prev_hash: Mapped[str] = mapped_column(sa.String(64))
    hash: Mapped[str] = mapped_column(sa.String(64))

    lines: Mapped[list[SaleLine]] = relationship(
        order_by="SaleLine.position", lazy="selectin", back_populates="sale"
    )
    payments: Mapped[list[Payment]] = relationship(
        order_by="Payment.position", lazy="selectin", back_populates="sale"
    )
    void: Mapped[SaleVoid | None] = relationship(lazy="selectin", back_populates="sale")
    print_jobs: Mapped[list[PrintJob]] = relationship(
        order_by="PrintJob.id", lazy="selectin", viewonly=True
    )

    @property
    def print_status(self) -> str:
        """The state of its latest print job, or "no_printer" when the booth has none."""
        return self.print_jobs[-1].status if self.print_jobs else "no_printer"


class SaleLine(Model):
    """A line as sold: name, unit and price are copied from the product at sale time."""

    __tablename__ = "sale_lines"
    __table_args__ = (
        sa.UniqueConstraint("sale_id", "position"),
        sa.CheckConstraint("quantity > 0", name="quantity_positive"),
        sa.CheckConstraint("discount >= 0 AND line_total >= 0", name="amounts_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    sale_id: Mapped[int] = mapped_column(sa.ForeignKey("sales.id"))
    position: Mapped[int]
    product_id: Mapped[int] = mapped_column(sa.ForeignKey("products.id"), index=True)
    # The VAT rate in its price (percent) when the booth was subject to VAT; None: exempt.
    vat_rate: Mapped[int | None] = mapped_column(sa.SmallInteger)
    name: Mapped[str] = mapped_column(sa.String(200))
    name_ar: Mapped[str] = mapped_column(sa.String(200))
    unit: Mapped[str] = mapped_column(sa.String(10))
    quantity: Mapped[int] = mapped_column(sa.BigInteger)  # thousandths of the unit
    unit_price: Mapped[int] = mapped_column(sa.BigInteger)
    discount: Mapped[int] = mapped_column(sa.BigInteger, default=0)
    line_total: Mapped[int] = mapped_column(sa.BigInteger)

    sale: Mapped[Sale] = relationship(back_populates="lines")


class Payment(Model):
    __tablename__ = "payments"
    __table_args__ = (
        sa.UniqueConstraint("sale_id", "position"),
        sa.CheckConstraint("amount >= 0 AND change >= 0", name="amounts_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    sale_id: Mapped[int] = mapped_column(sa.ForeignKey("sales.id"))
    position: Mapped[int]
    method: Mapped[str] = mapped_column(sa.String(20))
    amount: Mapped[int] = mapped_column(sa.BigInteger)
    tendered: Mapped[int | None] = mapped_column(sa.BigInteger)
    change: Mapped[int] = mapped_column(sa.BigInteger, default=0)

    sale: Mapped[Sale] = relationship(back_populates="payments")


class SaleVoid(Model):
    """Cancels one sale, once (the unique sale_id), with who and why."""

    __tablename__ = "sale_voids"
    __table_args__ = (sa.UniqueConstraint("exhibitor_id", "chain_seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    sale_id: Mapped[int] = mapped_column(sa.ForeignKey("sales.id"), unique=True)
    exhibitor_id: Mapped[int] = mapped_column(sa.ForeignKey("exhibitors.id"))
    chain_seq: Mapped[int]
    prev_hash: Mapped[str] = mapped_column(sa.String(64))
    hash: Mapped[str] = mapped_column(sa.String(64))
    reason: Mapped[str] = mapped_column(sa.String(500))
    voided_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    device_id: Mapped[int | None] = mapped_column(sa.ForeignKey("devices.id"))

    sale: Mapped[Sale] = relationship(back_populates="void")


class IdempotencyRecord(Model):
    """The answer given to a till's Idempotency-Key, written with the sale it made.

    The unique constraint is what makes a retried submission unable to record a
    second sale, whatever the code above it does.
    """

    __tablename__ = "idempotency_records"
    __table_args__ = (sa.UniqueConstraint("exhibitor_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    exhibitor_id: Mapped[int] = mapped_column(sa.ForeignKey("exhibitors.id"))
    key: Mapped[str] = mapped_column(sa.String(255))
    request_hash: Mapped[str] = mapped_column(sa.String(64))
    sale_id: Mapped[int] = mapped_column(sa.ForeignKey("sales.id"), unique=True)
    response_status: Mapped[int]
    response_body: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
