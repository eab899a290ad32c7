"""``retry_safe``: a write the till may send again after a lost answer.

With an Idempotency-Key (optional here, for tills of before), the first successful answer
is stored with the write, in its transaction, under a unique (booth, key); the same key
and body again get that answer back (``Idempotent-Replayed: true``) and act no more: a
void retried is 200 the voided sale, a reprint retried makes no second copy. The same key
with another body or for another write: 422. While the first is still running: 409 on
PostgreSQL (an advisory lock on the key); on SQLite the second waits for the first's
write lock, then finds its answer.
"""

from __future__ import annotations

from functools import wraps

import sqlalchemy as sa
from flask import make_response, request

from pos.core.errors import fail
from pos.core.messages import N_
from pos.core.ownership import owner_of_path
from pos.extensions import db
from pos.idempotency.keys import fingerprint, lock_key, replay
from pos.idempotency.models import WriteRecord

HEADER = "Idempotency-Key"


def _key() -> str | None:
    key = request.headers.get(HEADER)
    if key is not None and not 1 <= len(key) <= 255:
        fail(
            422,
            N_("Invalid value for %(field)s.", field=HEADER),
            errors={HEADER: [N_("From 1 to 255 characters.")]},
        )
    return key


def _hold(exhibitor_id: int, key: str) -> None:
    """On PostgreSQL, hold the key for this transaction; 409 when a twin holds it."""
    connection = db.session.connection()
    if connection.dialect.name != "postgresql":
        return  # SQLite: this write transaction holds the database's write lock already
    held = connection.execute(
        sa.select(sa.func.pg_try_advisory_xact_lock(lock_key(exhibitor_id, f"write:{key}")))
    ).scalar_one()
    if not held:
        fail(409, N_("A request with this Idempotency-Key is still being processed; retry."))


def retry_safe(view):
    """For a view whose path names the booth's object (checked by ``auth_required``
    before it, which must come first)."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        key = _key()
        if key is None:
            return view(*args, **kwargs)
        exhibitor_id = owner_of_path(request.view_args or {})
        if exhibitor_id is None:
            return view(*args, **kwargs)
        request_hash = fingerprint(
            {"write": f"{request.method} {request.path}", "body": request.get_json(silent=True)}
        )
        _hold(exhibitor_id, key)
        record = db.session.scalar(
            sa.select(WriteRecord).where(
                WriteRecord.exhibitor_id == exhibitor_id, WriteRecord.key == key
            )
        )
        if record is not None:
            return replay(
                record.request_hash, request_hash, record.response_status, record.response_body
            )
        response = make_response(view(*args, **kwargs))
        if response.status_code < 400:
            db.session.add(
                WriteRecord(
                    exhibitor_id=exhibitor_id,
                    key=key,
                    request_hash=request_hash,
                    response_status=response.status_code,
                    response_body=response.get_data(as_text=True),
                )
            )
            db.session.flush()
        return response

    return wrapper
