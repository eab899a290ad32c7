from __future__ import annotations

from pos.audit import services as audit
from pos.auth.principal import auth_required, current_principal
from pos.core import labels
from pos.core.blueprint import Blueprint
from pos.core.db import limit_statement_time, utcnow
from pos.events.services import load_event, local_date
from pos.exhibitors.services import load_exhibitor
from pos.reports import apart, files, services
from pos.reports.bulletin import bulletin
from pos.reports.impact import impact_report
from pos.reports.schemas import (
    BulletinArgs,
    BulletinSchema,
    DailyArgs,
    DailyReportSchema,
    ImpactArgs,
    ImpactReportSchema,
    StatementArgs,
    StatementSchema,
)

blp = Blueprint("reports", __name__, url_prefix="/api/v1", description="Reports")


def _own_exhibitor() -> int | None:
    """Staff see the whole fair; a cashier only its own booth."""
    principal = current_principal()
    return None if principal.is_staff else principal.exhibitor_id


def _or_files(schema, *mimetypes: str) -> dict:
    """The report as JSON in ``schema``, or as a file (``format``), documented together."""
    content = {key: {"schema": {"type": "string", "format": "binary"}} for key in mimetypes}
    content["application/json"] = {"schema": schema}
    return {"responses": {"200": {"description": "OK", "content": content}}}


def _language(args) -> str:
    """The contract's default for scripts: French; the pages pass their own language."""
    return args.get("lang") or "fr"


@blp.route("/events/<int:event_id>/reports/daily")
@auth_required()
@blp.arguments(DailyArgs, location="query")
@blp.response(200, DailyReportSchema)
@blp.doc(**_or_files(DailyReportSchema, *files.DAILY_FORMATS.values()))
def daily(args, event_id):
    """One fair day per exhibitor: sales, voids, gross, net, by payment method; as JSON,
    CSV, XLSX or PDF."""
    limit_statement_time()
    event = load_event(event_id, current_principal())
    day = args.get("date") or local_date(event, utcnow())
    if args["format"] == "json":
        with labels.language(_language(args)):
            return services.daily_report(event, day, _own_exhibitor())
    data = apart.render(
        files.daily_file,
        event.id,
        day.isoformat(),
        _own_exhibitor(),
        args["format"],
        _language(args),
    )
    audit.record_apart(
        "report.exported",
        current_principal(),
        event_id=event.id,
        exhibitor_id=_own_exhibitor(),
        details={"report": "daily", "date": day.isoformat(), "format": args["format"]},
    )
    return files.attachment(
        data, files.DAILY_FORMATS[args["format"]], f"daily-{event.id}-{day}.{args['format']}"
    )


@blp.route("/events/<int:event_id>/reports/impact")
@auth_required()
@blp.arguments(ImpactArgs, location="query")
@blp.response(200, ImpactReportSchema)
@blp.doc(
    **_or_files(ImpactReportSchema, *(mimetype for mimetype, _ in files.IMPACT_FORMATS.values()))
)
def impact(args, event_id):
    """Income per exhibitor and its breakdowns, as JSON, CSV, XLSX or PDF."""
    limit_statement_time()
    event = load_event(event_id, current_principal())
    if args["format"] == "json":
        with labels.language(_language(args)):
            return impact_report(event, _own_exhibitor())
    mimetype = files.IMPACT_FORMATS[args["format"]][0]
    data = apart.render(
        files.impact_file, event.id, _own_exhibitor(), args["format"], _language(args)
    )
    audit.record_apart(
        "report.exported",
        current_principal(),
        event_id=event.id,
        exhibitor_id=_own_exhibitor(),
        details={"report": "impact", "format": args["format"]},
    )
    return files.attachment(data, mimetype, f"impact-{event.id}.{args['format']}")


@blp.route("/exhibitors/<int:exhibitor_id>/statement")
@auth_required()
@blp.arguments(StatementArgs, location="query")
@blp.response(200, StatementSchema)
@blp.doc(**_or_files(StatementSchema, "application/pdf"))
def statement(args, exhibitor_id):
    """A cooperative's own statement: per day, per product, per payment method."""
    limit_statement_time()
    exhibitor = load_exhibitor(exhibitor_id, current_principal())
    if args["format"] == "json":
        return services.statement(exhibitor)
    data = apart.render(files.statement_file, exhibitor.id, _language(args))
    audit.record_apart(
        "report.exported",
        current_principal(),
        exhibitor_id=exhibitor.id,
        details={"report": "statement", "format": "pdf"},
    )
    return files.attachment(data, "application/pdf", f"statement-{exhibitor.booth}.pdf")


@blp.route("/events/<int:event_id>/reports/bulletin")
@auth_required(staff=True)
@blp.arguments(BulletinArgs, location="query")
@blp.response(200, BulletinSchema)
@blp.doc(**_or_files(BulletinSchema, "application/pdf", "image/png"))
def bulletin_report(args, event_id):
    """The evening bulletin: the day's figures and the fair's so far, day by day beside
    the previous edition, the sectors, how complete; as JSON, a PDF page or a PNG for a
    messaging app."""
    limit_statement_time()
    event = load_event(event_id, current_principal())
    day = args.get("date") or local_date(event, utcnow())
    if args["format"] == "json":
        with labels.language(_language(args)):
            return bulletin(event, day)
    data = apart.render(
        files.bulletin_file, event.id, day.isoformat(), args["format"], _language(args)
    )
    audit.record_apart(
        "report.exported",
        current_principal(),
        event_id=event.id,
        details={"report": "bulletin", "date": day.isoformat(), "format": args["format"]},
    )
    mimetype = files.BULLETIN_FORMATS[args["format"]][0]
    return files.attachment(data, mimetype, f"bulletin-{event.id}-{day}.{args['format']}")
