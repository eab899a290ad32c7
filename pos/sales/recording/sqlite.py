"""SQLite: the sales one process's threads are ready to write at the same moment go into
one transaction, with one commit (``pos.core.group_commit``)."""

from __future__ import annotations

import sqlalchemy as sa

from pos.core.group_commit import group_of
from pos.extensions import db
from pos.sales.recording import idempotency
from pos.sales.recording.booth import BOOTH_ID, BOOTH_OF_SALE
from pos.sales.recording.draft import Draft
from pos.sales.recording.writer import SaleWriter, write_linked


class SqliteSaleWriter(SaleWriter):
    # The sale's id is known once it is inserted.
    booth_query = idempotency.with_key_record(
        BOOTH_OF_SALE.add_columns(sa.null().label("next_sale_id")), BOOTH_ID
    )
    key_query = idempotency.KEY_RECORD

    def __init__(self, engine: sa.Engine, busy_timeout_ms: int):
        self._group = group_of(engine)
        self._timeout = busy_timeout_ms / 1000

    def check_key(self, record: sa.Row) -> None:
        # Nothing tells: a twin waits for the write lock, is refused by the unique key and
        # answered with the first's answer.
        return None

    def write(self, connection: sa.Connection, draft: Draft, key: str, request_hash: str) -> str:
        # The group's leader writes on its own session's connection, whichever request it
        # serves: the request's connection has read without a transaction (reads_first).
        return self._group.write(
            db.session(),
            lambda writing: write_linked(writing, draft, key, request_hash),
            self._timeout,
        )
