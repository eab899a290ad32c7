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


_LEDGER = ExhibitorLedger.__table__


def _advance_statement(receipt: bool) -> sa.Update:
    values = {"last_chain_seq": _LEDGER.c.last_chain_seq + 1}
    if receipt:
        values["last_receipt_number"] = _LEDGER.c.last_receipt_number + 1
    return (
        sa.update(_LEDGER)
        .where(_LEDGER.c.exhibitor_id == sa.bindparam("ledger_exhibitor_id"))
        .values(**values)
        .returning(
            _LEDGER.c.last_receipt_number,
            _LEDGER.c.last_chain_seq,
            _LEDGER.c.last_hash,
            _LEDGER.c.last_closed_date,
        )
    )


# Built once: every sale runs them.
_ADVANCE = {True: _advance_statement(True), False: _advance_statement(False)}
_SET_HEAD = (
    sa.update(_LEDGER)
    .where(_LEDGER.c.exhibitor_id == sa.bindparam("ledger_exhibitor_id"))
    .values(last_hash=sa.bindparam("new_hash"))
)


def advance(exhibitor_id: int, *, receipt: bool) -> LedgerHead:
    """Take the next chain link (and receipt number); the row stays locked until commit."""
    row = (
        db.session.connection()
        .execute(_ADVANCE[receipt], {"ledger_exhibitor_id": exhibitor_id})
        .one()
    )
    return LedgerHead(*row)


def lock(exhibitor_id: int) -> ExhibitorLedger:
    """The ledger row, locked for this transaction (closings)."""
    query = sa.select(ExhibitorLedger).where(ExhibitorLedger.exhibitor_id == exhibitor_id)
    return db.session.execute(query.with_for_update()).scalar_one()


def set_head(exhibitor_id: int, new_hash: str) -> None:
    db.session.connection().execute(
        _SET_HEAD, {"ledger_exhibitor_id": exhibitor_id, "new_hash": new_hash}
    )


def seal_sale(sale) -> str:
    return chain.seal(sale.prev_hash, chain.sale_payload(sale, sale.lines, sale.payments))


def seal_void(void, sale) -> str:
    return chain.seal(void.prev_hash, chain.void_payload(void, sale.receipt_number, sale.hash))
