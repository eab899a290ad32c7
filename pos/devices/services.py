from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from flask import current_app

from pos.audit import services as audit
from pos.auth.models import AuthToken
from pos.auth.tokens import issue_token
from pos.core.db import utcnow
from pos.core.errors import fail
from pos.devices.models import Device
from pos.events.services import event_bounds
from pos.exhibitors.models import Exhibitor
from pos.extensions import db


def create_device(
    exhibitor: Exhibitor, label: str, principal=None
) -> tuple[Device, str, AuthToken]:
    """A booth device and its cashier token, valid until a little after the fair ends."""
    device = Device(exhibitor_id=exhibitor.id, label=label)
    db.session.add(device)
    db.session.flush()
    _, fair_end = event_bounds(exhibitor.event)
    grace = timedelta(days=current_app.config["POS_DEVICE_TOKEN_GRACE_DAYS"])
    expires_at = max(fair_end, utcnow()) + grace
    token, row = issue_token(
        role="cashier", device_id=device.id, exhibitor_id=exhibitor.id, expires_at=expires_at
    )
    audit.record(
        "device.created",
        principal,
        exhibitor_id=exhibitor.id,
        subject=f"device:{device.id}",
        details={"label": label, "token": row.id},
    )
    return device, token, row


def revoke_device(device: Device, principal=None) -> Device:
    if device.revoked_at is not None:
        fail(409, "This device is already revoked.")
    now = utcnow()
    device.revoked_at = now
    db.session.execute(
        sa.update(AuthToken)
        .where(AuthToken.device_id == device.id, AuthToken.revoked_at.is_(None))
        .values(revoked_at=now)
    )
    db.session.flush()
    audit.record(
        "device.revoked", principal, exhibitor_id=device.exhibitor_id, subject=f"device:{device.id}"
    )
    return device


def devices_query(exhibitor: Exhibitor) -> sa.Select:
    return sa.select(Device).where(Device.exhibitor_id == exhibitor.id).order_by(Device.id)


def load_device(device_id: int) -> Device:
    # Access was checked on the path by pos.auth.ownership.
    return db.session.get(Device, device_id)
