"""Appending to an exhibitor's hash chain under the ledger row's lock."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa

from pos.core import chain
from pos.exhibitors.models import ExhibitorLedger
from pos.extensions import db


@dataclass(frozen=True)
class LedgerHead:
    receipt_number: int
    chain_seq: int
    prev_hash: str
    last_closed_date: date | None


LEDGER = ExhibitorLedger.__table__


def _advance_statement(receipt: bool) -> sa.Update:
    values = {"last_chain_seq": LEDGER.c.last_chain_seq + 1}
    if receipt:
        values["last_receipt_number"] = LEDGER.c.last_receipt_number + 1
    return (
        sa.update(LEDGER)
        .where(LEDGER.c.exhibitor_id == sa.bindparam("ledger_exhibitor_id"))
        .values(**values)
        .returning(
            LEDGER.c.last_receipt_number,
            LEDGER.c.last_chain_seq,
            LEDGER.c.last_hash,
            LEDGER.c.last_closed_date,
        )
    )


# Built once: every sale runs them.
_ADVANCE_WITH_RECEIPT, _ADVANCE_LINK_ONLY = _advance_statement(True), _advance_statement(False)
_SET_HEAD = (
    sa.update(LEDGER)
    .where(LEDGER.c.exhibitor_id == sa.bindparam("ledger_exhibitor_id"))
    .values(last_hash=sa.bindparam("new_hash"))
)


# The next sale's link as the chain stands, for a query of the sale's booth to select
# beside its own columns (``head_of`` reads them back): one statement fewer a sale.
NEXT_LINK_COLUMNS = (
    (LEDGER.c.last_receipt_number + 1).label("next_receipt_number"),
    (LEDGER.c.last_chain_seq + 1).label("next_chain_seq"),
    LEDGER.c.last_hash.label("chain_end_hash"),
    LEDGER.c.last_closed_date,
)
# The head moves only if nothing was appended (chain_seq) or closed since it was read.
TAKE = (
    sa.update(LEDGER)
    .where(
        LEDGER.c.exhibitor_id == sa.bindparam("ledger_exhibitor_id"),
        LEDGER.c.last_chain_seq == sa.bindparam("read_chain_seq"),
        LEDGER.c.last_closed_date.is_not_distinct_from(
            sa.bindparam("read_closed_date", type_=sa.Date)
        ),
    )
    .values(
        last_receipt_number=sa.bindparam("receipt_number"),
        last_chain_seq=sa.bindparam("chain_seq"),
        last_hash=sa.bindparam("new_hash"),
    )
)


def head_of(row) -> LedgerHead:
    """The next sale's link from a row with ``NEXT_LINK_COLUMNS``, read without a lock: a
    sale is sealed on it before the write lock, then ``take`` checks that it still holds."""
    return LedgerHead(
        row.next_receipt_number, row.next_chain_seq, row.chain_end_hash, row.last_closed_date
    )


def take_params(exhibitor_id: int, head: LedgerHead, new_hash: str) -> dict:
    """``TAKE``'s parameters for a sale sealed on ``head`` with ``new_hash``."""
    return {
        "ledger_exhibitor_id": exhibitor_id,
        "read_chain_seq": head.chain_seq - 1,
        "read_closed_date": head.last_closed_date,
        "receipt_number": head.receipt_number,
        "chain_seq": head.chain_seq,
        "new_hash": new_hash,
    }


def take(connection: sa.Connection, exhibitor_id: int, head: LedgerHead, new_hash: str) -> bool:
    """Append a sale sealed on ``head`` (from ``head_of``), as ``advance`` and ``set_head``
    would, locking the row; False, with nothing changed, if another record or a closing of
    the booth came in since the head was read."""
    result = connection.execute(TAKE, take_params(exhibitor_id, head, new_hash))
    return result.rowcount == 1


def advance(connection: sa.Connection, exhibitor_id: int, *, receipt: bool) -> LedgerHead:
    """Take the next chain link (and receipt number); the row stays locked until commit."""
    statement = _ADVANCE_WITH_RECEIPT if receipt else _ADVANCE_LINK_ONLY
    row = connection.execute(statement, {"ledger_exhibitor_id": exhibitor_id}).one()
    return LedgerHead(*row)


def lock(exhibitor_id: int) -> ExhibitorLedger:
    """The ledger row, locked for this transaction (closings)."""
    query = sa.select(ExhibitorLedger).where(ExhibitorLedger.exhibitor_id == exhibitor_id)
    return db.session.execute(query.with_for_update()).scalar_one()


def set_head(connection: sa.Connection, exhibitor_id: int, new_hash: str) -> None:
    connection.execute(_SET_HEAD, {"ledger_exhibitor_id": exhibitor_id, "new_hash": new_hash})


def seal_sale(sale) -> str:
    return chain.seal(sale.prev_hash, chain.sale_payload(sale, sale.lines, sale.payments))


def seal_void(void, sale) -> str:
    return chain.seal(void.prev_hash, chain.void_payload(void, sale.receipt_number, sale.hash))
