"""What a fair brought beyond its sales: orders to deliver later (their value) and business
contacts, counted by sector and province for the impact report; a booth's own listed on
its statement."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence

import sqlalchemy as sa

from pos.contacts.models import Contact
from pos.core import labels
from pos.core.money import format_money, format_quantity
from pos.events.models import Event
from pos.exhibitors.models import Exhibitor
from pos.extensions import db
from pos.orders.models import Order
from pos.orders.services import shown


def _counts(event: Event, exhibitor_id: int | None) -> tuple[dict, dict]:
    """Per booth: (orders, value, deposits), and contacts per kind."""
    orders = sa.select(
        Order.exhibitor_id,
        sa.func.count(),
        sa.func.coalesce(sa.func.sum(Order.total), 0),
        sa.func.coalesce(sa.func.sum(Order.deposit), 0),
    ).where(Order.event_id == event.id)
    contacts = sa.select(Contact.exhibitor_id, Contact.kind, sa.func.count()).where(
        Contact.event_id == event.id
    )
    if exhibitor_id is not None:
        orders = orders.where(Order.exhibitor_id == exhibitor_id)
        contacts = contacts.where(Contact.exhibitor_id == exhibitor_id)
    per_booth = {
        booth: (count, int(value), int(deposits))
        for booth, count, value, deposits in db.session.execute(orders.group_by(Order.exhibitor_id))
    }
    kinds: defaultdict[int, dict[str, int]] = defaultdict(dict)
    for booth, kind, count in db.session.execute(
        contacts.group_by(Contact.exhibitor_id, Contact.kind)
    ):
        kinds[booth][kind] = count
    return per_booth, kinds


def _rows(
    exhibitors: Sequence[Exhibitor],
    per_booth: dict,
    kinds: dict,
    key: Callable[[Exhibitor], str],
    label: Callable[[str], str],
) -> list[dict]:
    groups: defaultdict[str, dict[str, int]] = defaultdict(
        lambda: {"orders": 0, "value": 0, "contacts": 0}
    )
    for exhibitor in exhibitors:
        count, value, _ = per_booth.get(exhibitor.id, (0, 0, 0))
        contacts = sum(kinds.get(exhibitor.id, {}).values())
        if count or contacts:
            group = groups[key(exhibitor)]
            group["orders"] += count
            group["value"] += value
            group["contacts"] += contacts
    ordered = sorted(groups.items(), key=lambda item: (-item[1]["value"], -item[1]["contacts"]))
    return [
        {
            "key": group,
            "label": label(group),
            "orders": figures["orders"],
            "orders_value": format_money(figures["value"]),
            "contacts": figures["contacts"],
        }
        for group, figures in ordered
    ]


def orders_and_contacts(
    event: Event, exhibitors: Sequence[Exhibitor], exhibitor_id: int | None = None
) -> dict:
    """The fair's orders and contacts (with ``exhibitor_id``, one booth's), by sector and
    province; ``exhibitors``: the booths the report covers."""
    per_booth, kinds = _counts(event, exhibitor_id)
    by_kind: defaultdict[str, int] = defaultdict(int)
    for booth_kinds in kinds.values():
        for kind, count in booth_kinds.items():
            by_kind[kind] += count
    return {
        "orders": sum(count for count, _, _ in per_booth.values()),
        "orders_value": format_money(sum(value for _, value, _ in per_booth.values())),
        "deposits": format_money(sum(deposits for _, _, deposits in per_booth.values())),
        "contacts": sum(by_kind.values()),
        "exhibitors_with_orders": len(per_booth),
        "by_sector": _rows(exhibitors, per_booth, kinds, lambda e: e.sector, labels.sector),
        "by_province": _rows(exhibitors, per_booth, kinds, lambda e: e.province, labels.province),
        "by_contact_kind": [
            {"key": kind, "label": labels.contact_kind(kind), "contacts": count}
            for kind, count in sorted(by_kind.items(), key=lambda item: (-item[1], item[0]))
        ],
    }


def booth_orders(exhibitor: Exhibitor) -> list[dict]:
    """The booth's orders for its statement, by delivery date."""
    orders = db.session.scalars(
        sa.select(Order)
        .where(Order.exhibitor_id == exhibitor.id)
        .order_by(Order.delivery_date, Order.id)
    ).all()
    return [
        {
            "id": order["id"],
            "buyer_name": order["buyer_name"],
            "buyer_phone": order["buyer_phone"],
            "delivery_date": order["delivery_date"].isoformat(),
            "lines": [
                {
                    "name": line.name,
                    "name_ar": line.name_ar,
                    "unit": line.unit,
                    "quantity": format_quantity(line.quantity),
                }
                for line in order["lines"]
            ],
            "total": format_money(order["total"]),
            "deposit": format_money(order["deposit"]),
            "deposit_receipt": order["deposit_sale"].receipt_number
            if order["deposit_sale"]
            else None,
        }
        for order in shown(list(orders))
    ]


def booth_contacts(exhibitor: Exhibitor) -> list[dict]:
    contacts = db.session.scalars(
        sa.select(Contact)
        .where(Contact.exhibitor_id == exhibitor.id)
        .order_by(Contact.made_at, Contact.id)
    )
    return [
        {
            "id": contact.id,
            "kind": contact.kind,
            "name": contact.name,
            "phone": contact.phone,
            "interest": contact.interest,
            "made_at": contact.made_at.isoformat(),
        }
        for contact in contacts
    ]
