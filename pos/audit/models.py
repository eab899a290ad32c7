from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from pos.core.db import UTCDateTime
from pos.extensions import Model


class AuditEvent(Model):
    """The event journal: who did what, chained like the sales so nothing is quietly removed."""

    __tablename__ = "audit_events"
    __table_args__ = (sa.Index(None, "event_id", "at"), sa.Index(None, "exhibitor_id", "at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    seq: Mapped[int] = mapped_column(unique=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    kind: Mapped[str] = mapped_column(sa.String(40))
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    device_id: Mapped[int | None] = mapped_column(sa.ForeignKey("devices.id"))
    # For sign-ins, where there may be no user at all.
    actor_email: Mapped[str | None] = mapped_column(sa.String(254))
    event_id: Mapped[int | None] = mapped_column(sa.ForeignKey("events.id"))
    exhibitor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("exhibitors.id"))
    subject: Mapped[str | None] = mapped_column(sa.String(100))
    details: Mapped[str] = mapped_column(sa.Text, default="{}")
    prev_hash: Mapped[str] = mapped_column(sa.String(64))
    hash: Mapped[str] = mapped_column(sa.String(64))


class AuditHead(Model):
    """One row: the journal's last link. Locked by each append, so appends queue up."""

    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(primary_key=True)
    last_seq: Mapped[int] = mapped_column(default=0)
    last_hash: Mapped[str] = mapped_column(sa.String(64), default="0" * 64)
