"""The report figures, computed by the database (GROUP BY), never by looping over sales.

A sale counts on the local day (event time zone) of its ``sold_at`` (stored as
``local_date``); a voided sale is in ``gross`` and ``voided`` and out of ``net``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import date

import sqlalchemy as sa

from pos.catalogue.models import Product
from pos.core.db import one_process_in_database
from pos.core.money import format_money
from pos.exhibitors.models import Exhibitor
from pos.extensions import db
from pos.sales.models import Payment, Sale, SaleLine, SaleVoid
from pos.sales.vat import included_vat

# Tested on the join column: PostgreSQL then plans an anti-join with the right row
# estimates (on the void's id it guesses one row and sorts a million on disk).
VOIDED = SaleVoid.sale_id.is_not(None)
COMPLETED = SaleVoid.sale_id.is_(None)


def _sales(event_id: int, day: date | None, exhibitor_id: int | None = None):
    """Conditions selecting the sales of a fair (one day, one booth)."""
    conditions = [Sale.event_id == event_id]
    if day is not None:
        conditions.append(Sale.local_date == day)
    if exhibitor_id is not None:
        conditions.append(Sale.exhibitor_id == exhibitor_id)
    return conditions


def figures_query(
    *group_by, event_id: int, day: date | None = None, exhibitor_id: int | None = None
) -> sa.Select:
    """sales_count, voided_count, gross and voided per group of the fair's sales."""
    return (
        sa.select(
            *group_by,
            sa.func.sum(sa.case((COMPLETED, 1), else_=0)).label("sales_count"),
            sa.func.sum(sa.case((VOIDED, 1), else_=0)).label("voided_count"),
            sa.func.sum(Sale.total).label("gross"),
            sa.func.sum(sa.case((VOIDED, Sale.total), else_=0)).label("voided"),
        )
        .select_from(Sale)
        .outerjoin(SaleVoid, SaleVoid.sale_id == Sale.id)
        .where(*_sales(event_id, day, exhibitor_id))
        .group_by(*group_by)
    )


def figures(row) -> dict:
    """A row of ``figures_query`` as {sales_count, voided_count, gross, voided, net}."""
    gross, voided = int(row.gross or 0), int(row.voided or 0)
    return {
        "sales_count": int(row.sales_count or 0),
        "voided_count": int(row.voided_count or 0),
        "gross": gross,
        "voided": voided,
        "net": gross - voided,
    }


def figures_by(
    column, event_id: int, day: date | None = None, exhibitor_id: int | None = None
) -> dict:
    """{group value: figures}, grouped by a column of the sales."""
    query = figures_query(column, event_id=event_id, day=day, exhibitor_id=exhibitor_id)
    return {row[0]: figures(row) for row in db.session.execute(query)}


def totals(event_id: int, day: date | None = None, exhibitor_id: int | None = None) -> dict:
    query = figures_query(event_id=event_id, day=day, exhibitor_id=exhibitor_id)
    return figures(db.session.execute(query).one())


def by_method(
    event_id: int,
    day: date | None = None,
    exhibitor_id: int | None = None,
    per_exhibitor: bool = False,
) -> Sequence[sa.Row]:
    """Rows of ([exhibitor_id,] method, amount, sales): see ``methods_query``."""
    return db.session.execute(methods_query(event_id, day, exhibitor_id, per_exhibitor)).all()


def vat_query(event_id: int, day: date | None = None, exhibitor_id: int | None = None):
    """(exhibitor_id, rate, base, amount) of the VAT in completed sales' prices: a sale's
    VAT at a rate rounded half up once, as its receipt shows it (``pos.sales.vat``), then
    summed. Booths exempt when they sold have no rate on their lines and no row here."""
    rate = SaleLine.vat_rate
    per_sale = (
        sa.select(
            Sale.exhibitor_id,
            rate.label("rate"),
            # PostgreSQL sums bigints as numeric: back to an integer, for integer division.
            sa.cast(sa.func.sum(SaleLine.line_total), sa.BigInteger).label("gross"),
        )
        .join(SaleLine, SaleLine.sale_id == Sale.id)
        .outerjoin(SaleVoid, SaleVoid.sale_id == Sale.id)
        .where(*_sales(event_id, day, exhibitor_id), COMPLETED, rate.is_not(None))
        .group_by(Sale.exhibitor_id, Sale.id, rate)
        .subquery()
    )
    gross, percent = per_sale.c.gross, per_sale.c.rate
    amount = included_vat(gross, percent)
    return sa.select(
        per_sale.c.exhibitor_id,
        percent,
        sa.func.sum(gross - amount).label("base"),
        sa.func.sum(amount).label("amount"),
    ).group_by(per_sale.c.exhibitor_id, percent)


def vat_collected(rows) -> tuple[dict[int, int], list[dict]]:
    """Rows of ``vat_query`` as ({exhibitor_id: VAT}, [{rate, base, amount}] of them all)."""
    per_exhibitor: dict[int, int] = defaultdict(int)
    rates: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for row in rows:
        per_exhibitor[row.exhibitor_id] += int(row.amount)
        rates[row.rate][0] += int(row.base)
        rates[row.rate][1] += int(row.amount)
    by_rate = [
        {"rate": str(rate), "base": format_money(base), "amount": format_money(amount)}
        for rate, (base, amount) in sorted(rates.items())
    ]
    return per_exhibitor, by_rate


def vat_figures(
    event_id: int, day: date | None = None, exhibitor_id: int | None = None
) -> tuple[dict[int, int], list[dict]]:
    """``vat_collected`` of ``vat_query``, run now."""
    return vat_collected(db.session.execute(vat_query(event_id, day, exhibitor_id)))


def hours_query(event_id: int, day: date | None, exhibitor_id: int | None = None) -> sa.Select:
    """(UTC hour bucket text, sales_count, net) of completed sales (a day's, or the whole
    fair's); the caller turns the buckets into local hours (the fair's offsets are whole
    hours)."""
    if db.session.get_bind().dialect.name == "postgresql":
        bucket = sa.func.to_char(sa.func.timezone("UTC", Sale.sold_at), "YYYY-MM-DD HH24")
    else:
        bucket = sa.func.strftime("%Y-%m-%d %H", Sale.sold_at)
    return (
        sa.select(bucket, sa.func.count(Sale.id), sa.func.sum(Sale.total))
        .select_from(Sale)
        .outerjoin(SaleVoid, SaleVoid.sale_id == Sale.id)
        .where(*_sales(event_id, day, exhibitor_id), COMPLETED)
        .group_by(bucket)
    )


def top_products(
    event_id: int, limit: int = 10, exhibitor_id: int | None = None
) -> Sequence[sa.Row]:
    return db.session.execute(
        sa.select(
            SaleLine.name,
            SaleLine.name_ar,
            SaleLine.unit,
            Sale.exhibitor_id,
            sa.func.sum(SaleLine.quantity).label("quantity"),
            sa.func.sum(SaleLine.line_total).label("net"),
            sa.func.count(sa.distinct(Sale.id)).label("sales_count"),
        )
        .select_from(SaleLine)
        .join(Sale, Sale.id == SaleLine.sale_id)
        .outerjoin(SaleVoid, SaleVoid.sale_id == Sale.id)
        .where(*_sales(event_id, None, exhibitor_id), COMPLETED)
        .group_by(SaleLine.name, SaleLine.name_ar, SaleLine.unit, Sale.exhibitor_id)
        .order_by(sa.desc("net"), SaleLine.name)
        .limit(limit)
    ).all()


def product_cells(event_id: int, exhibitor_id: int | None = None) -> sa.Select:
    """Quantity, amount, lines and items per product over the completed sales.

    A line's product belongs to the sale's booth (recording a sale checks it), so the
    fair's lines are those of its booths' products: no join with the sales needed.
    """
    products = sa.select(Product.id).join(Exhibitor, Exhibitor.id == Product.exhibitor_id)
    # Goods only: a deposit on an order is income (in the figures), not an item sold.
    products = products.where(Exhibitor.event_id == event_id, Product.kind == "goods")
    if exhibitor_id is not None:
        products = products.where(Product.exhibitor_id == exhibitor_id)
    items = sa.case((SaleLine.unit == "piece", SaleLine.quantity / 1000), else_=1)
    return (
        sa.select(
            SaleLine.product_id,
            sa.func.sum(SaleLine.quantity).label("quantity"),
            sa.func.sum(SaleLine.line_total).label("net"),
            sa.func.count(SaleLine.id).label("lines"),
            sa.func.sum(items).label("items"),
        )
        .select_from(SaleLine)
        .outerjoin(SaleVoid, SaleVoid.sale_id == SaleLine.sale_id)
        .where(SaleLine.product_id.in_(products), COMPLETED)
        .group_by(SaleLine.product_id)
    )


def methods_query(
    event_id: int,
    day: date | None = None,
    exhibitor_id: int | None = None,
    per_exhibitor: bool = False,
) -> sa.Select:
    """Amount paid and sales per payment method ([booth and] method), completed sales only.

    A sale paid twice the same way counts once for that method: it is counted at its
    first payment of the method. Looking for an earlier one only for payments after the
    first (split payments, a few) costs far less than COUNT(DISTINCT) over them all.
    """
    earlier = sa.orm.aliased(Payment)
    paid_before_so = (
        sa.select(earlier.id)
        .where(
            earlier.sale_id == Payment.sale_id,
            earlier.method == Payment.method,
            earlier.position < Payment.position,
        )
        .exists()
    )
    first_of_method = sa.case((Payment.position == 0, 1), (paid_before_so, 0), else_=1)
    group = [Sale.exhibitor_id, Payment.method] if per_exhibitor else [Payment.method]
    return (
        sa.select(
            *group,
            sa.func.sum(Payment.amount).label("amount"),
            sa.func.sum(first_of_method).label("sales"),
        )
        .select_from(Payment)
        .join(Sale, Sale.id == Payment.sale_id)
        .outerjoin(SaleVoid, SaleVoid.sale_id == Payment.sale_id)
        .where(*_sales(event_id, day, exhibitor_id), COMPLETED)
        .group_by(*group)
    )


def run_all(*queries: sa.Select) -> list[Sequence[sa.Row]]:
    """A report's independent aggregates, each one's rows in order.

    On SQLite at the same time, each on its own read connection: the queries run in this
    process (the report child, which yields to the tills), and a report scanning a million
    lines takes about as long as its longest query. Each sees the database as it was when
    it started: during the fair a sale recorded meanwhile may be in one figure and not yet
    in another.

    On PostgreSQL one after another, in the session's transaction: each query runs in a
    database process at the tills' priority, which no nice value of ours reaches, and five
    at once can take both processors of a small server from the tills while they run. One
    at a time leaves them one, and in a report file every figure sees the same snapshot
    (``begin_organiser_read``)."""
    connection = db.session.connection()
    if connection.dialect.name == "postgresql":
        one_process_in_database(connection)  # a page's report, read in its request
        return [connection.execute(query).all() for query in queries]
    engine = db.engine
    with ThreadPoolExecutor(max_workers=len(queries)) as pool:
        return list(pool.map(lambda query: _fetch_all(engine, query), queries))


def _fetch_all(engine: sa.Engine, query: sa.Select) -> Sequence[sa.Row]:
    with engine.connect().execution_options(read_only=True) as connection:
        return connection.execute(query).all()
