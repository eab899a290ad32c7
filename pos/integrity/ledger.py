"""Appending to an exhibitor's hash chain under the ledger row's lock."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa

from pos.exhibitors.models import ExhibitorLedger
from pos.extensions import db
from pos.integrity import chain


@dataclass(frozen=True)
class LedgerHead:
    receipt_number: int
    chain_seq: int
    prev_hash: str
    last_closed_date: date | None


def advance(exhibitor_id: int, *, receipt: bool) -> LedgerHead:
    """Take the next chain link (and receipt number); the row stays locked until commit."""
    ledger = ExhibitorLedger
    values = {"last_chain_seq": ledger.last_chain_seq + 1}
    if receipt:
        values["last_receipt_number"] = ledger.last_receipt_number + 1
    row = db.session.execute(
        sa.update(ledger)
        .where(ledger.exhibitor_id == exhibitor_id)
        .values(**values)
        .returning(
            ledger.last_receipt_number,
            ledger.last_chain_seq,
            ledger.last_hash,
            ledger.last_closed_date,
        )
    ).one()
    return LedgerHead(*row)


def lock(exhibitor_id: int) -> ExhibitorLedger:
    """The ledger row, locked for this transaction (closings)."""
    query = sa.select(ExhibitorLedger).where(ExhibitorLedger.exhibitor_id == exhibitor_id)
    return db.session.execute(query.with_for_update()).scalar_one()


def set_head(exhibitor_id: int, new_hash: str) -> None:
    db.session.execute(
        sa.update(ExhibitorLedger)
        .where(ExhibitorLedger.exhibitor_id == exhibitor_id)
        .values(last_hash=new_hash)
    )


def seal_sale(sale) -> str:
    return chain.seal(sale.prev_hash, chain.sale_payload(sale, sale.lines, sale.payments))


def seal_void(void, sale) -> str:
    return chain.seal(void.prev_hash, chain.void_payload(void, sale.receipt_number, sale.hash))
