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
from pos.core.messages import N_
from pos.sales.models import IdempotencyRecord

REPLAY_HEADER = "Idempotent-Replayed"

_RECORDS = IdempotencyRecord.__table__
_INSERT = sa.insert(_RECORDS)


def with_key_record(query: sa.Select, exhibitor_id, *, postgres: bool) -> sa.Select:
    """``query`` (one row) with the exhibitor's record of the key (bind parameter ``key``)
    as ``key_request_hash``, ``key_response_status`` and ``key_response_body``, None when
    the key is new, and on PostgreSQL with the key's transaction lock taken (bind parameter
    ``lock_key``) as ``key_locked``: the sale's reads gain no round trip. The lookup's
    snapshot may predate the commit of a first request that let the lock go in between:
    this request then finds no record, the unique (exhibitor_id, key) refuses its sale, and
    it gets the first's answer (``pos.sales.views``)."""
    query = query.outerjoin(
        _RECORDS,
        sa.and_(_RECORDS.c.exhibitor_id == exhibitor_id, _RECORDS.c.key == sa.bindparam("key")),
    ).add_columns(
        _RECORDS.c.request_hash.label("key_request_hash"),
        _RECORDS.c.response_status.label("key_response_status"),
        _RECORDS.c.response_body.label("key_response_body"),
    )
    if postgres:
        lock = sa.func.pg_try_advisory_xact_lock(sa.bindparam("lock_key", type_=sa.BigInteger))
        query = query.add_columns(lock.label("key_locked"))
    return query


def key_params(exhibitor_id: int, key: str) -> dict:
    """The bind parameters of ``with_key_record``."""
    return {"key": key, "lock_key": _lock_key(exhibitor_id, key)}


# Built once: a second look after a twin was refused (``claim``).
_ONE_ROW = sa.select(sa.literal(1).label("one")).subquery()
_LOOKUP = {
    postgres: with_key_record(
        sa.select(_ONE_ROW.c.one).select_from(_ONE_ROW),
        sa.bindparam("exhibitor_id"),
        postgres=postgres,
    )
    for postgres in (False, True)
}


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
    record = connection.execute(
        _LOOKUP[connection.dialect.name == "postgresql"],
        {"exhibitor_id": exhibitor_id, **key_params(exhibitor_id, key)},
    ).one()
    return replay(record, request_hash)


def replay(record: sa.Row, request_hash: str) -> Response | None:
    """From a row of ``with_key_record``: the stored answer to replay, or None when this
    request is the first with the key; 409 while the first still runs (PostgreSQL)."""
    if getattr(record, "key_locked", True) is False:
        fail(
            409,
            N_("A request with this Idempotency-Key is still being processed; retry."),
            headers={"Retry-After": "1"},
        )
    if record.key_request_hash is None:
        return None
    if record.key_request_hash != request_hash:
        fail(
            422,
            N_("This Idempotency-Key was already used with a different body."),
            errors={"Idempotency-Key": [N_("Already used with a different body.")]},
        )
    response = Response(
        record.key_response_body, status=record.key_response_status, mimetype="application/json"
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
