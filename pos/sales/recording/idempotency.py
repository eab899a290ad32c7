"""Idempotency-Key handling (draft-ietf-httpapi-idempotency-key-header).

Same key, same body: the stored answer again. Same key, other body: 422.
The key's record is read with the sale's booth (``with_key_record``), before anything
is checked: a retry gets its first answer even if its product was withdrawn since. It is
written in the sale's transaction, under a unique (exhibitor_id, key): a second request
that got past the look while the first was still writing is refused by the database and
answered with the first's stored response (``pos.sales.recording.services``). On
PostgreSQL a request that arrives while the first still runs is told to retry (409,
``pos.sales.recording.postgres``).
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from flask import Response

from pos.core.db import utcnow
from pos.idempotency import keys
from pos.sales.models import IdempotencyRecord

RECORDS = IdempotencyRecord.__table__
_INSERT = sa.insert(RECORDS)


def with_key_record(query: sa.Select, exhibitor_id) -> sa.Select:
    """``query`` (one row) with the exhibitor's record of the key (bind parameter ``key``)
    as ``key_request_hash``, ``key_response_status`` and ``key_response_body``, None when
    the key is new: the sale's reads gain no round trip."""
    return query.outerjoin(
        RECORDS,
        sa.and_(RECORDS.c.exhibitor_id == exhibitor_id, RECORDS.c.key == sa.bindparam("key")),
    ).add_columns(
        RECORDS.c.request_hash.label("key_request_hash"),
        RECORDS.c.response_status.label("key_response_status"),
        RECORDS.c.response_body.label("key_response_body"),
    )


_ONE_ROW = sa.select(sa.literal(1).label("one")).subquery()
# The key's record alone (bind parameters ``exhibitor_id`` and ``key``): a second look
# after a twin was refused.
KEY_RECORD = with_key_record(
    sa.select(_ONE_ROW.c.one).select_from(_ONE_ROW), sa.bindparam("exhibitor_id")
)


def replay(record: sa.Row, request_hash: str) -> Response | None:
    """From a row of ``with_key_record``: the stored answer to replay, or None when this
    request is the first with the key."""
    if record.key_request_hash is None:
        return None
    return keys.replay(
        record.key_request_hash, request_hash, record.key_response_status, record.key_response_body
    )


def answer_text(body: dict) -> str:
    return json.dumps(body, ensure_ascii=False, separators=(",", ":"))


def record_row(exhibitor_id: int, key: str, request_hash: str, status: int, text: str) -> dict:
    """The key's record, but for the sale's id."""
    return {
        "exhibitor_id": exhibitor_id,
        "key": key,
        "request_hash": request_hash,
        "response_status": status,
        "response_body": text,
        "created_at": utcnow(),
    }


def answer(text: str, status: int) -> Response:
    return Response(text, status=status, mimetype="application/json")


def remember(connection: sa.Connection, record: dict, sale_id: int) -> None:
    """Store the key's record (``record_row``) in the sale's transaction."""
    connection.execute(_INSERT, {**record, "sale_id": sale_id})
