from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from pos.core.db import UTCDateTime, utcnow
from pos.core.messages import N_
from pos.core.ownership import owned_by_exhibitor
from pos.extensions import Model

PAPER_WIDTHS_MM = (58, 80)
# A station's name: what ``pos print-worker --station NAME`` is started with.
STATION_NAME_PATTERN = r"^[a-z0-9][a-z0-9._-]{0,63}$"


class PrintStation(Model):
    """A machine that print workers run on and the printers it reaches (its USB and serial
    ports, its disk, the network it sits on), for one fair. A booth's printer names its
    station; only that station's workers print its receipts."""

    __tablename__ = "print_stations"

    # Globally unique, so a worker's ``--station`` names one fair's printers: two fairs on
    # one platform may reuse the same private addresses.
    name: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class PrinterSettings(Model):
    """Where a booth's receipts go: a connection URL, a python-escpos profile, the paper."""

    __tablename__ = "printer_settings"

    exhibitor_id: Mapped[int] = mapped_column(sa.ForeignKey("exhibitors.id"), primary_key=True)
    connection: Mapped[str] = mapped_column(sa.String(500))
    profile: Mapped[str] = mapped_column(sa.String(64))
    paper_width_mm: Mapped[int]
    # Kick the cash drawer (ESC p) after a receipt with a cash payment.
    cash_drawer: Mapped[bool] = mapped_column(default=False)
    # Receipts with their Arabic drawn smaller, in half the bytes: for a printer on a slow
    # Bluetooth link. Off, the Arabic is as large as the printer's French.
    compact: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    # The station whose workers print for this booth; None: the workers started without one.
    station: Mapped[str | None] = mapped_column(sa.ForeignKey("print_stations.name"))
    # The code page French prints in, the best the profile has (``printers.profiles``);
    # chosen when the printer is saved.
    code_page: Mapped[str | None] = mapped_column(sa.String(16))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


# queued: waiting for a worker; printing: a worker has it; printed: the printer took it and
# reported itself ready; sent: the bytes went out but the printer reports no status (no
# answer is not "OK"); waiting_for_printer: offline, cover open or paper out; failed_retrying:
# the printer could not be reached. The last two are retried with backoff, never dropped.
RETRYABLE = ("queued", "waiting_for_printer", "failed_retrying")
DONE = ("printed", "sent")
# A booth whose printer is paired to its phone (connection "device"): its jobs wait as
# "pending" until the phone takes them, and the phone reports "printed" or "failed" (a
# failed job stays the phone's to print again). The server's workers never claim them.
ON_DEVICE = ("pending", "failed")
# Each state in words, for a message that names one (the key stays in the API's fields).
STATE_WORDS = {
    "queued": N_("waiting for a print worker"),
    "printing": N_("being printed"),
    "printed": N_("printed"),
    "sent": N_("sent to the printer"),
    "waiting_for_printer": N_("waiting for the printer"),
    "failed_retrying": N_("retried: the printer could not be reached"),
    "pending": N_("waiting for the booth's phone"),
    "failed": N_("not printed by the booth's phone"),
}


@owned_by_exhibitor("job_id", "print job")
class PrintJob(Model):
    """A receipt to print: written in the sale's transaction, delivered later by a worker."""

    __tablename__ = "print_jobs"
    __table_args__ = (sa.Index(None, "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    sale_id: Mapped[int] = mapped_column(sa.ForeignKey("sales.id"), index=True)
    exhibitor_id: Mapped[int] = mapped_column(sa.ForeignKey("exhibitors.id"))
    kind: Mapped[str] = mapped_column(sa.String(10))  # receipt | copy (reprint) | void
    status: Mapped[str] = mapped_column(sa.String(24), default="queued")
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_error: Mapped[str | None] = mapped_column(sa.String(500))
    # Who holds the job (a worker, or ``device:ID`` for a booth's phone), since when and
    # until when, by the database's clock; the token fences its finish: a holder whose lease
    # was taken over changes nothing.
    claimed_by: Mapped[str | None] = mapped_column(sa.String(100))
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    lease_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    claim_token: Mapped[str | None] = mapped_column(sa.String(32))
    # When the phone holding the job fetched its bytes: from then on it may have printed, so
    # should it claim the job again (its report lost), the receipt prints as a copy.
    handed_out_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The bytes the printer was sent, for the receipt preview.
    data: Mapped[bytes | None] = mapped_column(sa.LargeBinary)
    paper_width_mm: Mapped[int | None]
