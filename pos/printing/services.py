from __future__ import annotations

import io
from pathlib import Path

from flask import current_app

from pos.audit import services as audit
from pos.core.errors import invalid, not_found
from pos.core.messages import N_
from pos.exhibitors.models import Exhibitor
from pos.extensions import db
from pos.printing.models import PrinterSettings
from pos.printing.receipts import receipt_for
from printers.connections import (
    BadConnectionURL,
    allowed_tcp_address,
    parse_connection,
    real_serial_device,
)
from printers.decode import decode
from printers.render import PAPERS, render_receipt


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
    db.session.flush()
    audit.record("printer.changed", principal, exhibitor_id=exhibitor.id, details=data)
    return settings


def get_printer(exhibitor: Exhibitor) -> PrinterSettings:
    settings = db.session.get(PrinterSettings, exhibitor.id)
    if settings is None:
        not_found("printer for this exhibitor")
    return settings


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
