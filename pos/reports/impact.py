"""The economic-impact report: income per exhibitor and its breakdowns.

Five aggregate queries (``queries.run_all``): the sales per booth and day give every
income figure; the lines of completed sales per product give items sold and the top
products; the payments give the methods; the sales per hour and the VAT per rate. The
breakdowns by legal form, province, sector, day and women's share are roll-ups
of their few thousand rows.
"""

from __future__ import annotations

from collections import defaultdict

import sqlalchemy as sa

from pos.catalogue.models import Product
from pos.core import labels
from pos.core.db import utcnow
from pos.core.money import format_money, format_quantity
from pos.events.models import Event
from pos.events.services import local_date
from pos.exhibitors.models import Exhibitor
from pos.extensions import db
from pos.reports import queries
from pos.reports.coverage import coverage
from pos.reports.indicators import growth, indicators
from pos.reports.orders_contacts import orders_and_contacts
from pos.reports.services import (
    WOMEN_SHARE_BUCKETS,
    ZERO,
    add_figures,
    avg_basket,
    breakdown,
    by_local_hour,
    exhibitors_of,
    roll_up,
    women_share_label,
)
from pos.sales.models import Sale


def _women_share(exhibitor: Exhibitor) -> str:
    if not exhibitor.members or exhibitor.women_members is None:
        return "unknown"
    share = 100 * exhibitor.women_members / exhibitor.members
    return next(key for low, high, key in WOMEN_SHARE_BUCKETS if low <= share < high)


def impact_report(event: Event, exhibitor_id: int | None = None) -> dict:
    """The fair's report; with ``exhibitor_id`` (a cashier's view) only that booth."""
    sale_cells, product_cells, method_cells, hour_cells, vat_cells = queries.run_all(
        queries.figures_query(
            Sale.exhibitor_id, Sale.local_date, event_id=event.id, exhibitor_id=exhibitor_id
        ),
        queries.product_cells(event.id, exhibitor_id),
        queries.methods_query(event.id, exhibitor_id=exhibitor_id),
        queries.hours_query(event.id, None, exhibitor_id),
        queries.vat_query(event.id, exhibitor_id=exhibitor_id),
    )
    vat_of, vat_by_rate = queries.vat_collected(vat_cells)
    exhibitors = [e for e in exhibitors_of(event) if exhibitor_id in (None, e.id)]

    per_exhibitor: defaultdict[int, dict] = defaultdict(dict)
    per_day: defaultdict[str, dict] = defaultdict(dict)
    totals = dict(ZERO)
    net_by_booth_day: dict = {}
    for cell in sale_cells:
        figures = queries.figures(cell)
        net_by_booth_day[(cell.exhibitor_id, cell.local_date)] = figures["net"]
        add_figures(per_exhibitor[cell.exhibitor_id], figures)
        add_figures(per_day[cell.local_date.isoformat()], figures)
        add_figures(totals, figures)

    catalogue = {
        product.id: product
        for product in db.session.scalars(
            sa.select(Product).where(Product.id.in_([cell.product_id for cell in product_cells]))
        )
    }
    items: defaultdict[int, int] = defaultdict(int)
    for cell in product_cells:
        items[catalogue[cell.product_id].exhibitor_id] += int(cell.items or 0)

    rows = []
    for exhibitor in exhibitors:
        figures = per_exhibitor.get(exhibitor.id) or dict(ZERO)
        rows.append(
            {
                "exhibitor_id": exhibitor.id,
                "booth": exhibitor.booth,
                "name": exhibitor.name,
                "name_ar": exhibitor.name_ar,
                "legal_form": exhibitor.legal_form,
                "province": exhibitor.province,
                "sector": exhibitor.sector,
                "members": exhibitor.members,
                "women_members": exhibitor.women_members,
                "net": format_money(figures["net"]),
                "sales_count": figures["sales_count"],
                "avg_basket": format_money(avg_basket(figures["net"], figures["sales_count"])),
                "items_sold": items[exhibitor.id],
                "vat_collected": format_money(vat_of.get(exhibitor.id, 0)),
            }
        )
    groups = {
        name: roll_up(exhibitors, per_exhibitor, key)
        for name, key in (
            ("legal_form", lambda e: e.legal_form),
            ("province", lambda e: e.province),
            ("sector", lambda e: e.sector),
            ("women_share", _women_share),
        )
    }

    top = sorted(product_cells, key=lambda cell: (-int(cell.net), cell.product_id))[:10]
    by_id = {exhibitor.id: exhibitor for exhibitor in exhibitors}
    paid = {cell.method: int(cell.amount) for cell in method_cells}
    net_of = {key: figures["net"] for key, figures in per_exhibitor.items()}
    report = {
        "event": {
            "id": event.id,
            "name": event.name,
            "name_ar": event.name_ar,
            "starts_on": event.starts_on.isoformat(),
            "ends_on": event.ends_on.isoformat(),
            "timezone": event.timezone,
        },
        "currency": event.currency,
        "exhibitors": rows,
        "totals": {
            "net": format_money(totals["net"]),
            "gross": format_money(totals["gross"]),
            "voided": format_money(totals["voided"]),
            "sales_count": totals["sales_count"],
            "exhibitors": len(exhibitors),
            "exhibitors_selling": sum(1 for f in per_exhibitor.values() if f["sales_count"]),
            "avg_basket": format_money(avg_basket(totals["net"], totals["sales_count"])),
            "avg_net_per_exhibitor": format_money(avg_basket(totals["net"], len(exhibitors))),
            "vat_collected": format_money(sum(vat_of.values())),
        },
        # The VAT in the prices of booths subject to it, rate by rate (in "net").
        "vat_by_rate": vat_by_rate,
        "by_legal_form": breakdown(groups["legal_form"], labels.legal_form),
        "by_province": breakdown(groups["province"], labels.province),
        "by_sector": breakdown(groups["sector"], labels.sector),
        "by_day": sorted(breakdown(per_day, labels.day), key=lambda row: row["key"]),
        "by_hour": by_local_hour(event, hour_cells),
        "by_method": breakdown(
            {
                cell.method: {"net": int(cell.amount), "sales_count": cell.sales}
                for cell in method_cells
            },
            labels.method,
        ),
        "by_women_share": sorted(
            breakdown(groups["women_share"], women_share_label, extra=("exhibitors",)),
            key=lambda row: row["key"],
        ),
        "top_products": [_top_product(cell, catalogue[cell.product_id], by_id) for cell in top],
        "indicators": indicators(event, exhibitors, net_of, paid),
        # Beyond the sales: orders to deliver after the fair, and business contacts.
        "orders_and_contacts": orders_and_contacts(event, exhibitors, exhibitor_id),
        # How complete the figures are: what the server does not hold yet, days not closed.
        "coverage": coverage(event, local_date(event, utcnow()), net_by_booth_day, exhibitor_id),
        "generated_at": utcnow().isoformat(),
        "previous_edition": None
        if exhibitor_id is not None
        else _previous(event, totals, len(exhibitors)),
    }
    return report


def _top_product(cell, product: Product, by_id: dict[int, Exhibitor]) -> dict:
    """A best-selling product with the exhibitor who sold it."""
    seller = by_id[product.exhibitor_id]
    return {
        "product_id": product.id,
        "name": product.name,
        "name_ar": product.name_ar,
        "unit": product.unit,
        "exhibitor_id": seller.id,
        "booth": seller.booth,
        "exhibitor_name": seller.name,
        "exhibitor_name_ar": seller.name_ar,
        "quantity": format_quantity(int(cell.quantity)),
        "net": format_money(int(cell.net)),
        "lines": cell.lines,
    }


def _previous(event: Event, totals: dict, exhibitors: int) -> dict | None:
    """The previous edition's figures beside this one's, and the change."""
    if event.previous_event_id is None:
        return None
    previous = db.session.get_one(Event, event.previous_event_id)
    before = queries.totals(previous.id)
    booths = len(exhibitors_of(previous))
    return {
        "event_id": previous.id,
        "name": previous.name,
        "name_ar": previous.name_ar,
        "starts_on": previous.starts_on.isoformat(),
        "ends_on": previous.ends_on.isoformat(),
        "net": format_money(before["net"]),
        "sales_count": before["sales_count"],
        "exhibitors": booths,
        "avg_net_per_exhibitor": format_money(avg_basket(before["net"], booths)),
        "net_growth_percent": growth(totals["net"], before["net"]),
        "sales_growth_percent": growth(totals["sales_count"], before["sales_count"]),
        "exhibitors_growth_percent": growth(exhibitors, booths),
    }
