"""The fair's clock: the database's, the one clock every host shares.

A till's sale is timed against the server's clock (``Device-Clock``): a host whose own
clock runs ahead would move every sale of every phone that reaches it (found by
``pos drill``, a host two minutes ahead moved half the fair's sales by two minutes). On
PostgreSQL each process measures, once a minute, how far its clock is from the database's
and reads the time through that correction: no round trip a sale. SQLite runs on one host,
whose clock is the database's.
"""

from __future__ import annotations

import threading
import time
from datetime import datetime, timedelta

import sqlalchemy as sa

from pos.core.db import utcnow

REMEASURE_SECONDS = 60.0

_lock = threading.Lock()
_offsets: dict[int, tuple[float, timedelta]] = {}  # engine: (when measured, db - host)


def _measure(engine: sa.Engine) -> timedelta:
    with engine.connect() as connection:
        before = utcnow()
        # clock_timestamp(), not now(): now() is the transaction's start.
        database = connection.execute(sa.select(sa.func.clock_timestamp())).scalar_one()
        after = utcnow()
        connection.rollback()
    return database - (before + (after - before) / 2)


def fair_now(engine: sa.Engine) -> datetime:
    """This moment by the database's clock (PostgreSQL), or this host's (SQLite)."""
    if engine.dialect.name != "postgresql":
        return utcnow()
    key = id(engine)
    with _lock:
        measured = _offsets.get(key)
    if measured is None or time.monotonic() - measured[0] > REMEASURE_SECONDS:
        offset = _measure(engine)
        with _lock:
            _offsets[key] = (time.monotonic(), offset)
    else:
        offset = measured[1]
    return utcnow() + offset
