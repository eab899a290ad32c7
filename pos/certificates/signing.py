"""An organisation's signing key, and the canonical form a certificate is signed in.

Canonical: JSON with sorted keys, no spaces, UTF-8 (``canonical``); the offline check
(``docs/check_certificate.py``) rebuilds the same bytes with the standard library alone.
"""

from __future__ import annotations

import base64
import hashlib
import json

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from pos.certificates.models import OrganisationKey
from pos.extensions import db


def canonical(payload: dict) -> bytes:
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def key_of(organisation_id: int) -> OrganisationKey:
    """The organisation's key, made the first time it signs."""
    key = db.session.get(OrganisationKey, organisation_id)
    if key is None:
        private = Ed25519PrivateKey.generate()
        key = OrganisationKey(
            organisation_id=organisation_id,
            private_pem=private.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            ).decode(),
            public_pem=private.public_key()
            .public_bytes(
                serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
            )
            .decode(),
        )
        db.session.add(key)
        db.session.flush()
    return key


def fingerprint(public_pem: str) -> str:
    """SHA-256 of the raw public key, grouped in fours: what a bank officer reads aloud."""
    public = serialization.load_pem_public_key(public_pem.encode())
    raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    digest = hashlib.sha256(raw).hexdigest().upper()
    return " ".join(digest[i : i + 4] for i in range(0, 32, 4))


def sign(key: OrganisationKey, data: bytes) -> str:
    private = serialization.load_pem_private_key(key.private_pem.encode(), password=None)
    assert isinstance(private, Ed25519PrivateKey)
    return base64.b64encode(private.sign(data)).decode()


def signature_holds(public_pem: str, data: bytes, signature: str) -> bool:
    public = serialization.load_pem_public_key(public_pem.encode())
    assert isinstance(public, Ed25519PublicKey)
    try:
        public.verify(base64.b64decode(signature), data)
    except (InvalidSignature, ValueError):
        return False
    return True
