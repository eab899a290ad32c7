"""Short pairing codes: typed on a phone, or scanned from a QR code, once."""

from __future__ import annotations

import base64
import hashlib
import io
import secrets

import sqlalchemy as sa
from flask import current_app

from pos.core.db import utcnow
from pos.devices.models import Device
from pos.extensions import db
from printers.render import qr_code

# No 0/O, 1/I/L: read aloud or typed by a tired cashier without mistakes.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
LENGTH = 8


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalise(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())


def code_hash(code: str) -> str:
    return hashlib.sha256(normalise(code).encode()).hexdigest()


def display(code: str) -> str:
    return f"{code[:4]}-{code[4:]}"


def pairing_url(code: str) -> str:
    return f"{current_app.config['POS_PUBLIC_URL'].rstrip('/')}/till/pair?code={code}"


def qr_data_url(url: str) -> str:
    buffer = io.BytesIO()
    qr_code(url, module=8).save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


def find_pairable(code: str) -> Device | None:
    """The device this code pairs, if the code is right, unused, unexpired and not revoked."""
    if len(normalise(code)) != LENGTH:
        return None
    return db.session.scalar(
        sa.select(Device)
        .where(
            Device.pairing_code_hash == code_hash(code),
            Device.revoked_at.is_(None),
            Device.pairing_expires_at > utcnow(),
        )
        .with_for_update()
    )
