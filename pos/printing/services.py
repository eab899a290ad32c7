from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import sqlalchemy as sa
from flask import current_app

from pos.audit import services as audit
from pos.core.db import utcnow
from pos.core.errors import fail, invalid, not_found
from pos.core.messages import N_
from pos.exhibitors.models import Exhibitor
from pos.extensions import db
from pos.printing.models import ON_DEVICE, RETRYABLE, PrinterSettings, PrintJob
from printers.connections import (
    DEVICE,
    BadConnectionURL,
    allowed_tcp_address,
    parse_connection,
    real_serial_device,
)

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
    target = Path(spec.path or "").resolve()
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


def phone_jobs(exhibitor: Exhibitor, state: str) -> Sequence[PrintJob]:
    """The booth's jobs its phone prints, oldest first: the receipts it is to print
    (``pending``) or those it could not (``failed``)."""
    return db.session.scalars(
        sa.select(PrintJob)
        .where(PrintJob.exhibitor_id == exhibitor.id, PrintJob.status == state)
        .order_by(PrintJob.id)
        .limit(PHONE_JOBS_LIMIT)
    ).all()


def load_job(job_id: int) -> PrintJob:
    # Access was checked on the path by pos.core.ownership; called otherwise, a missing
    # one is still a 404.
    return db.session.get(PrintJob, job_id) or not_found("print job")


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
