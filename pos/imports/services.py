"""Importing exhibitors and their products: good rows in, bad rows reported, never twice.

The booth is the key: importing the same file again updates the exhibitors and
their products (by name) instead of adding new ones.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import sqlalchemy as sa

from pos.catalogue.models import Product
from pos.events.models import Event
from pos.exhibitors.models import Exhibitor, ExhibitorLedger
from pos.extensions import db
from pos.imports.spreadsheet import Row, parse


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    products: int = 0
    rejected: list[Row] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.rejected


def _save(event: Event, row: Row, existing: dict[str, Exhibitor]) -> tuple[bool, int]:
    data = row.exhibitor
    exhibitor = existing.get(data["booth"])
    created = exhibitor is None
    if created:
        exhibitor = Exhibitor(event_id=event.id, **data)
        db.session.add(exhibitor)
        db.session.flush()
        db.session.add(ExhibitorLedger(exhibitor_id=exhibitor.id))
        existing[data["booth"]] = exhibitor
    else:
        for name, value in data.items():
            setattr(exhibitor, name, value)
    products = {
        p.name: p
        for p in db.session.scalars(sa.select(Product).where(Product.exhibitor_id == exhibitor.id))
    }
    for item in row.products:
        product = products.get(item["name"])
        if product is None:
            product = Product(exhibitor_id=exhibitor.id, **item)
            db.session.add(product)
            products[item["name"]] = product
        else:
            product.name_ar, product.unit, product.unit_price = (
                item["name_ar"],
                item["unit"],
                item["unit_price"],
            )
            product.active = True
    db.session.flush()
    return created, len(row.products)


def import_exhibitors(event: Event, filename: str, data: bytes) -> ImportReport:
    """Parse and save; raises SpreadsheetError when the file itself cannot be read."""
    return import_rows(event, parse(filename, data))


def import_rows(
    event: Event, rows: list[Row], progress: Callable[[Row], None] | None = None
) -> ImportReport:
    existing = {
        e.booth: e
        for e in db.session.scalars(sa.select(Exhibitor).where(Exhibitor.event_id == event.id))
    }
    report = ImportReport()
    for row in rows:
        if row.errors:
            report.rejected.append(row)
        else:
            created, products = _save(event, row, existing)
            report.created += created
            report.updated += not created
            report.products += products
        if progress:
            progress(row)
    return report
