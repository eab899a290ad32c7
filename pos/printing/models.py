from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from pos.core.db import UTCDateTime, utcnow
from pos.extensions import db

PAPER_WIDTHS_MM = (58, 80)


class PrinterSettings(db.Model):
    """Where a booth's receipts go: a connection URL, a python-escpos profile, the paper."""

    __tablename__ = "printer_settings"

    exhibitor_id: Mapped[int] = mapped_column(sa.ForeignKey("exhibitors.id"), primary_key=True)
    connection: Mapped[str] = mapped_column(sa.String(500))
    profile: Mapped[str] = mapped_column(sa.String(64))
    paper_width_mm: Mapped[int]
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
