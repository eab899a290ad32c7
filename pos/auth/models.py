from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from pos.core.db import UTCDateTime, utcnow
from pos.extensions import Model

ROLES = ("admin", "organiser", "cashier")


class Organisation(Model):
    """Who runs fairs on the platform (a region's chamber, a national federation): its
    organisers see and change its fairs and nothing of another's."""

    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class User(Model):
    __tablename__ = "users"
    __table_args__ = (
        sa.CheckConstraint(
            "(role = 'cashier') = (exhibitor_id IS NOT NULL)", name="cashier_has_exhibitor"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    role: Mapped[str] = mapped_column(sa.String(20))
    exhibitor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("exhibitors.id"))
    # An organiser's organisation; an admin belongs to none and sees every one.
    organisation_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organisations.id"))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class AuthToken(Model):
    """A bearer token. Only its SHA-256 is stored; the token itself is shown once."""

    __tablename__ = "auth_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    role: Mapped[str] = mapped_column(sa.String(20))
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)
    device_id: Mapped[int | None] = mapped_column(sa.ForeignKey("devices.id"), index=True)
    exhibitor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("exhibitors.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class LoginFailure(Model):
    """Failed sign-ins and pairing attempts, counted to slow down guessing across all
    workers: ``kind`` is "login" (a password) or "pairing" (a device's pairing code)."""

    __tablename__ = "login_failures"
    __table_args__ = (sa.Index(None, "email", "failed_at"), sa.Index(None, "ip", "failed_at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254))
    ip: Mapped[str] = mapped_column(sa.String(64))
    failed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    kind: Mapped[str] = mapped_column(sa.String(20), default="login", server_default="login")
    # A pairing attempt's code, hashed: the same mistyped code tried again counts once.
    attempt: Mapped[str | None] = mapped_column(sa.String(64))
