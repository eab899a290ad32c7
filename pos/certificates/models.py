from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from pos.core.db import UTCDateTime, utcnow
from pos.core.ownership import owned_by_exhibitor
from pos.extensions import Model


class OrganisationKey(Model):
    """An organisation's Ed25519 key: it signs its cooperatives' sales certificates; the
    public half is on the organisation's public page."""

    __tablename__ = "organisation_keys"

    organisation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organisations.id"), primary_key=True
    )
    private_pem: Mapped[str] = mapped_column(sa.Text)
    public_pem: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


@owned_by_exhibitor("certificate_id", "certificate")
class SalesCertificate(Model):
    """What a cooperative sold at a fair, as the organisation vouched for it when issued:
    the canonical payload (figures and the booth's chain head) and its signature."""

    __tablename__ = "sales_certificates"

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(sa.String(32), unique=True)
    exhibitor_id: Mapped[int] = mapped_column(sa.ForeignKey("exhibitors.id"), index=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id"))
    payload: Mapped[str] = mapped_column(sa.Text)  # canonical JSON, exactly as signed
    signature: Mapped[str] = mapped_column(sa.String(128))  # base64 of the Ed25519 signature
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
