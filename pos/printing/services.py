from __future__ import annotations

import io
from pathlib import Path

import sqlalchemy as sa
from flask import current_app

from pos.audit import services as audit
from pos.core.db import utcnow
from pos.core.errors import fail, invalid, not_found
from pos.core.messages import N_
from pos.exhibitors.models import Exhibitor
from pos.extensions import db
from pos.printing import queue as print_queue
from pos.printing.models import ON_DEVICE, RETRYABLE, PrinterSettings, PrintJob
from pos.printing.receipts import receipt_for
from pos.sales.models import Sale
from printers.connections import (
    DEVICE,
    BadConnectionURL,
    allowed_tcp_address,
    parse_connection,
    real_serial_device,
)
from printers.decode import decode
from printers.render import PAPERS, render_receipt

# A phone that was offline all day may have this many receipts waiting; it asks again.
PHONE_JOBS_LIMIT = 100


def _check_target(connection: str) -> None:
    """Where a printer setting may send bytes: a tcp:// printer on the fair's networks
    (``POS_PRINTER_NETWORKS``), a serial device under /dev once links are resolved, a
    file:// printer below the configured folder. Never elsewhere on the network or disk."""
    spec = parse_connection(connection)
    try:
        if spec.kind == "tcp":
            allowed_tcp_address(spec, current_app.config["POS_PRINTER_NETWORKS"])
        elif spec.kind == "serial":
            real_serial_device(spec)
    except BadConnectionURL as error:
        invalid("connection", f"{error}.")
    if spec.kind != "file":
        return
    root = Path(current_app.config["POS_PRINTER_FILE_ROOT"]).resolve()
    target = Path(spec.path).resolve()
    if target != root and root not in target.parents:
        invalid("connection", N_("file:// printers must write below %(root)s.", root=str(root)))


def set_printer(exhibitor: Exhibitor, data: dict, principal=None) -> PrinterSettings:
    _check_target(data["connection"])
    settings = db.session.get(PrinterSettings, exhibitor.id)
    if settings is None:
        settings = PrinterSettings(exhibitor_id=exhibitor.id, **data)
        db.session.add(settings)
    else:
        for name, value in data.items():
            setattr(settings, name, value)
    _hand_over_waiting_jobs(exhibitor.id, on_device=data["connection"] == DEVICE)
    db.session.flush()
    audit.record("printer.changed", principal, exhibitor_id=exhibitor.id, details=data)
    return settings


def _hand_over_waiting_jobs(exhibitor_id: int, on_device: bool) -> None:
    """The booth's receipts not yet printed go to its printer as now set: to the phone
    when it prints, to the workers when the server does. None is dropped."""
    waiting, status = (RETRYABLE, "pending") if on_device else (ON_DEVICE, "queued")
    db.session.execute(
        sa.update(PrintJob)
        .where(PrintJob.exhibitor_id == exhibitor_id, PrintJob.status.in_(waiting))
        .values(status=status, next_attempt_at=utcnow()),
        execution_options={"synchronize_session": False},
    )


def get_printer(exhibitor: Exhibitor) -> PrinterSettings:
    settings = db.session.get(PrinterSettings, exhibitor.id)
    if settings is None:
        not_found("printer for this exhibitor")
    return settings


def reprint(sale: Sale, principal) -> PrintJob:
    """Queue a copy of the receipt, marked as a copy."""
    job = print_queue.enqueue(sale, "copy")
    if job is None:
        fail(409, N_("This booth has no printer set up."))
    audit.record(
        "sale.reprinted",
        principal,
        exhibitor_id=sale.exhibitor_id,
        subject=f"sale:{sale.id}",
        details={"receipt": sale.receipt_number},
    )
    return job


def render_job(job: PrintJob) -> bytes:
    """The exact ESC/POS bytes of a job, for its booth's printer as set now: what the
    server's worker sends, and what the booth's phone fetches to send itself."""
    sale = db.session.get(Sale, job.sale_id)
    settings = db.session.get(PrinterSettings, job.exhibitor_id)
    width = settings.paper_width_mm if settings else job.paper_width_mm or 80
    profile = settings.profile if settings else None
    cash = any(payment.method == "cash" for payment in sale.payments)
    drawer = settings is not None and settings.cash_drawer and cash and job.kind == "receipt"
    receipt = receipt_for(sale, job.kind, open_drawer=drawer)
    return render_receipt(receipt, width, profile)


def phone_jobs(exhibitor: Exhibitor, state: str) -> list[PrintJob]:
    """The booth's jobs its phone prints, oldest first: the receipts it is to print
    (``pending``) or those it could not (``failed``)."""
    return db.session.scalars(
        sa.select(PrintJob)
        .where(PrintJob.exhibitor_id == exhibitor.id, PrintJob.status == state)
        .order_by(PrintJob.id)
        .limit(PHONE_JOBS_LIMIT)
    ).all()


def load_job(job_id: int) -> PrintJob:
    # Access was checked on the path by pos.core.ownership.
    return db.session.get(PrintJob, job_id)


def report_result(job: PrintJob, data: dict) -> PrintJob:
    """What the booth's phone says of a job it sent to its printer. Saying "printed" twice
    (an answer lost on the way) is the same as once."""
    state = data["state"]
    if job.status == "printed" and state == "printed":
        return job
    if job.status not in ON_DEVICE:
        fail(
            409,
            N_("This receipt is not the phone's to print (it is %(state)s).", state=job.status),
        )
    job.status = state
    job.attempts += 1
    job.last_error = data["detail"] or None
    if state == "printed":
        job.finished_at = utcnow()
    db.session.flush()
    return job


def receipt_preview(sale) -> bytes:
    """PNG of the last bytes sent for this sale, or of a fresh rendering."""
    job = next((job for job in reversed(sale.print_jobs) if job.data), None)
    if job is not None:
        data, width = job.data, job.paper_width_mm
    else:
        settings = db.session.get(PrinterSettings, sale.exhibitor_id)
        width = settings.paper_width_mm if settings else 80
        data = render_receipt(receipt_for(sale), width)
    buffer = io.BytesIO()
    decode(data, PAPERS[width].dots)[0].to_image().save(buffer, format="PNG")
    return buffer.getvalue()
