from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from pos.core.db import UTCDateTime, utcnow
from pos.extensions import Model


class Event(Model):
    """A fair: the tenant every exhibitor, sale and report belongs to."""

    __tablename__ = "events"
    __table_args__ = (sa.CheckConstraint("ends_on >= starts_on", name="dates_ordered"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    name_ar: Mapped[str] = mapped_column(sa.String(200))
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    timezone: Mapped[str] = mapped_column(sa.String(64))
    currency: Mapped[str] = mapped_column(sa.String(3))
    # Where the fair is held ("Place Hay Al Amal, Khénifra"), in each language: the place of
    # sale every receipt shows.
    place: Mapped[str | None] = mapped_column(sa.String(200))
    place_ar: Mapped[str | None] = mapped_column(sa.String(200))
    # The same fair's previous edition, compared with in the impact report.
    previous_event_id: Mapped[int | None] = mapped_column(sa.ForeignKey("events.id"))
    # The organisation whose organisers see it (None: an admin's, seen by admins only).
    organisation_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("organisations.id"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # A fair played to rehearse (``pos drill``): never the dashboard's fair nor an earlier
    # edition, and removable. Removed, it answers 404 everywhere and its phones are signed
    # out; its sealed records stay, as the journal's chain runs through them.
    rehearsal: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
