"""The VAT in a sale's prices, rate by rate: prices include it (what the buyer pays is the
price on the label), so each rate's VAT is taken out of its lines' total, rounded half up
to the centime once per rate, as on an invoice."""

from __future__ import annotations

from typing import overload

import sqlalchemy as sa


@overload
def included_vat(gross: int, rate: int) -> int: ...
@overload
def included_vat(gross: sa.ColumnElement, rate: sa.ColumnElement) -> sa.ColumnElement: ...
def included_vat(gross, rate):
    """The VAT inside ``gross`` centimes at ``rate`` percent, rounded half up: of integers,
    or as the SQL expression of columns (the reports sum it in the database, the same)."""
    return (2 * gross * rate + 100 + rate) // (2 * (100 + rate))


def breakdown(lines) -> list[dict] | None:
    """``[{"rate", "base", "amount"}]`` (percent and centimes, by rate), or None when the
    booth was exempt when it sold (its lines carry no rate)."""
    gross: dict[int, int] = {}
    for line in lines:
        if line.vat_rate is not None:
            gross[line.vat_rate] = gross.get(line.vat_rate, 0) + line.line_total
    if not gross:
        return None
    rows = []
    for rate in sorted(gross):
        amount = included_vat(gross[rate], rate)
        rows.append({"rate": rate, "base": gross[rate] - amount, "amount": amount})
    return rows
