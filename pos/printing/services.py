from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import Session

from pos.audit import services as audit
from pos.core.db import utcnow
from pos.core.errors import fail, invalid, not_found
from pos.core.messages import N_
from pos.exhibitors.models import Exhibitor
from pos.extensions import db
from pos.printing import queue
from pos.printing.connection_problems import connection_problem
from pos.printing.models import (
    DONE,
    ON_DEVICE,
    RETRYABLE,
    STATE_WORDS,
    PrinterSettings,
    PrintJob,
    PrintStation,
)
from printers.connections import (
    DEVICE,
    BadConnectionURL,
    allowed_tcp_address,
    parse_connection,
    real_serial_device,
)
from printers.profiles import best_code_page

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
        invalid("connection", connection_problem(error))
    if spec.kind != "file":
        return
    root = Path(current_app.config["POS_PRINTER_FILE_ROOT"]).resolve()
    target = Path(spec.path or "").resolve()
    if target != root and root not in target.parents:
        invalid("connection", N_("file:// printers must write below %(root)s.", root=str(root)))


def _station_of(exhibitor: Exhibitor, name: str | None) -> str | None:
    """The station named for a booth's printer: made for the booth's fair on first use; one
    of another fair is refused, so that no worker prints for two fairs."""
    if name is None:
        return None
    station = db.session.get(PrintStation, name)
    if station is None:
        db.session.add(PrintStation(name=name, event_id=exhibitor.event_id))
    elif station.event_id != exhibitor.event_id:
        invalid("station", N_("This print station belongs to another fair."))
    return name


def set_printer(exhibitor: Exhibitor, data: dict, principal=None) -> PrinterSettings:
    _check_target(data["connection"])
    data = {
        **data,
        "station": _station_of(exhibitor, data.get("station")),
        "code_page": best_code_page(data["profile"]),
    }
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
    when it prints, to the workers when the server does. None is dropped. One a holder is
    printing right now stays its own: whoever takes the booth's jobs from now on takes it
    only if that holder's lease runs out before it says how it went (``queue``)."""
    waiting, status = (RETRYABLE, "pending") if on_device else (ON_DEVICE, "queued")
    now = queue.database_now()
    db.session.execute(
        sa.update(PrintJob)
        .where(
            PrintJob.exhibitor_id == exhibitor_id,
            PrintJob.status.in_(waiting),
            queue.no_live_lease(now),
        )
        .values(status=status, next_attempt_at=now, lease_expires_at=None),
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


def holder_of(principal) -> str:
    """Who holds the phone jobs a caller claims: its device (a member's phone), else its
    user."""
    if principal.device_id is not None:
        return f"device:{principal.device_id}"
    return f"user:{principal.user_id}"


def claim_phone_jobs(exhibitor: Exhibitor, data: dict, principal) -> list[PrintJob]:
    """Lease the booth's waiting receipts to the caller's phone, so that no other phone or
    tab of the booth prints them; oldest first."""
    return queue.claim_for_device(
        exhibitor.id, holder_of(principal), data["limit"], data["include_failed"]
    )


def hand_out(job: PrintJob, principal) -> None:
    """The phone holding ``job`` fetched its bytes: from now on it may have printed it.
    Written in a short transaction of its own, as a read request's writes are: the fetch
    never waits for the writer lock, and on SQLite a read that began before a till's sale
    could not write at all (the till's fetch answered 503 and it fetched again)."""
    holder = holder_of(principal)
    if job.status not in ON_DEVICE or job.claimed_by != holder:
        return
    with Session(db.engine.execution_options(writing=True)) as session, session.begin():
        session.execute(
            sa.update(PrintJob)
            .where(PrintJob.id == job.id, PrintJob.claimed_by == holder)
            .values(handed_out_at=utcnow())
        )


def load_job(job_id: int) -> PrintJob:
    # Access was checked on the path by pos.core.ownership; called otherwise, a missing
    # one is still a 404.
    return db.session.get(PrintJob, job_id) or not_found("print job")


def report_result(job: PrintJob, data: dict, principal) -> PrintJob:
    """What the booth's phone says of a job it sent to its printer. Saying it twice (an
    answer lost on the way) is the same as once. Only the phone that holds the job's lease
    may say it while the lease runs; "sent" (handed to an app that tells nothing back,
    RawBT) becomes "printed" when the member confirms."""
    state, holder = data["state"], holder_of(principal)
    if job.status == state and state in DONE:
        return job
    confirming = job.status == "sent" and state == "printed" and job.claimed_by == holder
    if job.status not in ON_DEVICE and not confirming:
        fail(
            409,
            N_(
                "This receipt is not the phone's to print (it is %(state)s).",
                state=STATE_WORDS[job.status],
            ),
        )
    if queue.held_by_another(job, holder):
        fail(409, N_("Another phone of the booth is printing this receipt."))
    job.status = state
    job.claimed_by, job.lease_expires_at = holder, None
    if not confirming:
        job.attempts += 1
        job.last_error = data["detail"] or None
    if state in DONE:
        job.finished_at = utcnow()
    db.session.flush()
    return job
