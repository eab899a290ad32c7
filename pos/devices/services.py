from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from flask import current_app

from pos.audit import services as audit
from pos.auth import services as auth
from pos.auth.models import AuthToken
from pos.auth.tokens import issue_token
from pos.catalogue.models import Product
from pos.core.db import utcnow
from pos.core.errors import fail, not_found
from pos.core.messages import N_
from pos.devices import pairing
from pos.devices.models import Device
from pos.events.services import event_bounds
from pos.exhibitors.models import Exhibitor
from pos.extensions import db


def _token_expiry(exhibitor: Exhibitor):
    """A booth device's token lasts until a little after the fair ends."""
    _, fair_end = event_bounds(exhibitor.event)
    grace = timedelta(days=current_app.config["POS_DEVICE_TOKEN_GRACE_DAYS"])
    return max(fair_end, utcnow()) + grace


def _device_token(device: Device, exhibitor: Exhibitor, kind: str, principal, details: dict):
    """A cashier token for the device, journaled."""
    token, row = issue_token(
        role="cashier",
        device_id=device.id,
        exhibitor_id=exhibitor.id,
        expires_at=_token_expiry(exhibitor),
    )
    audit.record(
        kind,
        principal or row,
        exhibitor_id=exhibitor.id,
        subject=f"device:{device.id}",
        details={**details, "token": row.id},
    )
    return token, row


def create_device(
    exhibitor: Exhibitor, label: str, principal=None, *, with_qr: bool = True
) -> dict:
    """A booth device with its cashier token and a pairing code, both shown only now; with
    the code's QR as a PNG data URL for a page (a printed card draws its own)."""
    code = pairing.new_code()
    device = Device(
        exhibitor_id=exhibitor.id,
        label=label,
        pairing_code_hash=pairing.code_hash(code),
        pairing_expires_at=utcnow() + timedelta(hours=current_app.config["POS_PAIRING_HOURS"]),
    )
    db.session.add(device)
    db.session.flush()
    token, row = _device_token(device, exhibitor, "device.created", principal, {"label": label})
    url = pairing.pairing_url(code)
    return {
        "id": device.id,
        "exhibitor_id": exhibitor.id,
        "label": label,
        "created_at": device.created_at,
        "revoked_at": None,
        "last_seen_at": None,
        "paired_at": None,
        "token": token,
        "expires_at": row.expires_at,
        "pairing_code": pairing.display(code),
        "pairing_url": url,
        "pairing_expires_at": device.pairing_expires_at,
        "pairing_qr": pairing.qr_data_url(url) if with_qr else None,
    }


def pair(code: str, ip: str) -> tuple[Device, str] | None:
    """Use a pairing code once: the device and a new cashier token, or None (the failure
    is counted against ``ip`` and journaled; the caller commits it). 429 once ``ip`` has
    failed too often lately."""
    auth.check_pairing_allowed(ip)
    device = pairing.find_pairable(code)
    if device is None:
        auth.record_pairing_failure(ip, pairing.code_hash(code))
        return None
    exhibitor = db.session.get_one(Exhibitor, device.exhibitor_id)
    device.pairing_code_hash = None
    device.pairing_expires_at = None
    device.paired_at = device.last_seen_at = utcnow()
    token, _row = _device_token(device, exhibitor, "token.created", None, {"paired": True})
    db.session.flush()
    return device, token


def revoke_device(device: Device, principal=None) -> Device:
    if device.revoked_at is not None:
        fail(409, N_("This device is already revoked."))
    now = utcnow()
    device.revoked_at = now
    device.pairing_code_hash = None
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
    # Access was checked on the path by pos.core.ownership; called otherwise, a missing
    # one is still a 404.
    return db.session.get(Device, device_id) or not_found("device")


def catalogue_changed_at(exhibitor_id: int | None):
    """The last change of a booth's products (None without a booth, or products)."""
    if exhibitor_id is None:
        return None
    return db.session.scalar(
        sa.select(sa.func.max(Product.updated_at)).where(Product.exhibitor_id == exhibitor_id)
    )


def seen(principal, report: dict | None = None) -> None:
    """A booth device is there; ``report``: what waits on it (``HeartbeatInSchema``)."""
    if principal.device_id is not None:
        db.session.execute(
            sa.update(Device)
            .where(Device.id == principal.device_id)
            .values(last_seen_at=utcnow(), **(report or {}))
        )
