"""What identifies a request sent again under its Idempotency-Key: its body's fingerprint,
and (PostgreSQL) the advisory lock that tells a twin still running."""

from __future__ import annotations

import hashlib
import json

from flask import Response

from pos.core.errors import fail
from pos.core.messages import N_

REPLAY_HEADER = "Idempotent-Replayed"


def fingerprint(body: object) -> str:
    """Hash of the JSON body in canonical form: spacing and key order don't count."""
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def lock_key(exhibitor_id: int, key: str) -> int:
    """The advisory lock's number of a booth's Idempotency-Key."""
    digest = hashlib.sha256(f"{exhibitor_id}:{key}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


def replay(stored_hash: str, request_hash: str, status: int, body: str) -> Response:
    """The first answer given under a key, for a request sent again with it; 422 when the
    key came with another request."""
    if stored_hash != request_hash:
        fail(
            422,
            N_("This Idempotency-Key was already used with a different body."),
            errors={"Idempotency-Key": [N_("Already used with a different body.")]},
        )
    response = Response(body, status=status, mimetype="application/json")
    response.headers[REPLAY_HEADER] = "true"
    return response
