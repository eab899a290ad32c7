from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from types import SimpleNamespace

import sqlalchemy as sa
from flask import Response, current_app

from pos.audit import services as audit
from pos.auth.principal import Principal
from pos.catalogue.models import Product, ProductPrice
from pos.core.db import utcnow
from pos.core.errors import fail, invalid, not_found
from pos.core.group_commit import group_of
from pos.core.messages import N_
from pos.events.models import Event
from pos.events.services import event_bounds, local_date
from pos.exhibitors import ledger
from pos.exhibitors.ledger import LedgerHead
from pos.exhibitors.models import Exhibitor
from pos.extensions import db
from pos.printing import queue as print_queue
from pos.printing.models import PrinterSettings
from pos.sales import idempotency, postgres_write
from pos.sales.models import Payment, Sale, SaleLine, SaleVoid, receipt_number
from pos.sales.pricing import price_sale
from pos.sales.schemas import SaleSchema
from printers.connections import DEVICE

SALE_SCHEMA = SaleSchema()


_EXHIBITORS, _EVENTS, _SETTINGS = (
    Exhibitor.__table__,
    Event.__table__,
    PrinterSettings.__table__,
)
# Built once: every sale runs it. What a sale needs of its booth, its fair and its chain, as
# one row (the ORM's Exhibitor with its joined Event costs a sale more than all its inserts).
_BOOTH_OF_SALE = (
    sa.select(
        _EXHIBITORS.c.id,
        _EXHIBITORS.c.event_id,
        _EXHIBITORS.c.booth,
        _EXHIBITORS.c.vat.label("vat_status"),
        _EVENTS.c.timezone,
        _EVENTS.c.starts_on,
        _EVENTS.c.ends_on,
        *ledger.NEXT_LINK_COLUMNS,
        # The paper of the receipt's print job; None: the booth has no printer.
        _SETTINGS.c.paper_width_mm.label("printer_paper_mm"),
        (_SETTINGS.c.connection == DEVICE).label("printer_on_device"),
    )
    .join_from(_EXHIBITORS, _EVENTS, _EXHIBITORS.c.event_id == _EVENTS.c.id)
    .join(ledger.LEDGER, ledger.LEDGER.c.exhibitor_id == _EXHIBITORS.c.id)
    .outerjoin(_SETTINGS, _SETTINGS.c.exhibitor_id == _EXHIBITORS.c.id)
    .where(_EXHIBITORS.c.id == sa.bindparam("exhibitor_id"))
)
# By dialect (PostgreSQL?): with the Idempotency-Key's record, and on PostgreSQL the
# key's lock and the sale's id drawn.
_BOOTH_OF_SALE_WITH_KEY = {
    False: idempotency.with_key_record(_BOOTH_OF_SALE, _EXHIBITORS.c.id, postgres=False),
    True: idempotency.with_key_record(
        _BOOTH_OF_SALE.add_columns(postgres_write.NEXT_SALE_ID), _EXHIBITORS.c.id, postgres=True
    ),
}


def load_booth(connection: sa.Connection, exhibitor_id: int, key: str) -> sa.Row:
    """The booth a sale is recorded for: ``id``, ``event_id``, ``booth``, its fair's
    ``timezone``, ``starts_on`` and ``ends_on``, and its chain's end as it stands
    (``ledger.head_of``), its printer's ``printer_paper_mm``, the booth's record of the
    Idempotency-Key ``key`` (``idempotency.replay`` reads it), and on PostgreSQL the sale's
    id to be, ``next_sale_id``. Access was checked on the path by pos.core.ownership."""
    query = _BOOTH_OF_SALE_WITH_KEY[connection.dialect.name == "postgresql"]
    booth = connection.execute(
        query, {"exhibitor_id": exhibitor_id, **idempotency.key_params(exhibitor_id, key)}
    ).one_or_none()
    if booth is None:
        not_found("exhibitor")
    return booth


# A till's clock within this of the server's is taken as right.
CLOCK_TOLERANCE = timedelta(seconds=120)


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


def accounting_period(day: date, last_closed: date | None) -> tuple[date, bool]:
    """(period, late): a sale of a closed day goes into the next open one, marked late."""
    if last_closed is None or day > last_closed:
        return day, False
    return last_closed + timedelta(days=1), True


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


class NewSale(SimpleNamespace):
    """A sale being recorded, before it is written: its columns, ``lines`` and ``payments``
    as plain attributes, read as a ``Sale`` is by the chain's seal and ``SaleSchema``. Not
    an ORM object: a sale is written as rows, and the ORM's instrumented attributes cost a
    sale more than its inserts."""

    status = Sale.status
    hash_prefix = Sale.hash_prefix
    print_status = Sale.print_status
    clock_corrected = Sale.clock_corrected
    as_sold_on_device = Sale.as_sold_on_device
    vat = Sale.vat


@dataclass
class Draft:
    """A sale made ready before the write lock: checked, priced, sealed on the chain's end
    ``head`` as read, with the rows and the answer ``record_sale`` writes."""

    sale: NewSale
    head: LedgerHead
    sale_row: dict
    line_rows: list[dict]
    payment_rows: list[dict]
    job_row: dict | None
    answer: dict


def prepare_sale(
    connection: sa.Connection, booth: sa.Row, principal: Principal, data: dict
) -> Draft:
    """Check, price and seal a sale into a ``Draft`` linked to the booth's chain as it
    stands; reads only, so it runs before the write lock is taken."""
    now = utcnow()
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
    job = None
    if booth.printer_paper_mm is not None:
        job = print_queue.new_job_row(
            booth.id, "receipt", booth.printer_paper_mm, now, booth.printer_on_device
        )
    sale = NewSale(
        id=getattr(booth, "next_sale_id", None),  # SQLite: known once inserted
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
        void=None,
        print_jobs=[SimpleNamespace(**job)] if job else [],
    )
    sale.lines = [
        SimpleNamespace(
            position=i,
            product_id=line.product.id,
            name=line.product.name,
            name_ar=line.product.name_ar,
            unit=line.product.unit,
            quantity=line.quantity,
            unit_price=line.unit_price,
            discount=line.discount,
            line_total=line.line_total,
            vat_rate=line.product.vat_rate if booth.vat_status == "subject" else None,
        )
        for i, line in enumerate(lines)
    ]
    sale.payments = [
        SimpleNamespace(
            position=i, method=p.method, amount=p.amount, tendered=p.tendered, change=p.change
        )
        for i, p in enumerate(payments)
    ]
    return _link(booth, sale, ledger.head_of(booth), job)


def _link(booth: sa.Row, sale: NewSale, head: LedgerHead, job: dict | None) -> Draft:
    """Number and seal the sale as the link after ``head``; its rows and answer."""
    sale.period_date, sale.late = accounting_period(sale.local_date, head.last_closed_date)
    sale.receipt_seq = head.receipt_number
    sale.receipt_number = receipt_number(booth.booth, head.receipt_number)
    sale.chain_seq, sale.prev_hash = head.chain_seq, head.prev_hash
    sale.hash = ledger.seal_sale(sale)
    return Draft(
        sale,
        head,
        _columns(sale, _SALES),
        [_columns(line, _LINES) for line in sale.lines],
        [_columns(payment, _PAYMENTS) for payment in sale.payments],
        job,
        SALE_SCHEMA.dump(sale),
    )


def record_sale(
    connection: sa.Connection, booth: sa.Row, draft: Draft, key: str, request_hash: str
) -> Response:
    """Write a drafted sale, its print job and the key's answer as the next link of the
    booth's chain: the one it was sealed for if the chain has not moved since, else the new
    end; committed. The answer: 201 and the sale."""
    if connection.dialect.name == "postgresql":
        text = idempotency.answer_text(draft.answer)
        key_row = idempotency.record_row(booth.id, key, request_hash, 201, text)
        if not postgres_write.write_sale(connection, draft, key_row):
            # The chain moved on since the sale was sealed: the ordinary way links it anew.
            text = _write_sale(connection, booth, draft, key, request_hash)
    else:
        # With the sales the other threads of this process are writing at this moment:
        # one transaction and one wait for the disk for all of them.
        text = group_of(db.engine).write(
            db.session(),
            lambda writing: _write_sale(writing, booth, draft, key, request_hash),
            current_app.config["POS_SQLITE_BUSY_TIMEOUT_MS"] / 1000,
        )
    return idempotency.answer(text, 201)


def _write_sale(
    connection: sa.Connection,
    booth: sa.Row,
    draft: Draft,
    key: str,
    request_hash: str,
) -> str:
    """The writes of ``record_sale`` on ``connection``; the answer's text. Reads only the
    draft's rows: if the transaction is undone, the same draft can be written again."""
    if not ledger.take(connection, booth.id, draft.head, draft.sale_row["hash"]):
        # Another till of the booth, a void or the day's closing came first: link anew.
        head = ledger.advance(connection, booth.id, receipt=True)
        draft = _link(booth, draft.sale, head, draft.job_row)
        ledger.set_head(connection, booth.id, draft.sale_row["hash"])
    [sale_id] = insert_sales(connection, [draft.sale_row], [draft.line_rows], [draft.payment_rows])
    if draft.job_row is not None:
        print_queue.insert_receipt_job(connection, sale_id, draft.job_row)
    answer = {**draft.answer, "id": sale_id}
    return idempotency.remember(connection, booth.id, key, request_hash, sale_id, 201, answer)


_SALES, _LINES, _PAYMENTS = Sale.__table__, SaleLine.__table__, Payment.__table__
# Built once: every sale runs them.
_INSERT_SALES = sa.insert(_SALES).returning(_SALES.c.id, sort_by_parameter_order=True)
_INSERT_LINES, _INSERT_PAYMENTS = sa.insert(_LINES), sa.insert(_PAYMENTS)


def insert_sales(
    connection: sa.Connection,
    sales: list[dict],
    lines_by_sale: list[list[dict]],
    payments_by_sale: list[list[dict]],
) -> Sequence[int]:
    """Write sales, their lines and their payments as rows, a statement a table (a till's
    sale or a demo fair's thousands); the sales' ids, in order. Rows, not objects: a sale
    is never changed, so the unit of work has nothing to track."""
    ids = connection.execute(_INSERT_SALES, sales).scalars().all()
    for statement, rows_by_sale in (
        (_INSERT_LINES, lines_by_sale),
        (_INSERT_PAYMENTS, payments_by_sale),
    ):
        rows = [
            {**row, "sale_id": sale_id}
            for sale_id, of_sale in zip(ids, rows_by_sale, strict=True)
            for row in of_sale
        ]
        if rows:
            connection.execute(statement, rows)
    return ids


def _columns(record, table: sa.Table) -> dict:
    return {c.key: getattr(record, c.key) for c in table.columns if c.key not in ("id", "sale_id")}


def void_sale(sale: Sale, principal: Principal, reason: str) -> Sale:
    """Append a void record; refused once the sale's day is closed."""
    head = ledger.advance(db.session.connection(), sale.exhibitor_id, receipt=False)
    if sale.void is not None:
        fail(409, N_("Sale %(receipt)s is already voided.", receipt=sale.receipt_number))
    if head.last_closed_date is not None and sale.period_date <= head.last_closed_date:
        fail(
            409,
            N_(
                "The day of sale %(receipt)s is already closed; it cannot be voided.",
                receipt=sale.receipt_number,
            ),
        )
    void = SaleVoid(
        exhibitor_id=sale.exhibitor_id,
        reason=reason,
        voided_at=utcnow(),
        user_id=principal.user_id,
        device_id=principal.device_id,
        chain_seq=head.chain_seq,
        prev_hash=head.prev_hash,
    )
    void.hash = ledger.seal_void(void, sale)
    sale.void = void
    db.session.flush()
    ledger.set_head(db.session.connection(), sale.exhibitor_id, void.hash)
    print_queue.enqueue(sale, "void")
    audit.record(
        "sale.voided",
        principal,
        exhibitor_id=sale.exhibitor_id,
        subject=f"sale:{sale.id}",
        details={"receipt": sale.receipt_number, "reason": reason},
    )
    return sale


def load_sale(sale_id: int) -> Sale:
    # Access was checked on the path by pos.core.ownership; called otherwise, a missing
    # one is still a 404.
    return db.session.get(Sale, sale_id) or not_found("sale")


def sales_query(exhibitor: Exhibitor, day: date | None) -> sa.Select:
    query = sa.select(Sale).where(Sale.exhibitor_id == exhibitor.id)
    if day is not None:
        query = query.where(Sale.local_date == day)
    return query.order_by(Sale.receipt_seq.desc())
