"""The headline indicators a regional council's impact report publishes.

Income per exhibitor over the whole fair (every exhibitor counts, one that sold nothing
as 0.00): mean, median and deciles, the share above 100,000 DH, the best exhibitor; the
women members' share; the cash share of what was paid. Amounts are exact centimes,
rounded half up where a median or a decile falls between two exhibitors; shares are
percentages with one decimal.
"""

from __future__ import annotations

from fractions import Fraction
from math import floor

import sqlalchemy as sa

from pos.core.money import format_money
from pos.events.models import Event
from pos.exhibitors.models import Exhibitor, ExhibitorLedger
from pos.extensions import db
from pos.reports.services import avg_basket

ABOVE = 100_000_00  # 100,000.00 DH, the threshold published reports count exhibitors above


def _half_up(value: Fraction) -> int:
    return floor(value + Fraction(1, 2))


def quantile(ordered: list[int], k: int, q: int) -> int:
    """The k-th q-quantile of sorted amounts, interpolated between neighbours (the
    "inclusive" method of Python's ``statistics.quantiles``), half up to the centime."""
    if not ordered:
        return 0
    if len(ordered) == 1:
        return ordered[0]
    position = Fraction((len(ordered) - 1) * k, q)
    low = floor(position)
    if low + 1 >= len(ordered):
        return ordered[-1]
    step = ordered[low + 1] - ordered[low]
    return _half_up(ordered[low] + step * (position - low))


def percent(part: int, whole: int) -> str | None:
    """``part`` of ``whole`` in percent with one decimal, half up ("12.5"); None of nothing."""
    if not whole:
        return None
    tenths = _half_up(Fraction(1000 * part, whole))
    return f"{tenths // 10}.{tenths % 10}"


def growth(now: int, before: int) -> str | None:
    """The change from ``before`` to ``now`` in percent, signed ("+12.5", "-3.0")."""
    if not before:
        return None
    return ("-" if now < before else "+") + (percent(abs(now - before), before) or "0.0")


def provisional(event: Event) -> bool:
    """True until every booth of the fair is closed up to its last day."""
    open_booths = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(Exhibitor)
        .outerjoin(ExhibitorLedger, ExhibitorLedger.exhibitor_id == Exhibitor.id)
        .where(
            Exhibitor.event_id == event.id,
            sa.or_(
                ExhibitorLedger.last_closed_date.is_(None),
                ExhibitorLedger.last_closed_date < event.ends_on,
            ),
        )
    )
    return bool(open_booths)


def indicators(
    event: Event, exhibitors: list[Exhibitor], net_of: dict[int, int], paid: dict[str, int]
) -> dict:
    """``net_of``: {exhibitor id: net in centimes}; ``paid``: {method: amount in centimes}."""
    nets = sorted(net_of.get(exhibitor.id, 0) for exhibitor in exhibitors)
    best = min(exhibitors, key=lambda e: (-net_of.get(e.id, 0), e.booth), default=None)
    counted = [e for e in exhibitors if e.members and e.women_members is not None]
    return {
        "exhibitors": len(exhibitors),
        "cooperatives": sum(1 for e in exhibitors if e.legal_form == "cooperative"),
        "net_per_exhibitor": {
            "mean": format_money(avg_basket(sum(nets), len(nets))),
            "median": format_money(quantile(nets, 1, 2)),
            "deciles": [format_money(quantile(nets, k, 10)) for k in range(1, 10)],
        },
        "share_above_100000": percent(sum(1 for net in nets if net > ABOVE), len(nets)),
        "exhibitors_above_100000": sum(1 for net in nets if net > ABOVE),
        "best_exhibitor": None
        if best is None or not net_of.get(best.id)
        else {
            "exhibitor_id": best.id,
            "booth": best.booth,
            "name": best.name,
            "name_ar": best.name_ar,
            "net": format_money(net_of[best.id]),
        },
        "women_members_share": percent(
            sum(e.women_members or 0 for e in counted), sum(e.members or 0 for e in counted)
        ),
        "cash_share": percent(paid.get("cash", 0), sum(paid.values())),
        "provisional": provisional(event),
    }
