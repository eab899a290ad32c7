"""How a sale is written: one interface, one implementation per database (``sqlite``,
``postgres``), chosen when the app starts (``services.choose_writer``)."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence

import sqlalchemy as sa

from pos.core.errors import not_found
from pos.exhibitors import ledger
from pos.printing import queue as print_queue
from pos.sales.models import Payment, Sale, SaleLine
from pos.sales.recording import idempotency
from pos.sales.recording.draft import Draft


class SaleWriter(ABC):
    """Reads a sale's booth with its key's record, and writes a drafted sale with its
    print job and the key's answer as the next link of the booth's chain."""

    # ``booth.BOOTH_OF_SALE`` with the key's record and ``next_sale_id``; and the key's
    # record alone (``idempotency.KEY_RECORD``'s columns), as this database reads them.
    booth_query: sa.Select
    key_query: sa.Select

    def key_params(self, exhibitor_id: int, key: str) -> dict:
        """The bind parameters of both queries but ``exhibitor_id``."""
        return {"key": key}

    @abstractmethod
    def check_key(self, record: sa.Row) -> None:
        """Refuse a key that another request is using at this moment, where the database
        can tell (the row read by either query)."""

    def load_booth(self, connection: sa.Connection, exhibitor_id: int, key: str) -> sa.Row:
        """The booth a sale is recorded for (``booth.BOOTH_OF_SALE``'s columns), with its
        record of the Idempotency-Key ``key``. Access was checked on the path by
        pos.core.ownership."""
        booth = connection.execute(
            self.booth_query, {"exhibitor_id": exhibitor_id, **self.key_params(exhibitor_id, key)}
        ).one_or_none()
        if booth is None:
            not_found("exhibitor")
        self.check_key(booth)
        return booth

    def look_up_key(self, connection: sa.Connection, exhibitor_id: int, key: str) -> sa.Row:
        """The key's record, looked up again once a twin of the request was refused."""
        record = connection.execute(
            self.key_query, {"exhibitor_id": exhibitor_id, **self.key_params(exhibitor_id, key)}
        ).one()
        self.check_key(record)
        return record

    @abstractmethod
    def write(self, connection: sa.Connection, draft: Draft, key: str, request_hash: str) -> str:
        """Write the drafted sale, its print job and the key's answer (201 and the sale);
        the answer's text. ``connection``: the request's, nothing written on it yet. Either
        it is committed here or its commit is the request's: none is answered uncommitted.
        Raises IntegrityError when a twin with the same key was written first."""


def write_linked(connection: sa.Connection, draft: Draft, key: str, request_hash: str) -> str:
    """``SaleWriter.write`` as statements on ``connection``, its commit left to the caller:
    linked to the chain's end it was sealed on if the chain has not moved since, else to
    the new end (another till of the booth, a void or the day's closing came first).
    Relinks only the draft: if the transaction is undone, it can be written again."""
    exhibitor_id = draft.booth.id
    if not ledger.take(connection, exhibitor_id, draft.head, draft.sale_row["hash"]):
        draft.link(ledger.advance(connection, exhibitor_id, receipt=True))
        ledger.set_head(connection, exhibitor_id, draft.sale_row["hash"])
    [sale_id] = insert_sales(connection, [draft.sale_row], [draft.line_rows], [draft.payment_rows])
    if draft.job_row is not None:
        print_queue.insert_receipt_job(connection, sale_id, draft.job_row)
    text = idempotency.answer_text({**draft.answer, "id": sale_id})
    idempotency.remember(
        connection, idempotency.record_row(exhibitor_id, key, request_hash, 201, text), sale_id
    )
    return text


_SALES, _LINES, _PAYMENTS = Sale.__table__, SaleLine.__table__, Payment.__table__
# Built once: every sale runs them.
_INSERT_SALES = sa.insert(_SALES).returning(_SALES.c.id, sort_by_parameter_order=True)
_INSERT_LINES, _INSERT_PAYMENTS = sa.insert(_LINES), sa.insert(_PAYMENTS)


def insert_sales(
    connection: sa.Connection,
    sales: list[dict],
    lines_by_sale: list[list[dict]],
    payments_by_sale: list[list[dict]],
) -> Sequence[int]:
    """Write sales, their lines and their payments as rows, a statement a table (a till's
    sale or a demo fair's thousands); the sales' ids, in order. Rows, not objects: a sale
    is never changed, so the unit of work has nothing to track."""
    ids = connection.execute(_INSERT_SALES, sales).scalars().all()
    for statement, rows_by_sale in (
        (_INSERT_LINES, lines_by_sale),
        (_INSERT_PAYMENTS, payments_by_sale),
    ):
        rows = [
            {**row, "sale_id": sale_id}
            for sale_id, of_sale in zip(ids, rows_by_sale, strict=True)
            for row in of_sale
        ]
        if rows:
            connection.execute(statement, rows)
    return ids
