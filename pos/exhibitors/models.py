from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pos.core.db import UTCDateTime, utcnow
from pos.core.ownership import owned_by_exhibitor
from pos.extensions import Model

if TYPE_CHECKING:
    from pos.events.models import Event

LEGAL_FORMS = ("cooperative", "association", "mutual", "social_enterprise")
# Exempt (most cooperatives): receipts say so. Subject: prices include VAT, and receipts
# show it rate by rate.
VAT_STATUSES = ("exempt", "subject")


@owned_by_exhibitor("exhibitor_id", "exhibitor", column="id")
class Exhibitor(Model):
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
    president: Mapped[str | None] = mapped_column(sa.String(200))
    phone: Mapped[str | None] = mapped_column(sa.String(20))  # +212XXXXXXXXX
    # The Identifiant Commun de l'Entreprise: 15 digits, printed under the name on receipts.
    ice: Mapped[str | None] = mapped_column(sa.String(15))
    # Where the cooperative is (its town, or a street and town): the seller's address a
    # receipt must show (loi 31-08, art. 4). None: its province is printed instead.
    address: Mapped[str | None] = mapped_column(sa.String(200))
    vat: Mapped[str] = mapped_column(sa.String(10), default="exempt", server_default="exempt")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    event: Mapped[Event] = relationship(lazy="joined", innerjoin=True)


class ExhibitorLedger(Model):
    """The head of an exhibitor's records: the row every sale, void and closing locks.

    Advancing it with ``UPDATE ... RETURNING`` inside the record's transaction
    serialises the exhibitor's appends on both databases, so receipt numbers
    and chain links have no gap (a rolled-back sale gives its number back) and
    no duplicate, and no two records share a previous hash. ``last_hash`` also
    anchors the chain's end, so records deleted from the tail are noticed.
    """

    __tablename__ = "exhibitor_ledgers"

    exhibitor_id: Mapped[int] = mapped_column(sa.ForeignKey("exhibitors.id"), primary_key=True)
    last_receipt_number: Mapped[int] = mapped_column(default=0)
    last_chain_seq: Mapped[int] = mapped_column(default=0)
    last_hash: Mapped[str] = mapped_column(sa.String(64), default="0" * 64)
    last_closed_date: Mapped[date | None]
