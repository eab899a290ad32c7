"""How complete a report's figures are: what the server does not hold yet (sales waiting on
the booths' phones, refused sales not settled), the booths with days not closed, and the
share of the net that is final (on days its booth has closed)."""

from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa

from pos.core.money import format_money
from pos.devices.models import Device
from pos.events.models import Event
from pos.exhibitors.models import Exhibitor, ExhibitorLedger
from pos.extensions import db
from pos.reports.indicators import percent


def coverage(
    event: Event,
    today: date,
    net_by_booth_day: dict[tuple[int, date], int],
    exhibitor_id: int | None = None,
) -> dict:
    """``net_by_booth_day``: {(exhibitor id, local date): net in centimes}; with
    ``exhibitor_id``, that booth's alone."""
    booths = [Exhibitor.event_id == event.id]
    if exhibitor_id is not None:
        booths.append(Exhibitor.id == exhibitor_id)
    exhibitors = db.session.execute(
        sa.select(Exhibitor.id, Exhibitor.booth, ExhibitorLedger.last_closed_date)
        .outerjoin(ExhibitorLedger, ExhibitorLedger.exhibitor_id == Exhibitor.id)
        .where(*booths)
        .order_by(Exhibitor.booth)
    ).all()
    phones = db.session.execute(
        sa.select(Device.exhibitor_id, sa.func.sum(Device.outbox), sa.func.sum(Device.refused))
        .join(Exhibitor, Exhibitor.id == Device.exhibitor_id)
        .where(*booths, Device.revoked_at.is_(None))
        .group_by(Device.exhibitor_id)
    ).all()
    booth_of = {row.id: row.booth for row in exhibitors}
    waiting = {booth_of[e]: int(n or 0) for e, n, _ in phones if n}
    refused = {booth_of[e]: int(n or 0) for e, _, n in phones if n}
    # The days that have ended (up to the fair's last) that a booth has not closed.
    last_day = min(today - timedelta(days=1), event.ends_on)
    open_days = {}
    for row in exhibitors:
        closed = row.last_closed_date
        first_open = event.starts_on if closed is None else closed + timedelta(days=1)
        days = (last_day - max(first_open, event.starts_on)).days + 1
        if days > 0:
            open_days[row.booth] = days
    closed_of = {row.id: row.last_closed_date for row in exhibitors}
    total = sum(net_by_booth_day.values())
    final = sum(
        net
        for (exhibitor_id, day), net in net_by_booth_day.items()
        if closed_of.get(exhibitor_id) is not None and day <= closed_of[exhibitor_id]
    )
    return {
        "sales_waiting_on_phones": sum(waiting.values()),
        "booths_waiting": sorted(waiting),
        "refused_sales": sum(refused.values()),
        "booths_refused": sorted(refused),
        "booths_with_days_open": sorted(open_days),
        "days_open": sum(open_days.values()),
        "final_net": format_money(final),
        "final_share": percent(final, total) if total else "100.0",
    }
