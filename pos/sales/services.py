from __future__ import annotations

import secrets
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from flask import current_app

from pos.auth.principal import Principal
from pos.catalogue.models import Product
from pos.core.db import utcnow
from pos.core.errors import fail, invalid
from pos.events.services import event_bounds, local_date
from pos.exhibitors.models import Exhibitor, ExhibitorLedger
from pos.extensions import db
from pos.sales.models import Payment, Sale, SaleLine, SaleVoid
from pos.sales.pricing import price_sale


def _check_sold_at(exhibitor: Exhibitor, sold_at: datetime, now: datetime) -> None:
    ahead = timedelta(seconds=current_app.config["POS_SOLD_AT_MAX_AHEAD_SECONDS"])
    if sold_at > now + ahead:
        invalid("sold_at", "Is in the future; check the device's clock.")
    start, end = event_bounds(exhibitor.event)
    if not start <= sold_at < end:
        invalid(
            "sold_at",
            f"Outside the fair ({exhibitor.event.starts_on} to {exhibitor.event.ends_on}).",
        )


def _next_receipt_number(exhibitor_id: int) -> int:
    """Take the exhibitor's next number; the row stays locked until the sale commits."""
    return db.session.execute(
        sa.update(ExhibitorLedger)
        .where(ExhibitorLedger.exhibitor_id == exhibitor_id)
        .values(last_receipt_number=ExhibitorLedger.last_receipt_number + 1)
        .returning(ExhibitorLedger.last_receipt_number)
    ).scalar_one()


def record_sale(exhibitor: Exhibitor, principal: Principal, data: dict) -> Sale:
    now = utcnow()
    sold_at = data.get("sold_at") or now
    _check_sold_at(exhibitor, sold_at, now)
    product_ids = {line["product_id"] for line in data["lines"]}
    products = {
        p.id: p
        for p in db.session.scalars(
            sa.select(Product).where(
                Product.id.in_(product_ids), Product.exhibitor_id == exhibitor.id
            )
        )
    }
    lines, payments, total = price_sale(data, products)

    number = _next_receipt_number(exhibitor.id)
    sale = Sale(
        public_id=secrets.token_hex(16),
        event_id=exhibitor.event_id,
        exhibitor_id=exhibitor.id,
        receipt_seq=number,
        receipt_number=f"{exhibitor.booth}-{number:06d}",
        total=total,
        sold_at=sold_at,
        recorded_at=now,
        local_date=local_date(exhibitor.event, sold_at),
        user_id=principal.user_id,
        device_id=principal.device_id,
    )
    sale.lines = [
        SaleLine(
            position=i,
            product_id=line.product.id,
            name=line.product.name,
            name_ar=line.product.name_ar,
            unit=line.product.unit,
            quantity=line.quantity,
            unit_price=line.unit_price,
            discount=line.discount,
            line_total=line.line_total,
        )
        for i, line in enumerate(lines)
    ]
    sale.payments = [
        Payment(position=i, method=p.method, amount=p.amount, tendered=p.tendered, change=p.change)
        for i, p in enumerate(payments)
    ]
    db.session.add(sale)
    db.session.flush()
    return sale


def void_sale(sale: Sale, principal: Principal, reason: str) -> Sale:
    if sale.void is not None:
        fail(409, f"Sale {sale.receipt_number} is already voided.")
    sale.void = SaleVoid(reason=reason, user_id=principal.user_id, device_id=principal.device_id)
    db.session.flush()
    return sale


def load_sale(sale_id: int) -> Sale:
    # Access was checked on the path by pos.auth.ownership.
    return db.session.get(Sale, sale_id)


def sales_query(exhibitor: Exhibitor, day: date | None) -> sa.Select:
    query = sa.select(Sale).where(Sale.exhibitor_id == exhibitor.id)
    if day is not None:
        query = query.where(Sale.local_date == day)
    return query.order_by(Sale.receipt_seq.desc())
