"""Idempotency-Key handling (draft-ietf-httpapi-idempotency-key-header).

Same key, same body: the stored answer again. Same key, other body: 422.
Same key while the first request still runs: 409 on PostgreSQL, where the
first holds a transaction-level advisory lock on the key. On SQLite the key is
looked up before the write lock; a second request that got past the look while
the first was still writing is stopped by the unique (exhibitor_id, key) of the
record, and is answered with the first's stored response (``pos.sales.views``).
"""

from __future__ import annotations

import hashlib
import json

import sqlalchemy as sa
from flask import Response

from pos.core.db import utcnow
from pos.core.errors import fail
from pos.sales.models import IdempotencyRecord

REPLAY_HEADER = "Idempotent-Replayed"

_RECORDS = IdempotencyRecord.__table__
# Built once: every sale runs them.
_LOOKUP = sa.select(
    _RECORDS.c.request_hash, _RECORDS.c.response_status, _RECORDS.c.response_body
).where(
    _RECORDS.c.exhibitor_id == sa.bindparam("exhibitor_id"),
    _RECORDS.c.key == sa.bindparam("key"),
)
_INSERT = sa.insert(_RECORDS)
# PostgreSQL: the key's lock and the lookup in one round trip. The lookup's snapshot may
# predate the commit of a first request that let the lock go in between: this request then
# finds no record, the unique (exhibitor_id, key) refuses its sale, and it gets the first's
# answer (``pos.sales.views``).
_ONE_ROW = sa.select(sa.literal(1).label("one")).subquery()
_LOCK_AND_LOOKUP = sa.select(
    sa.func.pg_try_advisory_xact_lock(sa.bindparam("lock_key", type_=sa.BigInteger)).label(
        "locked"
    ),
    _RECORDS.c.request_hash,
    _RECORDS.c.response_status,
    _RECORDS.c.response_body,
).select_from(
    _ONE_ROW.outerjoin(
        _RECORDS,
        sa.and_(
            _RECORDS.c.exhibitor_id == sa.bindparam("exhibitor_id"),
            _RECORDS.c.key == sa.bindparam("key"),
        ),
    )
)


def fingerprint(body: object) -> str:
    """Hash of the JSON body in canonical form: spacing and key order don't count."""
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def _lock_key(exhibitor_id: int, key: str) -> int:
    digest = hashlib.sha256(f"{exhibitor_id}:{key}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


def claim(
    connection: sa.Connection, exhibitor_id: int, key: str, request_hash: str
) -> Response | None:
    """The stored answer to replay, or None when this request is the first with the key."""
    if connection.dialect.name == "postgresql":
        record = connection.execute(
            _LOCK_AND_LOOKUP,
            {"lock_key": _lock_key(exhibitor_id, key), "exhibitor_id": exhibitor_id, "key": key},
        ).one()
        if not record.locked:
            fail(
                409,
                "A request with this Idempotency-Key is still being processed; retry.",
                headers={"Retry-After": "1"},
            )
    else:
        record = connection.execute(_LOOKUP, {"exhibitor_id": exhibitor_id, "key": key}).first()
    if record is None or record.request_hash is None:
        return None
    if record.request_hash != request_hash:
        fail(
            422,
            "This Idempotency-Key was already used with a different body.",
            errors={"Idempotency-Key": ["Already used with a different body."]},
        )
    response = Response(
        record.response_body, status=record.response_status, mimetype="application/json"
    )
    response.headers[REPLAY_HEADER] = "true"
    return response


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


def remember(
    connection: sa.Connection,
    exhibitor_id: int,
    key: str,
    request_hash: str,
    sale_id: int,
    status: int,
    body: dict,
) -> str:
    """Store the answer in the sale's transaction; its text."""
    text = answer_text(body)
    connection.execute(
        _INSERT,
        {"sale_id": sale_id, **record_row(exhibitor_id, key, request_hash, status, text)},
    )
    return text
