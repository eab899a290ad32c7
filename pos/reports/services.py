"""Daily report, economic-impact report, a cooperative's statement, the live dashboard."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask_babel import gettext

from pos.core import labels
from pos.core.db import utcnow
from pos.core.money import format_money, format_quantity
from pos.devices.models import Device
from pos.events.models import Event
from pos.events.services import local_date
from pos.exhibitors.models import Exhibitor
from pos.extensions import db
from pos.members.models import Member
from pos.reports import queries
from pos.reports.orders_contacts import booth_contacts, booth_orders
from pos.sales.models import Sale
from pos.stock.services import stock_of

# Buckets of the women members' share, in percent: [low, high), and their keys.
WOMEN_SHARE_BUCKETS = [
    (0, 25, "0–25 %"),
    (25, 50, "25–50 %"),
    (50, 75, "50–75 %"),
    (75, 101, "75–100 %"),
]
_BUCKET_BOUNDS = {key: (low, min(high, 100)) for low, high, key in WOMEN_SHARE_BUCKETS}


def women_share_label(key: str) -> str:
    if key not in _BUCKET_BOUNDS:
        return gettext("not known")
    low, high = _BUCKET_BOUNDS[key]
    return gettext("%(low)s to %(high)s %%", low=low, high=high)


def hour_label(hour: int) -> str:
    return gettext("%(hour)s h", hour=f"{hour:02d}")


def by_local_hour(event: Event, buckets) -> list[dict]:
    """Rows of ``queries.hours_query`` as the fair's local hours, in order of the clock."""
    zone = ZoneInfo(event.timezone)
    hours: defaultdict[int, dict[str, int]] = defaultdict(lambda: {"sales_count": 0, "net": 0})
    for bucket, count, net in buckets:
        hour = datetime.strptime(bucket, "%Y-%m-%d %H").replace(tzinfo=UTC).astimezone(zone)
        hours[hour.hour]["sales_count"] += count
        hours[hour.hour]["net"] += int(net or 0)
    return [
        {
            "key": hour,
            "label": hour_label(hour),
            "sales_count": figures["sales_count"],
            "net": format_money(figures["net"]),
        }
        for hour, figures in sorted(hours.items())
    ]


def _money(figures: dict) -> dict:
    """The same figures with amounts as decimal strings."""
    return {
        k: format_money(v) if k in ("gross", "voided", "net", "avg_basket") else v
        for k, v in figures.items()
    }


def avg_basket(net: int, count: int) -> int:
    """Net per completed sale, half-up to the centime."""
    return (2 * net + count) // (2 * count) if count else 0


def exhibitors_of(event: Event) -> Sequence[Exhibitor]:
    return db.session.scalars(
        sa.select(Exhibitor).where(Exhibitor.event_id == event.id).order_by(Exhibitor.booth)
    ).all()


ZERO = {"sales_count": 0, "voided_count": 0, "gross": 0, "voided": 0, "net": 0}


def add_figures(into: dict, figures: dict) -> None:
    for key in ZERO:
        into[key] = into.get(key, 0) + figures[key]


def roll_up(exhibitors: list[Exhibitor], per_exhibitor: dict, key) -> dict:
    """{key(exhibitor): the summed figures of its booths, with their count as exhibitors}."""
    groups: defaultdict[object, dict] = defaultdict(dict)
    for exhibitor in exhibitors:
        group = groups[key(exhibitor)]
        add_figures(group, per_exhibitor.get(exhibitor.id, ZERO))
        group["exhibitors"] = group.get("exhibitors", 0) + 1
    return groups


def daily_report(event: Event, day: date, exhibitor_id: int | None = None) -> dict:
    return _daily(event, day, exhibitor_id)[0]


def _daily(event: Event, day: date, exhibitor_id: int | None):
    """The day's report, and the booths with their figures for the live roll-ups: two
    queries, the fair's totals and methods being the sums of the booths'."""
    per_exhibitor = queries.figures_by(Sale.exhibitor_id, event.id, day, exhibitor_id)
    methods: defaultdict[int, dict[str, str]] = defaultdict(dict)
    fair_methods: defaultdict[str, int] = defaultdict(int)
    for booth, method, amount, _sales in queries.by_method(
        event.id, day, exhibitor_id, per_exhibitor=True
    ):
        methods[booth][method] = format_money(int(amount))
        fair_methods[method] += int(amount)
    vat_of, vat_by_rate = queries.vat_figures(event.id, day, exhibitor_id)
    exhibitors = [e for e in exhibitors_of(event) if exhibitor_id in (None, e.id)]
    rows, totals = [], dict(ZERO)
    for exhibitor in exhibitors:
        figures = per_exhibitor.get(exhibitor.id, ZERO)
        add_figures(totals, figures)
        rows.append(
            {
                "exhibitor_id": exhibitor.id,
                "booth": exhibitor.booth,
                "name": exhibitor.name,
                "name_ar": exhibitor.name_ar,
                **_money(figures),
                "by_method": methods.get(exhibitor.id, {}),
                "vat_collected": format_money(vat_of.get(exhibitor.id, 0)),
            }
        )
    report = {
        "date": day.isoformat(),
        "currency": event.currency,
        "exhibitors": rows,
        "totals": {
            **_money(totals),
            "by_method": {m: format_money(a) for m, a in sorted(fair_methods.items())},
            "avg_basket": format_money(avg_basket(totals["net"], totals["sales_count"])),
            "vat_collected": format_money(sum(vat_of.values())),
        },
        "vat_by_rate": vat_by_rate,
    }
    return report, exhibitors, per_exhibitor


def breakdown(groups: dict, label=str, extra: tuple[str, ...] = ()) -> list[dict]:
    """{key: figures} as rows {key, label, net, sales_count}, the largest income first."""
    ordered = sorted(groups.items(), key=lambda item: (-item[1]["net"], str(item[0])))
    return [
        {
            "key": key,
            "label": label(key),
            "net": format_money(values["net"]),
            "sales_count": values["sales_count"],
            **{name: values[name] for name in extra},
        }
        for key, values in ordered
    ]


def statement(exhibitor: Exhibitor) -> dict:
    event = exhibitor.event
    days = queries.figures_by(Sale.local_date, event.id, exhibitor_id=exhibitor.id)
    totals = queries.totals(event.id, exhibitor_id=exhibitor.id)
    vat_of, vat_by_rate = queries.vat_figures(event.id, exhibitor_id=exhibitor.id)
    return {
        "exhibitor": {
            "id": exhibitor.id,
            "booth": exhibitor.booth,
            "name": exhibitor.name,
            "name_ar": exhibitor.name_ar,
        },
        "event": {"id": event.id, "name": event.name, "name_ar": event.name_ar},
        "currency": event.currency,
        "totals": {
            **_money(totals),
            "avg_basket": format_money(avg_basket(totals["net"], totals["sales_count"])),
            "vat_collected": format_money(vat_of.get(exhibitor.id, 0)),
        },
        "vat_by_rate": vat_by_rate,
        "by_day": [
            {"date": day.isoformat(), **_money(figures)} for day, figures in sorted(days.items())
        ],
        "by_product": [
            {
                "name": row.name,
                "name_ar": row.name_ar,
                "unit": row.unit,
                "quantity": format_quantity(int(row.quantity)),
                "net": format_money(int(row.net)),
                "sales_count": row.sales_count,
            }
            for row in queries.top_products(event.id, limit=1000, exhibitor_id=exhibitor.id)
        ],
        "by_method": [
            {"method": method, "amount": format_money(int(amount)), "sales_count": count}
            for method, amount, count in queries.by_method(event.id, exhibitor_id=exhibitor.id)
        ],
        "by_member": _by_member(exhibitor),
        "orders": booth_orders(exhibitor),
        "contacts": booth_contacts(exhibitor),
        # What was brought, sold and left of each product the booth counted.
        "stock": [
            {
                **row,
                **{k: format_quantity(row[k]) for k in ("brought", "sold", "left")},
            }
            for row in stock_of(exhibitor)
        ],
    }


def _by_member(exhibitor: Exhibitor) -> list[dict]:
    """The booth's figures by the member who sold; ``member_id`` None: sales whose till did
    not say (no member unlocked, or a till of before)."""
    figures = queries.figures_by(Sale.member_id, exhibitor.event_id, exhibitor_id=exhibitor.id)
    names = dict(
        db.session.execute(
            sa.select(Member.id, Member.name).where(Member.exhibitor_id == exhibitor.id)
        ).all()
    )
    ordered = sorted(figures.items(), key=lambda item: (item[0] is None, names.get(item[0], "")))
    return [
        {"member_id": member_id, "name": names.get(member_id), **_money(values)}
        for member_id, values in ordered
    ]


def live(event: Event) -> dict:
    """What the organisers' dashboard shows, for today."""
    today = local_date(event, utcnow())
    report, exhibitors, per_exhibitor = _daily(event, today, None)
    seen = dict(
        db.session.execute(
            sa.select(Device.exhibitor_id, sa.func.max(Device.last_seen_at))
            .join(Exhibitor, Exhibitor.id == Device.exhibitor_id)
            .where(Exhibitor.event_id == event.id, Device.revoked_at.is_(None))
            .group_by(Device.exhibitor_id)
        ).all()
    )
    start_of_day = datetime.combine(today, datetime.min.time(), ZoneInfo(event.timezone))
    for row in report["exhibitors"]:
        last = seen.get(row["exhibitor_id"])
        row["last_seen_at"] = last.isoformat() if last else None
        row["seen_today"] = bool(last and last >= start_of_day)

    def sold_by(key):
        # Only the groups that sold or voided today, as a GROUP BY over today's sales gives.
        groups = roll_up(exhibitors, per_exhibitor, key)
        return {k: v for k, v in groups.items() if v["sales_count"] or v["voided_count"]}

    breakdowns = {
        "by_sector": breakdown(sold_by(lambda e: e.sector), labels.sector),
        "by_province": breakdown(sold_by(lambda e: e.province), labels.province),
        "by_legal_form": breakdown(sold_by(lambda e: e.legal_form), labels.legal_form),
        "by_hour": by_local_hour(event, db.session.execute(queries.hours_query(event.id, today))),
    }
    return {
        **report,
        **breakdowns,
        "generated_at": utcnow().isoformat(),
        "not_selling": [row for row in report["exhibitors"] if row["sales_count"] == 0],
        "not_seen": [row for row in report["exhibitors"] if not row["seen_today"]],
    }
