"""The print queue: jobs written with the sale, leased to one holder at a time, never dropped.

A holder is a print worker (``pos print-worker``, one station's) or a booth's phone. A
claim leases a job until a moment of the database's clock (``now()`` on PostgreSQL, never
a host's: hosts of one fair may disagree by minutes; SQLite is a file on one machine,
whose clock it is) and gives it a fresh token. A worker renews its lease while it
delivers, and checks it just before the bytes go out; its finish changes the job only
while its token still holds it (``UPDATE … WHERE claim_token = :mine AND status =
'printing'``). A holder that paused past its lease, lost its connection or died is taken
over, and whatever it says afterwards changes nothing.

Which holder may take a job follows the booth's printer as set now: a phone of the booth
when the printer is paired to it (``device``), else a worker of the printer's station.
On PostgreSQL, claims skip rows another claim has locked (``FOR UPDATE SKIP LOCKED``);
on SQLite the claim's transaction holds the write lock, which serialises them.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

import sqlalchemy as sa

from pos.core.db import UTCDateTime, begin_reading, utcnow
from pos.extensions import db
from pos.printing.models import DONE, ON_DEVICE, PrinterSettings, PrintJob
from printers.connections import DEVICE

if TYPE_CHECKING:
    from pos.sales.models import Sale

# How long a worker holds a job without renewing it (it renews every third of this).
WORKER_LEASE = timedelta(seconds=30)
# How long a phone holds the jobs it claimed: a Bluetooth receipt takes a few seconds.
PHONE_LEASE = timedelta(seconds=60)
MAX_BACKOFF_SECONDS = 60
RETRIED = ("waiting_for_printer", "failed_retrying")


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
    ``on_device``: the booth's phone prints it, not a worker. A new job is due at once
    whatever ``now`` says: its times are the recording host's, and no claim reads them."""
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


# ---- the database's clock ----


def _on_postgresql() -> bool:
    return db.session.get_bind().dialect.name == "postgresql"


def database_now() -> sa.ColumnElement[datetime]:
    """The moment as the database tells it, inside a statement."""
    if _on_postgresql():
        return sa.func.now(type_=UTCDateTime())  # the transaction's start: claims are short
    return sa.literal(utcnow(), UTCDateTime())


def database_later(delay: timedelta) -> sa.ColumnElement[datetime]:
    """``database_now()`` plus ``delay``."""
    if _on_postgresql():
        return sa.func.now(type_=UTCDateTime()) + sa.literal(delay, sa.Interval())
    return sa.literal(utcnow() + delay, UTCDateTime())


def read_database_now() -> datetime:
    """The database's clock, read (one round trip on PostgreSQL)."""
    if _on_postgresql():
        return db.session.execute(sa.select(database_now())).scalar_one()
    return utcnow()


def no_live_lease(now: sa.ColumnElement[datetime]) -> sa.ColumnElement[bool]:
    return sa.or_(PrintJob.lease_expires_at.is_(None), PrintJob.lease_expires_at <= now)


def _claimed_values(holder: str, token: str, lease: timedelta) -> dict:
    return {
        "claimed_by": holder[:100],
        "claim_token": token,
        "claimed_at": database_now(),
        "lease_expires_at": database_later(lease),
        "handed_out_at": None,
    }


# ---- workers ----


@dataclass(frozen=True)
class Claim:
    """A worker's hold on one job: what fences its renewals and its finish."""

    job_id: int
    token: str
    attempts: int


def _worker_may_take(now) -> sa.ColumnElement[bool]:
    """Jobs due now: new, retried once their backoff is over, or left by a holder whose
    lease ran out (a worker that died, a phone whose booth's printer has since moved to a
    station)."""
    return sa.or_(
        PrintJob.status == "queued",
        sa.and_(PrintJob.status.in_(RETRIED), PrintJob.next_attempt_at <= now),
        sa.and_(PrintJob.status.in_((*ON_DEVICE, "printing")), no_live_lease(now)),
    )


def _booths_of(station: str | None) -> list[int]:
    """The booths whose printer a worker of ``station`` (None: of none) prints to."""
    return list(
        db.session.scalars(
            sa.select(PrinterSettings.exhibitor_id).where(
                PrinterSettings.connection != DEVICE,
                PrinterSettings.station == station
                if station
                else PrinterSettings.station.is_(None),
            )
        )
    )


def _next_for_worker(booths: list[int]) -> sa.Select:
    # The booths are read first rather than joined: joined, a database whose statistics
    # are not gathered yet (a fair just loaded, autovacuum off) planned a nested loop that
    # read every due job once per booth, 0.5 s a claim with 2,000 receipts waiting (found
    # by pos drill); this way a claim reads the due jobs once, whatever the statistics.
    # A printer moved meanwhile is met at delivery (a phone's: the job goes back to it).
    return (
        sa.select(PrintJob.id)
        .where(PrintJob.exhibitor_id.in_(booths), _worker_may_take(database_now()))
        .order_by(PrintJob.next_attempt_at, PrintJob.id)
        .limit(1)
    )


def claim(worker: str, station: str | None = None, lease: timedelta = WORKER_LEASE) -> Claim | None:
    """Take the next due job of ``station`` for this worker and commit the claim."""
    if not _on_postgresql():
        # SQLite: a claim takes the write lock the tills need; look without it first (a
        # worker looks whenever the database changed).
        begin_reading(db.session)
        booths = _booths_of(station)
        due = db.session.execute(_next_for_worker(booths)).first() if booths else None
        db.session.commit()
        if due is None:
            return None
    else:
        booths = _booths_of(station)
        if not booths:
            db.session.commit()
            return None
    next_job = (
        _next_for_worker(booths).with_for_update(of=PrintJob, skip_locked=True).scalar_subquery()
    )
    token = secrets.token_hex(16)
    taken = db.session.execute(
        sa.update(PrintJob)
        .where(PrintJob.id == next_job)
        .values(
            status="printing",
            attempts=PrintJob.attempts + 1,
            kind=_copy_if_maybe_printed(worker[:100]),
            **_claimed_values(worker, token, lease),
        )
        .returning(PrintJob.id, PrintJob.attempts)
        .execution_options(synchronize_session=False)
    ).one_or_none()
    db.session.commit()
    return None if taken is None else Claim(taken.id, token, taken.attempts)


def _copy_if_maybe_printed(holder: str) -> sa.ColumnElement[str]:
    """A receipt that may have printed already, and no one can tell, prints again marked as
    a copy: one ``holder`` takes over from a worker whose lease ran out (it died while
    printing), or one whose bytes a phone fetched (it never said, or its report was lost,
    whoever claims it next). A phone that claimed it and never fetched its bytes (no printer
    in reach) cannot have printed it. (In SET, the columns are the row as it was.)"""
    maybe_printed = sa.and_(
        PrintJob.claimed_by.is_not(None),
        sa.or_(
            sa.and_(PrintJob.status == "printing", PrintJob.claimed_by != holder),
            sa.and_(PrintJob.status == "pending", PrintJob.handed_out_at.is_not(None)),
        ),
    )
    return sa.case(
        (sa.and_(maybe_printed, PrintJob.kind == "receipt"), "copy"), else_=PrintJob.kind
    )


def _held(claim: Claim) -> sa.ColumnElement[bool]:
    return sa.and_(
        PrintJob.id == claim.job_id,
        PrintJob.claim_token == claim.token,
        PrintJob.status == "printing",
    )


def _change_held(claim: Claim, values: dict) -> bool:
    """Change the job if ``claim`` still holds it, and commit; whether it did."""
    changed = db.session.connection().execute(
        sa.update(PrintJob).where(_held(claim)).values(**values)
    )
    db.session.commit()
    return changed.rowcount == 1


def renew(claim: Claim, lease: timedelta = WORKER_LEASE) -> bool:
    """Extend the worker's lease; False when the job is no longer its own."""
    return _change_held(claim, {"lease_expires_at": database_later(lease)})


def finish(
    claim: Claim, status: str, detail: str, data: bytes | None, *, maybe_printed: bool = False
) -> bool:
    """Record how delivery went, if the job is still this claim's; commits. False when
    another holder took it over meanwhile: then nothing is changed. ``maybe_printed``: the
    printer had the bytes though it did not print for sure (paper out after them, the link
    lost while writing): a receipt goes again as a copy, never a second original."""
    values: dict = {"status": status, "last_error": detail[:500] or None, "lease_expires_at": None}
    if maybe_printed and status not in DONE:
        values["kind"] = sa.case((PrintJob.kind == "receipt", "copy"), else_=PrintJob.kind)
    if data is not None:
        values["data"] = data
    if status in DONE:
        values["finished_at"] = database_now()
    else:
        backoff = min(2 ** min(claim.attempts, 10), MAX_BACKOFF_SECONDS)
        values["next_attempt_at"] = database_later(timedelta(seconds=backoff))
    return _change_held(claim, values)


# ---- a booth's phones ----


def claim_for_device(
    exhibitor_id: int, holder: str, limit: int, include_failed: bool
) -> list[PrintJob]:
    """Lease to ``holder`` (a phone of the booth) the booth's jobs that no other phone
    holds, when its printer is paired to the phones; oldest first. In the caller's transaction.
    ``include_failed``: the member asked, so the receipts that failed go again."""
    now = database_now()
    states = ("pending", "queued", *RETRIED, "printing") + (("failed",) if include_failed else ())
    chosen = (
        sa.select(PrintJob.id)
        .join(PrinterSettings, PrinterSettings.exhibitor_id == PrintJob.exhibitor_id)
        .where(
            PrintJob.exhibitor_id == exhibitor_id,
            PrinterSettings.connection == DEVICE,
            PrintJob.status.in_(states),
            # Its own again too: the phone asked before and could not print then (no tap
            # for RawBT, no printer in reach). Its tabs take turns on their own side.
            sa.or_(no_live_lease(now), PrintJob.claimed_by == holder),
        )
        .order_by(PrintJob.id)
        .limit(limit)
        .with_for_update(of=PrintJob, skip_locked=True)
    )
    ids = (
        db.session.execute(
            sa.update(PrintJob)
            .where(PrintJob.id.in_(chosen.scalar_subquery()))
            .values(
                status="pending",
                kind=_copy_if_maybe_printed(holder),
                **_claimed_values(holder, secrets.token_hex(16), PHONE_LEASE),
            )
            .returning(PrintJob.id)
            .execution_options(synchronize_session=False)
        )
        .scalars()
        .all()
    )
    if not ids:
        return []
    return list(
        db.session.scalars(
            sa.select(PrintJob)
            .where(PrintJob.id.in_(ids))
            .order_by(PrintJob.id)
            .execution_options(populate_existing=True)
        )
    )


def held_by_another(job: PrintJob, holder: str) -> bool:
    """Whether a live lease on ``job`` is someone else's."""
    if job.lease_expires_at is None or job.claimed_by == holder:
        return False
    return job.lease_expires_at > read_database_now()
