from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from pos.core import labels
from pos.core.db import UTCDateTime, utcnow
from pos.core.ownership import owned_by_exhibitor
from pos.extensions import Model

# Who came by wanting more than a purchase: a shop or hotel to stock the product, an
# exporter, a wholesaler, a restaurant (their names in pos.core.labels).
CONTACT_KINDS = tuple(labels.CONTACT_KINDS)


@owned_by_exhibitor("contact_id", "contact")
class Contact(Model):
    """A business contact made at the booth: its own, never shown to other booths."""

    __tablename__ = "contacts"
    __table_args__ = (sa.Index(None, "event_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id"))
    exhibitor_id: Mapped[int] = mapped_column(sa.ForeignKey("exhibitors.id"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(20))
    name: Mapped[str] = mapped_column(sa.String(200))
    phone: Mapped[str | None] = mapped_column(sa.String(40))
    # What interests them: products, quantities, a visit to arrange.
    interest: Mapped[str | None] = mapped_column(sa.String(500))
    made_at: Mapped[datetime] = mapped_column(UTCDateTime)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    device_id: Mapped[int | None] = mapped_column(sa.ForeignKey("devices.id"))
    member_id: Mapped[int | None] = mapped_column(sa.ForeignKey("members.id"))
