from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from pos.core.db import UTCDateTime, utcnow
from pos.core.ownership import owned_by_exhibitor
from pos.extensions import Model


@owned_by_exhibitor("device_id", "device")
class Device(Model):
    """A phone or tablet signed in to one booth as its cashier."""

    __tablename__ = "devices"

    id: Mapped[int] = mapped_column(primary_key=True)
    exhibitor_id: Mapped[int] = mapped_column(sa.ForeignKey("exhibitors.id"), index=True)
    label: Mapped[str] = mapped_column(sa.String(100))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # As the till last reported (heartbeat): sales waiting on the phone, since when, and
    # sales the server refused that the phone keeps until someone settles them.
    outbox: Mapped[int] = mapped_column(default=0, server_default="0")
    oldest_waiting_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    refused: Mapped[int] = mapped_column(default=0, server_default="0")
    # The short code (or its QR) that pairs a phone with this device: single use,
    # only its SHA-256 kept, cleared once used.
    pairing_code_hash: Mapped[str | None] = mapped_column(sa.String(64), unique=True)
    pairing_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    paired_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
