"""What is left of what a booth brought: the quantity brought less what its sales took,
voided sales putting theirs back."""

from __future__ import annotations

import sqlalchemy as sa

from pos.catalogue.models import Product
from pos.exhibitors.models import Exhibitor
from pos.extensions import db
from pos.sales.models import Sale, SaleLine, SaleVoid

# Little is left when at most a fifth of what was brought is: the till warns.
LOW_SHARE_DIVISOR = 5


def is_low(brought: int, left: int) -> bool:
    return left * LOW_SHARE_DIVISOR <= brought


def sold_quantities(exhibitor_id: int) -> dict[int, int]:
    """Product id: the quantity its sales not voided took (thousandths)."""
    rows = db.session.execute(
        sa.select(SaleLine.product_id, sa.func.sum(SaleLine.quantity))
        .join(Sale, Sale.id == SaleLine.sale_id)
        .outerjoin(SaleVoid, SaleVoid.sale_id == Sale.id)
        .where(Sale.exhibitor_id == exhibitor_id, SaleVoid.id.is_(None))
        .group_by(SaleLine.product_id)
    )
    return {product_id: int(quantity) for product_id, quantity in rows}


def stock_of(exhibitor: Exhibitor) -> list[dict]:
    """Each counted product of the booth: brought, sold, left, and whether little is left.
    Left may be below zero when more was sold than was counted in."""
    products = db.session.scalars(
        sa.select(Product)
        .where(Product.exhibitor_id == exhibitor.id, Product.stock.is_not(None))
        .order_by(Product.name, Product.id)
    ).all()
    sold = sold_quantities(exhibitor.id)
    rows = []
    for product in products:
        brought = product.stock or 0
        taken = sold.get(product.id, 0)
        rows.append(
            {
                "product_id": product.id,
                "name": product.name,
                "name_ar": product.name_ar,
                "unit": product.unit,
                "active": product.active,
                "brought": brought,
                "sold": taken,
                "left": brought - taken,
                "low": is_low(brought, brought - taken),
            }
        )
    return rows
