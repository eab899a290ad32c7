from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from pos.core.db import UTCDateTime, utcnow
from pos.core.ownership import owned_by_exhibitor
from pos.extensions import Model


@owned_by_exhibitor("member_id", "member")
class Member(Model):
    """A cooperative member who sells at the booth, with an optional PIN to unlock the till."""

    __tablename__ = "members"
    __table_args__ = (sa.UniqueConstraint("exhibitor_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    exhibitor_id: Mapped[int] = mapped_column(sa.ForeignKey("exhibitors.id"), index=True)
    name: Mapped[str] = mapped_column(sa.String(100))
    pin_hash: Mapped[str | None] = mapped_column(sa.String(255))
    # What a booth's phone keeps to check the PIN offline, never the PIN itself
    # (``pos.members.verifier``); made when the PIN is set or next checked online.
    pin_verifier: Mapped[str | None] = mapped_column(sa.String(200))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class PinFailure(Model):
    """Wrong PINs, counted so that guessing locks the member for a while."""

    __tablename__ = "pin_failures"
    __table_args__ = (sa.Index(None, "member_id", "failed_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(sa.ForeignKey("members.id"))
    failed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
