"""Report files as bytes, by ids: what ``pos.reports.apart`` renders in its child process
(so each takes plain ids, looks its objects up itself, and returns bytes)."""

from __future__ import annotations

from pos.core import labels
from pos.events.models import Event
from pos.exhibitors.models import Exhibitor
from pos.extensions import db
from pos.reports import exports, services
from pos.reports.impact import impact_report

IMPACT_FORMATS = {
    "csv": ("text/csv; charset=utf-8", exports.impact_csv),
    "xlsx": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        exports.impact_xlsx,
    ),
    "pdf": ("application/pdf", exports.impact_pdf),
}


def impact_file(event_id: int, exhibitor_id: int | None, fmt: str, language: str) -> bytes:
    """The impact report of the fair (or of one booth) in ``fmt`` (csv, xlsx or pdf), its
    words in ``language``."""
    event = db.session.get(Event, event_id)
    with labels.language(language):
        return IMPACT_FORMATS[fmt][1](impact_report(event, exhibitor_id))


def statement_file(exhibitor_id: int, language: str) -> bytes:
    """A cooperative's statement as PDF, its words in ``language``."""
    exhibitor = db.session.get(Exhibitor, exhibitor_id)
    with labels.language(language):
        return exports.statement_pdf(services.statement(exhibitor))
