"""Delivering queued receipts: ``pos print-worker``, also started by ``pos serve``."""

from __future__ import annotations

import logging
import os
import socket
import threading

from flask import current_app

from pos.core.db import begin_reading
from pos.extensions import db
from pos.printing import queue
from pos.printing.models import DONE, PrinterSettings, PrintJob
from pos.receipts.services import render_job
from pos.sales.models import Sale
from printers.connections import parse_connection
from printers.delivery import deliver
from printers.render import PAPERS

log = logging.getLogger(__name__)


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident()}"


def process_one(worker: str) -> bool:
    """Deliver one due job, if there is one. Never holds a transaction while printing."""
    job_id = queue.claim(worker)
    if job_id is None:
        return False
    # Reading and rendering take a few milliseconds: in a read transaction, so that on
    # SQLite the booths' sales are not held up meanwhile.
    begin_reading(db.session)
    job = db.session.get_one(PrintJob, job_id)
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
    outcome = deliver(
        data,
        spec,
        profile=profile,
        name=name,
        paper_dots=paper.dots,
        networks=current_app.config["POS_PRINTER_NETWORKS"],
    )
    if outcome.status not in DONE:
        log.warning("print job %s (%s): %s", job_id, name, outcome.detail)
    queue.finish(job_id, outcome.status, outcome.detail, data)
    return True


def run(
    app, *, poll_seconds: float = 0.5, stop: threading.Event | None = None, once: bool = False
) -> int:
    """Work until stopped (or, with ``once``, until nothing is due); returns jobs handled."""
    stop = stop or threading.Event()
    worker, handled = worker_name(), 0
    while not stop.is_set():
        with app.app_context():
            try:
                did = process_one(worker)
            except Exception:
                log.exception("print worker error")
                db.session.rollback()
                did = False
        handled += did
        if not did:
            if once:
                break
            stop.wait(poll_seconds)
    return handled
