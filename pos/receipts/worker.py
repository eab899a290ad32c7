"""Delivering queued receipts: ``pos print-worker``, also started by ``pos serve``.

A worker serves one print station (``--station``; none: the booths whose printer names
none). It claims a job on a lease (``pos.printing.queue``), renews the lease from a
thread of its own while it delivers, asks once more just before the bytes go out whether
the job is still its own, and records the outcome only if it is. It sleeps until a job is
committed (``pos.printing.wake``).
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from datetime import timedelta

from flask import Flask, current_app

from pos.core.db import begin_reading
from pos.extensions import db
from pos.printing import queue, wake
from pos.printing.models import DONE, PrinterSettings, PrintJob
from pos.receipts.services import render_job
from pos.sales.models import Sale
from printers.connections import parse_connection
from printers.delivery import ABANDONED, deliver
from printers.render import PAPERS

log = logging.getLogger(__name__)


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident()}"


class LeaseKeeper:
    """Renews a claim's lease every third of it while the job is delivered."""

    def __init__(self, app: Flask, claim: queue.Claim, lease: timedelta):
        self.app, self.claim, self.lease = app, claim, lease
        self.lost = False
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._beat, name="print-lease", daemon=True)

    def _beat(self) -> None:
        while not self._done.wait(self.lease.total_seconds() / 3):
            with self.app.app_context():
                try:
                    self.lost = self.lost or not queue.renew(self.claim, self.lease)
                except Exception:
                    log.exception("print job %s: lease not renewed", self.claim.job_id)
                    db.session.rollback()

    def still_ours(self) -> bool:
        """Asked just before the bytes go out: the lease renewed, or the job lost."""
        if not self.lost:
            self.lost = not queue.renew(self.claim, self.lease)
        return not self.lost

    def __enter__(self) -> LeaseKeeper:
        self._thread.start()
        return self

    def __exit__(self, *_exc) -> None:
        self._done.set()
        self._thread.join()


def process_one(worker: str, station: str | None = None) -> bool:
    """Deliver one due job of the station, if there is one. Never holds a transaction
    while printing."""
    lease = timedelta(seconds=current_app.config["POS_PRINT_LEASE_SECONDS"])
    claim = queue.claim(worker, station, lease)
    if claim is None:
        return False
    # Reading and rendering take a few milliseconds: in a read transaction, so that on
    # SQLite the booths' sales are not held up meanwhile.
    begin_reading(db.session)
    job = db.session.get_one(PrintJob, claim.job_id)
    sale = db.session.get_one(Sale, job.sale_id)
    settings = db.session.get_one(PrinterSettings, job.exhibitor_id)
    paper = PAPERS[settings.paper_width_mm]
    data = render_job(job)
    spec, profile, name = (
        parse_connection(settings.connection),
        settings.profile,
        f"{sale.receipt_number}-{job.kind}-{job.id}",
    )
    db.session.commit()  # end the read transaction: SQLite must not stay locked while printing
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    with LeaseKeeper(app, claim, lease) as keeper:
        outcome = deliver(
            data,
            spec,
            profile=profile,
            name=name,
            paper_dots=paper.dots,
            networks=current_app.config["POS_PRINTER_NETWORKS"],
            still_ours=keeper.still_ours,
        )
    if outcome is ABANDONED:
        log.warning("print job %s (%s): taken over by another worker, not sent", job.id, name)
        return True
    if outcome.status not in DONE:
        log.warning("print job %s (%s): %s", claim.job_id, name, outcome.detail)
    if not queue.finish(
        claim, outcome.status, outcome.detail, data, maybe_printed=outcome.maybe_printed
    ):
        log.warning(
            "print job %s (%s): %s, but the job had been taken over meanwhile; not recorded",
            claim.job_id,
            name,
            outcome.status,
        )
    return True


def run(
    app,
    *,
    station: str | None = None,
    poll_seconds: float = 2.0,
    stop: threading.Event | None = None,
    once: bool = False,
    waiter: wake.Waiter | None = None,
) -> int:
    """Work until stopped (or, with ``once``, until nothing is due); returns jobs handled.
    Between jobs it sleeps until one is committed, or ``poll_seconds`` at the most
    (``waiter``: another way to wait, as the benchmark's baseline does)."""
    stop = stop or threading.Event()
    worker, handled = worker_name(), 0
    if waiter is None and not once:
        with app.app_context():
            # Listening before the first look: nothing committed meanwhile is missed.
            waiter = wake.waiter_for(db.engine, station)
    try:
        while not stop.is_set():
            with app.app_context():
                try:
                    did = process_one(worker, station)
                except Exception:
                    log.exception("print worker error")
                    db.session.rollback()
                    did = False
            handled += did
            if not did:
                if waiter is None:
                    break
                waiter.wait(poll_seconds, stop)
    finally:
        if waiter is not None:
            waiter.close()
    return handled
