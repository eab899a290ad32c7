"""Bearer tokens: random, shown once, stored as SHA-256, expiring, revocable."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime

from pos.auth.models import AuthToken
from pos.extensions import db


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(
    *,
    role: str,
    expires_at: datetime,
    user_id: int | None = None,
    device_id: int | None = None,
    exhibitor_id: int | None = None,
) -> tuple[str, AuthToken]:
    """Create a token row and return the clear token with it (the only time it exists)."""
    token = secrets.token_urlsafe(32)
    row = AuthToken(
        token_hash=hash_token(token),
        role=role,
        user_id=user_id,
        device_id=device_id,
        exhibitor_id=exhibitor_id,
        expires_at=expires_at,
    )
    db.session.add(row)
    db.session.flush()
    return token, row
