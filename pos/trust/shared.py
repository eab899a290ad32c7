"""One authority for every host: on PostgreSQL the fair's HTTPS authority is kept in the
database, so that phones that trust it trust every host of the platform.

The first host to start with ``--https`` stores its authority (or a new one); every host,
that one included, then writes the stored one into its instance folder, and makes its own
server certificate with it when the one there was signed by another.
"""

from __future__ import annotations

import json
from pathlib import Path

import sqlalchemy as sa

from pos.core import shared
from pos.trust.authority import files_in, make_authority, write_private

AUTHORITY = "tls.authority"


def _local(folder: Path) -> str | None:
    files, key = files_in(folder), folder / "authority-key.pem"
    if not (files.authority.exists() and key.exists()):
        return None
    return json.dumps({"certificate": files.authority.read_text(), "key": key.read_text()})


def share_authority(folder: Path, engine: sa.Engine) -> bool:
    """Make the instance folder hold the database's authority; True when it is shared."""
    if not shared.in_database(engine):
        return False
    folder.mkdir(parents=True, exist_ok=True)
    mine = _local(folder)
    with engine.connect() as connection:
        stored = shared.read(connection, AUTHORITY)
    if stored is not None:
        kept = stored.value
    else:
        if mine is None:
            make_authority(folder)  # this host's offer; another's may be stored first
            mine = _local(folder)
        offer: str = mine or ""
        with engine.begin() as connection:
            kept = shared.get_or_make(connection, AUTHORITY, lambda: offer)
    if kept != mine:
        authority = json.loads(kept)
        files = files_in(folder)
        files.authority.write_text(authority["certificate"])
        write_private(folder / "authority-key.pem", authority["key"].encode())
        # Signed by the authority no phone was given: made again with the shared one.
        files.certificate.unlink(missing_ok=True)
        files.key.unlink(missing_ok=True)
    return True
