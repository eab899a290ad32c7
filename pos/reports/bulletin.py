"""The evening bulletin: what the minister and the press announce ("X MDH after 3 days"),
as one page: the day's figures and the fair's so far, each day beside the previous
edition's same day, the sectors, provisional until closed, and how complete it is."""

from __future__ import annotations

from datetime import date, timedelta

from pos.core import labels
from pos.core.money import format_money
from pos.events.models import Event
from pos.extensions import db
from pos.reports import queries
from pos.reports.impact import impact_report
from pos.sales.models import Sale

TOP_SECTORS = 6


def bulletin(event: Event, day: date) -> dict:
    """The bulletin of ``day`` (its figures, and the fair's up to it), its words in the
    current language."""
    days = queries.figures_by(Sale.local_date, event.id)
    so_far = {d: f for d, f in days.items() if d <= day}
    today = so_far.get(day, {"net": 0, "sales_count": 0})
    number = max(
        1, min((day - event.starts_on).days + 1, (event.ends_on - event.starts_on).days + 1)
    )
    previous = _previous_days(event)
    report = impact_report(event)
    sellers = queries.figures_by(Sale.exhibitor_id, event.id, day)
    return {
        "event": {"id": event.id, "name": event.name, "name_ar": event.name_ar},
        "date": day.isoformat(),
        "day_number": number,
        "day": {
            "net": format_money(today["net"]),
            "sales_count": today["sales_count"],
            "exhibitors_selling": sum(1 for f in sellers.values() if f["sales_count"]),
        },
        "so_far": {
            "net": format_money(sum(f["net"] for f in so_far.values())),
            "sales_count": sum(f["sales_count"] for f in so_far.values()),
        },
        "days": [
            {
                "number": index + 1,
                "date": (event.starts_on + timedelta(days=index)).isoformat(),
                "net": format_money(
                    days.get(event.starts_on + timedelta(days=index), {"net": 0})["net"]
                ),
                "previous_net": format_money(previous[index]) if index < len(previous) else None,
            }
            for index in range(number)
        ],
        "previous_edition": None
        if event.previous_event_id is None
        else {
            "name": report["previous_edition"]["name"],
            "name_ar": report["previous_edition"]["name_ar"],
            "net_same_days": format_money(sum(previous[:number])),
        },
        "sectors": report["by_sector"][:TOP_SECTORS],
        "provisional": report["indicators"]["provisional"],
        "coverage": report["coverage"],
        "currency": labels.currency(),
    }


def _previous_days(event: Event) -> list[int]:
    """The previous edition's net, day by day from its first, in centimes."""
    if event.previous_event_id is None:
        return []
    previous = db.session.get_one(Event, event.previous_event_id)
    days = queries.figures_by(Sale.local_date, previous.id)
    length = (previous.ends_on - previous.starts_on).days + 1
    return [
        days.get(previous.starts_on + timedelta(days=index), {"net": 0})["net"]
        for index in range(length)
    ]
