"""Daily closing (Z) of a booth: the period's totals, sealed, chained and anchored."""

from __future__ import annotations

import json
from datetime import date, timedelta

import sqlalchemy as sa

from pos.audit import services as audit
from pos.closings.models import Closing
from pos.core import chain
from pos.core.db import utcnow
from pos.core.errors import fail, invalid, not_found
from pos.core.messages import N_
from pos.events.models import Event
from pos.events.services import local_date
from pos.exhibitors import ledger
from pos.exhibitors.models import Exhibitor
from pos.extensions import db
from pos.sales.models import Payment, Sale, SaleVoid


def _period_filter(exhibitor_id: int, after: date | None, until: date):
    condition = sa.and_(Sale.exhibitor_id == exhibitor_id, Sale.period_date <= until)
    return condition if after is None else sa.and_(condition, Sale.period_date > after)


def period_totals(exhibitor_id: int, after: date | None, until: date) -> dict:
    """Totals of the sales accounted in (after, until], computed in SQL."""
    in_period = _period_filter(exhibitor_id, after, until)
    voided = SaleVoid.id.is_not(None)
    row = db.session.execute(
        sa.select(
            sa.func.count(Sale.id),
            sa.func.coalesce(sa.func.sum(sa.case((voided, 1), else_=0)), 0),
            sa.func.coalesce(sa.func.sum(sa.case((Sale.late, 1), else_=0)), 0),
            sa.func.coalesce(sa.func.sum(Sale.total), 0),
            sa.func.coalesce(sa.func.sum(sa.case((voided, Sale.total), else_=0)), 0),
        )
        .outerjoin(SaleVoid, SaleVoid.sale_id == Sale.id)
        .where(in_period)
    ).one()
    by_method = dict(
        db.session.execute(
            sa.select(Payment.method, sa.func.sum(Payment.amount))
            .join(Sale, Sale.id == Payment.sale_id)
            .outerjoin(SaleVoid, SaleVoid.sale_id == Sale.id)
            .where(in_period, SaleVoid.id.is_(None))
            .group_by(Payment.method)
        ).all()
    )
    count, voided_count, late_count, gross, voided_amount = (int(v) for v in row)
    return {
        "sales_count": count - voided_count,
        "voided_count": voided_count,
        "late_count": late_count,
        "gross": gross,
        "voided": voided_amount,
        "net": gross - voided_amount,
        "by_method": {method: int(amount) for method, amount in sorted(by_method.items())},
    }


def _last_closing(exhibitor_id: int) -> Closing | None:
    return db.session.scalar(
        sa.select(Closing)
        .where(Closing.exhibitor_id == exhibitor_id)
        .order_by(Closing.number.desc())
        .limit(1)
    )


def close_day(exhibitor: Exhibitor, day: date, cash_counted: int | None, principal=None) -> Closing:
    head = ledger.lock(exhibitor.id)
    event: Event = exhibitor.event
    if day > local_date(event, utcnow()):
        invalid("date", N_("This day has not come yet."))
    if day < event.starts_on:
        invalid("date", N_("The fair starts on %(day)s.", day=event.starts_on))
    if head.last_closed_date is not None and day <= head.last_closed_date:
        fail(
            409,
            N_(
                "Booth %(booth)s is already closed up to %(day)s.",
                booth=exhibitor.booth,
                day=head.last_closed_date,
            ),
        )
    totals = period_totals(exhibitor.id, head.last_closed_date, day)
    previous = _last_closing(exhibitor.id)
    cash_expected = totals["by_method"].get("cash", 0)
    closing = Closing(
        exhibitor_id=exhibitor.id,
        event_id=exhibitor.event_id,
        number=1 if previous is None else previous.number + 1,
        business_date=day,
        period_from=None
        if head.last_closed_date is None
        else head.last_closed_date + timedelta(days=1),
        sales_count=totals["sales_count"],
        voided_count=totals["voided_count"],
        late_count=totals["late_count"],
        gross=totals["gross"],
        voided=totals["voided"],
        net=totals["net"],
        by_method=json.dumps(totals["by_method"], sort_keys=True),
        cash_expected=cash_expected,
        cash_counted=cash_counted,
        cash_difference=None if cash_counted is None else cash_counted - cash_expected,
        grand_total=(0 if previous is None else previous.grand_total) + totals["net"],
        chain_seq=head.last_chain_seq,
        chain_hash=head.last_hash,
        closed_at=utcnow(),
        user_id=getattr(principal, "user_id", None),
        device_id=getattr(principal, "device_id", None),
        prev_hash=chain.GENESIS_HASH if previous is None else previous.hash,
    )
    closing.hash = chain.seal(closing.prev_hash, chain.closing_payload(closing))
    db.session.add(closing)
    head.last_closed_date = day
    db.session.flush()
    audit.record(
        "day.closed",
        principal,
        exhibitor_id=exhibitor.id,
        subject=f"closing:{closing.id}",
        details={"date": day.isoformat(), "net": closing.net},
    )
    return closing


def close_event_day(event: Event, day: date, principal=None) -> list[Closing]:
    """Close the day for every booth of the fair that is still open on it."""
    exhibitors = db.session.scalars(
        sa.select(Exhibitor).where(Exhibitor.event_id == event.id).order_by(Exhibitor.booth)
    ).all()
    closings = []
    for exhibitor in exhibitors:
        last = ledger.lock(exhibitor.id).last_closed_date
        if last is None or last < day:
            closings.append(close_day(exhibitor, day, None, principal))
    return closings


def closings_query(exhibitor: Exhibitor) -> sa.Select:
    return (
        sa.select(Closing)
        .where(Closing.exhibitor_id == exhibitor.id)
        .order_by(Closing.number.desc())
    )


def load_closing(closing_id: int) -> Closing:
    # Access was checked on the path by pos.core.ownership; called otherwise, a missing
    # one is still a 404.
    return db.session.get(Closing, closing_id) or not_found("closing")
