"""Importing exhibitors and their products: good rows in, bad rows reported, never twice.

The booth is the key: importing the same file again updates the exhibitors and
their products (by name) instead of adding new ones. Rows go through the same services
as the API and the set-up pages: a product imported or repriced is journaled as one
typed by hand, with the organiser who imported the file.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import sqlalchemy as sa

from pos.catalogue import services as catalogue
from pos.catalogue.models import Product
from pos.events.models import Event
from pos.exhibitors import services as exhibitors
from pos.exhibitors.models import Exhibitor
from pos.extensions import db
from pos.imports.spreadsheet import Row, parse

if TYPE_CHECKING:
    from pos.auth.principal import Principal


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    products: int = 0
    rejected: list[Row] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.rejected


def _save(
    event: Event, row: Row, existing: dict[str, Exhibitor], principal: Principal | None
) -> tuple[bool, int]:
    data = row.exhibitor
    found = existing.get(data["booth"])
    if found is None:
        exhibitor = existing[data["booth"]] = exhibitors.create_exhibitor(event, data)
    else:
        exhibitor = exhibitors.update_exhibitor(found, data)
    products = {
        p.name: p
        for p in db.session.scalars(sa.select(Product).where(Product.exhibitor_id == exhibitor.id))
    }
    for item in row.products:
        product = products.get(item["name"])
        if product is None:
            products[item["name"]] = catalogue.create_product(exhibitor, item, principal)
        else:
            catalogue.update_product(product, {**item, "active": True}, principal)
    return found is None, len(row.products)


def import_exhibitors(
    event: Event, filename: str, data: bytes, principal: Principal | None = None
) -> ImportReport:
    """Parse and save; raises SpreadsheetError when the file itself cannot be read."""
    return import_rows(event, parse(filename, data), principal=principal)


def import_rows(
    event: Event,
    rows: list[Row],
    progress: Callable[[Row], None] | None = None,
    *,
    principal: Principal | None = None,
) -> ImportReport:
    """``principal``: who imports, journaled with what changes; None from the command line
    (a price it changes is still journaled, with no user, as the catalogue's service does
    for any caller)."""
    existing = {
        e.booth: e
        for e in db.session.scalars(sa.select(Exhibitor).where(Exhibitor.event_id == event.id))
    }
    report = ImportReport()
    for row in rows:
        if row.errors:
            report.rejected.append(row)
        else:
            created, products = _save(event, row, existing, principal)
            report.created += created
            report.updated += not created
            report.products += products
        if progress:
            progress(row)
    return report
