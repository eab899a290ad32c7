"""Voiding a sale: a record appended to the booth's chain, the sale itself unchanged."""

from __future__ import annotations

from pos.audit import services as audit
from pos.auth.principal import Principal
from pos.core.db import utcnow
from pos.core.errors import fail
from pos.core.messages import N_
from pos.exhibitors import ledger
from pos.extensions import db
from pos.printing import queue as print_queue
from pos.sales.models import Sale, SaleVoid


def void_sale(sale: Sale, principal: Principal, reason: str) -> Sale:
    """Append a void record; refused once the sale's day is closed."""
    head = ledger.advance(db.session.connection(), sale.exhibitor_id, receipt=False)
    if sale.void is not None:
        fail(409, N_("Sale %(receipt)s is already voided.", receipt=sale.receipt_number))
    if head.last_closed_date is not None and sale.period_date <= head.last_closed_date:
        fail(
            409,
            N_(
                "The day of sale %(receipt)s is already closed; it cannot be voided.",
                receipt=sale.receipt_number,
            ),
        )
    void = SaleVoid(
        exhibitor_id=sale.exhibitor_id,
        reason=reason,
        voided_at=utcnow(),
        user_id=principal.user_id,
        device_id=principal.device_id,
        chain_seq=head.chain_seq,
        prev_hash=head.prev_hash,
    )
    void.hash = ledger.seal_void(void, sale)
    sale.void = void
    db.session.flush()
    ledger.set_head(db.session.connection(), sale.exhibitor_id, void.hash)
    print_queue.enqueue(sale, "void")
    audit.record(
        "sale.voided",
        principal,
        exhibitor_id=sale.exhibitor_id,
        subject=f"sale:{sale.id}",
        details={"receipt": sale.receipt_number, "reason": reason},
    )
    return sale
