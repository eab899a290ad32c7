"""What a sale needs of its booth, its fair, its chain and its printer, as one row."""

from __future__ import annotations

import sqlalchemy as sa

from pos.events.models import Event
from pos.exhibitors import ledger
from pos.exhibitors.models import Exhibitor
from pos.printing.models import PrinterSettings
from printers.connections import DEVICE

_EXHIBITORS, _EVENTS, _SETTINGS = (
    Exhibitor.__table__,
    Event.__table__,
    PrinterSettings.__table__,
)

# Built once: every sale runs it (the ORM's Exhibitor with its joined Event costs a sale
# more than all its inserts). Bind parameter ``exhibitor_id``. A writer adds the key's
# record (``idempotency.with_key_record``) and ``next_sale_id``, the sale's id to be when
# its database draws it beforehand. Columns: the booth's ``id``, ``event_id``, ``booth``,
# ``vat_status``; its fair's ``timezone``, ``starts_on`` and ``ends_on``; its chain's end
# as it stands (``ledger.head_of``); its printer's ``printer_paper_mm`` (None: the booth has
# no printer) and ``printer_on_device``.
BOOTH_OF_SALE = (
    sa.select(
        _EXHIBITORS.c.id,
        _EXHIBITORS.c.event_id,
        _EXHIBITORS.c.booth,
        _EXHIBITORS.c.vat.label("vat_status"),
        _EVENTS.c.timezone,
        _EVENTS.c.starts_on,
        _EVENTS.c.ends_on,
        *ledger.NEXT_LINK_COLUMNS,
        _SETTINGS.c.paper_width_mm.label("printer_paper_mm"),
        (_SETTINGS.c.connection == DEVICE).label("printer_on_device"),
    )
    .join_from(_EXHIBITORS, _EVENTS, _EXHIBITORS.c.event_id == _EVENTS.c.id)
    .join(ledger.LEDGER, ledger.LEDGER.c.exhibitor_id == _EXHIBITORS.c.id)
    .outerjoin(_SETTINGS, _SETTINGS.c.exhibitor_id == _EXHIBITORS.c.id)
    .where(_EXHIBITORS.c.id == sa.bindparam("exhibitor_id"))
)
BOOTH_ID = _EXHIBITORS.c.id
