"""The print queue: jobs written with the sale, claimed by workers, never dropped.

On PostgreSQL several workers claim jobs with ``FOR UPDATE SKIP LOCKED``; on
SQLite the claim's transaction holds the write lock, which serialises them.
A job a worker claimed but never finished (the worker died) is taken again
after ``CLAIM_LEASE``.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

import sqlalchemy as sa

from pos.core.db import UTCDateTime, utcnow
from pos.extensions import db
from pos.printing.models import DONE, RETRYABLE, PrinterSettings, PrintJob
from printers.connections import DEVICE

if TYPE_CHECKING:
    from pos.sales.models import Sale

CLAIM_LEASE = timedelta(seconds=90)
MAX_BACKOFF_SECONDS = 60


_JOBS, _SETTINGS = PrintJob.__table__, PrinterSettings.__table__
_JOB_COLUMNS = [
    "sale_id",
    "exhibitor_id",
    "kind",
    "status",
    "attempts",
    "next_attempt_at",
    "created_at",
    "paper_width_mm",
]
# Built once, as one statement: every sale runs it. No printer set up, no row.
_INSERT_JOB = (
    sa.insert(_JOBS)
    .from_select(
        _JOB_COLUMNS,
        sa.select(
            sa.bindparam("sale_id", type_=sa.Integer),
            _SETTINGS.c.exhibitor_id,
            sa.bindparam("kind", type_=sa.String),
            sa.case((_SETTINGS.c.connection == DEVICE, "pending"), else_="queued"),
            sa.literal(0),
            sa.bindparam("now", type_=UTCDateTime()),
            sa.bindparam("now", type_=UTCDateTime()),
            _SETTINGS.c.paper_width_mm,
        ).where(_SETTINGS.c.exhibitor_id == sa.bindparam("exhibitor_id")),
    )
    .returning(_JOBS.c.id, _JOBS.c.paper_width_mm, _JOBS.c.status)
)


def enqueue(sale: Sale, kind: str) -> PrintJob | None:
    """A job for a recorded sale's receipt (a copy, a void), in the caller's transaction;
    None without a printer. A new sale's receipt goes in with it (``new_job_row``)."""
    now = utcnow()
    written = (
        db.session.connection()
        .execute(
            _INSERT_JOB,
            {"sale_id": sale.id, "exhibitor_id": sale.exhibitor_id, "kind": kind, "now": now},
        )
        .one_or_none()
    )
    if written is None:
        return None
    # Written as a row, not through the session: the job is the worker's from now on.
    job = PrintJob(
        id=written.id,
        sale_id=sale.id,
        **new_job_row(
            sale.exhibitor_id, kind, written.paper_width_mm, now, written.status == "pending"
        ),
    )
    db.session.expire(sale, ["print_jobs"])
    return job


_INSERT_JOB_ROW = sa.insert(_JOBS)


def new_job_row(
    exhibitor_id: int, kind: str, paper_width_mm: int, now: datetime, on_device: bool
) -> dict:
    """A new job as a row, but for its id and its sale's: a new sale's receipt job is made
    ready with the sale's other rows before its write lock (``pos.sales.services``).
    ``on_device``: the booth's phone prints it, not a worker."""
    row: dict[str, object] = {c.key: None for c in _JOBS.columns if c.key not in ("id", "sale_id")}
    row.update(
        exhibitor_id=exhibitor_id,
        kind=kind,
        status="pending" if on_device else "queued",
        attempts=0,
        next_attempt_at=now,
        created_at=now,
        paper_width_mm=paper_width_mm,
    )
    return row


def insert_receipt_job(connection: sa.Connection, sale_id: int, row: dict) -> None:
    connection.execute(_INSERT_JOB_ROW, {**row, "sale_id": sale_id})


def claim(worker: str) -> int | None:
    """Take the next due job for this worker and commit the claim; its id, or None."""
    now = utcnow()
    due = sa.or_(
        sa.and_(PrintJob.status.in_(RETRYABLE), PrintJob.next_attempt_at <= now),
        sa.and_(PrintJob.status == "printing", PrintJob.claimed_at < now - CLAIM_LEASE),
    )
    job = db.session.scalar(
        sa.select(PrintJob)
        .where(due)
        .order_by(PrintJob.next_attempt_at, PrintJob.id)
        .limit(1)
        .with_for_update(skip_locked=True)
    )
    if job is None:
        db.session.commit()
        return None
    job.status, job.claimed_by, job.claimed_at = "printing", worker, now
    job.attempts += 1
    job_id = job.id  # read before the commit expires it: no new transaction after it
    db.session.commit()
    return job_id


def finish(job_id: int, status: str, detail: str, data: bytes | None) -> None:
    job = db.session.get_one(PrintJob, job_id)
    job.status = status
    job.last_error = detail[:500] or None
    if data is not None:
        job.data = data
    if status in DONE:
        job.finished_at = utcnow()
    else:
        backoff = min(2 ** min(job.attempts, 10), MAX_BACKOFF_SECONDS)
        job.next_attempt_at = utcnow() + timedelta(seconds=backoff)
    db.session.commit()
