"""Orders taken at a booth: checked against its catalogue, priced, kept; the deposit is a
sale of its own, found by the key the till sent it with."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from pos.auth.principal import Principal
from pos.catalogue.models import Product
from pos.core.db import utcnow
from pos.core.errors import invalid, not_found
from pos.core.messages import N_
from pos.core.money import line_amount
from pos.exhibitors.models import Exhibitor
from pos.extensions import db
from pos.members.services import check_member_of
from pos.orders.models import Order, OrderLine
from pos.sales.models import IdempotencyRecord, Sale

DELIVERY_HORIZON = timedelta(days=2 * 366)


def _lines(exhibitor: Exhibitor, lines: list[dict]) -> list[OrderLine]:
    ids = {line["product_id"] for line in lines}
    products = {
        p.id: p
        for p in db.session.scalars(
            sa.select(Product).where(Product.id.in_(ids), Product.exhibitor_id == exhibitor.id)
        )
    }
    made = []
    for position, line in enumerate(lines):
        product = products.get(line["product_id"])
        if product is None or product.kind != "goods":
            invalid(f"lines.{position}.product_id", N_("Not a product of this booth."))
        price = line.get("unit_price", product.unit_price)
        amount = line_amount(line["quantity"], price)
        if line["discount"] > amount:
            invalid(f"lines.{position}.discount", N_("Cannot exceed the line amount."))
        made.append(
            OrderLine(
                position=position,
                product_id=product.id,
                name=product.name,
                name_ar=product.name_ar,
                unit=product.unit,
                quantity=line["quantity"],
                unit_price=price,
                discount=line["discount"],
                line_total=amount - line["discount"],
            )
        )
    return made


def create_order(exhibitor: Exhibitor, data: dict, principal: Principal) -> Order:
    event = exhibitor.event
    delivery = data["delivery_date"]
    if not event.starts_on <= delivery <= event.starts_on + DELIVERY_HORIZON:
        invalid("delivery_date", N_("From the fair's first day to two years after."))
    check_member_of(exhibitor, data.get("member_id"))
    lines = _lines(exhibitor, data["lines"])
    total = sum(line.line_total for line in lines)
    if data["deposit"] > total:
        invalid("deposit", N_("Cannot exceed the order's total."))
    if data["deposit"] and not data.get("deposit_key"):
        invalid("deposit_key", N_("The key of the deposit's sale is required with a deposit."))
    order = Order(
        event_id=event.id,
        exhibitor_id=exhibitor.id,
        buyer_name=data["buyer_name"].strip(),
        buyer_phone=data["buyer_phone"].strip(),
        delivery_date=delivery,
        note=data.get("note") or None,
        total=total,
        deposit=data["deposit"],
        deposit_key=data.get("deposit_key") if data["deposit"] else None,
        made_at=data.get("made_at") or utcnow(),
        user_id=principal.user_id,
        device_id=principal.device_id,
        member_id=data.get("member_id"),
        lines=lines,
    )
    db.session.add(order)
    db.session.flush()
    return order


def deposit_sales(orders: list[Order]) -> dict[int, Sale]:
    """Order id: the sale its deposit was recorded as, for those the server has."""
    keyed = {(o.exhibitor_id, o.deposit_key): o.id for o in orders if o.deposit_key}
    if not keyed:
        return {}
    rows = db.session.execute(
        sa.select(IdempotencyRecord.exhibitor_id, IdempotencyRecord.key, Sale)
        .join(Sale, Sale.id == IdempotencyRecord.sale_id)
        .where(sa.tuple_(IdempotencyRecord.exhibitor_id, IdempotencyRecord.key).in_(list(keyed)))
    )
    return {keyed[(exhibitor_id, key)]: sale for exhibitor_id, key, sale in rows}


def shown(orders: list[Order]) -> list[dict]:
    """Orders as answered: each with its deposit's sale, when recorded."""
    sales = deposit_sales(orders)
    return [{**_fields(order), "deposit_sale": sales.get(order.id)} for order in orders]


def _fields(order: Order) -> dict:
    return {column.key: getattr(order, column.key) for column in Order.__table__.columns} | {
        "lines": order.lines
    }


def orders_query(exhibitor: Exhibitor) -> sa.Select:
    return (
        sa.select(Order)
        .where(Order.exhibitor_id == exhibitor.id)
        .order_by(Order.made_at.desc(), Order.id.desc())
    )


def load_order(order_id: int) -> Order:
    return db.session.get(Order, order_id) or not_found("order")
