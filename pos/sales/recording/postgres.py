"""PostgreSQL: a sale's writes in one statement, one round trip instead of six; a key in
use by a request still running is told to retry.

On PostgreSQL each statement is a round trip to the server, and a sale made six of them
after its checks: the chain's end, the sale, its lines, its payments, its print job and the
Idempotency-Key's answer. Here they are data-modifying CTEs of one statement. The sale's id
is drawn beforehand with the booth's row (``NEXT_SALE_ID``), so the answer stored with the
key is whole before the statement is sent. Every insert selects from ``taken``, the update
of the booth's chain end: if another record or the day's closing came in since the sale was
sealed, nothing is written, and the sale is linked anew the ordinary way
(``writer.write_linked``).

Each request holds a transaction-level advisory lock on its key, taken with the booth's
row: a second request with the key while the first still runs is answered 409. If it
looked the key up just after the first let the lock go but before its commit showed, it
finds no record, and the unique (exhibitor_id, key) refuses its sale.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import ARRAY

from pos.core.errors import fail
from pos.core.messages import N_
from pos.exhibitors import ledger
from pos.idempotency.keys import lock_key
from pos.printing.models import PrintJob
from pos.sales.models import Payment, Sale, SaleLine
from pos.sales.recording import idempotency
from pos.sales.recording.booth import BOOTH_ID, BOOTH_OF_SALE
from pos.sales.recording.draft import Draft
from pos.sales.recording.writer import SaleWriter, write_linked

_SALES, _LINES, _PAYMENTS = Sale.__table__, SaleLine.__table__, Payment.__table__
_JOBS, _RECORDS = PrintJob.__table__, idempotency.RECORDS

# Selected with the booth: the sale's id to be, drawn from its sequence (a sale that is not
# written leaves a gap in ids, never in receipt numbers).
_NEXT_SALE_ID = sa.func.nextval(sa.func.pg_get_serial_sequence("sales", "id")).label("next_sale_id")
_KEY_LOCK = sa.func.pg_try_advisory_xact_lock(sa.bindparam("lock_key", type_=sa.BigInteger)).label(
    "key_locked"
)


def _child_names(table: sa.Table) -> list[str]:
    return [c.key for c in table.columns if c.key not in ("id", "sale_id")]


def _params(table: sa.Table, names: list[str], prefix: str, array: bool = False) -> list:
    return [
        sa.bindparam(
            f"{prefix}{name}", type_=ARRAY(table.c[name].type) if array else table.c[name].type
        )
        for name in names
    ]


def _build(with_job: bool) -> sa.Select:
    taken = ledger.TAKE.returning(ledger.LEDGER.c.exhibitor_id).cte("taken")
    sale_names = [c.key for c in _SALES.columns]
    new_sale = (
        sa.insert(_SALES)
        .from_select(
            sale_names, sa.select(*_params(_SALES, sale_names, "sale_")).select_from(taken)
        )
        .returning(_SALES.c.id)
        .cte("new_sale")
    )
    children = []
    for table, prefix in ((_LINES, "line_"), (_PAYMENTS, "payment_")):
        names = _child_names(table)
        # unnest(a, b, ...) AS rows(a, b, ...): one row an array index, however many.
        rows = (
            sa.func.unnest(*_params(table, names, prefix, array=True))
            .table_valued(*names, name=f"{table.name}_rows")
            .render_derived()
        )
        children.append(
            sa.insert(table)
            .from_select(
                ["sale_id", *names],
                sa.select(new_sale.c.id, *[rows.c[name] for name in names]).select_from(
                    new_sale.join(rows, sa.true())
                ),
            )
            .cte(f"new_{table.name}")
        )
    record_names = [c.key for c in _RECORDS.columns if c.key not in ("id", "sale_id")]
    children.append(
        sa.insert(_RECORDS)
        .from_select(
            ["sale_id", *record_names],
            sa.select(new_sale.c.id, *_params(_RECORDS, record_names, "key_")).select_from(
                new_sale
            ),
        )
        .cte("new_key")
    )
    if with_job:
        job_names = [c.key for c in _JOBS.columns if c.key not in ("id", "sale_id")]
        children.append(
            sa.insert(_JOBS)
            .from_select(
                ["sale_id", *job_names],
                sa.select(new_sale.c.id, *_params(_JOBS, job_names, "job_")).select_from(new_sale),
            )
            .cte("new_job")
        )
    return sa.select(new_sale.c.id).add_cte(*children)


# Built once: every sale on PostgreSQL runs one of them.
_WRITE_SALE, _WRITE_SALE_AND_JOB = _build(with_job=False), _build(with_job=True)


def _arrays(rows: list[dict], table: sa.Table, prefix: str) -> dict:
    """A column's values as one array parameter each; empty arrays for no rows (a sale of
    0.00 has no payment), never a missing parameter."""
    return {f"{prefix}{name}": [row[name] for row in rows] for name in _child_names(table)}


class PostgresSaleWriter(SaleWriter):
    booth_query = idempotency.with_key_record(
        BOOTH_OF_SALE.add_columns(_NEXT_SALE_ID), BOOTH_ID
    ).add_columns(_KEY_LOCK)
    key_query = idempotency.KEY_RECORD.add_columns(_KEY_LOCK)

    def key_params(self, exhibitor_id: int, key: str) -> dict:
        return {"key": key, "lock_key": lock_key(exhibitor_id, key)}

    def check_key(self, record: sa.Row) -> None:
        if not record.key_locked:
            fail(
                409,
                N_("A request with this Idempotency-Key is still being processed; retry."),
                headers={"Retry-After": "1"},
            )

    def write(self, connection: sa.Connection, draft: Draft, key: str, request_hash: str) -> str:
        # Committed with the request, which has written nothing else.
        text = idempotency.answer_text(draft.answer)
        record = idempotency.record_row(draft.booth.id, key, request_hash, 201, text)
        params = {
            **ledger.take_params(draft.booth.id, draft.head, draft.sale_row["hash"]),
            **{f"sale_{name}": value for name, value in draft.sale_row.items()},
            "sale_id": draft.sale.id,
            **_arrays(draft.line_rows, _LINES, "line_"),
            **_arrays(draft.payment_rows, _PAYMENTS, "payment_"),
            **{f"key_{name}": value for name, value in record.items()},
            **{f"job_{name}": value for name, value in (draft.job_row or {}).items()},
        }
        statement = _WRITE_SALE if draft.job_row is None else _WRITE_SALE_AND_JOB
        if connection.execute(statement, params).first() is not None:
            return text
        # The chain moved on since the sale was sealed.
        return write_linked(connection, draft, key, request_hash)
