"""A sale's receipt on paper: rendered for its booth's printer (the server's worker sends
it, or the booth's phone fetches it), printed again as a copy, shown as an image."""

from __future__ import annotations

import io

from pos.audit import services as audit
from pos.core.errors import fail
from pos.core.messages import N_
from pos.extensions import db
from pos.printing import queue as print_queue
from pos.printing.models import PrinterSettings, PrintJob
from pos.receipts.content import receipt_for
from pos.sales.models import Sale
from printers.decode import decode
from printers.render import PAPERS, render_receipt


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
    sale = db.session.get_one(Sale, job.sale_id)
    settings = db.session.get(PrinterSettings, job.exhibitor_id)
    width = settings.paper_width_mm if settings else job.paper_width_mm or 80
    profile = settings.profile if settings else None
    code_page = settings.code_page if settings else None
    compact = settings is not None and settings.compact
    cash = any(payment.method == "cash" for payment in sale.payments)
    drawer = settings is not None and settings.cash_drawer and cash and job.kind == "receipt"
    receipt = receipt_for(sale, job.kind, open_drawer=drawer)
    return render_receipt(receipt, width, profile, code_page=code_page, compact=compact)


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
