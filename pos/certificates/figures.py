"""A booth's sales as of a link of its chain: what a certificate vouches for, and what the
server finds again later for the same link (sales and voids recorded after it leave the
certified figures as they were)."""

from __future__ import annotations

import sqlalchemy as sa

from pos.core.money import format_money, format_quantity
from pos.extensions import db
from pos.sales.models import Sale, SaleLine, SaleVoid


def figures_as_of(exhibitor_id: int, chain_seq: int) -> dict:
    """Sales count, net, by day and by product, counting the records up to ``chain_seq``."""
    voided = sa.select(SaleVoid.sale_id).where(
        SaleVoid.exhibitor_id == exhibitor_id, SaleVoid.chain_seq <= chain_seq
    )
    kept = sa.and_(
        Sale.exhibitor_id == exhibitor_id,
        Sale.chain_seq <= chain_seq,
        Sale.id.not_in(voided),
    )
    days = db.session.execute(
        sa.select(Sale.local_date, sa.func.count(), sa.func.sum(Sale.total))
        .where(kept)
        .group_by(Sale.local_date)
        .order_by(Sale.local_date)
    ).all()
    products = db.session.execute(
        sa.select(
            SaleLine.name,
            SaleLine.name_ar,
            SaleLine.unit,
            sa.func.sum(SaleLine.quantity),
            sa.func.sum(SaleLine.line_total),
        )
        .join(Sale, Sale.id == SaleLine.sale_id)
        .where(kept)
        .group_by(SaleLine.name, SaleLine.name_ar, SaleLine.unit)
        .order_by(sa.func.sum(SaleLine.line_total).desc(), SaleLine.name)
    ).all()
    return {
        "sales_count": sum(count for _, count, _ in days),
        "net": format_money(sum(int(net or 0) for _, _, net in days)),
        "by_day": [
            {"date": day.isoformat(), "sales_count": count, "net": format_money(int(net or 0))}
            for day, count, net in days
        ],
        "by_product": [
            {
                "name": name,
                "name_ar": name_ar,
                "unit": unit,
                "quantity": format_quantity(int(quantity)),
                "net": format_money(int(net)),
            }
            for name, name_ar, unit, quantity, net in products
        ],
    }
