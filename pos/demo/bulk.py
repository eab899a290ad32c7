"""Write many chained sales at once, for demo fairs and benchmarks.

The records are exactly what the API writes (same canonical payloads, same
hash chain, same ledger head), so ``pos verify`` and the reports treat them
like sales rung up at a till; only the per-request work is skipped.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from types import SimpleNamespace

import sqlalchemy as sa

from pos.catalogue.models import Product
from pos.core import chain
from pos.core.money import line_amount
from pos.events.services import local_date
from pos.exhibitors.models import Exhibitor, ExhibitorLedger
from pos.extensions import db
from pos.sales.models import SaleVoid, receipt_number
from pos.sales.recording.writer import insert_sales

CHUNK = 2000


@dataclass(frozen=True)
class PlannedSale:
    sold_at: datetime
    lines: list[tuple[Product, int]]  # (product, quantity in thousandths)
    method: str
    voided: bool = False


def write_sales(exhibitor: Exhibitor, planned: Iterable[PlannedSale]) -> int:
    """Append the planned sales (in time order) to the exhibitor's chain; returns the count."""
    head = db.session.get_one(ExhibitorLedger, exhibitor.id)
    state = SimpleNamespace(
        receipt=head.last_receipt_number, seq=head.last_chain_seq, hash=head.last_hash
    )
    written = 0
    batch: list[PlannedSale] = []
    for sale in planned:
        batch.append(sale)
        if len(batch) == CHUNK:
            written += _write_chunk(exhibitor, batch, state)
            batch = []
    if batch:
        written += _write_chunk(exhibitor, batch, state)
    head.last_receipt_number, head.last_chain_seq, head.last_hash = (
        state.receipt,
        state.seq,
        state.hash,
    )
    db.session.flush()
    return written


def _write_chunk(exhibitor: Exhibitor, batch: list[PlannedSale], state) -> int:
    sales, lines_by_sale, payments_by_sale, voids = [], [], [], []
    for planned in batch:
        state.receipt += 1
        state.seq += 1
        lines = []
        for position, (product, quantity) in enumerate(planned.lines):
            amount = line_amount(quantity, product.unit_price)
            lines.append(
                SimpleNamespace(
                    position=position,
                    product_id=product.id,
                    name=product.name,
                    name_ar=product.name_ar,
                    unit=product.unit,
                    quantity=quantity,
                    unit_price=product.unit_price,
                    discount=0,
                    line_total=amount,
                )
            )
        total = sum(line.line_total for line in lines)
        recorded_at = planned.sold_at + timedelta(seconds=2)
        day = local_date(exhibitor.event, planned.sold_at)
        payment = SimpleNamespace(
            position=0, method=planned.method, amount=total, tendered=None, change=0
        )
        sale = SimpleNamespace(
            public_id=secrets.token_hex(16),
            event_id=exhibitor.event_id,
            exhibitor_id=exhibitor.id,
            receipt_seq=state.receipt,
            receipt_number=receipt_number(exhibitor.booth, state.receipt),
            total=total,
            sold_at=planned.sold_at,
            recorded_at=recorded_at,
            local_date=day,
            period_date=day,
            late=False,
            user_id=None,
            device_id=None,
            chain_seq=state.seq,
            prev_hash=state.hash,
        )
        sale.hash = chain.seal(sale.prev_hash, chain.sale_payload(sale, lines, [payment]))
        state.hash = sale.hash
        sales.append(vars(sale))
        lines_by_sale.append([vars(line) for line in lines])
        payments_by_sale.append([vars(payment)])
        if planned.voided:
            state.seq += 1
            void = SimpleNamespace(
                exhibitor_id=exhibitor.id,
                reason="Erreur de saisie",
                voided_at=recorded_at + timedelta(minutes=1),
                user_id=None,
                device_id=None,
                chain_seq=state.seq,
                prev_hash=state.hash,
            )
            void.hash = chain.seal(
                void.prev_hash, chain.void_payload(void, sale.receipt_number, sale.hash)
            )
            state.hash = void.hash
            voids.append((len(sales) - 1, vars(void)))
    ids = insert_sales(db.session.connection(), sales, lines_by_sale, payments_by_sale)
    if voids:
        db.session.execute(
            sa.insert(SaleVoid), [{**void, "sale_id": ids[index]} for index, void in voids]
        )
    return len(sales)
