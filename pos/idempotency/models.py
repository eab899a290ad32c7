from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from pos.core.db import UTCDateTime, utcnow
from pos.extensions import Model


class WriteRecord(Model):
    """The answer given to a till's write other than a sale (a void, a reprint, a set-aside,
    a product added or changed) under its Idempotency-Key, written in the write's own
    transaction. The unique key per booth is what keeps a retry from acting twice."""

    __tablename__ = "write_records"
    __table_args__ = (sa.UniqueConstraint("exhibitor_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    exhibitor_id: Mapped[int] = mapped_column(sa.ForeignKey("exhibitors.id"))
    key: Mapped[str] = mapped_column(sa.String(255))
    # The method and path with the body: the same key for another write is another request.
    request_hash: Mapped[str] = mapped_column(sa.String(64))
    response_status: Mapped[int]
    response_body: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
