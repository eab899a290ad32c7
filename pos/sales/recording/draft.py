"""A sale made ready before the write lock: its time checked (and corrected for a till's
wrong clock), priced, numbered and sealed on its booth's chain end as read."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from flask import current_app

from pos.auth.principal import Principal
from pos.catalogue.models import Product, ProductPrice
from pos.core.errors import invalid
from pos.core.fair_clock import fair_now
from pos.core.messages import N_
from pos.events.services import event_bounds, local_date
from pos.exhibitors import ledger
from pos.exhibitors.ledger import LedgerHead
from pos.members.models import Member
from pos.printing import queue as print_queue
from pos.sales.models import Payment, Sale, SaleFacts, SaleLine, receipt_number
from pos.sales.recording.pricing import price_sale
from pos.sales.schemas import SaleSchema

SALE_SCHEMA = SaleSchema()
_SALES, _LINES, _PAYMENTS = Sale.__table__, SaleLine.__table__, Payment.__table__

# A till's clock within this of the server's is taken as right.
CLOCK_TOLERANCE = timedelta(seconds=120)


@dataclass(slots=True)
class NewLine:
    position: int
    product_id: int
    name: str
    name_ar: str
    unit: str
    quantity: int
    unit_price: int
    discount: int
    line_total: int
    vat_rate: int | None  # None: the booth is exempt


@dataclass(slots=True)
class NewPayment:
    position: int
    method: str
    amount: int
    tendered: int | None
    change: int


@dataclass(slots=True)
class NewSale(SaleFacts):
    """A sale being recorded, before it is written: a ``Sale``'s columns and facts, not an
    ORM object (a sale is written as rows; the ORM's instrumented attributes cost a sale
    more than its inserts)."""

    id: int | None  # PostgreSQL: drawn with the booth's row; SQLite: known once inserted
    public_id: str
    event_id: int
    exhibitor_id: int
    total: int
    sold_at: datetime
    device_sold_at: datetime | None
    recorded_at: datetime
    local_date: date
    user_id: int | None
    device_id: int | None
    print_status: str
    lines: list[NewLine]
    payments: list[NewPayment]
    void: None = None
    # Its link in the booth's chain: set by ``link``, again if the chain moved on.
    period_date: date | None = None
    late: bool = False
    receipt_seq: int = 0
    receipt_number: str = ""
    chain_seq: int = 0
    prev_hash: str = ""
    hash: str = ""
    member_id: int | None = None


@dataclass
class Draft:
    """A sale checked, priced and sealed on the chain's end ``head`` as read, with the rows
    and the answer a ``pos.sales.recording.writer.SaleWriter`` writes."""

    booth: sa.Row
    sale: NewSale
    head: LedgerHead
    job_row: dict | None
    sale_row: dict = field(init=False)
    line_rows: list[dict] = field(init=False)
    payment_rows: list[dict] = field(init=False)
    answer: dict = field(init=False)

    def __post_init__(self) -> None:
        self.link(self.head)

    def link(self, head: LedgerHead) -> None:
        """Number and seal the sale as the link after ``head``; its rows and answer."""
        sale = self.sale
        self.head = head
        sale.period_date, sale.late = accounting_period(sale.local_date, head.last_closed_date)
        sale.receipt_seq = head.receipt_number
        sale.receipt_number = receipt_number(self.booth.booth, head.receipt_number)
        sale.chain_seq, sale.prev_hash = head.chain_seq, head.prev_hash
        sale.hash = ledger.seal_sale(sale)
        self.sale_row = _columns(sale, _SALES)
        self.line_rows = [_columns(line, _LINES) for line in sale.lines]
        self.payment_rows = [_columns(payment, _PAYMENTS) for payment in sale.payments]
        self.answer = SALE_SCHEMA.dump(sale)


def _columns(record, table: sa.Table) -> dict:
    return {c.key: getattr(record, c.key) for c in table.columns if c.key not in ("id", "sale_id")}


def corrected_sold_at(
    sold_at: datetime | None, device_clock: datetime | None, now: datetime
) -> tuple[datetime, datetime | None]:
    """(sold_at as recorded, the device's own sold_at when it was corrected, else None).
    A till sends its clock with each request: when it is off by more than
    ``CLOCK_TOLERANCE``, the sale's time is moved by the same difference (a phone three days
    behind sold it today, not three days ago)."""
    if sold_at is None:
        return now, None
    if device_clock is None or abs(now - device_clock) <= CLOCK_TOLERANCE:
        return sold_at, None
    return sold_at + (now - device_clock), sold_at


def accounting_period(day: date, last_closed: date | None) -> tuple[date, bool]:
    """(period, late): a sale of a closed day goes into the next open one, marked late."""
    if last_closed is None or day > last_closed:
        return day, False
    return last_closed + timedelta(days=1), True


def _check_sold_at(booth: sa.Row, sold_at: datetime, now: datetime) -> None:
    ahead = timedelta(seconds=current_app.config["POS_SOLD_AT_MAX_AHEAD_SECONDS"])
    if sold_at > now + ahead:
        invalid("sold_at", N_("Is in the future; check the device's clock."))
    start, end = event_bounds(booth)
    if not start <= sold_at < end:
        invalid(
            "sold_at",
            N_(
                "Outside the fair (%(start)s to %(end)s).", start=booth.starts_on, end=booth.ends_on
            ),
        )


_PRICES = ProductPrice.__table__
_PRICE_HISTORY = (
    sa.select(_PRICES.c.unit_price, _PRICES.c.set_at)
    .where(_PRICES.c.product_id == sa.bindparam("product_id"))
    .order_by(_PRICES.c.set_at, _PRICES.c.id)
)


def price_history(connection: sa.Connection, booth: sa.Row):
    """``had_price(product_id, price)``: whether the product had ``price`` at some moment
    of the booth's fair (each price holds from when it was set until the next one)."""

    def had_price(product_id: int, price: int) -> bool:
        # Only asked for a price that is not the current one: most sales never come here.
        start, end = event_bounds(booth)
        rows = connection.execute(_PRICE_HISTORY, {"product_id": product_id}).all()
        for row, following in zip(rows, [*rows[1:], None], strict=True):
            until = following.set_at if following is not None else None
            if row.unit_price == price and row.set_at < end and (until is None or until > start):
                return True
        return False

    return had_price


_PRODUCTS = Product.__table__
# Built once: every sale runs it. Rows, not objects: pricing only reads them.
_PRODUCTS_OF_SALE = sa.select(
    _PRODUCTS.c.id,
    _PRODUCTS.c.name,
    _PRODUCTS.c.name_ar,
    _PRODUCTS.c.unit,
    _PRODUCTS.c.unit_price,
    _PRODUCTS.c.open_price,
    _PRODUCTS.c.active,
    _PRODUCTS.c.withdrawn_at,
    _PRODUCTS.c.vat_rate,
).where(
    _PRODUCTS.c.id.in_(sa.bindparam("product_ids", expanding=True)),
    _PRODUCTS.c.exhibitor_id == sa.bindparam("exhibitor_id"),
)


_MEMBER_OF_BOOTH = sa.select(Member.id).where(
    Member.id == sa.bindparam("member_id"), Member.exhibitor_id == sa.bindparam("exhibitor_id")
)


def _check_member(connection: sa.Connection, booth: sa.Row, member_id: int) -> None:
    """The member who sold is one of the booth's (a member set inactive since still sold)."""
    found = connection.execute(
        _MEMBER_OF_BOOTH, {"member_id": member_id, "exhibitor_id": booth.id}
    ).first()
    if found is None:
        invalid("member_id", N_("Not a member of this booth."))


def prepare_sale(
    connection: sa.Connection, booth: sa.Row, principal: Principal, data: dict
) -> Draft:
    """Check, price and seal a sale into a ``Draft`` linked to the booth's chain as it
    stands (``pos.sales.recording.booth``); reads only, so it runs before the write lock."""
    now = fair_now(connection.engine)
    sold_at, device_sold_at = corrected_sold_at(data.get("sold_at"), data.get("device_clock"), now)
    _check_sold_at(booth, sold_at, now)
    product_ids = sorted({line["product_id"] for line in data["lines"]})
    products = {
        row.id: row
        for row in connection.execute(
            _PRODUCTS_OF_SALE, {"exhibitor_id": booth.id, "product_ids": product_ids}
        )
    }
    lines, payments, total = price_sale(data, products, sold_at, price_history(connection, booth))
    member_id = data.get("member_id")
    if member_id is not None:
        _check_member(connection, booth, member_id)
    job = None
    if booth.printer_paper_mm is not None:
        job = print_queue.new_job_row(
            booth.id, "receipt", booth.printer_paper_mm, now, booth.printer_on_device
        )
    subject_to_vat = booth.vat_status == "subject"
    sale = NewSale(
        id=booth.next_sale_id,
        public_id=secrets.token_hex(16),
        event_id=booth.event_id,
        exhibitor_id=booth.id,
        total=total,
        sold_at=sold_at,
        device_sold_at=device_sold_at,
        recorded_at=now,
        local_date=local_date(booth, sold_at),
        user_id=principal.user_id,
        device_id=principal.device_id,
        member_id=member_id,
        print_status=job["status"] if job else "no_printer",
        lines=[
            NewLine(
                position=i,
                product_id=line.product.id,
                name=line.product.name,
                name_ar=line.product.name_ar,
                unit=line.product.unit,
                quantity=line.quantity,
                unit_price=line.unit_price,
                discount=line.discount,
                line_total=line.line_total,
                vat_rate=line.product.vat_rate if subject_to_vat else None,
            )
            for i, line in enumerate(lines)
        ],
        payments=[
            NewPayment(
                position=i, method=p.method, amount=p.amount, tendered=p.tendered, change=p.change
            )
            for i, p in enumerate(payments)
        ],
    )
    return Draft(booth, sale, ledger.head_of(booth), job)
