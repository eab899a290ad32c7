"""Reading a booth's sales; recording is ``pos.sales.recording``, voiding ``voids``."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from pos.core.errors import not_found
from pos.exhibitors.models import Exhibitor
from pos.extensions import db
from pos.sales.models import Sale


def load_sale(sale_id: int) -> Sale:
    # Access was checked on the path by pos.core.ownership; called otherwise, a missing
    # one is still a 404.
    return db.session.get(Sale, sale_id) or not_found("sale")


def sales_query(exhibitor: Exhibitor, day: date | None) -> sa.Select:
    query = sa.select(Sale).where(Sale.exhibitor_id == exhibitor.id)
    if day is not None:
        query = query.where(Sale.local_date == day)
    return query.order_by(Sale.receipt_seq.desc())
