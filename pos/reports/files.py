"""Report files as bytes, by ids: what ``pos.reports.apart`` renders in its child process
(so each takes plain ids, looks its objects up itself, and returns bytes)."""

from __future__ import annotations

from datetime import date

from flask import Response

from pos.core import labels
from pos.events.models import Event
from pos.exhibitors.models import Exhibitor
from pos.extensions import db
from pos.reports import daily_files, exports, services
from pos.reports.bulletin import bulletin
from pos.reports.bulletin_document import bulletin_pdf
from pos.reports.bulletin_image import bulletin_png
from pos.reports.impact import impact_report
from pos.reports.impact_document import impact_pdf
from pos.reports.statement_document import statement_pdf

CSV, XLSX, PDF = (
    "text/csv; charset=utf-8",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/pdf",
)
IMPACT_FORMATS = {
    "csv": (CSV, exports.impact_csv),
    "xlsx": (XLSX, exports.impact_xlsx),
    "pdf": (PDF, impact_pdf),
}
DAILY_FORMATS = {"csv": CSV, "xlsx": XLSX, "pdf": PDF}
BULLETIN_FORMATS = {"pdf": (PDF, bulletin_pdf), "png": ("image/png", bulletin_png)}


def bulletin_file(event_id: int, day: str, fmt: str, language: str) -> bytes:
    """The evening bulletin of ``day`` as PDF or PNG, its words in ``language``."""
    event = db.session.get_one(Event, event_id)
    with labels.language(language):
        return BULLETIN_FORMATS[fmt][1](bulletin(event, date.fromisoformat(day)))


def attachment(data: bytes, mimetype: str, filename: str) -> Response:
    """A report file as a download."""
    return Response(
        data,
        mimetype=mimetype,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def impact_file(event_id: int, exhibitor_id: int | None, fmt: str, language: str) -> bytes:
    """The impact report of the fair (or of one booth) in ``fmt`` (csv, xlsx or pdf), its
    words in ``language``."""
    event = db.session.get_one(Event, event_id)
    with labels.language(language):
        return IMPACT_FORMATS[fmt][1](impact_report(event, exhibitor_id))


def daily_file(event_id: int, day: str, exhibitor_id: int | None, fmt: str, language: str) -> bytes:
    """A fair day's report (of the fair, or one booth) in ``fmt``: csv, xlsx or pdf."""
    event = db.session.get_one(Event, event_id)
    with labels.language(language):
        report = services.daily_report(event, date.fromisoformat(day), exhibitor_id)
        if fmt == "csv":
            return daily_files.daily_csv(report)
        if fmt == "xlsx":
            return daily_files.daily_xlsx(report)
        return daily_files.daily_pdf(report, {"name": event.name, "name_ar": event.name_ar})


def statement_file(exhibitor_id: int, language: str) -> bytes:
    """A cooperative's statement as PDF, its words in ``language``."""
    exhibitor = db.session.get_one(Exhibitor, exhibitor_id)
    with labels.language(language):
        return statement_pdf(services.statement(exhibitor))
