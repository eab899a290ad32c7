"""What identifies a request sent again under its Idempotency-Key: its body's fingerprint,
and (PostgreSQL) the advisory lock that tells a twin still running."""

from __future__ import annotations

import hashlib
import json

REPLAY_HEADER = "Idempotent-Replayed"


def fingerprint(body: object) -> str:
    """Hash of the JSON body in canonical form: spacing and key order don't count."""
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def lock_key(exhibitor_id: int, key: str) -> int:
    """The advisory lock's number of a booth's Idempotency-Key."""
    digest = hashlib.sha256(f"{exhibitor_id}:{key}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)
