"""The public receipt page the QR code points to: that one receipt, nothing else."""

from __future__ import annotations

import re

import sqlalchemy as sa
from flask import Blueprint, abort, render_template

from pos.extensions import db
from pos.receipts.content import receipt_for
from pos.sales.models import Sale
from printers.render import quantity_text

blp = Blueprint("receipts", __name__, template_folder="templates")
PUBLIC_ID = re.compile(r"^[0-9a-f]{32}$")


@blp.get("/r/<public_id>")
@blp.get("/R/<public_id>")  # as receipts' QR codes carry it, in capitals
def public_receipt(public_id: str):
    public_id = public_id.lower()
    if not PUBLIC_ID.match(public_id):
        abort(404)
    sale = db.session.scalar(sa.select(Sale).where(Sale.public_id == public_id))
    if sale is None:
        abort(404)
    html = render_template(
        "receipt.html",
        receipt=receipt_for(sale),
        sale=sale,
        quantity_text=quantity_text,
    )
    return (
        html,
        200,
        {
            "Cache-Control": "no-store",
            "X-Robots-Tag": "noindex",
            "Referrer-Policy": "no-referrer",
            "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'",
        },
    )
