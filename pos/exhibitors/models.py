from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pos.core.db import UTCDateTime, utcnow
from pos.events.models import Event
from pos.extensions import db

LEGAL_FORMS = ("cooperative", "association", "mutual", "social_enterprise")


class Exhibitor(db.Model):
    """A cooperative, association, mutual or social enterprise selling at one booth."""

    __tablename__ = "exhibitors"
    __table_args__ = (
        sa.UniqueConstraint("event_id", "booth"),
        sa.CheckConstraint(
            "women_members IS NULL OR members IS NULL OR women_members <= members",
            name="women_within_members",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id"), index=True)
    booth: Mapped[str] = mapped_column(sa.String(20))
    name: Mapped[str] = mapped_column(sa.String(200))
    name_ar: Mapped[str] = mapped_column(sa.String(200))
    legal_form: Mapped[str] = mapped_column(sa.String(20))
    province: Mapped[str] = mapped_column(sa.String(100))
    sector: Mapped[str] = mapped_column(sa.String(100))
    members: Mapped[int | None]
    women_members: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    event: Mapped[Event] = relationship(lazy="joined", innerjoin=True)


class ExhibitorLedger(db.Model):
    """The head of an exhibitor's sales: the row every new sale locks to get its number.

    Taking the number with ``UPDATE ... RETURNING`` inside the sale's transaction
    serialises the exhibitor's sales on both databases, so receipt numbers have
    no gap (a rolled-back sale gives its number back) and no duplicate.
    """

    __tablename__ = "exhibitor_ledgers"

    exhibitor_id: Mapped[int] = mapped_column(sa.ForeignKey("exhibitors.id"), primary_key=True)
    last_receipt_number: Mapped[int] = mapped_column(default=0)
