"""A PIN verifier a booth's phone may keep, to unlock the till offline.

``pbkdf2-sha256$ITERATIONS$SALT$HASH`` (salt and hash in base64): PBKDF2-HMAC-SHA256 of the
PIN with a salt of its own, which the till recomputes with WebCrypto. Why this is enough
for a 4 to 8 digit PIN on a phone that is lost: the PIN only says which member of the booth
sold; whoever holds the phone can already sell for the booth, and the PIN opens nothing
else (no money, no other booth, no organiser page). Its worth to a thief is the digits
themselves, if the member uses them elsewhere: 100,000 iterations make each guess cost as
much as 100,000 hashes, so the 10,000 four-digit PINs take minutes on a computer and all
million six-digit ones hours, rather than a second. The phone is asked to forget its
members when it is revoked; members are told not to reuse a bank card's PIN (README).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

ITERATIONS = 100_000


def make(pin: str, iterations: int = ITERATIONS) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.pbkdf2_hmac("sha256", pin.encode(), salt, iterations)
    return "$".join(
        (
            "pbkdf2-sha256",
            str(iterations),
            base64.b64encode(salt).decode(),
            base64.b64encode(digest).decode(),
        )
    )


def matches(verifier: str, pin: str) -> bool:
    _, iterations, salt, digest = verifier.split("$")
    found = hashlib.pbkdf2_hmac("sha256", pin.encode(), base64.b64decode(salt), int(iterations))
    return hmac.compare_digest(found, base64.b64decode(digest))
